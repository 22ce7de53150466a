"""The pieces of a Word briefing, written with python-docx: paragraphs, runs, links, pictures, tables, fields.

Every text this module writes goes through :func:`docx_text` first, so the Word briefing obeys the rules the
HTML obeys: no invisible characters (:func:`auditkit.publish.safe_text.strip_invisible`), and a link only to an
address :func:`auditkit.config.links.checked_url` allows. python-docx has no API for five things a briefing
needs, and each is a small addition to the XML it writes here: a picture's description (its alt text), a
table's alt text, a header row that repeats on each page, a hyperlink, and a page-number field.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from auditkit.config.links import checked_url
from auditkit.publish.safe_text import strip_invisible

if TYPE_CHECKING:  # the charts module imports matplotlib, which checking a Word template does not need
    from auditkit.briefing.charts import Chart

__all__ = [
    "TABLE_STYLE",
    "Line",
    "add_field",
    "add_figure",
    "add_heading",
    "add_hyperlink",
    "add_paragraph",
    "add_run",
    "add_table",
    "docx_text",
    "has_style",
    "text_width",
]

#: The table style every table of the briefing has: Word's built-in "Table Grid", restyled in the default template.
TABLE_STYLE = "Table Grid"
#: One paragraph of a table cell: its text and its look (``""``, ``"bold"`` or ``"small"``, a muted note).
Line = tuple[str, str]
#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE and
#: U+FFFF): lxml refuses them, so a comment holding one would stop the run.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What a browser shows as one space between words (HTML's whitespace): the Word briefing shows the same.
_SPACES = re.compile("[ \t\n\r\f]+")
_SMALL = Pt(8.5)
_MUTED = RGBColor(0x4A, 0x4A, 0x4A)


def docx_text(text: Any) -> str:
    """Text as the Word briefing writes it: as the HTML briefing shows it, and safe to publish.

    Returns
    -------
    str
        ``text`` without invisible characters (:func:`~auditkit.publish.safe_text.strip_invisible`) or characters
        XML cannot hold, each run of spaces, tabs and line breaks as one space, as a browser shows the HTML:
        ``'Leic\\u200bester\\n  audit'`` → ``'Leicester audit'``.
    """
    return _SPACES.sub(" ", _NOT_XML.sub("", strip_invisible(str(text))))


def has_style(document: Any, name: str) -> bool:
    """Whether the document (or the document of a part of it) defines the style ``name``.

    Returns
    -------
    bool
        True when a style of that name is in the document's styles part.
    """
    return any(style.name == name for style in document.styles)


def add_run(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False, small: bool = False) -> Any:
    """Add a run of text (:func:`docx_text`) to a paragraph.

    Returns
    -------
    docx.text.run.Run
        The run: bold and italic as asked; ``small`` makes it a muted note (8.5 pt, dark grey).
    """
    run = paragraph.add_run(docx_text(text))
    run.bold = bold or None
    run.italic = italic or None
    if small:
        run.font.size = _SMALL
        run.font.color.rgb = _MUTED
    return run


def add_paragraph(container: Any, text: str = "", style: str | None = None, bold: bool = False) -> Paragraph:
    """Add a paragraph of one run to a document, a table cell or a footer.

    Returns
    -------
    docx.text.paragraph.Paragraph
        The paragraph in ``style`` (the container's default, Normal, when None), its text stripped of the spaces at
        either end; no run when ``text`` is empty.
    """
    paragraph = container.add_paragraph(style=style)
    if text:
        add_run(paragraph, docx_text(text).strip(), bold=bold)
    return paragraph


def add_heading(document: Any, text: str, level: int) -> Paragraph:
    """Add a heading in Word's built-in ``Heading <level>`` style (``Heading 1`` for a section).

    Returns
    -------
    docx.text.paragraph.Paragraph
        The heading's paragraph.
    """
    return add_paragraph(document, text, style=f"Heading {level}")


def add_hyperlink(paragraph: Paragraph, url: str, text: str, bold: bool = False, italic: bool = False) -> Any:
    """Add a link to ``url`` showing ``text``; an address the briefing may not publish gives the text alone.

    The address is checked as the HTML's are (:func:`~auditkit.config.links.checked_url`): a ``javascript:`` or
    ``data:`` link becomes plain text, as the HTML writes it as a dead link. The run takes the document's
    ``Hyperlink`` character style when it has one, and is underlined otherwise.

    Returns
    -------
    docx.text.run.Run
        The run that shows ``text``, inside a ``w:hyperlink`` when the address is allowed.
    """
    try:
        address = checked_url(docx_text(url), docx_text(text))
    except ValueError:
        return add_run(paragraph, text, bold=bold, italic=italic)
    run = add_run(paragraph, text, bold=bold, italic=italic)
    if has_style(paragraph.part.package.main_document_part.document, "Hyperlink"):
        run.style = "Hyperlink"
    else:
        run.underline = True
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    link.set(qn("w:history"), "1")
    run._r.addprevious(link)
    link.append(run._r)
    return run


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """Add a field that Word and LibreOffice fill in as they lay the page out, such as ``PAGE`` or ``NUMPAGES``.

    ``shown`` is the text a reader sees until the field is first updated.
    """
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def text_width(document: Any) -> Emu:
    """The width between the margins of the document's last section.

    Returns
    -------
    docx.shared.Emu
        The page's width less its left and right margins (A4 less 16 mm each side in the default template).
    """
    section = document.sections[-1]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def add_figure(document: Any, chart: Chart | None) -> None:
    """Add a chart: its PNG at the size it was drawn for (no wider than the text), its alt text and its caption.

    The alt text is the picture's description, the one Word shows under "Alt Text" and screen readers read; it
    is the sentence the HTML gives the same chart. The caption follows in the ``Caption`` style. ``None`` (no
    chart to draw) adds nothing.
    """
    if chart is None:
        return
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(chart.png))
    width = text_width(document)
    if shape.width > width:
        shape.height = Emu(int(shape.height * width / shape.width))
        shape.width = width
    shape._inline.docPr.set("descr", docx_text(chart.alt).strip())
    add_paragraph(document, chart.caption, style="Caption")


def _mark_header(row: Any) -> None:
    """Mark a table's first row as its header: screen readers announce it, Word repeats it on each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_whole(row: Any) -> None:
    split = OxmlElement("w:cantSplit")
    split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(split)


def _fill_cell(cell: Any, value: str | Sequence[Line], bold: bool, right: bool) -> None:
    lines = [(value, "bold" if bold else "")] if isinstance(value, str) else list(value) or [("", "")]
    first = True
    for text, look in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            add_run(paragraph, docx_text(text).strip(), bold=look == "bold" or bold, small=look == "small")


def add_table(
    document: Any,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str | Sequence[Line]]],
    row_header: int | None = 0,
    numbers: Sequence[int] = (),
    widths: Sequence[float] | None = None,
    keep_together: bool = True,
) -> Table:
    """Add a table of figures: its caption, a header row marked as such, and one row per entry.

    The caption comes first, in the ``Caption`` style and bold, and is the table's alt text too. The header row
    repeats on each page a table runs over; no row breaks across two pages. ``row_header`` is the column whose cells
    name their row (bold, as the HTML's ``<th scope="row">``), ``numbers`` the columns set right, as the HTML sets
    figures, and ``widths`` each column's share of the text's width. With ``keep_together`` (as the PDF prints
    tables) the table starts on a new page rather than break, when it fits on one; a long one breaks between rows.

    Returns
    -------
    docx.table.Table
        The table, in :data:`TABLE_STYLE`.
    """
    title = add_paragraph(document, caption, style="Caption", bold=True)  # bold, as the HTML's <caption>
    title.paragraph_format.keep_with_next = True
    table = document.add_table(rows=0, cols=len(header), style=TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    alt = OxmlElement("w:tblCaption")
    alt.set(qn("w:val"), docx_text(caption).strip())
    table._tbl.tblPr.append(alt)
    cells = table.add_row().cells
    for index, (cell, text) in enumerate(zip(cells, header)):
        _fill_cell(cell, text, bold=True, right=index in numbers)
    _mark_header(table.rows[0])
    for values in rows:
        row = table.add_row()
        _keep_row_whole(row)
        for index, (cell, value) in enumerate(zip(row.cells, values)):
            _fill_cell(cell, value, bold=index == row_header, right=index in numbers)
    for row in table.rows[:-1] if keep_together else table.rows[:1]:  # the header row stays with the first row
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    if widths is not None:
        total = text_width(document)
        for column, share in zip(table.columns, widths):
            column.width = Emu(int(total * share))
            for cell in column.cells:
                cell.width = Emu(int(total * share))
    return table
