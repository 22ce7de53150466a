"""Cells as a spreadsheet shows them: column letters, cell names, values as text."""

from __future__ import annotations

import datetime as dt

import pytest

from auditkit.read.cells import cell_name, cell_text, column_letter


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_as_excel_shows_them(index, letter):
    assert column_letter(index) == letter


def test_cell_names_are_as_excel_shows_them():
    assert (cell_name(0, 0), cell_name(4, 27)) == ("A1", "AB5")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (float("nan"), ""),
        (1017.0, "1017"),
        (2.5, "2.5"),
        (dt.date(2017, 4, 3), "2017-04-03"),
        (dt.datetime(2017, 4, 3), "2017-04-03"),
        (dt.datetime(2017, 4, 3, 9, 30), "2017-04-03 09:30:00"),
        ("yes", "yes"),
    ],
)
def test_a_cell_reads_as_the_text_a_user_would_type(value, text):
    assert cell_text(value) == text
