"""Reading data files as they arrive: encodings, separators, workbooks with several sheets, and messy rows.

Rows are numbered as Excel shows them: the header is row 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from auditkit.errors import DataError
from auditkit.read.tables import read_data_file, read_table


def write_xlsx(path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)


def read_error(path) -> str:
    with pytest.raises(DataError) as caught:
        read_table(path)
    return str(caught.value)


CASES = [["case_ref", "area", "toolkit_used"], ["C1", "Leicester", "yes"], ["C2", "Rutland", "no"]]


# --- CSV encodings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_csv_in_each_encoding_excel_writes_reads_the_same_text(tmp_path, encoding, prefix):
    path = tmp_path / "cases.csv"
    text = "case_ref,notes\nC1,Café visit – “home conditions” £5\nC2,naïve\n"
    path.write_bytes(prefix + text.encode(encoding))
    table = read_table(path)
    assert list(table.columns) == ["case_ref", "notes"]
    assert table.loc[2, "notes"] == "Café visit – “home conditions” £5"
    assert table.loc[3, "notes"] == "naïve"


def test_a_csv_mixing_utf8_and_windows_1252_names_the_row_and_column(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("case_ref,notes\nC1,Café\n".encode() + "C2,Crèche\n".encode("cp1252"))
    assert read_error(path) == (
        "cases.csv: the file mixes two encodings: it is UTF-8, but row 3, column 'notes' holds the byte 0xE8, "
        "written in another encoding (Windows-1252 writes 'é' that way). Open the file in Excel and save it again "
        "as CSV UTF-8, or retype that value."
    )


def test_a_utf16_file_is_named_as_such(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("case_ref\tarea\r\nC1\tLeicester\r\n".encode("utf-16"))
    assert read_error(path) == (
        'cases.csv: the file is UTF-16 text (Excel\'s "Unicode Text"); save it as CSV UTF-8 instead.'
    )


# --- separators -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";"])
def test_comma_and_semicolon_separated_files_give_the_same_table(tmp_path, separator):
    path = tmp_path / "cases.csv"
    path.write_text(
        separator.join(["case_ref", "notes"]) + "\n" + separator.join(["C1", '"Seen at home, then at school"']) + "\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert list(table.columns) == ["case_ref", "notes"]
    assert table.loc[2, "notes"] == "Seen at home, then at school"


def test_a_semicolon_file_whose_header_has_commas_in_quotes_is_split_on_semicolons(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text('id;"Aware of it, and used it?";area\nR1;Yes, often;Rutland\n', encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["id", "Aware of it, and used it?", "area"]
    assert table.loc[2, "Aware of it, and used it?"] == "Yes, often"


def test_excel_separator_hint_line_is_not_a_row(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("sep=;\ncase_ref;area\nC1;Leicester\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["case_ref", "area"]
    assert table.loc[2, "area"] == "Leicester"


def test_a_cell_over_two_lines_is_one_row_as_excel_shows_it(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text('case_ref,notes\nC1,"first line\nsecond line"\nC2,short\n', encoding="utf-8")
    table = read_table(path)
    assert list(table.index) == [2, 3]
    assert table.loc[3, "case_ref"] == "C2"


# --- blank rows and columns -----------------------------------------------------------------------------


def test_blank_rows_between_data_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [CASES[0], CASES[1], [None, None, None], ["", " ", None], CASES[2]]})
    table = read_table(path)
    assert list(table.index) == [2, 5]
    assert table.loc[5, "case_ref"] == "C2"


def test_empty_columns_without_a_header_are_ignored(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_ref,area,,\nC1,Leicester,,\nC2,Rutland,,\n", encoding="utf-8")
    assert list(read_table(path).columns) == ["case_ref", "area"]


def test_values_in_a_column_without_a_header_are_an_error_naming_the_column_and_row(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_ref,area,\nC1,Leicester,\nC2,Rutland,checked\n", encoding="utf-8")
    assert read_error(path) == (
        "cases.csv: column C has no header in row 1 but holds data (first in row 3); give it its item id as a "
        "header, or delete the column."
    )


def test_a_header_cell_over_several_lines_names_its_column_by_the_first_line(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [["case_ref\nCase reference", "area\nArea\n(required)"], ["C1", "Rutland"]]})
    assert list(read_table(path).columns) == ["case_ref", "area"]


# --- totals rows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Total", "TOTALS:", "Grand total", "Count"])
def test_a_totals_row_after_the_data_is_left_out(tmp_path, label):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [*CASES, [None, None, None], [label, None, 2]]})
    table = read_table(path)
    assert list(table.index) == [2, 3]


def test_a_totals_row_in_a_csv_after_the_data_is_left_out(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_ref,area,toolkit_used\nC1,Leicester,yes\nC2,Rutland,no\n,Total,1\n", encoding="utf-8")
    assert list(read_table(path).index) == [2, 3]


def test_a_totals_row_with_data_below_it_is_an_error_naming_its_row(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [CASES[0], CASES[1], ["Total", None, 1], CASES[2]]})
    assert read_error(path) == (
        "cases.xlsx: row 3 looks like a totals row ('Total'), but rows below it hold data. Delete it: the data "
        "must have one row per record (auditkit leaves out totals rows only after the last record)."
    )


def test_a_record_that_merely_mentions_totals_is_kept(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_ref,notes\nC1,Total neglect of dental care\n", encoding="utf-8")
    assert read_table(path).loc[2, "notes"] == "Total neglect of dental care"


# --- workbooks: which sheet, hidden sheets, merged cells -------------------------------------------------


def test_the_sheet_named_data_is_read_whatever_its_position_and_case(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Notes": [["Read me first"]], "data": CASES})
    assert read_table(path).loc[3, "area"] == "Rutland"


def test_the_only_visible_sheet_is_read_and_hidden_sheets_are_ignored(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Lookups": [["yes"], ["no"]], "Audit 2017": CASES}, hidden=("Lookups",))
    assert list(read_table(path).columns) == ["case_ref", "area", "toolkit_used"]


def test_a_hidden_data_sheet_is_named_in_the_error(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Summary": [["Cases", 2]], "Data": CASES}, hidden=("Data",))
    assert read_error(path) == (
        "cases.xlsx: the sheet 'Data' is hidden; unhide it (right-click a sheet tab, Unhide) so that it can be read."
    )


def test_several_sheets_and_none_named_data_is_an_error_listing_them(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Leicester": CASES, "Rutland": CASES})
    assert read_error(path) == (
        "cases.xlsx: the workbook has no sheet named 'Data' and more than one sheet (Leicester, Rutland); "
        "name the sheet that holds the data 'Data'."
    )


def test_merged_cells_are_named_by_their_cells(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [*CASES, ["C3", "Leicester", "yes"], ["C4", None, "no"]]})
    workbook = openpyxl.load_workbook(path)
    workbook["Data"].merge_cells("B4:B5")
    workbook.save(path)
    assert read_error(path) == (
        "cases.xlsx: the sheet 'Data' has merged cells (B4:B5). Unmerge them and fill in every cell: each row "
        "needs its own value in each column, and each column its own header."
    )


def test_a_merged_header_is_named_too(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": CASES})
    workbook = openpyxl.load_workbook(path)
    workbook["Data"].merge_cells("B1:C1")
    workbook["Data"].merge_cells("A2:A3")
    workbook.save(path)
    assert read_error(path) == (
        "cases.xlsx: the sheet 'Data' has merged cells (B1:C1, A2:A3). Unmerge them and fill in every cell: each "
        "row needs its own value in each column, and each column its own header."
    )


def test_an_empty_data_sheet_is_reported(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": []})
    assert read_error(path) == "cases.xlsx: the sheet 'Data' is empty: it has no header row and no data."


def test_a_data_sheet_whose_first_row_is_blank_says_where_the_header_belongs(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [[None, None], *CASES]})
    assert read_error(path) == (
        "cases.xlsx: row 1 of the sheet 'Data' is blank; the header (the item ids) must be in row 1."
    )


def test_xlsx_numbers_and_dates_read_as_the_text_a_user_would_type(tmp_path):
    import datetime as dt

    path = tmp_path / "cases.xlsx"
    write_xlsx(path, {"Data": [["id", "date", "score"], [1017, dt.date(2017, 4, 3), 2.5]]})
    table = read_table(path)
    assert table.loc[2].tolist() == ["1017", "2017-04-03", "2.5"]
    assert isinstance(table, pd.DataFrame)


def test_a_workbook_read_before_its_layout_is_known_judges_its_merged_cells_once_it_is(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Respondent ID", "Which parts?", None])
    book.active.append([None, "Home", "Health"])
    book.active.append([1, "Home", None])
    book.active.merge_cells("B1:C1")
    book.save(tmp_path / "export.xlsx")
    data = read_data_file(tmp_path / "export.xlsx")
    assert data.header == ["Respondent ID", "Which parts?", ""] and data.sheet == "Sheet"
    assert data.rows_under(2) == data.rows  # merged within two header rows: allowed
    with pytest.raises(DataError, match=r"has merged cells \(B1:C1\)"):
        data.rows_under(1)


def test_totals_labels_are_found_among_many_values_as_one_value_at_a_time_finds_them():
    """The search of all values joined (tables._totals_labels) against the rule applied to each value alone."""
    import random

    from auditkit.read import tables

    def is_label(text: str) -> bool:
        return text.strip().rstrip(":").strip().casefold() in tables.TOTALS_WORDS

    generator = random.Random(5)
    pieces = ["", " ", "\n", "\u2003", "\x1c", "Total", "sum", "SUM", ":", "x", "\u017f", "um", "Mean", "\t", "R1"]
    for _ in range(3000):
        values = ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 4))) for _ in range(9)]
        found = tables._totals_labels(np.array(values, dtype=object))
        assert found.tolist() == [is_label(value) for value in values], values


def test_a_column_of_arrow_text_makes_the_table_its_list_of_text_makes():
    """frame_from_columns takes a column of mostly distinct values (an id) as Arrow text, as pandas' parser read it."""
    import pyarrow as pa

    from auditkit.read.cells import CELL_LIMIT
    from auditkit.read.tables import frame_from_columns

    ids = ["R1", " ", "\u2003", "R4", "Total:", ""]
    answers = ["yes", "", "", "no", "", ""]
    as_lists = frame_from_columns(Path("a.csv"), ["id", "answer"], [ids, answers], first_row=2)
    as_arrow = frame_from_columns(Path("a.csv"), ["id", "answer"], [pa.chunked_array([ids]), answers], first_row=2)
    assert as_arrow.equals(as_lists) and as_arrow.index.equals(as_lists.index) and list(as_arrow.index) == [2, 5]
    assert {type(value) for value in as_arrow["id"]} == {str}
    early = [pa.chunked_array([["Total", "R2"]]), ["", "yes"]]
    with pytest.raises(DataError, match=r"row 2 looks like a totals row \('Total'\), but rows below it hold data"):
        frame_from_columns(Path("a.csv"), ["id", "answer"], early, first_row=2)
    long = [pa.array(["R1", "x" * (CELL_LIMIT + 1)]), ["yes", "no"]]
    with pytest.raises(DataError, match=r"row 3, column 'id' holds 32,768 characters") as caught:
        frame_from_columns(Path("a.csv"), ["id", "answer"], long, first_row=2)
    with pytest.raises(DataError) as listed:
        frame_from_columns(Path("a.csv"), ["id", "answer"], [long[0].to_pylist(), long[1]], first_row=2)
    assert str(caught.value) == str(listed.value)


def test_totals_labels_among_arrow_text_are_found_as_one_value_at_a_time_finds_them():
    """Arrow text (a column of ids) is searched by Arrow, values of digits alone left out first."""
    import random

    import pyarrow as pa

    from auditkit.read import tables

    generator = random.Random(7)
    pieces = ["", " ", "\n", "\u2003", "Total", "sum", ":", "x", "\u017f", "7", "42", "\u0663", "Mean", "R1"]
    for _ in range(2000):
        values = ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 4))) for _ in range(9)]
        expected = [value.strip().rstrip(":").strip().casefold() in tables.TOTALS_WORDS for value in values]
        assert tables._totals_labels(pa.chunked_array([values])).tolist() == expected, values
