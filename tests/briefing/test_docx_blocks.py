"""The pieces of a Word briefing: safe text, checked links, pictures with alt text, tables with header rows."""

from __future__ import annotations

import io

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from matplotlib.figure import Figure

from auditkit.briefing.charts import Chart, figure_png
from auditkit.briefing.docx_blocks import (
    TABLE_STYLE,
    add_field,
    add_figure,
    add_heading,
    add_hyperlink,
    add_paragraph,
    add_table,
    docx_text,
    has_style,
    text_width,
)
from auditkit.briefing.docx_template import load_reference


@pytest.fixture
def document():
    return load_reference().open()


def _chart(width_inches: float) -> Chart:
    figure = Figure(figsize=(width_inches, 1.0), dpi=200)
    figure.add_subplot().plot([0, 1], [0, 1])
    return Chart(png=figure_png(figure), alt="Chart of the case audit: a line.", caption="Case audit: a line.")


def test_text_loses_invisible_characters_and_characters_xml_cannot_hold():
    assert docx_text("Leic\u200bester \u202esurvey\ufeff") == "Leicester survey"
    assert docx_text("made the next steps ZQX\x01CTRL\x0b obvious") == "made the next steps ZQXCTRL obvious"


def test_text_shows_its_spaces_and_line_breaks_as_a_browser_shows_the_html():
    assert docx_text("two  spaces,\na line break\tand a tab") == "two spaces, a line break and a tab"
    assert docx_text("kept\u00a0no-break space") == "kept\u00a0no-break space"


def test_a_paragraph_holds_its_text_in_its_style(document):
    paragraph = add_paragraph(document, "  Methodology \u200b ", style="Heading 1")
    assert (paragraph.style.name, paragraph.text) == ("Heading 1", "Methodology")
    assert add_heading(document, "Background", 1).style.name == "Heading 1"
    assert add_paragraph(document).runs == []


def test_a_link_to_a_web_page_or_an_email_address_is_a_hyperlink(document):
    paragraph = document.add_paragraph()
    add_hyperlink(paragraph, "https://example.org/llr/audits", "Multi-agency audit summaries")
    add_hyperlink(paragraph, "mailto:audits@example.org", "e-mail us")
    assert [(link.address, link.text) for link in paragraph.hyperlinks] == [
        ("https://example.org/llr/audits", "Multi-agency audit summaries"),
        ("mailto:audits@example.org", "e-mail us"),
    ]
    assert {run.style.name for link in paragraph.hyperlinks for run in link.runs} == {"Hyperlink"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "file:///etc"])
def test_a_link_the_briefing_may_not_publish_is_its_text_alone(document, url):
    paragraph = document.add_paragraph()
    add_hyperlink(paragraph, url, "Click here")
    assert paragraph.text == "Click here" and paragraph.hyperlinks == []
    assert [rel for rel in document.part.rels.values() if rel.is_external] == []


def test_a_template_without_a_hyperlink_style_underlines_links(document):
    hyperlink = document.styles["Hyperlink"].element
    hyperlink.getparent().remove(hyperlink)
    assert not has_style(document, "Hyperlink")
    paragraph = document.add_paragraph()
    run = add_hyperlink(paragraph, "https://example.org", "Example")
    assert run.underline is True


def test_a_figure_has_its_alt_text_as_the_pictures_description_and_its_caption_after(document):
    add_figure(document, _chart(7.0))
    picture, caption = document.paragraphs
    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "Chart of the case audit: a line."
    assert round(shape.width.inches, 2) == 7.0  # the size it was drawn for, at 200 dpi
    assert picture.paragraph_format.keep_with_next is True
    assert (caption.style.name, caption.text) == ("Caption", "Case audit: a line.")


def test_a_figure_wider_than_the_text_is_fitted_to_it(document):
    add_figure(document, _chart(9.0))
    (shape,) = document.inline_shapes
    assert shape.width == text_width(document)
    assert round(text_width(document) / Mm(1)) == 210 - 16 - 16


def test_no_chart_adds_nothing(document):
    add_figure(document, None)
    assert document.paragraphs == []


def test_a_table_has_its_caption_a_marked_header_row_and_rows_that_stay_whole(document):
    table = add_table(
        document,
        "Case audit: percentage meeting each standard",
        ["Standard", "Met", "Out of"],
        [["Neglect toolkit used", "2", "10"], ["Drift or delay evident (lower is better)", "c", "10"]],
        numbers=(1, 2),
        widths=(0.6, 0.2, 0.2),
    )
    caption = document.paragraphs[0]
    assert (caption.style.name, caption.text, caption.runs[0].bold) == (
        "Caption",
        "Case audit: percentage meeting each standard",
        True,
    )
    assert table.style.name == TABLE_STYLE
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == "Case audit: percentage meeting each standard"
    header, *rows = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Standard", "Met", "Out of"],
        ["Neglect toolkit used", "2", "10"],
        ["Drift or delay evident (lower is better)", "c", "10"],
    ]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert rows[0].cells[0].paragraphs[0].runs[0].bold and not rows[0].cells[1].paragraphs[0].runs[0].bold
    assert rows[0].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert rows[0].cells[0].paragraphs[0].alignment is None
    assert round(table.columns[0].width / text_width(document), 2) == 0.6


def test_a_cell_of_several_lines_has_a_paragraph_each_and_notes_are_small(document):
    table = add_table(
        document,
        "Actions",
        ["Action", "Status"],
        [[[("Promote the toolkit", ""), ("Standard: Neglect toolkit used", "small")], [("Not started", "")]]],
        row_header=None,
    )
    cell = table.rows[1].cells[0]
    assert [paragraph.text for paragraph in cell.paragraphs] == [
        "Promote the toolkit",
        "Standard: Neglect toolkit used",
    ]
    assert cell.paragraphs[1].runs[0].font.size.pt == 8.5


def test_a_field_shows_a_value_until_word_or_libreoffice_fills_it_in(document):
    paragraph = document.add_paragraph("Page ")
    add_field(paragraph, "PAGE")
    (field,) = paragraph._p.iter(qn("w:fldSimple"))
    assert field.get(qn("w:instr")) == " PAGE "
    assert paragraph._p.xpath("string(.)") == "Page 1"


def test_the_picture_bytes_are_embedded_as_drawn(document):
    chart = _chart(7.0)
    add_figure(document, chart)
    (shape,) = document.inline_shapes
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blip].blob == chart.png
    assert io.BytesIO(chart.png).read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_table_keeps_together_unless_it_may_run_on_row_by_row(document):
    kept = add_table(document, "Kept", ["A"], [["1"], ["2"], ["3"]])
    flowing = add_table(document, "Flowing", ["A"], [["1"], ["2"], ["3"]], keep_together=False)

    def kept_rows(table) -> list[bool]:
        return [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in table.rows]

    assert kept_rows(kept) == [True, True, True, False]
    assert kept_rows(flowing) == [True, False, False, False]
