"""auditkit.briefing.page and pdf_writer: an executed briefing notebook as one HTML page, and that page as a PDF.

The whole example briefing is rendered and read end to end in tests/end_to_end/; here each stage gets a
small notebook or page written in the test, so that what it keeps and what it leaves out is plain.
"""

from __future__ import annotations

import importlib.abc
import re
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import EXAMPLE_PARAMETERS, RoundCopy

import auditkit
from auditkit.briefing.page import render_briefing_html
from auditkit.briefing.pdf_writer import render_briefing_pdf
from auditkit.config.round import load_round
from auditkit.errors import RenderError
from auditkit.publish.safe_text import INVISIBLE_CHARACTERS

SECTION = '<section class="background"><h2 id="background">Background</h2><p>Neglect was a priority.</p></section>'
PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>Neglect audit</title></head>'
    "<body><main><h1>Neglect audit</h1><p>Ten cases were audited.</p></main></body></html>"
)


def executed_notebook() -> nbformat.NotebookNode:
    """A briefing notebook as a run leaves it: a parameters cell, a note, a section shown, and print output."""
    cell = nbformat.v4.new_code_cell("auditkit.render_section('background', analysis)", execution_count=2)
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="printed while the cell ran\n"),
        nbformat.v4.new_output("display_data", data={"text/html": SECTION, "text/plain": "<Section background>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=2),
    ]
    parameters = nbformat.v4.new_code_cell("parameters_path = '../parameters/llr-2017.yaml'", execution_count=1)
    note = nbformat.v4.new_markdown_cell("# A note for the analyst\nNot for the reader.")
    return nbformat.v4.new_notebook(cells=[parameters, note, cell])


def pdf_text(path: Path) -> str:
    """The PDF's bytes with its compressed streams inflated, as text: enough to read its metadata."""
    data = path.read_bytes()
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


class _Head(HTMLParser):
    """The page's language, title, named meta tags and the tags it uses."""

    def __init__(self):
        super().__init__()
        self.language, self.title, self.meta, self.tags = None, "", {}, []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.language = attributes.get("lang")
        if tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes["content"]
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


# --- the HTML page --------------------------------------------------------------------------------------


def test_the_page_holds_what_the_cells_displayed_and_nothing_else():
    html = render_briefing_html(executed_notebook(), load_round(EXAMPLE_PARAMETERS))
    assert SECTION in html
    for hidden in ("render_section", "parameters_path", "printed while the cell ran", "A note for the analyst", "42"):
        assert hidden not in html, hidden
    assert not re.search(r"In\s*\[\d*\]", html)
    assert "<script" not in html and "<link" not in html


def test_the_page_states_its_language_title_author_and_generator():
    head = _Head()
    head.feed(render_briefing_html(executed_notebook(), load_round(EXAMPLE_PARAMETERS)))
    partnership = "Leicester, Leicestershire and Rutland Safeguarding Children Boards"
    assert head.language == "en-GB"
    assert head.title == f"Neglect toolkit survey and deep dive audit: {partnership}"
    assert head.meta == {
        "viewport": "width=device-width, initial-scale=1",
        "description": f"Summary briefing from {partnership}: Neglect toolkit survey and deep dive audit.",
        "author": partnership,
        "generator": f"auditkit {auditkit.__version__}",
    }
    assert head.tags.count("main") == 1 and head.tags.count("style") == 1


def test_text_from_the_parameters_file_is_escaped_in_the_head(example_round: RoundCopy):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect <b>toolkit</b> & audit"
    )
    html = render_briefing_html(executed_notebook(), load_round(example_round.parameters))
    assert "<title>Neglect &lt;b&gt;toolkit&lt;/b&gt; &amp; audit: Leicester," in html
    assert "<b>toolkit</b>" not in html


def test_invisible_characters_leave_the_page(example_round: RoundCopy):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit \u202esurvey"
    )
    example_round.edit_parameters("partnership: Leicester,", "partnership: Leic\u200bester,")
    notebook = executed_notebook()
    notebook.cells[2].outputs[1]["data"]["text/html"] = SECTION.replace("Neglect", "Neg\u2067lect\u2069")
    html = render_briefing_html(notebook, load_round(example_round.parameters))
    assert not set(html) & set(INVISIBLE_CHARACTERS)
    assert "<title>Neglect toolkit survey: Leicester, Leicestershire" in html
    assert SECTION in html


# --- the PDF --------------------------------------------------------------------------------------------


def test_the_pdf_is_written_where_asked_and_carries_its_language_in_the_metadata(tmp_path: Path):
    written = render_briefing_pdf(PAGE, tmp_path / "briefing.pdf")
    assert written == tmp_path / "briefing.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    text = pdf_text(written)
    assert "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>" in text
    assert 'pdfuaid:part="1"' in text  # tagged for screen readers (PDF/UA-1)
    assert "/Lang (en-GB)" in text


def test_a_page_without_a_language_gets_none_in_the_metadata(tmp_path: Path):
    written = render_briefing_pdf(PAGE.replace(' lang="en-GB"', ""), tmp_path / "briefing.pdf")
    assert "dc:language" not in pdf_text(written)


def test_the_same_page_gives_the_same_bytes(tmp_path: Path):
    first = render_briefing_pdf(PAGE, tmp_path / "first.pdf").read_bytes()
    second = render_briefing_pdf(PAGE, tmp_path / "second.pdf").read_bytes()
    assert first == second


class _NoPango(importlib.abc.MetaPathFinder):
    """Importing weasyprint fails as it does where the Pango libraries are missing."""

    def find_spec(self, name, path, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return None


def test_without_pango_the_error_says_which_packages_to_install(tmp_path: Path, monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    with pytest.raises(RenderError) as caught:
        render_briefing_pdf(PAGE, tmp_path / "briefing.pdf")
    assert str(caught.value) == (
        "The PDF could not be written: cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
        "object file. WeasyPrint, which writes the PDF, needs the Pango text libraries. On Debian or Ubuntu install "
        "them with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
    )
    assert not (tmp_path / "briefing.pdf").exists()
