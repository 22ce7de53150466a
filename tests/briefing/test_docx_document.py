"""auditkit.briefing.docx_document: the Word briefing, from the same section data as the HTML.

Each example round is written as a Word document straight from its analysis (no notebook), and read back with
python-docx as Word would: every sentence of every section's HTML is in it, in Word's own structure.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import nbformat
import pytest
import yaml
from conftest import REPO, RoundCopy, docx_plain_text, followup_of
from docx.oxml.ns import qn

import auditkit
from auditkit.briefing.contexts import section_context
from auditkit.briefing.docx_checks import check_docx
from auditkit.briefing.docx_document import DOCX_LAYOUTS, notebook_sections, render_briefing_docx
from auditkit.briefing.docx_template import DEFAULT_TEMPLATE, load_reference
from auditkit.briefing.html import SECTION_METADATA, render_section
from auditkit.briefing.sections import SECTION_NAMES

#: Elements whose own text is one block a reader reads (a <p> inside an <li> is a block of its own).
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "th", "td", "caption", "figcaption", "blockquote", "summary"}


class _Blocks(HTMLParser):
    """Each block's own text, as a reader sees it; <summary> left out (Word shows the table it opens)."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._open.append((tag, []))
        elif tag == "br" and self._open:  # a line break: Word writes a paragraph or a break, the text a space
            self._open[-1][1].append(" ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS and self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if text and name != "summary":
                self.blocks.append(text)

    def handle_data(self, data):
        if self._open:
            self._open[-1][1].append(data)


def html_blocks(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def _written(analysis, tmp_path: Path, name: str = "briefing.docx", **options):
    path = render_briefing_docx(analysis, tmp_path / name, **options)
    return path, docx.Document(str(path))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example round written once as a Word document: its analysis, path and python-docx document."""
    analysis = auditkit.analyse_round(REPO / "parameters" / "llr-2017.yaml")
    path, document = _written(analysis, tmp_path_factory.mktemp("docx"))
    return analysis, path, document


def _suppressed(copy: RoundCopy) -> Path:
    """The example round under the DfE rule (counts from 1 to 5 hidden), with a symbol easy to count."""
    copy.edit_parameters("disclosure:\n  min_count: 0\n", 'disclosure:\n  symbol: "[x]"\n')
    return copy.parameters


def _broken_down(copy: RoundCopy) -> Path:
    """The example round under the DfE rule, broken down by agency and by the child's age band (issue 18)."""
    copy.edit_parameters("\ninstruments:", "\nbreakdowns: [agency, child_age_band]\ninstruments:")
    copy.edit_parameters("min_count: 0", "min_count: 5")
    return copy.parameters


ROUNDS = {
    "example": lambda copy: copy.parameters,
    "suppressed": _suppressed,
    "breakdowns": _broken_down,
    "follow-up": followup_of,
    "indicators": lambda copy: copy.root / "parameters" / "lancashire-2018.yaml",
}


@pytest.mark.parametrize("kind", ROUNDS)
def test_every_sentence_figure_and_symbol_of_the_html_is_in_the_word_briefing(kind, example_round, tmp_path):
    analysis = auditkit.analyse_round(ROUNDS[kind](example_round))
    path, _ = _written(analysis, tmp_path)
    text = docx_plain_text(path)
    missing = [
        block
        for name in SECTION_NAMES
        for block in html_blocks(render_section(name, analysis).html)
        if block not in text
    ]
    assert missing == []
    if kind == "breakdowns":
        assert "Findings by group" in text and "Groups differ: adjusted p" in text
    if kind == "indicators":
        assert "The funnel plot's target is" in text
    if kind == "suppressed":
        html = " ".join(block for name in SECTION_NAMES for block in html_blocks(render_section(name, analysis).html))
        assert text.count("[x]") == html.count("[x]") > 20


def _without_background(copy: RoundCopy) -> Path:
    """The example round with no background paragraphs: the HTML then has no Background section."""
    parameters = yaml.safe_load(copy.parameters.read_text(encoding="utf-8"))
    parameters["briefing"]["background"] = []
    copy.parameters.write_text(yaml.safe_dump(parameters, allow_unicode=True), encoding="utf-8")
    return copy.parameters


@pytest.mark.parametrize("kind", [*ROUNDS, "no background"])
def test_the_word_briefing_has_the_htmls_sections_and_no_other(kind, example_round, tmp_path):
    make = {**ROUNDS, "no background": _without_background}[kind]
    analysis = auditkit.analyse_round(make(example_round))
    _, document = _written(analysis, tmp_path)
    html = " ".join(render_section(name, analysis).html for name in SECTION_NAMES)
    expected = [
        " ".join(re.sub(r"<[^>]+>", "", heading).split()) for heading in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
    ]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == expected
    if kind == "no background":
        assert "Background" not in expected


def test_sections_are_headings_in_the_htmls_order_under_one_title(example):
    _, _, document = example
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Neglect toolkit survey and deep dive audit")
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Background",
        "Methodology",
        "Definition of neglect",
        "What practitioners said",
        "Key findings and recommendations",
        "Action plan",
        "The figures",
        "Further information",
    ]
    assert {style for style, _ in headings} == {"Title", "Heading 1", "Heading 2"}


def test_each_key_finding_is_one_numbered_paragraph_with_its_recommendation_under_it(example):
    analysis, _, document = example
    context = section_context("key_findings", analysis)
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == len(context["findings"]) + len(context["closing"]) == 6
    first = numbered[0]
    assert first.text == "The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%)."
    assert all(run.bold for run in first.runs)
    elements = [paragraph._p for paragraph in document.paragraphs]
    after = document.paragraphs[elements.index(first._p) + 1]
    assert after.style.name == "List Continue"
    assert after.text.startswith("Recommendation: Every partner agency should make the neglect toolkit part")
    assert after.runs[0].text == "Recommendation:" and after.runs[0].bold


def test_practitioners_words_are_quotes(example):
    analysis, _, document = example
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == [f"\u201c{quote}\u201d" for quote in section_context("quotes", analysis)["quotes"]]


def test_each_chart_is_a_picture_whose_alt_text_is_the_htmls(example):
    analysis, _, document = example
    charts = [chart["figure"] for chart in section_context("charts", analysis)["charts"]]
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions == [chart.alt for chart in charts]
    assert all(f'alt="{chart.alt}"' in render_section("charts", analysis).html for chart in charts)


def test_each_table_names_its_columns_in_a_marked_header_row(example):
    _, _, document = example
    assert len(document.tables) == 3
    for table in document.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
    assert [cell.text for cell in document.tables[1].rows[0].cells] == [
        "Standard",
        "Met",
        "Out of",
        "Percentage",
        "95% CI",
    ]


def test_the_documents_properties_are_set_as_the_pdfs(example):
    analysis, _, document = example
    properties = document.core_properties
    assert properties.title == (
        "Neglect toolkit survey and deep dive audit: Leicester, Leicestershire and Rutland Safeguarding Children Boards"
    )
    assert properties.author == "Leicester, Leicestershire and Rutland Safeguarding Children Boards"
    assert properties.subject.startswith("Summary briefing from Leicester, Leicestershire and Rutland")
    assert properties.language == "en-GB"
    assert properties.created == properties.modified == analysis.analysed_at
    language = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:val")) == "en-GB"


def test_every_page_has_the_htmls_provenance_and_its_number(example):
    analysis, _, document = example
    footer = document.sections[0].footer
    colophon = section_context("further_information", analysis)
    assert footer.paragraphs[0].text == (
        f"Round llr-2017 · data fingerprint {analysis.fingerprint} · auditkit {auditkit.__version__} · "
        f"produced {colophon['produced']}"
    )
    page = footer.paragraphs[1]
    assert [field.get(qn("w:instr")) for field in page._p.iter(qn("w:fldSimple"))] == [" PAGE ", " NUMPAGES "]
    assert page._p.xpath("string(.)") == "Page 1 of 1"


def test_no_empty_paragraph_spaces_the_document_and_the_accessibility_check_finds_nothing(example):
    _, path, document = example
    assert [p for p in document.paragraphs if not p.text.strip() and not p._p.xpath(".//w:drawing")] == []
    assert check_docx(path) == []


def test_further_information_links_are_hyperlinks_to_their_checked_addresses(example):
    _, _, document = example
    links = [link for paragraph in document.paragraphs for link in paragraph.hyperlinks]
    assert [(link.text, link.address) for link in links] == [
        ("Neglect toolkit", "https://example.org/llr/neglect-toolkit"),
        ("Multi-agency safeguarding procedures", "https://example.org/llr/procedures"),
        ("Resolving practitioner disagreements and escalation of concerns", "https://example.org/llr/escalation"),
        ("Multi-agency audit summaries", "https://example.org/llr/audits"),
    ]


def test_the_same_analysis_gives_the_same_bytes(example, tmp_path):
    analysis, path, _ = example
    again, _ = _written(analysis, tmp_path)
    assert again.read_bytes() == path.read_bytes()


def test_the_document_is_dated_by_source_date_epoch(example_round, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    analysis = auditkit.analyse_round(example_round.parameters, reuse=False)
    _, document = _written(analysis, tmp_path)
    assert document.core_properties.created == dt.datetime(2017, 7, 14, 2, 40, tzinfo=dt.UTC)
    assert "produced 14 July 2017" in document.sections[0].footer.paragraphs[0].text


def test_only_the_sections_named_are_laid_out_in_their_order(example, tmp_path):
    analysis, _, _ = example
    _, document = _written(analysis, tmp_path, sections=("key_findings", "title"))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Heading 1" and "Title" in styles
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["Key findings and recommendations"]


def test_every_section_has_a_word_layout():
    assert set(DOCX_LAYOUTS) == set(SECTION_NAMES)


def test_an_unknown_section_is_a_bug_named_as_such(example, tmp_path):
    with pytest.raises(ValueError, match="There is no Word layout for the briefing section 'summary_table'"):
        render_briefing_docx(example[0], tmp_path / "briefing.docx", sections=("summary_table",))


def test_the_notebooks_sections_are_found_in_order_and_other_outputs_left_to_the_html():
    def shown(name: str | None) -> nbformat.NotebookNode:
        metadata = {SECTION_METADATA: {"section": name}} if name else {}
        output = nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>"}, metadata=metadata)
        return nbformat.v4.new_code_cell(outputs=[output])

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Our own introduction"),
            shown("title"),
            shown(None),  # a table the partnership added
            shown("charts"),
            shown("key_findings"),
            shown("not_a_section"),
        ]
    )
    assert notebook_sections(notebook) == ("title", "charts", "key_findings")


def test_hidden_characters_and_characters_xml_cannot_hold_are_left_out(example_round, tmp_path):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit \u202esurvey\u200b audit"
    )
    text = example_round.survey.read_text(encoding="utf-8")
    example_round.survey.write_text(
        text.replace("made the next steps obvious to all of us.", "made the next\x01 steps\x0b obvious to all."),
        encoding="utf-8",
    )
    path, document = _written(auditkit.analyse_round(example_round.parameters), tmp_path)
    assert document.paragraphs[0].text == "Neglect toolkit survey audit"
    assert document.core_properties.title.startswith("Neglect toolkit survey audit:")
    assert "made the next steps obvious to all." in docx_plain_text(path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist() if "xml" in name)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\x01\x0b]", xml)


def test_a_javascript_link_in_the_parameters_words_is_not_a_link(example_round, tmp_path):
    example_round.edit_parameters(
        "summary: >-\n    This briefing", "summary: >-\n    [Read this](javascript:alert('ZQX')) This briefing"
    )
    path, document = _written(auditkit.analyse_round(example_round.parameters), tmp_path)
    assert document.paragraphs[3].text.startswith("Read this This briefing")
    external = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert all(target.startswith("https://") for target in external) and len(external) == 4


def test_a_partnerships_template_gives_its_styles_and_header_and_keeps_the_footer_auditkits(example, tmp_path):
    template = docx.Document(str(DEFAULT_TEMPLATE))
    template.styles["Heading 1"].font.name = "Georgia"
    template.sections[0].header.paragraphs[0].text = "Leicester, Leicestershire and Rutland Safeguarding Boards"
    template.sections[0].footer.paragraphs[0].text = "Our own footer, replaced"
    template.sections[0].footer.add_table(1, 1, template.sections[0].page_width).cell(0, 0).text = "A footer table"
    template.add_paragraph("Sample text, left out")
    template.save(str(tmp_path / "partnership.docx"))
    reference = load_reference(tmp_path / "partnership.docx")
    path, document = _written(example[0], tmp_path, reference=reference)
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert document.sections[0].header.paragraphs[0].text.startswith("Leicester, Leicestershire and Rutland")
    assert document.sections[0].footer.paragraphs[0].text.startswith("Round llr-2017 · data fingerprint")
    footer = document.sections[0].footer
    assert [p._p.xpath("string(.)").split(" · ")[0] for p in footer.paragraphs] == ["Round llr-2017", "Page 1 of 1"]
    assert footer.tables == []
    assert "Sample text, left out" not in docx_plain_text(path)
    assert check_docx(path) == []
