"""auditkit.publish.safe_text: no invisible characters and no formulas in what is published."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from auditkit.publish.safe_text import (
    INVISIBLE_CHARACTERS,
    escape_invisible,
    is_formula,
    neutralise_formula,
    safe_cells,
    strip_invisible,
    strip_invisible_in,
)


def test_the_invisible_characters_are_the_bidi_controls_the_zero_width_ones_and_the_control_characters():
    expected = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0x200B, 0x200E), 0x2060, 0xFEFF]
    controls = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]  # all but \t \n \r
    assert sorted(map(ord, INVISIBLE_CHARACTERS)) == sorted(expected + controls)


def test_strip_invisible_removes_each_of_them_and_nothing_else():
    assert strip_invisible("Neglect toolkit \u202esurvey\u202c") == "Neglect toolkit survey"
    assert strip_invisible("Leic\u200bester\ufeff \u2067Rutland\u2069") == "Leicester Rutland"
    assert strip_invisible("".join(INVISIBLE_CHARACTERS)) == ""
    assert strip_invisible("Ça va – “yes” ٣ 😀\u200e") == "Ça va – “yes” ٣ 😀\u200e"
    assert strip_invisible("a quote\x01 with\x1b a bell\x07\tand\r\nlines\x85") == "a quote with a bell\tand\r\nlines"


def test_strip_invisible_treats_ascii_text_and_other_text_alike():
    # ASCII text and other text take different ways through (str.translate, a regular expression)
    ascii_text = "".join(map(chr, range(0x80)))
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    for text in (ascii_text, every):
        assert strip_invisible(text) == "".join(c for c in text if c not in INVISIBLE_CHARACTERS)
    assert strip_invisible("tab\there\x7f") == "tab\there"


def test_strip_invisible_in_copies_nested_data_keys_included():
    data = {"ro\u200bund": {"title": "a\u202eb", "areas": ["Leic\u200dester", 5, None], "pair": ("x\u2060", 1.5)}}
    assert strip_invisible_in(data) == {"round": {"title": "ab", "areas": ["Leicester", 5, None], "pair": ("x", 1.5)}}
    assert data["ro\u200bund"]["title"] == "a\u202eb"


def test_escape_invisible_keeps_json_exact_but_shows_the_character():
    text = json.dumps({"path": "/data/sur\u202evey.csv"}, ensure_ascii=False)
    escaped = escape_invisible(text)
    assert escaped == '{"path": "/data/sur\\u202evey.csv"}'
    assert json.loads(escaped) == {"path": "/data/sur\u202evey.csv"}


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("https://example.org","Open")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "=",
    ],
)
def test_text_a_spreadsheet_would_run_is_a_formula_and_gets_a_quote(text):
    assert is_formula(text)
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["-0.25", "+3", "-12", "1e-3", "-.5", "Agree", " =1+1", "a=1", "", "c", 0, -0.25])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert not (isinstance(value, str) and is_formula(value))
    assert neutralise_formula(value) == value


def test_safe_cells_cleans_text_cells_and_leaves_numbers_alone():
    table = pd.DataFrame(
        {
            "label": ["=1+1", "\u200b@SUM(A1)", "Agree", None],
            "difference": [-0.25, 0.5, -1.0, float("nan")],
            "numerator": pd.array([-1, 2, None, 4], dtype="Int64"),
            "mixed": pd.Series(["c", -3, "-3", "+x"], dtype=object),
            "=header": ["a", "b", "c", "d"],
        }
    )
    safe = safe_cells(table)
    assert list(safe.columns) == ["label", "difference", "numerator", "mixed", "'=header"]
    assert safe["label"].tolist()[:3] == ["'=1+1", "'@SUM(A1)", "Agree"] and pd.isna(safe["label"].iloc[3])
    pd.testing.assert_series_equal(safe["difference"], table["difference"])
    pd.testing.assert_series_equal(safe["numerator"], table["numerator"])
    assert safe["mixed"].tolist() == ["c", -3, "-3", "'+x"]
    assert table["label"].iloc[0] == "=1+1", "the table given is not changed"
    assert safe.to_csv(index=False, lineterminator="\n").splitlines()[1] == "'=1+1,-0.25,-1,c,a"
