"""A large sheet loaded by fastexcel a window of rows at a time reads as the whole sheet does, and leaves nothing behind."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pytest

from auditkit.errors import DataError
from auditkit.read import xlsx_files, xlsx_windows
from auditkit.read.tables import read_table


def book(path, rows: int = 30, formula: bool = False):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["id", "area", "score"])
    for number in range(rows):
        if number % 7 == 3:
            sheet.append([None, None, None])  # an empty row, whose number a window must keep
        else:
            sheet.append([f"R{number}", ["North", "South"][number % 2], number % 5 + 0.5])
    if formula:
        sheet["C2"] = "=1+1"
    workbook.save(path)
    return path


@pytest.fixture
def windows(monkeypatch, tmp_path):
    """Windows of a row or two, each loaded sheet's count of windows kept, and a temporary folder of the test's."""
    monkeypatch.setattr(xlsx_windows, "WINDOW_BYTES", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    counts = []
    reader = fastexcel.read_excel

    def counted(source):
        opened = reader(source)
        counts.append(len(opened.sheet_names))
        if str(source).startswith(str(tmp_path / "temporary")):  # the windows' folder is its owner's alone
            assert Path(source).parent.stat().st_mode & 0o777 == 0o700
        return opened

    monkeypatch.setattr(fastexcel, "read_excel", counted)
    return counts


def test_a_sheet_loaded_a_few_rows_at_a_time_reads_as_the_careful_reader_reads_it(tmp_path, monkeypatch, windows):
    path = book(tmp_path / "cases.xlsx")
    read = xlsx_files.read_xlsx_sheet(path)
    table = read_table(path)
    assert not isinstance(read.rows, list) and windows[0] > 20  # a window a row or so, all opened at once
    with monkeypatch.context() as patched:
        patched.setattr(xlsx_files, "sheet_grid", lambda *args: None)
        careful = xlsx_files.read_xlsx_sheet(path)
        assert list(read.rows) == careful.rows
        assert table.equals(read_table(path))
    assert not list((tmp_path / "temporary").iterdir())  # the windows' workbook is gone


def test_the_windows_are_removed_when_the_workbook_is_refused(tmp_path, windows):
    path = book(tmp_path / "cases.xlsx", formula=True)
    with pytest.raises(DataError, match="saved without calculated values"):
        read_table(path)
    assert not list((tmp_path / "temporary").iterdir())


def test_a_sheet_holding_a_comment_is_read_row_by_row(tmp_path, windows):
    path = book(tmp_path / "cases.xlsx")
    edited = tmp_path / "commented.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="3"', b'<!-- </row> --><row r="3"', 1)
            target.writestr(item, data)
    read = xlsx_files.read_xlsx_sheet(edited)
    assert isinstance(read.rows, list) and read.rows[2][0] == "R1"
    assert not list((tmp_path / "temporary").iterdir())


def test_a_sheet_no_larger_than_a_window_is_loaded_whole_from_the_workbook_itself(tmp_path, monkeypatch):
    path = book(tmp_path / "cases.xlsx")
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    opened = []
    reader = fastexcel.read_excel
    monkeypatch.setattr(fastexcel, "read_excel", lambda source: opened.append(str(source)) or reader(source))
    monkeypatch.setattr(xlsx_windows, "WINDOW_BYTES", size)
    whole = xlsx_files.read_xlsx_sheet(path)
    assert opened == [str(path)] and not list((tmp_path / "temporary").iterdir())  # nothing written anywhere
    monkeypatch.setattr(xlsx_windows, "WINDOW_BYTES", size - 1)
    windowed = xlsx_files.read_xlsx_sheet(path)
    assert len(opened) == 2 and opened[1].startswith(str(tmp_path / "temporary"))
    assert not isinstance(whole.rows, list) and list(whole.rows) == list(windowed.rows)
    assert not list((tmp_path / "temporary").iterdir())
