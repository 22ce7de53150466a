"""The careful CSV reader: rows that do not match the header, and cells longer than Excel allows.

Rows are numbered as Excel shows them: the header is row 1.
"""

from __future__ import annotations

import pytest

from auditkit.errors import DataError
from auditkit.read.csv_files import read_csv_header, read_csv_rows
from auditkit.read.tables import read_table

LONG = (
    "row 3 has 5 cells; the header has 3. Put a value that holds a comma in double quotes, or delete the cells after "
    "column C."
)
SHORT = (
    "row 3 has 2 cells; the header has 3. Every row needs a cell for each column, even an empty one: the row may have "
    "been cut short, or lost a comma."
)
TOO_LONG_HINT = 'Shorten it; if it should be several cells, a double quote (") left open has run them together.'


def read_error(path) -> str:
    with pytest.raises(DataError) as caught:
        read_csv_rows(path)
    return str(caught.value)


def write(tmp_path, text: str, name: str = "survey.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- rows with more or fewer cells than the header ------------------------------------------------------


def test_a_row_with_more_cells_than_the_header_is_named_with_both_counts(tmp_path):
    path = write(tmp_path, "id,area,q\nR1,Leicester,yes\nR2,Rutland,no,extra,more\nR3,Rutland\n")
    assert read_error(path) == f"survey.csv: {LONG}"


def test_a_row_with_fewer_cells_than_the_header_is_named_with_both_counts(tmp_path):
    path = write(tmp_path, "id,area,q\nR1,Leicester,yes\nR2,Rutland\nR3,Rutland,no\n")
    assert read_error(path) == f"survey.csv: {SHORT}"


def test_a_row_of_one_cell_says_cell(tmp_path):
    path = write(tmp_path, "id,area,q\nR1\n")
    assert read_error(path).startswith("survey.csv: row 2 has 1 cell; the header has 3.")


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolon"), ("\t", "tab")])
def test_the_message_names_the_files_separator(tmp_path, separator, name):
    path = write(tmp_path, separator.join(["id", "area", "q"]) + "\nR1" + separator + "Leicester\n")
    assert read_error(path).endswith(f"the row may have been cut short, or lost a {name}.")


def test_blank_rows_of_any_length_and_blank_cells_past_the_header_are_accepted(tmp_path):
    path = write(tmp_path, "id,area,q\nR1,Leicester,yes\n\n,\n , \nR2,Rutland,no,,\n")
    table = read_table(path)
    assert list(table.index) == [2, 6]
    assert table.loc[6, "q"] == "no"


def test_a_header_with_blank_cells_counts_them(tmp_path):
    # Excel pads every row to its widest: a row without the padding has lost cells
    path = write(tmp_path, "id,area,q,\nR1,Leicester,yes,\nR2,Rutland,no\n")
    assert read_error(path).startswith("survey.csv: row 3 has 3 cells; the header has 4.")


# --- cells longer than Excel allows ---------------------------------------------------------------------


def test_a_cell_longer_than_excel_allows_is_named_by_row_and_column(tmp_path):
    path = write(tmp_path, "id,comment\nR1,fine\nR2," + "x" * 40_000 + "\n")
    assert read_error(path) == (
        "survey.csv: row 3, column 'comment' holds 40,000 characters; a cell may hold at most 32,767 (Excel's "
        f"limit). {TOO_LONG_HINT}"
    )


def test_a_cell_of_exactly_excels_limit_is_read(tmp_path):
    path = write(tmp_path, "id,comment\nR1," + "x" * 32_767 + "\n")
    assert len(read_table(path).loc[2, "comment"]) == 32_767


def test_a_cell_longer_than_the_csv_module_reads_is_named_by_row_and_column_too(tmp_path):
    # 200,000 characters: past the csv module's own limit, where it stops reading
    path = write(tmp_path, 'id,area,comment\nR1,Leicester,fine\nR2,Rutland,"' + "x" * 200_000 + '"\nR3,Rutland,ok\n')
    assert read_error(path) == (
        "survey.csv: row 3, column 'comment' holds 200,000 characters; a cell may hold at most 32,767 (Excel's "
        f"limit). {TOO_LONG_HINT}"
    )


def test_a_quote_left_open_is_named_as_a_long_cell(tmp_path):
    rows = "".join(f"R{number},Leicester,fine\n" for number in range(3, 3000))
    path = write(tmp_path, 'id,area,comment\nR1,Leicester,"opened and never closed\n' + rows)
    assert read_error(path) == (
        "survey.csv: row 2, column 'comment' holds 61,860 characters; a cell may hold at most 32,767 (Excel's "
        f"limit). {TOO_LONG_HINT}"
    )


def test_a_short_row_before_a_cell_too_long_to_read_is_named_first(tmp_path):
    path = write(tmp_path, 'id,area,comment\nR1,Leicester\nR2,Rutland,"' + "x" * 200_000 + '"\n')
    assert read_error(path).startswith("survey.csv: row 2 has 2 cells; the header has 3.")


def test_a_long_header_cell_is_named_in_row_1(tmp_path):
    path = write(tmp_path, "id," + "q" * 33_000 + "\nR1,yes\n")
    assert read_error(path).startswith(f"survey.csv: row 1, column '{'q' * 33_000}' holds 33,000 characters")


def test_the_header_alone_is_read_to_recognise_an_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b'\xef\xbb\xbfsep=;\r\n"Timestamp";"Which team?\nChoose one"\r\n' + b"x;y\r\n" * 200_000)
    assert read_csv_header(path) == ["Timestamp", "Which team?"]  # a heading's first line, as header_text reads it
    path.write_bytes("Caf\u00e9 team,Why\r\n".encode("cp1252") + b"a,b\r\n")
    assert read_csv_header(path) == ["Caf\u00e9 team", "Why"]
    path.write_bytes(b"PK\x03\x04 a workbook named .csv")
    assert read_csv_header(path) == []  # the whole file's reader names what it is
