"""The Word template: auditkit's own (made again by its script, byte for byte), and a sentence for every template
that cannot make the Word briefing."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REPO
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE

from auditkit.briefing import docx_template
from auditkit.briefing.docx_template import DEFAULT_TEMPLATE, REQUIRED_STYLES, load_reference
from auditkit.errors import DocxTemplateError

OWN = f" Or start from auditkit's own template, {DEFAULT_TEMPLATE}."


def refusal(path: Path) -> str:
    with pytest.raises(DocxTemplateError) as caught:
        load_reference(path)
    assert caught.value.path == path
    return str(caught.value)


def saved(document, path: Path) -> Path:
    document.save(str(path))
    return path


def test_auditkits_own_template_has_every_style_the_briefing_uses_and_the_pdfs_page():
    document = load_reference().open()
    styles = {(style.name, style.type) for style in document.styles}
    assert set(REQUIRED_STYLES.items()) <= styles
    assert {("Block Text", WD_STYLE_TYPE.PARAGRAPH), ("Hyperlink", WD_STYLE_TYPE.CHARACTER)} <= styles
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(margin.mm) for margin in margins] == [18, 16, 20, 16]  # as the PDF's @page
    assert document.core_properties.language == "en-GB"


def test_a_document_opened_from_a_template_has_an_empty_body_but_keeps_the_page(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    document.add_paragraph("Sample text a partnership left in its template")
    document.add_table(rows=1, cols=1)
    opened = load_reference(saved(document, tmp_path / "partnership.docx")).open()
    assert [child.tag.rsplit("}", 1)[-1] for child in opened.element.body] == ["sectPr"]
    assert round(opened.sections[0].page_width.mm) == 210


def test_each_open_is_a_new_document():
    reference = load_reference()
    first = reference.open()
    first.add_paragraph("only in the first")
    assert reference.open().paragraphs == []


def test_the_committed_template_is_what_its_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_docx_template", REPO / "scripts" / "make_docx_template.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    made = script.make_template(tmp_path / "reference.docx")
    assert made.read_bytes() == DEFAULT_TEMPLATE.read_bytes(), "run scripts/make_docx_template.py and commit it"


def test_a_partnerships_template_with_its_own_styles_is_taken(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    document.styles["Heading 1"].font.name = "Georgia"
    reference = load_reference(saved(document, tmp_path / "partnership.docx"))
    assert reference.open().styles["Heading 1"].font.name == "Georgia"


def test_a_file_that_is_not_a_zip_archive_is_not_a_word_document(tmp_path):
    path = tmp_path / "partnership.docx"
    path.write_text("Our briefing template", encoding="utf-8")
    assert refusal(path) == (
        f"The Word template {path} is not a Word document (.docx): it is not a zip archive, as every .docx is. Open it "
        f"in Word and save it as a Word Document (.docx).{OWN}"
    )


def test_a_word_template_renamed_docx_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "partnership.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b"document.main+xml", b"template.main+xml"))
    assert refusal(path) == (
        f"The Word template {path} is not a Word document (.docx): it holds a Word template (.dotx), a macro-enabled "
        f"document (.docm) or another kind of file. Open it in Word and save it as a Word Document (.docx).{OWN}"
    )


def test_a_template_without_styles_the_briefing_uses_names_them(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    for name in ("Quote", "List Continue"):
        style = document.styles[name].element
        style.getparent().remove(style)
    path = saved(document, tmp_path / "partnership.docx")
    assert refusal(path) == (
        f"The Word template {path} has no styles 'List Continue' and 'Quote', which the Word briefing uses. In Word, "
        "apply each of them to a paragraph of the template (Home → Styles) and save it again: Word then saves the "
        f"styles with it.{OWN}"
    )


def test_a_style_of_the_wrong_kind_is_missing(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    quote = document.styles["Quote"].element
    quote.getparent().remove(quote)
    document.styles.add_style("Quote", WD_STYLE_TYPE.CHARACTER)
    path = saved(document, tmp_path / "partnership.docx")
    assert "has no style 'Quote', which the Word briefing uses. In Word, apply it to a paragraph" in refusal(path)


def test_a_template_that_expands_a_hundredfold_is_refused_unread(tmp_path):
    path = tmp_path / "partnership.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/media/padding.bin", b"\0" * (20 << 20))  # 20 MB of zeros: some 20 KB zipped
    assert refusal(path) == (
        f"The Word template {path} expands to more than 100 times its size once unzipped (real Word documents expand "
        f"a few dozen times at most), so it was refused unread.{OWN}"
    )


def test_a_template_larger_than_any_template_needs_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_template, "LARGEST_TEMPLATE", 1 << 20)
    path = tmp_path / "partnership.docx"
    path.write_bytes(b"\0" * (2 << 20))
    assert refusal(path) == (
        f"The Word template {path} is 2 MB, more than a Word template needs (auditkit reads at most 1 MB); save it "
        f"again with smaller pictures.{OWN}"
    )


def test_a_template_attached_from_a_server_is_refused(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    settings = document.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    attached = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    settings.relate_to("https://evil.example/template.dotm", attached, is_external=True)
    path = saved(document, tmp_path / "partnership.docx")
    assert refusal(path) == (
        f"The Word template {path} refers to something outside itself (attachedTemplate: "
        "https://evil.example/template.dotm), which a published briefing may not carry: a reader's Word would fetch "
        f"or follow it. Remove it from the template in Word and save it again.{OWN}"
    )


def test_a_template_may_link_to_web_pages_but_not_run_javascript(tmp_path):
    document = docx.Document(str(DEFAULT_TEMPLATE))
    document.part.relate_to("https://example.org/partnership", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    load_reference(saved(document, tmp_path / "web.docx"))
    document.part.relate_to("javascript:alert(1)", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    path = saved(document, tmp_path / "script.docx")
    assert "refers to something outside itself (hyperlink: javascript:alert(1))" in refusal(path)


def test_auditkits_own_template_is_not_offered_as_the_way_out_of_its_own_problem(tmp_path, monkeypatch):
    broken = tmp_path / "reference.docx"
    broken.write_bytes(b"")
    monkeypatch.setattr(docx_template, "DEFAULT_TEMPLATE", broken)
    with pytest.raises(DocxTemplateError) as caught:
        load_reference(None)
    assert "Or start from" not in str(caught.value)


def test_the_template_is_read_once_and_its_bytes_kept(tmp_path):
    path = tmp_path / "partnership.docx"
    path.write_bytes(DEFAULT_TEMPLATE.read_bytes())
    reference = load_reference(path)
    path.write_text("changed after it was checked", encoding="utf-8")
    assert docx.Document(io.BytesIO(reference.data)).styles["Quote"] is not None
    assert reference.open().styles["Quote"] is not None
