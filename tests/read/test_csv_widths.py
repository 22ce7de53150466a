"""Finding rows shorter than the header after pandas has read a CSV (pandas pads them without a word)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from auditkit.read.csv_widths import UNMATCHED, ShortRow, every_row_full, first_short_row, lone_return


def parsed(text: str) -> tuple[bytes, pd.DataFrame]:
    raw = text.encode()
    frame = pd.read_csv(io.BytesIO(raw), header=None, dtype="category", na_filter=False, skip_blank_lines=False)
    return raw, frame


def short_row(text: str) -> ShortRow | None:
    raw, frame = parsed(text)
    return first_short_row(raw, [(0, len(raw))], frame, ",")


@pytest.mark.parametrize(
    "text",
    [
        "id,area,q\nR1,Leicester,yes\nR2,Rutland,no\n",  # no empty last cell: nothing to look at
        "id,area,q\nR1,Leicester,\nR2,,\n",  # empty last cells, every cell there
        'id,area,q\n"R1","Leicester",""\n"R2","Rut""land",""\n',  # every cell quoted
        'id,area,q\nR1,"Leicester, city",\nR2,"two\nlines",\n',  # quoted here and there, a record over two lines
        "id,area,q\r\nR1,Leicester,\r\n\r\n , \r\nR2,Rutland,",  # blank rows, Windows line endings, no last one
    ],
)
def test_files_whose_rows_all_have_every_cell_have_no_short_row(text):
    assert short_row(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,area,q\nR1,Leicester,\nR2,Rutland\nR3\n", ShortRow(2, 2)),
        ('id,area,q\n"R1","Leicester",""\n"R2","Rutland"\n', ShortRow(2, 2)),
        ('id,area,q\nR1,"a ""quoted"" word",\nR2,"x,y"\n', ShortRow(2, 2)),
        ("id,area,q\nR1,Leicester,\n\nR3\n", ShortRow(3, 1)),
    ],
)
def test_the_first_short_row_is_found_with_its_cells(text, expected):
    assert short_row(text) == expected


def test_a_short_row_among_records_over_several_lines_is_found_when_its_cells_match():
    assert short_row('id,area,q\nR1,"two\nlines",\nR2,"x"\n') == ShortRow(2, 2)


@pytest.mark.parametrize("text", ['id,h\n1,5"\n"note\nx,y"', 'q1,q2\n1,5"\n"note\nx,y"5"\n'])
def test_a_quote_in_an_unquoted_cell_does_not_hide_a_short_row(text):
    # Row 3 has one cell (a quoted note over two lines, then x,y" inside it): counting the quotes before each line
    # ending takes the unquoted 5" for an opening quote and matches row 3 to the bytes x,y", which are not its cells.
    assert short_row(text) is UNMATCHED


def test_records_the_parser_and_the_csv_module_split_differently_are_left_to_the_careful_reader():
    # a quote inside an unquoted cell: line endings can no longer be told from quoted ones by counting quotes
    assert short_row('id,area,q\nR1,5" screen,"two\nlines"\nR2,"x"\n') is UNMATCHED


def test_many_rows_to_look_at_are_weighed_all_at_once(tmp_path):
    rows = [["id", "area", "q"]] + [[f"R{number}", f"Area {number % 7}", ""] for number in range(6000)]
    rows[4000] = ["R4000", "Rutland"]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert short_row(out.getvalue()) == ShortRow(4000, 2)


@pytest.mark.parametrize(
    ("raw", "lone"),
    [
        (b"id,q\r\nR1,a\r\n", False),
        (b"id,q\nR1,a\n", False),
        (b"id,q\rR1,a\r", True),
        (b"id,q\r\nR1,a\r", True),  # the last byte
        (b'id,q\r\nR1,"a\rb"\r\n', True),
    ],
)
def test_a_carriage_return_not_before_a_line_feed_is_found(raw, lone):
    assert lone_return(raw) is lone


def test_a_carriage_return_at_the_end_of_a_chunk_is_judged_by_the_next_byte(monkeypatch):
    from auditkit.read import csv_widths

    monkeypatch.setattr(csv_widths, "_CHUNK", 4)
    assert lone_return(b"abc\r\ndef\r\n") is False  # "\r" the last byte of the first chunk, "\n" the next one's first
    assert lone_return(b"abc\rxdef\r\n") is True


def rows_all_full(text: str) -> bool:
    raw = text.encode()
    frame = pd.read_csv(
        io.BytesIO(raw), header=None, dtype_backend="pyarrow", na_filter=False, skip_blank_lines=False, dtype=str
    )
    columns = [pa.chunked_array([pa.array(frame[column].astype(object).tolist(), pa.string())]) for column in frame]
    sizes = sum(pc.binary_length(column).to_numpy(zero_copy_only=False) for column in columns)
    return every_row_full(raw, columns, sizes)


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("id,area,q\nR1,Leicester,yes\nR2,,\n", True),
        ('id,area,q\n"R1","Rut""land",""\n"R2","two\r\nlines","x, y"\r\n', True),  # quotes, doubled, line breaks
        ('id,area,q\nR1,5" screen,"a ""b"""\nR2,"x"y,z', True),  # a quote inside a cell, text after a closing quote
        ("id,area,q\nR1,Leicester\nR2,Rutland,no\n", False),  # a row cut short
        ('id,area,q\nR1,"Leicester, city"\nR2,"two\nlines",no\n', False),  # a short row among quoted cells
        ("id,area,q\nR1,Leicester,yes\n\nR2,Rutland,no\n", False),  # a blank line: a record of no cells
        ("id,area,q\nR1,Leicester,yes\n,\n", False),  # a blank row shorter than the header
        ("q1\nyes\n\nno\n", False),  # one column: a blank line adds no separator, as an empty cell does not
        ('q1\nyes\n""\nno\n', False),  # one column, an empty cell: looked at row by row to be sure
        ("q1\nyes\nno\n", True),
    ],
)
def test_every_row_full_is_told_from_the_bytes(text: str, full: bool):
    assert rows_all_full(text) is full
