"""The careful CSV reader: rows that do not match the header, and cells longer than Excel allows.

Rows are numbered as Excel shows them: the header is row 1.
"""

from __future__ import annotations

import pandas as pd
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


def test_a_header_longer_than_the_csv_module_reads_in_one_cell_is_read(tmp_path):
    # 300 long names, 135,000 characters: no semicolon nor tab, so read with either the line is one cell past the
    # csv module's limit; the comma splits it, and the file is read (it raised the csv module's own error)
    names = [f"question {number:03d} " + "x" * 440 for number in range(300)]
    path = write(tmp_path, ",".join(names) + "\n" + ",".join(["yes"] * 300) + "\n")
    assert read_csv_header(path) == names
    assert read_csv_rows(path) == [names, ["yes"] * 300]
    assert list(read_table(path).columns) == names


def test_the_header_alone_is_read_to_recognise_an_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b'\xef\xbb\xbfsep=;\r\n"Timestamp";"Which team?\nChoose one"\r\n' + b"x;y\r\n" * 200_000)
    assert read_csv_header(path) == ["Timestamp", "Which team?"]  # a heading's first line, as header_text reads it
    path.write_bytes("Caf\u00e9 team,Why\r\n".encode("cp1252") + b"a,b\r\n")
    assert read_csv_header(path) == ["Caf\u00e9 team", "Why"]
    path.write_bytes(b"PK\x03\x04 a workbook named .csv")
    assert read_csv_header(path) == []  # the whole file's reader names what it is


def careful_or_error(read, path):
    try:
        return list(read(path))
    except DataError as refused:
        return str(refused)


def test_random_files_read_a_block_at_a_time_give_the_careful_readers_rows_or_error(tmp_path, monkeypatch):
    """The columnar reader (read_csv_grid), blocks of 3 records, against read_csv_rows: the same rows or error."""
    import random

    from auditkit.read import csv_files
    from auditkit.read.tables import table_from_rows

    monkeypatch.setattr(csv_files, "_BLOCK_ROWS", 3)
    generator = random.Random(21)
    alphabet = ["a", "yes", " ", ",", "\n", "\r\n", '"', '"two\nlines"', '"x, y"', ";", "é", "Total", "\t", "\r"]
    for case in range(400):
        header = generator.choice(["id,area,q", '"id\nnumber","area","q"', "id;area", ",,", '"id","a ""b"""'])
        text = header + "\n" + "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60)))
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(text.encode(generator.choice(["utf-8", "cp1252"]), errors="replace"))
        expected = careful_or_error(csv_files.read_csv_rows, path)
        assert careful_or_error(csv_files.read_csv_grid, path) == expected, text
        if isinstance(expected, list):
            try:
                reference = table_from_rows(path, expected)
            except DataError as refused:
                reference = str(refused)
            try:
                table = table_from_rows(path, csv_files.read_csv_grid(path))
            except DataError as refused:
                table = str(refused)
            if isinstance(reference, str):
                assert table == reference
            else:
                pd.testing.assert_frame_equal(table, reference)


def test_a_cell_too_long_and_a_short_row_are_named_by_the_block_reader_as_by_the_careful_one(tmp_path, monkeypatch):
    from auditkit.read import csv_files

    monkeypatch.setattr(csv_files, "_BLOCK_ROWS", 2)
    for text in (
        "id,q\nR1,a\nR2,b\nR3," + "x" * 40_000 + "\nR4,c\n",
        "id,q\nR1,a\nR2,b\nR3,c\nR4\nR5," + "x" * 200_000 + "\n",
        "id,q\nR1,a\nR2,b\nR3,c\nR4,d," + "x" * 200_000 + "\n",
    ):
        path = tmp_path / "data.csv"
        path.write_text(text, encoding="utf-8")
        expected = careful_or_error(csv_files.read_csv_rows, path)
        assert isinstance(expected, str) and careful_or_error(csv_files.read_csv_grid, path) == expected
