"""The briefing as an editable Word document: ``briefing.docx``, from the same section data as the HTML.

A communications team edits the words of a briefing before publishing it; this module writes a document made
for that. It lays out the sections the briefing notebook shows, in its order (:func:`notebook_sections`), each
from the context its HTML is rendered from (:func:`auditkit.briefing.contexts.section_context`, over the protected
analysis), so every figure, suppression symbol and sentence is the HTML's. It is built with python-docx on a Word
template (:mod:`auditkit.briefing.docx_template`): Word's built-in styles, charts as pictures with alt text,
tables of figures with header rows, the document's title, author, subject and language (``en-GB``) set, and a
footer with the HTML footer's provenance and the page number. The same inputs give the same bytes
(:mod:`auditkit.briefing.docx_package`).

python-docx was chosen over pandoc (``pypandoc-binary``): it builds the document from the section data directly,
with no intermediate Markdown that would have to carry alt text, table headers and styles across, and it is a
pure-Python wheel rather than a 100 MB binary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import nbformat
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

import auditkit
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.contexts import section_context
from auditkit.briefing.docx_blocks import add_field, add_paragraph, add_run, docx_text
from auditkit.briefing.docx_package import save_docx
from auditkit.briefing.docx_table_sections import TABLE_LAYOUTS
from auditkit.briefing.docx_template import ReferenceDocument, load_reference
from auditkit.briefing.docx_text_sections import TEXT_LAYOUTS
from auditkit.briefing.html import SECTION_METADATA
from auditkit.briefing.page import LANGUAGE
from auditkit.briefing.sections import SECTION_NAMES
from auditkit.publish.protection import protect_analysis

__all__ = ["DOCX_LAYOUTS", "notebook_sections", "render_briefing_docx"]

#: Each briefing section, by name, and the function that lays its context out in a Word document.
DOCX_LAYOUTS: dict[str, Callable[[Any, dict[str, Any]], None]] = {**TEXT_LAYOUTS, **TABLE_LAYOUTS}


def notebook_sections(notebook: nbformat.NotebookNode) -> tuple[str, ...]:
    """The briefing sections an executed notebook shows, in its order, found by their outputs' metadata.

    Each :class:`~auditkit.briefing.html.Section` a cell displays carries its name (under
    :data:`~auditkit.briefing.html.SECTION_METADATA`); any other output (a Markdown cell, a table or a chart a
    customised notebook adds) has none, and shows in the HTML and PDF only.

    Returns
    -------
    tuple of str
        The section names, in the order the notebook's cells display them, such as ``('title', 'background', …)``.
    """
    names = []
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            tag = output.get("metadata", {}).get(SECTION_METADATA, {})
            if isinstance(tag, dict) and tag.get("section") in DOCX_LAYOUTS:
                names.append(tag["section"])
    return tuple(names)


def _footer(document: Any, colophon: dict[str, Any]) -> None:
    """Every page's footer: the HTML footer's provenance, then "Page N of M" on the right."""
    section = document.sections[-1]
    footers = [section.footer]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer)
    if document.settings.odd_and_even_pages_header_footer:
        footers.append(section.even_page_footer)
    provenance = (
        f"Round {colophon['round']} · data fingerprint {colophon['fingerprint']} · auditkit {colophon['version']} · "
        f"produced {colophon['produced']}"
    )
    for footer in footers:
        footer.is_linked_to_previous = False
        for block in [paragraph._p for paragraph in footer.paragraphs[1:]] + [table._tbl for table in footer.tables]:
            block.getparent().remove(block)
        first = footer.paragraphs[0]
        first.style = "Footer"
        for child in list(first._p):
            if child.tag != qn("w:pPr"):
                first._p.remove(child)
        add_run(first, provenance)
        page = add_paragraph(footer, style="Footer")
        page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(page, "Page ")
        add_field(page, "PAGE")
        add_run(page, " of ")
        add_field(page, "NUMPAGES")


def _properties(document: Any, analysis: Analysis, when: dt.datetime) -> None:
    """The document's title, author, subject and language, as the PDF's; every other property reset."""
    round_ = analysis.round
    properties = document.core_properties
    properties.title = docx_text(f"{round_.title}: {round_.partnership}")
    properties.subject = docx_text(f"Summary briefing from {round_.partnership}: {round_.title}.")
    properties.author = docx_text(round_.partnership)
    properties.last_modified_by = f"auditkit {auditkit.__version__}"
    for name in ("keywords", "comments", "category", "content_status", "identifier", "version"):
        setattr(properties, name, "")
    properties.language = LANGUAGE
    properties.created = properties.modified = when
    properties.revision = 1
    for printed in properties._element.findall(qn("cp:lastPrinted")):  # a template's, or nothing
        properties._element.remove(printed)


def _language(document: Any) -> None:
    """Make British English the language of every run that does not say otherwise (spelling, screen readers)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        document.styles.element.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


def _number_drawings(document: Any) -> None:
    """Give the body's pictures ids after those of the headers and footers, so that no two share one."""
    taken = [
        int(value)
        for part in (*(section.header for section in document.sections), *(s.footer for s in document.sections))
        if not part.is_linked_to_previous
        for value in part._element.xpath(".//wp:docPr/@id")
        if value.isdigit()
    ]
    start = max(taken, default=0) + 1
    for number, drawing in enumerate(document.element.body.xpath(".//wp:docPr"), start=start):
        drawing.set("id", str(number))
        drawing.set("name", f"Picture {number}")


def render_briefing_docx(
    analysis: Analysis,
    path: str | Path,
    sections: Sequence[str] = SECTION_NAMES,
    reference: ReferenceDocument | None = None,
) -> Path:
    """Write the briefing as a Word document: ``sections`` in order, from the published (protected) analysis.

    ``reference`` is the checked Word template (:func:`~auditkit.briefing.docx_template.load_reference`), the
    round's ``briefing → docx_template`` or auditkit's own when None. The document is dated when the analysis was
    made (``SOURCE_DATE_EPOCH`` when set), and the same analysis gives the same bytes.

    Returns
    -------
    pathlib.Path
        ``path``, a ``.docx`` with the sections, the document's properties and the footer.
    """
    published = protect_analysis(analysis)
    template = reference or load_reference(published.round.docx_template)
    document = template.open()
    for name in sections:
        if name not in DOCX_LAYOUTS:
            raise ValueError(f"There is no Word layout for the briefing section {name!r}.")
        DOCX_LAYOUTS[name](document, section_context(name, published))
    when = published.analysed_at or dt.datetime.now(tz=dt.UTC)
    _footer(document, section_context("further_information", published))
    _properties(document, published, when)
    _language(document)
    _number_drawings(document)
    return save_docx(document, path, when)
