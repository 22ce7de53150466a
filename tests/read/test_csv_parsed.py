"""pandas' reading of a CSV as columns (read_csv_columns) against the careful reader (read_csv_rows): the same rows,
the same table, or the same refusal, on random files and on the shapes that matter."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from auditkit.errors import DataError
from auditkit.read import csv_parsed
from auditkit.read.csv_files import read_csv_rows
from auditkit.read.csv_parsed import read_csv_columns
from auditkit.read.tables import table_from_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "data_templates" / "examples"


def rows_or_error(read, path: Path):
    try:
        return list(read(path))
    except DataError as refused:
        return str(refused)


def table_or_error(path: Path, rows):
    try:
        return table_from_rows(path, rows)
    except DataError as refused:
        return str(refused)


@pytest.fixture
def parsed(monkeypatch) -> list[bool]:
    """For each read, whether pandas' reading was kept (False: the careful reader read the file)."""
    kept, careful = [], csv_parsed.grid_from_text

    def counted(*args):
        kept[-1] = False
        return careful(*args)

    original = csv_parsed.read_csv_columns

    def read(path):
        kept.append(True)
        return original(path)

    monkeypatch.setattr(csv_parsed, "grid_from_text", counted)
    monkeypatch.setattr(csv_parsed, "read_csv_columns", read)
    return kept


def assert_same(path: Path, parsed_reads: list[bool] | None = None):
    """The columnar reading is the careful one: rows, table, or refusal. Returns the rows or the refusal."""
    read = csv_parsed.read_csv_columns if parsed_reads is not None else read_csv_columns
    expected = rows_or_error(read_csv_rows, path)
    found = rows_or_error(read, path)
    assert found == expected, path.read_bytes()[:300]
    if isinstance(expected, list):
        reference = table_or_error(path, expected)
        table = table_or_error(path, read(path))
        if isinstance(reference, str):
            assert table == reference
        else:
            pd.testing.assert_frame_equal(table, reference)
    return found


def test_random_files_give_the_careful_readers_rows_table_or_error(tmp_path: Path, parsed):
    generator = random.Random(23)
    alphabet = ["a", "yes", " ", ",", ",", "\n", "\n", "\r\n", '"', '"two\nlines"', '"x, y"', '"say ""hi"""']
    alphabet += [";", "é", "€", "Total", "\t", "\r", "007", "1.50", "", "\ufeff"]
    for case in range(500):
        header = generator.choice(
            ["id,area,q", '"id\nnumber","area","q"', "id;area", ",,", '"id","a ""b"""', "1,2,3", "id"]
        )
        text = header + "\n" + "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60)))
        path = tmp_path / f"case{case}.csv"
        raw = text.encode(generator.choice(["utf-8", "utf-8-sig", "cp1252"]), errors="replace")
        path.write_bytes(raw)
        assert_same(path, parsed)
    assert parsed.count(True) > 30  # most of these random files have a lone carriage return: the careful reader


def random_records(generator: random.Random, case: int) -> str:
    """A header of two-line headings over rows of the header's cells, some quoted over several lines, some blank
    lines and blank rows shorter than the header, and (every seventh file) a row cut short or one too long."""
    tokens = ["", "", "a", "yes", " ", "x,y", 'say "hi"', "two\nlines", "three\r\nlines\nhere", "Total", "é", "€"]
    tokens += ["0012", "1e3", "NaN", "NA", "null", ";", "\t", "x" * 300]
    rows = [["id\nThe record", "area\nWhere", "q\nAsked"]]
    for number in range(generator.randint(1, 40)):
        rows.append([f"R{number}"] + [generator.choice(tokens) for _ in range(2)])
        if generator.random() < 0.1:
            rows.append(generator.choice([[], [""], ["", ""], [" ", ""]]))
    if case % 7 == 0:
        cut = generator.randrange(1, len(rows))
        rows[cut] = rows[cut][: generator.randint(1, 2)] if generator.random() < 0.5 else rows[cut] + ["extra"]
    quoting = generator.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=generator.choice(["\n", "\r\n"])).writerows(rows)
    return out.getvalue()


def test_random_records_over_several_lines_are_read_by_pandas_and_the_same(tmp_path: Path, parsed):
    generator = random.Random(29)
    for case in range(400):
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(random_records(generator, case).encode(generator.choice(["utf-8", "utf-8-sig", "cp1252"])))
        assert_same(path, parsed)
    assert parsed.count(True) > 120  # a blank row shorter than the header among records over several lines: careful


@pytest.mark.parametrize(
    ("content", "by_pandas"),
    [
        pytest.param(b'"id\nnumber","q\nAsked"\r\nR1,"a\r\nb"\r\nR2,"x, ""y"""\r\n', True, id="two-line headings"),
        pytest.param("id,q\nR1,Bédford “x”\nR2,€5\n".encode("cp1252"), True, id="Windows-1252"),
        pytest.param(b"\xef\xbb\xbfid,q\nR1,a\n", True, id="a byte order mark"),
        pytest.param(b"\xef\xbb\xbf\xef\xbb\xbfid,q\nR1,a\n", False, id="two byte order marks"),
        pytest.param(b"sep=;\r\nid;q\r\nR1;a,b\r\n", True, id="Excel's separator line"),
        pytest.param(b"id,q,r\nR1,a,b\n\n,\n \nR2,c,d\n\n", True, id="blank rows shorter than the header"),
        pytest.param(b"id,q,r\nR1,a\nR2,c,d\n", False, id="a row cut short"),
        pytest.param(b"id,q\nR1,a,b\n", False, id="a row too long"),
        pytest.param(b"id,q\nR1,a,\n", False, id="a row too long by a blank cell"),
        pytest.param(b'id,q\nR1,"open\n', False, id="quoted text left open"),
        pytest.param(b"id,q\rR1,a\r", False, id="lone carriage returns"),
        pytest.param(b"id,q\n" + b"R1,a\n" * 1000 + b"R2,a\x00b\n", False, id="a NUL past the first 4 KB"),
        pytest.param(b"2017,2018\n007,1.50\n1,2\n", True, id="numbers, header and all: read as text"),
        pytest.param(b"id,q\nR1," + b"x" * 40_000 + b"\n", False, id="a cell longer than Excel allows"),
        pytest.param(b"id,q\nR1,a\nR2\nR3," + b"x" * 200_000 + b"\n", False, id="a cell past the csv module's limit"),
        pytest.param(b"id,q\nR1," + b"x" * 32_767 + b"\n", True, id="a cell as long as Excel allows"),
        pytest.param(b"\nid,q\nR1,a\n", False, id="a blank first line"),
        pytest.param(b"", False, id="empty"),
        pytest.param(b"q1\nyes\n\nno\n", True, id="one column with a blank line"),
        pytest.param(b'id,h\n1,5"\n"note\nx,y"', False, id="a short row hidden by a quote in an unquoted cell"),
        pytest.param(b'q1,q2\n1,5"\n"note\nx,y"5"\n', False, id="the same, ended by a line break"),
    ],
)
def test_each_shape_is_read_as_the_careful_reader_reads_it(tmp_path: Path, parsed, content: bytes, by_pandas: bool):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert_same(path, parsed)
    assert set(parsed) == {by_pandas}


def test_a_blank_row_shorter_than_the_header_keeps_its_own_cells(tmp_path: Path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"id,q,r\nR1,a,b\n\n,\nR2,c,d\n")
    assert list(read_csv_columns(path)) == [["id", "q", "r"], ["R1", "a", "b"], [], ["", ""], ["R2", "c", "d"]]


@pytest.mark.parametrize(
    "name", ["llr-2017-survey-surveymonkey.csv", "llr-2017-survey-googleforms.csv", "llr-2017-survey-googlesheet.csv"]
)
def test_the_survey_tools_exports_are_read_by_pandas_and_the_same(name: str, parsed):
    assert isinstance(assert_same(EXAMPLES / name, parsed), list)
    assert parsed == [True, True]


@pytest.mark.parametrize("header", ["response_id", "ID", "R00050"])
def test_a_column_of_ids_in_order_is_the_careful_readers(tmp_path: Path, parsed, header: str):
    # ids numbered in turn (more than the sample that tells an id column) with the header sorted before, among or
    # after them, and one id repeated out of order
    ids = [f"R{number:05d}" for number in range(6000)] + ["R00007"]
    path = tmp_path / "ids.csv"
    path.write_text(f"{header},q\n" + "".join(f"{value},yes\n" for value in ids), encoding="utf-8")
    assert isinstance(assert_same(path, parsed), list)
    assert parsed == [True, True]


@pytest.mark.parametrize(
    ("content", "by_arrow"),
    [
        pytest.param(b'id,q\r\nR1,"a\r\nb"\r\nR2,"x, ""y"""\r\n', True, id="quoted cells over several lines"),
        pytest.param(b'id,q\nR1,x"y\nR2,"a"b\n', True, id="a quote in an unquoted cell, text after a closing quote"),
        pytest.param(b"id,q,r\nR1,a,b\n\n,,\nR2,c,d\n\n", True, id="blank lines and a row of empty cells"),
        pytest.param(b"2017,2018\n007,1.50\n", True, id="numbers read as text"),
        pytest.param(b'id,q\nR1,"open\nR2,b\n', False, id="quoted text left open: pyarrow ends it at the end"),
        pytest.param(b'id,q\nR1,"open""\n', False, id="left open after a doubled quote"),
        pytest.param(b"id,q,r\nR1,a\nR2,c,d\n", False, id="a row cut short"),
        pytest.param(b"id,q\nR1,a,b\n", False, id="a row too long"),
        pytest.param(b"id,q\nR1," + b"x" * 40_000 + b"\n", False, id="a cell longer than Excel allows"),
    ],
)
def test_pyarrow_reads_a_file_only_as_the_csv_module_does(tmp_path: Path, monkeypatch, content: bytes, by_arrow: bool):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    grids, original = [], csv_parsed._arrow_parsed
    monkeypatch.setattr(csv_parsed, "_arrow_parsed", lambda *args: grids.append(original(*args)) or grids[-1])
    assert_same(path)
    assert grids and {grid is not None for grid in grids} == {by_arrow}


def test_the_survey_tools_exports_are_read_by_pyarrow(monkeypatch):
    def refused(*args):
        raise AssertionError("read by pandas' C parser")

    monkeypatch.setattr(csv_parsed, "_pandas_parsed", refused)
    for name in ("llr-2017-survey-surveymonkey.csv", "llr-2017-survey-googleforms.csv"):
        assert list(read_csv_columns(EXAMPLES / name)) == read_csv_rows(EXAMPLES / name)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"plain",
        "é€😀".encode(),
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\xf4\x90\x80\x80",
        b"\xe2\x82",
        b"abc\xff",
        b"\xe0\x80\x80",
        b"\xed\x9f\xbf",
        b"\xef\xbf\xbf",
        b"\xf8\x88\x80\x80\x80",
        b"x" * 5 + b"\x80",
    ],
)
def test_is_utf8_judges_as_python_decoding(raw: bytes):
    try:
        raw.decode("utf-8")
        expected = True
    except UnicodeDecodeError:
        expected = False
    assert csv_parsed.is_utf8(raw) is expected
    assert csv_parsed.is_utf8(memoryview(raw)) is expected


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfid,q\nR1,a\n",
        b"sep=;\r\nid;q\r\nR1;a,b\r\n",
        b'id,q\r\nR1,"a\r\nb"\r\n\r\nR2,c\r\n',
        b'id,q\nR1,"open\n',
        b"id,q,r\nR1,a\nR2,b,c\n",
    ],
)
def test_a_file_read_past_the_threaded_size_as_python_bytes_is_read_the_same(tmp_path: Path, monkeypatch, content):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    kinds, original = [], csv_parsed._arrow_parsed
    monkeypatch.setattr(csv_parsed, "_THREADED_BYTES", 0)
    monkeypatch.setattr(
        csv_parsed, "_arrow_parsed", lambda data, *rest: kinds.append(type(data)) or original(data, *rest)
    )
    assert_same(path)
    assert set(kinds) == {bytes}
