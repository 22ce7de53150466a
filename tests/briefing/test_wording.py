"""auditkit.briefing.wording: numbers, dates and findings in the words a briefing prints."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from conftest import INSTRUMENTS

from auditkit import load_codebook
from auditkit.briefing.wording import (
    describe_areas,
    describe_finding,
    format_date,
    format_interval,
    format_month,
    format_percent,
    join_words,
)
from auditkit.config.codebook import Item
from auditkit.stats.proportions import proportion_ci

DEEP_DIVE = INSTRUMENTS / "neglect_deep_dive.yaml"
SURVEY = INSTRUMENTS / "toolkit_survey.yaml"


def finding_row(item: Item, numerator: int, denominator: int) -> dict:
    row = proportion_ci(numerator, denominator).iloc[0].to_dict()
    row["label"] = item.title
    return row


@pytest.mark.parametrize(
    ("proportion", "expected"),
    [
        (0.125, "13%"),  # a half rounds up, not to even (12%)
        (0.205, "21%"),  # binary 0.205 is just below 0.205; the printed value's half still rounds up
        (0.0, "0%"),
        (1.0, "100%"),
        (0.2, "20%"),
        (0.5098375284633583, "51%"),
        (0.05668215145437519, "6%"),
        (0.0049, "0%"),
        (0.995, "100%"),
    ],
)
def test_format_percent_rounds_halves_up(proportion, expected):
    assert format_percent(proportion) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float64("nan")])
def test_format_percent_missing_is_na(missing):
    assert format_percent(missing) == "n/a"


def test_format_percent_accepts_numpy_floats():
    assert format_percent(np.float64(0.125)) == "13%"


def test_format_interval():
    assert format_interval(0.05668215145437519, 0.5098375284633583) == "6% to 51%"
    assert format_interval(0.0, 1.0) == "0% to 100%"
    assert format_interval(float("nan"), float("nan")) == "n/a to n/a"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2017, 4, 30), "30 April 2017"),
        (dt.date(2016, 7, 1), "1 July 2016"),  # no leading zero
        (dt.date(2017, 1, 9), "9 January 2017"),
    ],
)
def test_format_date(date, expected):
    assert format_date(date) == expected


def test_format_month():
    assert format_month(dt.date(2017, 6, 30)) == "June 2017"
    assert format_month(dt.date(2016, 7, 1)) == "July 2016"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], ""),
        (["Leicester"], "Leicester"),
        (["Leicester", "Rutland"], "Leicester and Rutland"),
        (["Leicester", "Leicestershire", "Rutland"], "Leicester, Leicestershire and Rutland"),
    ],
)
def test_join_words(words, expected):
    assert join_words(words) == expected


def test_join_words_accepts_a_generator():
    assert join_words(word for word in ("a", "b", "c")) == "a, b and c"


def test_describe_areas():
    counts = {"Leicester": 4, "Leicestershire": 4, "Rutland": 2}
    assert describe_areas(counts) == "4 in Leicester, 4 in Leicestershire and 2 in Rutland"


def test_describe_areas_skips_zero_counts():
    counts = {"Leicester": 4, "Leicestershire": 0, "Rutland": 2}
    assert describe_areas(counts) == "4 in Leicester and 2 in Rutland"
    assert describe_areas({"Leicester": 0}) == ""


def test_describe_areas_uses_labels():
    counts = {"Leicester": 3, "other": 2}
    text = describe_areas(counts, {"other": "other or several areas"})
    assert text == "3 in Leicester and 2 in other or several areas"


def test_describe_finding_toolkit_used_matches_briefing():
    item = load_codebook(DEEP_DIVE).item("toolkit_used")
    row = finding_row(item, 2, 10)
    assert describe_finding(item, row) == (
        "The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%)."
    )


def test_describe_finding_capitalises_a_statement_starting_with_a_text_placeholder():
    item = Item(
        id="seen",
        question="Seen?",
        label="child seen alone",
        type="choice",
        values=["yes", "no"],
        met=["yes"],
        statement="{label} in {numerator} of {denominator} cases",
    )
    sentence = describe_finding(item, finding_row(item, 3, 4))
    assert sentence.startswith("Child seen alone in 3 of 4 cases (75%; 95% CI ")
    assert sentence.endswith(").")


def test_describe_finding_statement_starting_with_a_number_placeholder():
    item = load_codebook(SURVEY).item("attended_launch")
    assert item.statement.startswith("{numerator}")
    sentence = describe_finding(item, finding_row(item, 5, 20))
    # Wilson 5/20, 95%: 0.1119 to 0.4690 (PHE closed form, shared/reference/stats/README.md) → 11% to 47%.
    assert sentence == (
        "5 of the 20 practitioners who answered had attended the toolkit launch (25%; 95% CI 11% to 47%)."
    )


def hidden_row(item: Item, denominator: int) -> dict:
    """A row whose numerator disclosure control hid, as a protected analysis gives it."""
    row = finding_row(item, 3, denominator)
    row.update(numerator=None, proportion=None, ci_low=None, ci_high=None, suppressed=True)
    return row


@pytest.mark.parametrize("symbol", ["c", "x", "[c]", "ⓒ"])
def test_describe_finding_keeps_a_symbol_that_starts_the_sentence_as_declared(symbol):
    item = load_codebook(SURVEY).item("attended_launch")
    sentence = describe_finding(item, hidden_row(item, 35), symbol)
    assert sentence == (
        f"{symbol} of the 35 practitioners who answered had attended the toolkit launch (the exact figure is not "
        "published because the numbers are small)."
    )


def test_describe_finding_capitalises_a_label_that_starts_with_the_symbols_letter():
    item = Item(
        id="seen",
        question="Seen?",
        label="child seen alone",
        type="choice",
        values=["yes", "no"],
        met=["yes"],
        statement="{label} in {numerator} of {denominator} cases",
    )
    sentence = describe_finding(item, hidden_row(item, 35), "c")
    assert sentence.startswith("Child seen alone in c of 35 cases (the exact figure")


def test_describe_finding_without_a_statement_uses_the_label():
    item = Item(id="seen", question="Was the child seen?", type="choice", values=["yes", "no"], met=["yes"])
    sentence = describe_finding(item, finding_row(item, 1, 2))
    assert sentence.startswith("Was the child seen?: 1 of 2 (50%; 95% CI ")


def test_describe_finding_zero_denominator_says_no_applicable_answers():
    item = load_codebook(DEEP_DIVE).item("conference_notice")
    row = finding_row(item, 0, 0)
    assert math.isnan(row["proportion"])
    sentence = describe_finding(item, row)
    assert "no applicable answers" in sentence
    assert "n/a" not in sentence and "%" not in sentence
    assert sentence == "Sufficient notice of conferences: no applicable answers were recorded."
