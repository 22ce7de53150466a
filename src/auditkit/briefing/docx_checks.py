"""An accessibility check of a Word document, in the spirit of Word's own Accessibility Checker.

:func:`check_docx` reads a ``.docx`` with python-docx and returns what a screen-reader user or a reader who
cannot tell colours apart would miss, one :class:`DocxFinding` per problem (:data:`DOCX_RULES`): pictures
without alt text, headings out of order, tables without a marked header row, a document without a title or a
language, empty paragraphs used as spacing, links without text, and meaning carried by colour alone. The Word
briefing's tests require it to find nothing; ``auditkit verify`` could run it on a report's ``briefing.docx``.

Written here because no maintained Python library checks a Word document's accessibility; the rules are
those of Microsoft's "Rules for the Accessibility Checker" that apply to a document auditkit writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

__all__ = ["DOCX_RULES", "DocxFinding", "check_docx"]

#: Each rule the check applies, by name, and what it asks of a document.
DOCX_RULES = {
    "title": "the document's properties give it a title",
    "language": "the document's properties and its default text give its language",
    "alt-text": "every picture has alt text (a description), or is marked decorative",
    "heading-order": "headings start at Heading 1 and go down one level at a time, and none is empty",
    "table-header": "every table's first row is marked as a header row that repeats, and names each column",
    "blank-paragraph": "no empty paragraph is used for spacing",
    "link-text": "every link has text to read",
    "colour-alone": "no coloured or shaded text or cell is without words: colour never carries meaning alone",
}
_HEADING = re.compile(r"^Heading ([1-9])$")
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_CONTENT = (qn("w:drawing"), qn("w:pict"), qn("w:fldSimple"), qn("w:instrText"), qn("w:object"))


@dataclass(frozen=True)
class DocxFinding:
    """One accessibility problem: the ``rule`` it breaks (a key of :data:`DOCX_RULES`), ``where`` and ``message``."""

    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _text(element: Any) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t"))).strip()


def _document_properties(document: Any) -> list[DocxFinding]:
    found = []
    if not (document.core_properties.title or "").strip():
        found.append(DocxFinding("title", "document properties", "the document has no title"))
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if not (document.core_properties.language or "").strip():
        found.append(DocxFinding("language", "document properties", "the document's language is not set"))
    if defaults is None or not defaults.get(qn("w:val")):
        found.append(DocxFinding("language", "default text", "the language of the document's text is not set"))
    return found


def _pictures(document: Any) -> list[DocxFinding]:
    parts = [("body", document.element.body)]
    for number, section in enumerate(document.sections, start=1):
        for kind in ("header", "first_page_header", "footer", "first_page_footer"):
            story = getattr(section, kind)
            if not story.is_linked_to_previous:
                parts.append((f"{kind.replace('_', ' ')} of section {number}", story._element))
    found = []
    for where, element in parts:
        for drawing in element.iter(qn("wp:docPr")):
            decorative = any(node.get("val") in ("1", "true") for node in drawing.iter(_DECORATIVE))
            if not (drawing.get("descr") or "").strip() and not decorative:
                name = drawing.get("name") or f"id {drawing.get('id')}"
                found.append(DocxFinding("alt-text", f"{where}, picture '{name}'", "the picture has no alt text"))
    return found


def _headings(paragraphs: list[tuple[int, Paragraph]]) -> list[DocxFinding]:
    found, previous = [], 0
    for number, paragraph in paragraphs:
        match = _HEADING.match(paragraph.style.name if paragraph.style is not None else "")
        if match is None:
            continue
        level, where = int(match.group(1)), f"paragraph {number}"
        text = paragraph.text.strip()
        if not text:
            found.append(DocxFinding("heading-order", where, f"a Heading {level} with no text"))
        if level > previous + 1:
            after = f"after a Heading {previous}" if previous else "as the first heading"
            found.append(
                DocxFinding("heading-order", where, f"Heading {level} '{text}' comes {after}: a level is skipped")
            )
        previous = level
    return found


def _tables(document: Any) -> list[DocxFinding]:
    found = []
    for number, table in enumerate(document.element.body.iter(qn("w:tbl")), start=1):
        rows = table.findall(qn("w:tr"))
        where = f"table {number}"
        if not rows:
            found.append(DocxFinding("table-header", where, "the table has no rows"))
            continue
        header = rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        if header is None or header.get(qn("w:val"), "true") in ("0", "false", "off"):
            found.append(DocxFinding("table-header", where, "the table's first row is not marked as its header row"))
        empty = [index for index, cell in enumerate(rows[0].findall(qn("w:tc")), start=1) if not _text(cell)]
        if empty:
            columns = ", ".join(str(index) for index in empty)
            found.append(DocxFinding("table-header", where, f"the header row names no column {columns}"))
    return found


def _blank(paragraphs: list[tuple[int, Paragraph]]) -> list[DocxFinding]:
    return [
        DocxFinding("blank-paragraph", f"paragraph {number}", "an empty paragraph, used as spacing")
        for number, paragraph in paragraphs
        if not paragraph.text.strip() and next(paragraph._p.iter(*_CONTENT), None) is None
    ]


def _links(document: Any) -> list[DocxFinding]:
    return [
        DocxFinding("link-text", f"link {number}", "the link has no text to read")
        for number, link in enumerate(document.element.body.iter(qn("w:hyperlink")), start=1)
        if not _text(link)
    ]


def _coloured(properties: Any) -> bool:
    if properties is None:
        return False
    colour = properties.find(qn("w:color"))
    shade = properties.find(qn("w:shd"))
    return (
        (colour is not None and colour.get(qn("w:val"), "auto").lower() != "auto")
        or properties.find(qn("w:highlight")) is not None
        or (shade is not None and shade.get(qn("w:fill"), "auto").lower() not in ("auto", "ffffff"))
    )


def _colour_alone(document: Any) -> list[DocxFinding]:
    body = document.element.body
    found = [
        DocxFinding("colour-alone", f"run {number}", "coloured or highlighted text with no words")
        for number, run in enumerate(body.iter(qn("w:r")), start=1)
        if _coloured(run.find(qn("w:rPr")))
        and not _text(run)
        and next(run.iter(qn("w:drawing"), qn("w:tab"), qn("w:br")), None) is None
    ]
    found += [
        DocxFinding("colour-alone", f"table cell {number}", "a shaded cell with no words")
        for number, cell in enumerate(body.iter(qn("w:tc")), start=1)
        if _coloured(cell.find(qn("w:tcPr"))) and not _text(cell)
    ]
    return found


def check_docx(source: str | Path | Any) -> list[DocxFinding]:
    """Check a Word document's accessibility: every rule of :data:`DOCX_RULES`.

    ``source`` is a ``.docx`` file's path or a python-docx document. Paragraphs are numbered from 1 in the
    document's body; tables, links, runs and cells in the order they appear.

    Returns
    -------
    list of DocxFinding
        One finding per problem, each with its ``rule``, ``where`` and ``message``, grouped by rule in the order of
        :data:`DOCX_RULES`; empty for a document that passes, such as every Word briefing auditkit writes.
    """
    document = docx.Document(str(source)) if isinstance(source, str | Path) else source
    paragraphs = [
        (number, block)
        for number, block in enumerate(
            (block for block in document.iter_inner_content() if not isinstance(block, Table)), start=1
        )
    ]
    return [
        *_document_properties(document),
        *_pictures(document),
        *_headings(paragraphs),
        *_tables(document),
        *_blank(paragraphs),
        *_links(document),
        *_colour_alone(document),
    ]
