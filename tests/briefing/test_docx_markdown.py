"""The briefing's Markdown laid out in Word: formatting as runs, links checked, raw HTML shown as text."""

from __future__ import annotations

from docx.oxml.ns import qn

from auditkit.briefing.docx_markdown import add_markdown
from auditkit.briefing.docx_template import load_reference


def _laid_out(text: str, style: str = "Normal", continuation: str | None = None):
    document = load_reference().open()
    add_markdown(document, text, style, continuation)
    return document


def _runs(paragraph) -> list[tuple[str, bool, bool]]:
    return [(run.text, bool(run.bold), bool(run.italic)) for run in paragraph.runs]


def test_bold_and_italic_become_run_formatting():
    (paragraph,) = _laid_out("Practice is **much** better *in places*.").paragraphs
    assert _runs(paragraph) == [
        ("Practice is ", False, False),
        ("much", True, False),
        (" better ", False, False),
        ("in places", False, True),
        (".", False, False),
    ]


def test_each_markdown_paragraph_is_a_paragraph_with_line_breaks_as_spaces():
    document = _laid_out("First line\nof the first.\n\nThe second.")
    assert [paragraph.text for paragraph in document.paragraphs] == ["First line of the first.", "The second."]
    assert {paragraph.style.name for paragraph in document.paragraphs} == {"Normal"}


def test_a_web_link_is_a_hyperlink_and_a_javascript_link_is_its_text_alone():
    document = _laid_out("See [the toolkit](https://example.org/toolkit) and [this](javascript:alert(1)).")
    (paragraph,) = document.paragraphs
    assert paragraph.text == "See the toolkit and this."
    (link,) = paragraph.hyperlinks
    assert (link.address, link.text) == ("https://example.org/toolkit", "the toolkit")
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert targets == ["https://example.org/toolkit"]


def test_raw_html_is_shown_as_the_text_it_is():
    document = _laid_out('Hello <b onclick="x()">bold</b>\n\n<div>block</div>')
    assert [paragraph.text for paragraph in document.paragraphs] == [
        'Hello <b onclick="x()">bold</b>',
        "<div>block</div>",
    ]


def test_a_heading_in_the_text_is_a_bold_paragraph_not_a_word_heading():
    (paragraph,) = _laid_out("# Not a section").paragraphs
    assert paragraph.style.name == "Normal"
    assert _runs(paragraph) == [("Not a section", True, False)]


def test_lists_and_quotes_take_the_list_and_quote_styles():
    document = _laid_out("- one\n- two\n\n1. first\n2. second\n\n> said")
    assert [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs] == [
        ("List Bullet", "one"),
        ("List Bullet", "two"),
        ("List Continue", "1. first"),
        ("List Continue", "2. second"),
        ("Quote", "said"),
    ]


def test_the_first_paragraph_takes_one_style_and_the_rest_another():
    document = _laid_out("A closing point.\n\nIts second paragraph.", "List Number", "List Continue")
    assert [paragraph.style.name for paragraph in document.paragraphs] == ["List Number", "List Continue"]


def test_an_image_is_not_fetched_its_alt_text_is_shown():
    document = _laid_out("A logo: ![the partnership's logo](https://example.org/logo.png)")
    assert document.paragraphs[0].text == "A logo: the partnership's logo"
    assert not list(document.element.body.iter(qn("w:drawing")))
    assert not [rel for rel in document.part.rels.values() if rel.is_external]


def test_hard_line_breaks_are_kept():
    (paragraph,) = _laid_out("First line  \nSecond line").paragraphs
    assert len(list(paragraph._p.iter(qn("w:br")))) == 1
    assert paragraph.text == "First line\nSecond line"
