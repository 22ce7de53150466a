"""The quick CSV reader gives exactly the table the careful reader gives, or steps aside (None)."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from auditkit.errors import DataError
from auditkit.read import quick_csv as fastcsv
from auditkit.read.quick_csv import read_csv_quickly
from auditkit.read.tables import read_table


def careful(path: Path) -> pd.DataFrame | None:
    try:
        return read_table(path)
    except DataError:
        return None


#: What :func:`assert_same_or_none` returns for a file the quick reader refused (in the careful reader's words).
REFUSED = "refused"


def assert_same_or_none(path: Path, text_columns=frozenset()) -> pd.DataFrame | str | None:
    """The quick table, checked against the careful one; None when the quick reader steps aside, REFUSED when it
    refuses the file, as the careful reader does and in the same words."""
    try:
        quick = read_csv_quickly(path, text_columns=frozenset(text_columns))
    except DataError as refused:
        with pytest.raises(DataError) as caught:
            read_table(path)
        assert str(refused) == str(caught.value)
        return REFUSED
    if quick is None:
        return None
    expected = careful(path)
    assert expected is not None, f"the careful reader refuses {path.read_bytes()[:200]!r}"
    pd.testing.assert_frame_equal(quick.astype(object), expected, check_index_type=False)
    assert quick.index.name == expected.index.name == "row"
    return quick


@pytest.mark.parametrize(
    ("content", "read_quickly"),
    [
        (b"id,area,q\nR1,Leicester,yes\nR2,Rutland,no\n", True),
        (b"\xef\xbb\xbfid,area,q\r\nR1,Leicester,yes\r\nR2,Rutland,no\r\n", True),
        (b"id,area,q\nR1,Leicester,yes\n\n , ,\nR2,Rutland,no\n\n", True),
        (b"id,area,q\nR1,Leicester\nR2,Rutland,no", False),  # a short row: refused by both readers
        (b"id,area,q\nR1,Leicester,\nR2,Rutland,no", True),
        (b'id,area,q\nR1,"Leicester, city","say ""yes"""\nR2,Rutland,"two\nlines"\n', True),
        (b"id;area;q\nR1;Leicester;yes\n", True),
        (b"id\tarea\tq\nR1\tLeicester\tyes\n", True),
        (b"id,area,q\nR1, Leicester ,  Yes \n", True),
        ("id,area,q\nR1,Bédford,oui\n".encode(), True),
        ("id,area,q\nR1,Bédford,oui\n".encode("cp1252"), True),
        ("id,area,q\nR1,Bédford,“oui”\r\nR2,Rutland,€5\r\n".encode("cp1252"), True),
        ("id,area,q\nR1,Bédford,oui\n".encode("cp1252") + b"R2,Rutland,\xc3\xa9\n", False),
        (b"id,area,q\nR1,Rutland,\x81\n", False),
        (b"\xef\xbb\xbf" + "id,area,q\nR1,Bédford,oui\n".encode("cp1252"), False),
        (b"id,area,q\nR1,Leicester,yes\nTotal,,2\n", False),
        (b"id,area,q\nR1,Leicester,yes,extra\n", False),
        (b"id,area,q\rR1,Leicester,yes\r", False),
        (b"id,,q\nR1,,yes\n", False),
        (b"sep=;\nid;area\nR1;Leicester\n", False),
        (b'"id","area"\n"R1","Leicester"\n', True),
        (b'"id","area, where"\n"R1","Leicester"\n', True),
        (b'"id\nnumber",area\nR1,Leicester\n', False),
        (b"id,area\n", False),
    ],
)
def test_reads_a_plain_csv_as_the_careful_reader_does(tmp_path: Path, content: bytes, read_quickly: bool):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    quick = assert_same_or_none(path, {"id"})
    assert isinstance(quick, pd.DataFrame) == read_quickly


@pytest.mark.parametrize("blank", [10, 24_999, 25_000, 49_997])
def test_a_large_file_with_a_blank_row_is_the_same_table(tmp_path: Path, blank: int):
    rows = [f"R{number:05d},Area {number % 7},{'yes' if number % 3 else 'no'}" for number in range(50_000)]
    rows[blank] = ""  # a blank row
    rows[blank + 2] = "R99999,Area 1,"  # a row whose last cell is empty
    path = tmp_path / "large.csv"
    path.write_text("id,area,q\n" + "\n".join(rows) + "\n", encoding="utf-8")
    quick = assert_same_or_none(path, {"id"})
    assert quick is not None and len(quick) == 49_999
    assert isinstance(quick["area"].dtype, pd.CategoricalDtype) and quick["id"].dtype == object


@pytest.mark.parametrize(
    ("middle", "early"),
    [
        pytest.param('"R25000","Area 1","two\nlines"', None, id="a quoted line ending"),
        pytest.param('"R25000","Area 1","say ""yes"" then\n""no"""', None, id="doubled quotes around a line ending"),
        pytest.param('"R25000","Area 1",5" screen', None, id="a quote inside an unquoted cell"),
        pytest.param(
            '"R25000","Area 1","open\n' + "\n".join(["x"] * 3000) + '"', None, id="a quoted cell of many lines"
        ),
        pytest.param(
            '"R25000","Area 1","open\n' + "\n".join(["x"] * 3000) + '"',
            '"R00010","Area 1",5" screen',
            id="a quote inside an unquoted cell, then a quoted cell of many lines",
        ),
    ],
)
def test_a_large_quoted_file_is_read_in_one_pass_as_the_careful_reader_reads_it(
    tmp_path: Path, monkeypatch, middle, early
):
    parsed = []

    def counted(parse):
        def parsing(*args):
            parsed.append(parse(*args))
            return parsed[-1]

        return parsing

    monkeypatch.setattr(fastcsv, "_parse_plain", counted(fastcsv._parse_plain))  # pandas' C parser
    monkeypatch.setattr(fastcsv, "read_arrow_columns", counted(fastcsv.read_arrow_columns))  # Arrow's reader
    rows = [f'"R{number:05d}","Area {number % 7}","{"yes" if number % 3 else "no"}"' for number in range(50_000)]
    rows[25_000] = middle
    if early:
        rows[10] = early
    path = tmp_path / "quoted.csv"
    path.write_text('"id","area","q"\n' + "\n".join(rows) + "\n", encoding="utf-8")
    quick = assert_same_or_none(path, {"id"})
    assert isinstance(quick, pd.DataFrame) and len(quick) == 50_000
    assert len(parsed) == 1 and parsed[0] is not None  # one parse, by whichever reader read it


def test_random_files_are_read_the_same_or_left_to_the_careful_reader(tmp_path: Path):
    generator = random.Random(7)
    alphabet = ["a", "b", "yes", " ", ",", ",", "\n", "\n", '"', "\r\n", ";", "Total", "é", "\t", "€"]
    read = 0
    for case in range(400):
        header = generator.choice(["id,area,q", '"id","area","q"', '"id",area,"q ""x"""', 'id,"area, where",q'])
        text = header + "\n" + "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(text.encode(generator.choice(["utf-8", "cp1252"])))
        read += assert_same_or_none(path, {"id"}) is not None
    # most quoted and ragged files are read quickly, or refused (most rows here are too short), each the same as the
    # careful reader
    assert read > 150


def random_rectangular_file(generator: random.Random, case: int) -> str:
    """A CSV whose rows all have the header's three cells (some blank lines too), with random quoting; every tenth
    file has a row cut short."""
    tokens = ["", "", "a", "yes", " ", "x,y", 'say "hi"', "two\nlines", "Total", "é", "€", ";", "\t"]
    rows = [["id", "area", "q"]]
    for number in range(generator.randint(1, 30)):
        rows.append([f"R{number}"] + [generator.choice(tokens) for _ in range(2)])
        if generator.random() < 0.1:
            rows.append([])
    if case % 10 == 0:
        cut = generator.randrange(1, len(rows))
        rows[cut] = rows[cut][: generator.randint(1, 2)]
    quoting = generator.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=generator.choice(["\n", "\r\n"])).writerows(rows)
    return out.getvalue()


def test_random_rectangular_files_are_read_quickly_and_the_same(tmp_path: Path):
    generator = random.Random(11)
    outcomes = []
    for case in range(400):
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(random_rectangular_file(generator, case).encode(generator.choice(["utf-8", "cp1252"])))
        outcome = assert_same_or_none(path, {"id"})
        outcomes.append("read" if isinstance(outcome, pd.DataFrame) else outcome)
    assert outcomes.count("read") > 300
    assert outcomes.count(REFUSED) >= 20  # rows cut short, named as the careful reader names them


# --- rows too short, cells too long: refused as the careful reader refuses them -------------------------


@pytest.mark.parametrize("short", [10, 30_000])
def test_a_short_row_of_a_large_file_is_named_by_its_row(tmp_path: Path, short: int):
    rows = [f"R{number:05d},Area {number % 7},{'yes' if number % 3 else ''}" for number in range(50_000)]
    rows[short] = f"R{short:05d},Area 1"
    path = tmp_path / "large.csv"
    path.write_text("id,area,q\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_csv_quickly(path, text_columns=frozenset({"id"}))
    assert str(caught.value) == (
        f"large.csv: row {short + 2} has 2 cells; the header has 3. Every row needs a cell for each column, even an "
        "empty one: the row may have been cut short, or lost a comma."
    )
    assert assert_same_or_none(path, {"id"}) == REFUSED


@pytest.mark.parametrize("column", ["id", "q"])  # text, and answers read as categories
def test_a_cell_longer_than_excel_allows_is_named_by_the_quick_reader(tmp_path: Path, column: str):
    path = tmp_path / "survey.csv"
    long = "x" * 33_000
    path.write_text(f"id,q\nR1,yes\n{long if column == 'id' else 'R2'},{long if column == 'q' else 'no'}\n")
    with pytest.raises(DataError) as caught:
        read_csv_quickly(path, text_columns=frozenset({"id"}))
    assert str(caught.value) == (
        f"survey.csv: row 3, column '{column}' holds 33,000 characters; a cell may hold at most 32,767 (Excel's "
        'limit). Shorten it; if it should be several cells, a double quote (") left open has run them together.'
    )
    assert assert_same_or_none(path, {"id"}) == REFUSED


def test_a_header_longer_than_the_csv_module_reads_in_one_cell_is_read_the_same(tmp_path: Path):
    names = [f"question {number:03d} " + "x" * 440 for number in range(300)]  # 135,000 characters, no ";" nor tab
    path = tmp_path / "wide.csv"
    path.write_text(",".join(names) + "\n" + ",".join(["yes"] * 300) + "\n")
    quick = assert_same_or_none(path)
    assert isinstance(quick, pd.DataFrame) and list(quick.columns) == names


def test_a_cell_longer_than_the_csv_module_reads_is_left_to_the_careful_reader(tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text("id,q\nR1,yes\nR2," + "x" * 200_000 + "\n")
    assert read_csv_quickly(path) is None


def test_a_long_comment_in_a_large_file_is_read_without_a_text_array_of_its_width(tmp_path: Path):
    rows = [f"R{number:05d},{'' if number % 3 else 'fine'}" for number in range(20_000)]
    rows[7] = "R00007," + "x" * 32_000  # as numpy text: 20,000 values of 32,000 characters, 2.5 GB
    path = tmp_path / "survey.csv"
    path.write_text("id,comment\n" + "\n".join(rows) + "\n")
    table = assert_same_or_none(path, {"id", "comment"})
    assert isinstance(table, pd.DataFrame) and len(table.loc[9, "comment"]) == 32_000


# --- Arrow's reader: categories as before, totals rows found from the text's first and last bytes ---------


@pytest.mark.parametrize("header_given", [None, 5, 390_000])  # the header's own text given as an answer by a row
def test_answers_read_in_several_blocks_keep_the_categories_in_the_order_rows_give_them(
    tmp_path: Path, header_given: int | None
):
    rows = [f"R{number:06d},Area {number % 5},{'yes' if number % 3 else 'no'}" for number in range(400_000)]
    rows[300_000] = "R300000,Area 9,maybe"  # 5.6 MB in: in a later block than the header (Arrow reads 4 MB blocks)
    if header_given:
        rows[header_given] = f"R{header_given:06d},Area 1,q"  # in the header's block, or in a later one
    path = tmp_path / "large.csv"
    path.write_text("id,area,q\n" + "\n".join(rows) + "\n", encoding="utf-8")
    quick = assert_same_or_none(path, {"id"})
    assert isinstance(quick, pd.DataFrame)
    assert list(quick["area"].cat.categories) == [*(f"Area {number}" for number in range(5)), "Area 9"]
    assert list(quick["q"].cat.categories) == (["q"] if header_given else []) + ["no", "yes", "maybe"]


@pytest.mark.parametrize(
    ("label", "totals"),
    [
        ("Total", True),
        ("TOTALS:", True),
        ("Grand total ::", True),
        ("sum", True),
        ("Mean:", True),
        ("Totally", False),
        ("Summary", False),
        ("S1 total", False),
        ("count 2", False),
    ],
)
def test_a_totals_label_in_the_text_column_leaves_the_file_to_the_careful_reader(
    tmp_path: Path, label: str, totals: bool
):
    rows = [f"S{number:05d},Area {number % 7},yes" for number in range(5_000)]
    rows[4_000] = f"{label},,5"
    path = tmp_path / "survey.csv"
    path.write_text("id,area,q\n" + "\n".join(rows) + "\n", encoding="utf-8")
    quick = assert_same_or_none(path, {"id"})
    assert (quick is None) == totals


def test_a_large_file_is_mapped_and_read_as_a_small_one_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "survey.csv"
    rows = [f"R{number:04d},Area {number % 7},{'yes' if number % 3 else 'no'},\ufeffAgree" for number in range(500)]
    path.write_text("response_id,area,q01,q02\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert isinstance(fastcsv._mapped(path), bytes)  # a round's own data is read, never mapped
    read = read_csv_quickly(path, frozenset({"response_id"}))
    monkeypatch.setattr(fastcsv, "_MAPPED_BYTES", 1)
    assert not isinstance(fastcsv._mapped(path), bytes)
    mapped = read_csv_quickly(path, frozenset({"response_id"}))
    pd.testing.assert_frame_equal(mapped, read)
    pd.testing.assert_frame_equal(read, careful(path), check_dtype=False, check_categorical=False)
