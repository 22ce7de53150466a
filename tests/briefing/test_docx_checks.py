"""The accessibility check of a Word document: nothing to say of a good one, a finding for each problem."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from matplotlib.figure import Figure

from auditkit.briefing.charts import Chart, figure_png
from auditkit.briefing.docx_blocks import add_figure, add_heading, add_paragraph, add_table
from auditkit.briefing.docx_checks import DOCX_RULES, DocxFinding, check_docx
from auditkit.briefing.docx_template import load_reference


@pytest.fixture
def good():
    """A small document that passes: a title, headings in order, a figure with alt text and a table."""
    document = load_reference().open()
    document.core_properties.title = "Neglect audit"
    add_paragraph(document, "Neglect audit", style="Title")
    add_heading(document, "Methodology", 1)
    add_heading(document, "Case audit", 2)
    add_paragraph(document, "10 cases were audited.")
    figure = Figure(figsize=(7, 1), dpi=100)
    figure.add_subplot()
    add_figure(document, Chart(png=figure_png(figure), alt="Chart of the case audit.", caption="Case audit."))
    add_table(document, "Case audit", ["Standard", "Met"], [["Neglect toolkit used", "2"]])
    add_heading(document, "Key findings", 1)
    return document


def _rules(document) -> list[tuple[str, str]]:
    return [(finding.rule, str(finding)) for finding in check_docx(document)]


def test_a_good_document_has_no_findings(good, tmp_path):
    assert check_docx(good) == []
    good.save(str(tmp_path / "good.docx"))
    assert check_docx(tmp_path / "good.docx") == []


def test_a_picture_without_alt_text_is_found(good):
    good.inline_shapes[0]._inline.docPr.set("descr", " ")
    assert _rules(good) == [("alt-text", "body, picture 'Picture 1': the picture has no alt text")]


def test_a_picture_marked_decorative_needs_no_alt_text(good):
    drawing = good.inline_shapes[0]._inline.docPr
    drawing.set("descr", "")
    extension = drawing.makeelement(qn("a:extLst"), {})
    ext = extension.makeelement(qn("a:ext"), {"uri": "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"})
    decorative = ext.makeelement(
        "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", {"val": "1"}
    )
    ext.append(decorative)
    extension.append(ext)
    drawing.append(extension)
    assert check_docx(good) == []


def test_a_skipped_heading_level_and_an_empty_heading_are_found(good):
    add_heading(good, "Detail", 3)
    good.add_paragraph(style="Heading 2")
    assert _rules(good) == [
        ("heading-order", "paragraph 9: Heading 3 'Detail' comes after a Heading 1: a level is skipped"),
        ("heading-order", "paragraph 10: a Heading 2 with no text"),
        ("blank-paragraph", "paragraph 10: an empty paragraph, used as spacing"),
    ]


def test_a_document_that_starts_below_heading_1_is_found():
    document = load_reference().open()
    document.core_properties.title = "Neglect audit"
    add_heading(document, "Case audit", 2)
    assert _rules(document) == [
        ("heading-order", "paragraph 1: Heading 2 'Case audit' comes as the first heading: a level is skipped")
    ]


def test_a_table_without_a_marked_header_row_is_found(good):
    table = good.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Standard"
    assert _rules(good) == [
        ("table-header", "table 2: the table's first row is not marked as its header row"),
        ("table-header", "table 2: the header row names no column 2"),
    ]


def test_a_document_without_a_title_or_language_is_found():
    document = docx.Document()
    document.core_properties.language = ""
    language = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.getparent().remove(language)
    assert _rules(document) == [
        ("title", "document properties: the document has no title"),
        ("language", "document properties: the document's language is not set"),
        ("language", "default text: the language of the document's text is not set"),
    ]


def test_empty_paragraphs_used_as_spacing_are_found(good):
    good.add_paragraph("")
    good.add_paragraph("   ")
    assert _rules(good) == [
        ("blank-paragraph", "paragraph 9: an empty paragraph, used as spacing"),
        ("blank-paragraph", "paragraph 10: an empty paragraph, used as spacing"),
    ]


def test_a_link_without_text_is_found(good):
    paragraph = add_paragraph(good, "See ")
    link = OxmlElement("w:hyperlink")
    link.set(
        qn("r:id"), good.part.relate_to("https://example.org", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, True)
    )
    paragraph._p.append(link)
    assert _rules(good) == [("link-text", "link 1: the link has no text to read")]


def test_colour_without_words_is_found(good):
    paragraph = add_paragraph(good, "Overdue actions:")
    paragraph.add_run("   ").font.color.rgb = RGBColor(0x9E, 0x1B, 0x1B)
    cell = good.tables[0].cell(1, 1)
    cell.paragraphs[0].runs[0].text = ""
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), "9E1B1B")
    cell._tc.get_or_add_tcPr().append(shade)
    assert [rule for rule, _ in _rules(good)] == ["colour-alone", "colour-alone"]
    assert [message for _, message in _rules(good)][1] == "table cell 4: a shaded cell with no words"


def test_coloured_words_are_fine(good):
    add_paragraph(good, "").add_run("Overdue").font.color.rgb = RGBColor(0x9E, 0x1B, 0x1B)
    assert check_docx(good) == []


def test_every_rule_is_described_and_a_finding_reads_as_a_sentence():
    assert set(DOCX_RULES) == {
        "title",
        "language",
        "alt-text",
        "heading-order",
        "table-header",
        "blank-paragraph",
        "link-text",
        "colour-alone",
    }
    assert str(DocxFinding("alt-text", "picture 1", "the picture has no alt text")) == (
        "picture 1: the picture has no alt text"
    )
