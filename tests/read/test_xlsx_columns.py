"""The columnar XLSX reader (fastexcel) reads what python-calamine's row-by-row read reads, or steps aside (None)."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pandas as pd
import pytest

from auditkit.errors import DataError
from auditkit.read import xlsx_files, xlsx_windows
from auditkit.read.cells import cell_text
from auditkit.read.tables import read_data_file, read_table
from auditkit.read.xlsx_columns import sheet_range

VALUES = [
    lambda g: g.choice(["yes", "no", "Strongly agree", " padded ", "two\nlines", "é", "Total", "5 text"]),
    lambda g: g.choice([1, 2.5, 1 / 3, 3.14159265358979, 1e20, -7, 0]),
    lambda g: g.choice([True, False]),
    lambda g: dt.datetime(2016, 10, 3, g.randint(0, 23), g.randint(0, 59), g.randint(0, 59)),
    lambda g: dt.date(2016, 10, g.randint(1, 28)),
]


def random_book(path, generator: random.Random, rows: int = 12) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    width = generator.randint(1, 5)
    header = [generator.choice(["id", "area", "q", "q", "Question\nover two lines", 2017, None]) for _ in range(width)]
    header[0] = header[0] or "id"
    sheet.append(header)
    kinds = [generator.choice(VALUES) for _ in range(width)]
    mixed = generator.random() < 0.2
    blank = generator.random() < 0.3  # rows left empty (runs of them), whose numbers the windows must keep
    for _ in range(generator.randint(0, rows)):
        row = []
        for kind in kinds:
            value = (generator.choice(VALUES) if mixed else kind)(generator)
            row.append(None if generator.random() < 0.2 else value)
        if blank and generator.random() < 0.3:
            row = [None] * width
        sheet.append(row)
    if generator.random() < 0.2 and sheet.max_row > 2:
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    book.save(path)


def row_by_row(patched) -> None:
    """Leave every sheet to the row-by-row read (loaded whole, or a window at a time)."""
    patched.setattr(xlsx_files, "read_sheet_grid", lambda *args: None)
    patched.setattr(xlsx_files, "sheet_grid", lambda *args: None)


def both(path, monkeypatch):
    """The sheet read a column at a time (None when it stepped aside) and row by row."""
    read = xlsx_files.read_xlsx_sheet(path)
    with monkeypatch.context() as patched:
        row_by_row(patched)
        careful = xlsx_files.read_xlsx_sheet(path)
    return (read if not isinstance(read.rows, list) else None), careful


def table_or_error(path):
    try:
        return read_table(path)
    except DataError as refused:
        return str(refused)


@pytest.mark.parametrize(("window", "rows"), [(None, 12), (200, 40), (1, 20)])
def test_random_workbooks_are_read_as_python_calamine_reads_them(tmp_path, monkeypatch, window, rows):
    """Loaded whole, or (a window of 200 bytes of XML) a few rows at a time: as python-calamine reads them."""
    generator = random.Random(21)
    columnar, windowed = 0, []
    if window:
        monkeypatch.setattr(xlsx_windows, "WINDOW_BYTES", window)
    made = xlsx_files.SheetWindows
    monkeypatch.setattr(xlsx_files, "SheetWindows", lambda *args: windowed.append(made(*args)) or windowed[-1])
    for case in range(150):
        path = tmp_path / f"book{case}.xlsx"
        random_book(path, generator, rows)
        fast, careful = both(path, monkeypatch)
        if fast is None:
            continue
        columnar += 1
        assert [[cell_text(cell) for cell in row] for row in fast.rows] == [
            [cell_text(cell) for cell in row] for row in careful.rows
        ]
        assert sorted(fast.merged) == sorted(tuple(map(tuple, merged)) for merged in careful.merged)
        table = table_or_error(path)
        with monkeypatch.context() as patched:
            row_by_row(patched)
            expected = table_or_error(path)
        if isinstance(expected, str):
            assert table == expected
        else:
            pd.testing.assert_frame_equal(table, expected)
    assert columnar > (25 if window is None else 15)  # workbooks of one type a column and text headers: by column
    # a sheet's XML larger than a window (every one here, at 200 bytes) is loaded a window at a time; none otherwise
    assert len(windowed) > 150 if window else not windowed


def test_a_column_of_mixed_types_is_read_row_by_row(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (["id", "score"], ["R1", 3], ["R2", "three"]):
        book.active.append(row)
    book.save(tmp_path / "mixed.xlsx")
    fast, careful = both(tmp_path / "mixed.xlsx", monkeypatch)
    assert fast is None and careful.rows == [["id", "score"], ["R1", 3.0], ["R2", "three"]]


def test_a_workbook_read_a_column_at_a_time_keeps_its_dates_and_refuses_merged_cells(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (["id", "when"], ["R1", dt.datetime(2016, 10, 3, 9, 0)], ["R2", dt.datetime(2016, 10, 4)]):
        book.active.append(row)
    book.save(tmp_path / "dates.xlsx")
    data = read_data_file(tmp_path / "dates.xlsx")
    assert not isinstance(data.rows, list)
    assert read_table(tmp_path / "dates.xlsx")["when"].tolist() == ["2016-10-03 09:00:00", "2016-10-04"]
    book.active.merge_cells("B2:B3")
    book.save(tmp_path / "dates.xlsx")
    with pytest.raises(DataError, match=r"has merged cells \(B2:B3\)"):
        read_table(tmp_path / "dates.xlsx")


@pytest.mark.parametrize(("reference", "cells"), [("A1:C4", ((0, 0), (3, 2))), ("B2", ((1, 1), (1, 1)))])
def test_a_range_is_its_first_and_last_cells(reference, cells):
    assert sheet_range(reference) == cells


@pytest.mark.parametrize("name", ["llr-2017-survey-msforms.xlsx", "llr-2017-survey-googlesheet.xlsx"])
def test_the_survey_tools_workbooks_are_read_as_python_calamine_reads_them(name, monkeypatch):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data_templates" / "examples" / name
    fast, careful = both(path, monkeypatch)
    if fast is not None:  # read a column at a time where that reads the same, row by row otherwise
        assert [[cell_text(cell) for cell in row] for row in fast.rows] == [
            [cell_text(cell) for cell in row] for row in careful.rows
        ]


@pytest.mark.parametrize("header", [["id", "id"], ["id", None], ["id", 2017], ["id", True], ["id", "q_1"]])
def test_a_header_fastexcel_would_name_itself_is_read_row_by_row(tmp_path, monkeypatch, header):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (header, ["R1", "a"], ["R2", "b"]):
        book.active.append(row)
    book.save(tmp_path / "header.xlsx")
    fast, careful = both(tmp_path / "header.xlsx", monkeypatch)
    assert fast is None


def test_a_column_of_text_holding_its_own_header_and_empty_cells_is_read_as_row_by_row(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (["id", "area"], ["R1", "area"], ["R2", None], ["id", "Rutland"], ["R4", None]):
        book.active.append(row)
    book.save(tmp_path / "own.xlsx")
    fast, careful = both(tmp_path / "own.xlsx", monkeypatch)
    assert fast is not None and list(fast.rows) == careful.rows == [
        ["id", "area"],
        ["R1", "area"],
        ["R2", ""],
        ["id", "Rutland"],
        ["R4", ""],
    ]
    assert list(fast.rows.texts(1, 1)) == ["area", "", "Rutland", ""]
    table = read_table(tmp_path / "own.xlsx")
    with monkeypatch.context() as patched:
        row_by_row(patched)
        pd.testing.assert_frame_equal(table, read_table(tmp_path / "own.xlsx"))
