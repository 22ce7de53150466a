"""Saving a Word document: the same document, the same bytes, dated as asked."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx

from auditkit.briefing.docx_package import save_docx

WHEN = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)


def _document():
    document = docx.Document()
    document.add_paragraph("The neglect toolkit was used in 2 of the 10 cases audited.")
    return document


def test_the_same_document_saved_twice_gives_the_same_bytes(tmp_path):
    first = save_docx(_document(), tmp_path / "first.docx", WHEN)
    second = save_docx(_document(), tmp_path / "second.docx", WHEN)
    assert first.read_bytes() == second.read_bytes()


def test_every_part_is_dated_when_asked_in_a_fixed_order(tmp_path):
    path = save_docx(_document(), tmp_path / "briefing.docx", WHEN)
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    assert {entry.date_time for entry in entries} == {(2023, 11, 14, 22, 13, 20)}
    names = [entry.filename for entry in entries]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])
    assert {entry.external_attr >> 16 for entry in entries} == {0o644}


def test_a_date_before_zip_archives_could_record_one_is_written_as_their_first(tmp_path):
    path = save_docx(_document(), tmp_path / "briefing.docx", dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    with zipfile.ZipFile(path) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_saved_document_opens_with_its_text(tmp_path):
    path = save_docx(_document(), tmp_path / "briefing.docx", WHEN)
    assert docx.Document(str(path)).paragraphs[-1].text.startswith("The neglect toolkit was used")
