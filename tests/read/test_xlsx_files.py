"""Reading a workbook's data sheet: formulas saved without values, long cells, dates saved as serial numbers."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from auditkit.errors import DataError
from auditkit.read.tables import read_table
from auditkit.read.xlsx_files import read_xlsx_rows


def write_book(path, rows: list[list[object]], formats: dict[str, str] | None = None, other: bool = False):
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    for row in rows:
        data.append(row)
    for cell, number_format in (formats or {}).items():
        data[cell].number_format = number_format
    if other:
        lookups = book.create_sheet("Lookups")
        lookups.append(["=1+1"])
        lookups.sheet_state = "hidden"
    book.save(path)
    return path


def with_sheet_edited(path, edit) -> None:
    """Rewrite the workbook with its first sheet's XML passed through ``edit``."""
    edited = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, edit(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    edited.replace(path)


def read_error(path) -> str:
    with pytest.raises(DataError) as caught:
        read_table(path)
    return str(caught.value)


def test_formula_cells_saved_without_values_are_named_with_how_to_fix_them(tmp_path):
    path = write_book(
        tmp_path / "cases.xlsx", [["case_ref", "score"], ["C1", "=2+2"], ["C2", "=B2+1"], ["C3", "=B3+1"]]
    )
    assert read_error(path) == (
        "cases.xlsx: the workbook was saved without calculated values: cell B2 of the sheet 'Data' holds a formula but "
        "no value (and 2 more cells like it). It was probably written by a program that does not calculate formulas; "
        "open it in Excel or LibreOffice and save it again, so that each formula's value is saved with it."
    )


def test_formulas_on_a_sheet_that_is_not_read_do_not_matter(tmp_path):
    path = write_book(tmp_path / "cases.xlsx", [["case_ref", "area"], ["C1", "Rutland"]], other=True)
    assert read_table(path).loc[2, "area"] == "Rutland"


def test_a_cell_longer_than_excel_allows_is_named_by_row_and_column(tmp_path):
    # Excel and openpyxl cut such a cell short; another program can write it whole
    path = write_book(tmp_path / "cases.xlsx", [["case_ref", "notes"], ["C1", "fine"], ["C2", "LONG"]])
    with_sheet_edited(path, lambda xml: xml.replace(b"LONG", b"x" * 40_000))
    assert read_error(path) == (
        "cases.xlsx: row 3, column 'notes' holds 40,000 characters; a cell may hold at most 32,767 (Excel's limit). "
        "Shorten it."
    )


def test_a_date_serial_number_in_a_cell_formatted_as_a_date_is_read_as_that_date(tmp_path):
    rows = [["case_ref", "audit_date"], ["C1", 42828], ["C2", 42829.5], ["C3", dt.date(2017, 4, 3)]]
    path = write_book(tmp_path / "cases.xlsx", rows, {"B2": "dd/mm/yyyy", "B3": "yyyy-mm-dd hh:mm"})
    assert read_table(path)["audit_date"].tolist() == ["2017-04-03", "2017-04-04 12:00:00", "2017-04-03"]


def test_a_date_serial_number_in_a_cell_formatted_as_a_number_stays_a_number(tmp_path):
    path = write_book(tmp_path / "cases.xlsx", [["case_ref", "audit_date"], ["C1", 42829]])
    assert read_xlsx_rows(path)[1] == ["C1", 42829.0]
    assert read_table(path).loc[2, "audit_date"] == "42829"  # validation names it: see test_validation.py


def test_a_workbook_that_declares_a_document_type_is_refused_before_it_is_parsed(tmp_path):
    path = write_book(tmp_path / "cases.xlsx", [["case_ref"], ["C1"]])
    with_sheet_edited(path, lambda xml: xml.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY e "ZQX">]><worksheet', 1))
    assert read_error(path).startswith(
        "cases.xlsx: the workbook's part xl/worksheets/sheet1.xml contains a document type declaration"
    )


def test_a_google_forms_sheet_is_found_among_the_sheets_an_analyst_added(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["Responses by week"])
    responses = book.create_sheet("Form Responses 1")
    responses.append(["Timestamp", "Which agency?"])
    responses.append([dt.datetime(2024, 1, 15, 10, 23, 45), "Health"])
    book.save(tmp_path / "sheet.xlsx")
    assert read_xlsx_rows(tmp_path / "sheet.xlsx") == [
        ["Timestamp", "Which agency?"],
        [dt.datetime(2024, 1, 15, 10, 23, 45), "Health"],
    ]
    book.create_sheet("Form Responses 2").append(["Timestamp", "Which team?"])
    book.save(tmp_path / "sheet.xlsx")
    assert read_error(tmp_path / "sheet.xlsx") == (
        "sheet.xlsx: the workbook has no sheet named 'Data' and more than one sheet (Summary, Form Responses 1, "
        "Form Responses 2); name the sheet that holds the data 'Data'."
    )
