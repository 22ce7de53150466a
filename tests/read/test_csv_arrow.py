"""Arrow's reading of a CSV's records (read_arrow_columns) against the csv module's: the same records, or None."""

from __future__ import annotations

import csv
import io
import random

import pandas as pd
import pytest

from auditkit.read import csv_arrow
from auditkit.read.csv_arrow import categorical_from_dictionary, read_arrow_columns


def csv_records(text: str) -> list[list[str]]:
    """The csv module's records, an empty line (a record of no cells) as Arrow reads it: a row of empty cells."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    width = len(records[0])
    return [record or [""] * width for record in records]


def arrow_records(text: str, answers=(), start: int = 0) -> list[list[str]] | None:
    raw = text.encode()
    width = len(next(csv.reader(io.StringIO(text, newline=""))))
    columns = read_arrow_columns(raw, ",", width, answers, start=start)
    if columns is None:
        return None
    texts = [
        list(categorical_from_dictionary(column)) if index in answers else column.to_pylist()
        for index, column in enumerate(columns)
    ]
    return [list(row) for row in zip(*texts)]


def random_text(generator: random.Random) -> str:
    tokens = ["", "a", "yes", " ", "x,y", 'say "hi"', "two\nlines", "three\r\nlines", "é", ";", "\t", "007"]
    rows = [["id", "area", "q"]]
    for number in range(generator.randint(1, 30)):
        rows.append([f"R{number}"] + [generator.choice(tokens) for _ in range(2)])
        if generator.random() < 0.1:
            rows.append(generator.choice([[], ["", "", ""], ["R", "x"], ["R", "x", "y", "z"]]))
    out = io.StringIO()
    quoting = generator.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    csv.writer(out, quoting=quoting, lineterminator=generator.choice(["\n", "\r\n"])).writerows(rows)
    text = out.getvalue()
    if generator.random() < 0.2:  # a quote inside an unquoted cell, text after a closing quote, quotes left open
        at = generator.randrange(len(text))
        text = text[:at] + generator.choice(['5" screen', '"x"y', '"open', 'a"b"c']) + text[at:]
    return text


def test_random_files_are_read_as_the_csv_module_reads_them_or_not_at_all():
    generator = random.Random(31)
    read = 0
    for _ in range(600):
        text = random_text(generator)
        if "\r" in text.replace("\r\n", "\n\n"):  # a lone carriage return: the callers never ask Arrow
            continue
        found = arrow_records(text, answers={1, 2})
        if found is None:
            continue
        read += 1
        assert found == csv_records(text), text
    assert read > 150  # the others have a row of another width, or quoted text left open


@pytest.mark.parametrize(
    "text",
    [
        "id,q\nR1,a,b\n",  # a row too long
        "id,q,r\nR1,a\n",  # a row cut short
        'id,q\nR1,"open\n',  # quoted text left open
        "id,q\n",  # the header alone: nothing under it
    ],
)
def test_what_arrow_may_read_otherwise_is_left_to_the_caller(text: str):
    assert arrow_records(text, start=text.index("\n") + 1) is None


def test_a_file_without_quotes_is_read_in_two_halves_as_one(monkeypatch):
    monkeypatch.setattr(csv_arrow, "_HALVED_BYTES", 100)
    lines = [f"R{number:04d},Area {number % 7},{'yes' if number % 3 else ''}" for number in range(2000)]
    lines[1000] = ""  # an empty line near the middle: a row of empty cells
    text = "id,area,q\n" + "\n".join(lines) + "\n"
    found = arrow_records(text, answers={1, 2}, start=text.index("\n") + 1)
    assert found == csv_records(text)[1:]
    column = read_arrow_columns(text.encode(), ",", 3, {1}, start=text.index("\n") + 1)[1]
    assert column.num_chunks == 2
    categorical = categorical_from_dictionary(column)
    assert list(categorical.categories) == [f"Area {number}" for number in range(7)] + [""]  # as first given
    assert categorical.codes.dtype == "int8"
    assert list(categorical) == pd.Series([row[1] for row in csv_records(text)[1:]]).tolist()
