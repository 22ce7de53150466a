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
    describe_change,
    describe_finding,
    describe_intervals,
    describe_power,
    format_date,
    format_interval,
    format_month,
    format_percent,
    is_apparent,
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


# --- the comparison: words that follow the verdict (issue 18) --------------------------------------------


def _change(**figures) -> dict:
    row = {
        "measure": "Toolkit use",
        "baseline_numerator": 2,
        "baseline_denominator": 10,
        "baseline_proportion": 0.2,
        "followup_numerator": 9,
        "followup_denominator": 12,
        "followup_proportion": 0.75,
        "difference": 0.55,
        "diff_ci_low": 0.1308,
        "diff_ci_high": 0.7656,
        "p_value": 0.0102,
        "p_adjusted": 0.0867,
        "primary_test": "partially_overlapping_z",
        "lower_is_better": False,
        "verdict": "no clear change",
    }
    return {**row, **figures}


def test_an_apparent_change_says_it_could_be_chance():
    row = _change()
    assert is_apparent(row)
    assert describe_change(row, "cases", 17) == (
        "Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points (95% CI 13 to 77; "
        "partially overlapping samples z-test p = 0.010, adjusted p = 0.087; with 17 comparisons this could be "
        "chance)."
    )


def test_a_clear_change_names_its_test_and_adjusted_p_only():
    row = _change(p_value=0.0004, p_adjusted=0.007, primary_test="mcnemar", verdict="improved")
    assert not is_apparent(row)
    assert describe_change(row, "cases", 17) == (
        "Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points (95% CI 13 to 77; "
        "McNemar's exact p < 0.001, adjusted p = 0.007)."
    )
    assert "Fisher's exact p = 0.200, adjusted p = 0.500)." in describe_change(
        _change(p_value=0.2, p_adjusted=0.5, primary_test="fisher"), "cases", 17
    )


def test_is_apparent_needs_an_unadjusted_p_below_005_and_an_adjusted_one_that_is_not():
    assert not is_apparent(_change(p_value=0.05, p_adjusted=0.3))
    assert not is_apparent(_change(p_value=0.01, p_adjusted=0.04))
    assert not is_apparent(_change(p_value=None, p_adjusted=None))


def test_describe_power_gives_the_ranges_in_one_sentence():
    assert describe_power([0.60699, 0.4947, float("nan")], [98, 75, 97], 0.2, "cases") == (
        "Rounds of this size could reliably detect (with 80% power, in a two-sided test at the 5% level) only "
        "changes of 49 to 61 points; to detect a change of 20 points, each round would need about 75 to 98 cases."
    )
    assert describe_power([], [58], 0.25, "responses") == (
        "To detect a change of 25 points (with 80% power, in a two-sided test at the 5% level), each round would "
        "need about 58 responses."
    )
    assert describe_power([0.3], [None], 0.2, "cases") == ""  # every size hidden: nothing to say


def test_describe_intervals_works_out_the_interval_of_5_in_10():
    # R: prop.test(5, 10, correct = FALSE)$conf.int gives 0.2365931 0.7634069 (Wilson's score interval)
    text = describe_intervals()
    assert "5 cases out of 10 is 50%, but the true figure could be anywhere from 24% to 76%," in text
    assert text.startswith("Each percentage in this briefing is given with a 95% confidence interval (95% CI)")
