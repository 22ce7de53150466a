"""The shipped follow-up round against its baseline, every statistic recomputed independently.

Each expected value below is computed in this file from the example CSVs (read with the csv module)
with formulas written out here or with scipy, or is a published value cited beside it; nothing is
compared with an earlier auditkit output.
"""

from __future__ import annotations

import csv
import html
import itertools
import json
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, RoundCopy
from scipy import stats

import auditkit
from auditkit.analysis.comparison import COMPARISON_COLUMNS, decide_verdict
from auditkit.briefing.charts import Chart, plot_change
from auditkit.briefing.html import chart_html
from auditkit.briefing.sections import SECTIONS
from auditkit.briefing.wording import describe_change, describe_pairs, format_p, format_points
from auditkit.publish.findings_files import analysis_to_dict, analysis_to_table
from auditkit.publish.protection import protect_analysis
from auditkit.stats.proportions import proportion_ci

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
BASELINE = REPO / "parameters" / "llr-2017.yaml"
EXAMPLES = REPO / "data_templates" / "examples"

# Met and not-applicable codes, copied by hand from data_templates/neglect_deep_dive.yaml and
# data_templates/toolkit_survey.yaml; with the measure each item's sentence uses.
DEEP_DIVE = {
    "toolkit_used": ({"yes"}, set(), "Toolkit use"),
    "drift_evident": ({"yes"}, set(), "Drift or delay"),
    "voice_of_child": ({"yes"}, set(), "Recording the child's voice"),
    "seen_alone": ({"yes", "observed"}, set(), "Seeing the child alone or observing them"),
    "info_sharing": ({"good"}, set(), "Good information sharing"),
    "conference_notice": ({"yes"}, {"not_applicable"}, "Sufficient notice of conferences"),
    "plan_shared": ({"yes"}, {"not_applicable"}, "Sharing the child protection plan"),
    "escalation": ({"timely"}, {"not_needed"}, "Timely escalation"),
    "supervision": ({"regular"}, set(), "Regular review and supervision"),
    "overall_grade": ({"outstanding", "good"}, set(), "A good or outstanding response"),
}
AGREE = {"agree", "strongly_agree"}
SURVEY = {
    "attended_launch": ({"yes"}, set(), "Attendance at the launch"),
    "aware_of_toolkit": ({"yes"}, set(), "Awareness of the toolkit"),
    "used_toolkit": ({"yes"}, set(), "Use of the toolkit"),
    "toolkit_helpful": (AGREE, set(), "Finding the toolkit helpful"),
    "confident_recognising": (AGREE, set(), "Confidence recognising neglect"),
    "aware_of_escalation": ({"yes"}, set(), "Awareness of the escalation procedure"),
    "confident_challenging": (AGREE, set(), "Confidence challenging decisions"),
}
ITEMS = {"deep_dive": DEEP_DIVE, "survey": SURVEY}
ORDINAL = ("toolkit_helpful", "confident_recognising", "confident_challenging")
LEVELS = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")  # positions 0..4
FILES = {
    ("baseline", "deep_dive"): "llr-2017-cases.csv",
    ("baseline", "survey"): "llr-2017-survey.csv",
    ("followup", "deep_dive"): "llr-2017-followup-cases.csv",
    ("followup", "survey"): "llr-2017-followup-survey.csv",
}
ALL_ITEMS = [(name, item) for name, items in ITEMS.items() for item in items]
Z95 = stats.norm.ppf(0.975)


# ---------------------------------------------------------------- independent computations


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows_of(which: str, instrument: str) -> list[dict[str, str]]:
    return read_rows(EXAMPLES / FILES[(which, instrument)])


def applicable(value: str, not_applicable: set[str]) -> bool:
    return value.strip() != "" and value.strip() not in not_applicable


def count_met(rows: list[dict[str, str]], item: str, met: set[str], not_applicable: set[str]) -> tuple[int, int]:
    """(met, applicable): blank answers and not-applicable answers leave the denominator."""
    answers = [row[item].strip() for row in rows if applicable(row[item], not_applicable)]
    return sum(answer in met for answer in answers), len(answers)


def counts(which: str, instrument: str, item: str) -> tuple[int, int]:
    met, not_applicable, _ = ITEMS[instrument][item]
    return count_met(rows_of(which, instrument), item, met, not_applicable)


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score limits, the closed form in shared/reference/stats/README.md (PHEindicatormethods)."""
    root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z))


def newcombe(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float]:
    """p1 − p2 with the hybrid score interval, method 10 of Newcombe (1998) Stat Med 17:873–890."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def expected_verdict(low: float, high: float, lower_is_better: bool) -> str:
    """The issue's rule: a clear change only when the interval leaves out 0, named in the item's direction."""
    if low > 0:
        return "worsened" if lower_is_better else "improved"
    if high < 0:
        return "improved" if lower_is_better else "worsened"
    return "no clear change"


def binomial_two_sided_half(k: int, n: int) -> float:
    """Exact two-sided binomial p at probability 1/2 (symmetric): 2·P(X ≤ min(k, n − k)), capped at 1."""
    low = min(k, n - k)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(low + 1)) / 2**n)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini & Hochberg (1995) step-up adjusted p: min over j ≥ i of m·p(j)/j, capped at 1."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = running
    return adjusted


def brute_force_exact(table: list[tuple[int, int]]) -> float:
    """Fisher–Freeman–Halton p for an r × 2 table by enumerating every table with the same margins.

    With the row totals r_i and the first column total c fixed, a table's probability is the multivariate
    hypergeometric ∏ C(r_i, x_i) / C(N, c). Exact rationals; a table counts when its probability is at most
    the observed one's times (1 + 1e-7), R's fisher.test tolerance.
    """
    rows = [a + b for a, b in table]
    column = sum(a for a, _ in table)
    total = sum(rows)

    def probability(cells) -> Fraction:
        return Fraction(math.prod(math.comb(r, x) for r, x in zip(rows, cells)), math.comb(total, column))

    observed = probability([a for a, _ in table])
    limit = observed * (1 + Fraction(1, 10**7))
    p = Fraction(0)
    for head in itertools.product(*(range(r + 1) for r in rows[:-1])):
        last = column - sum(head)
        if 0 <= last <= rows[-1]:
            candidate = probability([*head, last])
            if candidate <= limit:
                p += candidate
    return float(p)


def paired_counts(item: str) -> tuple[int, int, int]:
    """(pairs, b, c) over case_refs in both rounds where both answers are applicable."""
    met, not_applicable, _ = DEEP_DIVE[item]
    before = {row["case_ref"]: row[item].strip() for row in rows_of("baseline", "deep_dive")}
    after = {row["case_ref"]: row[item].strip() for row in rows_of("followup", "deep_dive")}
    pairs = [
        (before[ref] in met, after[ref] in met)
        for ref in before.keys() & after.keys()
        if applicable(before[ref], not_applicable) and applicable(after[ref], not_applicable)
    ]
    b = sum(first and not second for first, second in pairs)
    c = sum(second and not first for first, second in pairs)
    return len(pairs), b, c


def levels(which: str, item: str) -> list[int]:
    return [LEVELS.index(row[item].strip()) for row in rows_of(which, "survey") if row[item].strip()]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def followup() -> auditkit.Analysis:
    return auditkit.analyse_round(FOLLOWUP)


@pytest.fixture(scope="module")
def single() -> auditkit.Analysis:
    return auditkit.analyse_round(BASELINE)


def comparison_row(analysis: auditkit.Analysis, instrument: str, item: str) -> dict:
    items = analysis.comparison.items
    match = items[(items["instrument"] == instrument) & (items["item"] == item)]
    assert len(match) == 1, f"{instrument}.{item} should be compared exactly once"
    return match.iloc[0].to_dict()


# ---------------------------------------------------------------- checks of the reference helpers


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [  # Newcombe (1998) Table II, hybrid score method (method 10), via shared/reference/stats/README.md
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_the_reference_newcombe_helper_reproduces_newcombe_1998(x1, n1, x2, n2, low, high):
    _, lower, upper = newcombe(x1, n1, x2, n2)
    assert lower == pytest.approx(low, abs=5e-5)
    assert upper == pytest.approx(high, abs=5e-5)


def test_the_reference_bh_helper_reproduces_benjamini_hochberg_1995():
    # Benjamini & Hochberg (1995) JRSS B 57:289–300, section 4.3: of these 15 p-values, the four smallest
    # are rejected at q = 0.05.
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.0000,
    ]
    adjusted = benjamini_hochberg(p)
    assert [value <= 0.05 for value in adjusted] == [True] * 4 + [False] * 11
    assert adjusted[0] == pytest.approx(0.0001 * 15)


def test_the_reference_brute_force_helper_reproduces_the_tea_tasting_example():
    # R documentation of fisher.test, "Tea-tasting": matrix(c(3, 1, 1, 3)), two-sided p-value = 0.4857.
    assert brute_force_exact([(3, 1), (1, 3)]) == pytest.approx(0.4857, abs=5e-5)
    # and a 2 × 2 table agrees with scipy's exact test
    assert brute_force_exact([(9, 3), (2, 8)]) == pytest.approx(stats.fisher_exact([[9, 3], [2, 8]])[1], rel=1e-12)


# ---------------------------------------------------------------- the toolkit_used row


def test_toolkit_use_counts_come_from_both_rounds_data(followup):
    row = comparison_row(followup, "deep_dive", "toolkit_used")
    assert counts("baseline", "deep_dive", "toolkit_used") == (2, 10)  # the issue's "2 of 10 cases"
    assert counts("followup", "deep_dive", "toolkit_used") == (9, 12)  # and "9 of 12"
    assert (row["baseline_numerator"], row["baseline_denominator"]) == (2, 10)
    assert (row["followup_numerator"], row["followup_denominator"]) == (9, 12)
    assert row["baseline_proportion"] == pytest.approx(0.2)
    assert row["followup_proportion"] == pytest.approx(0.75)


def test_toolkit_use_difference_has_the_newcombe_hybrid_interval(followup):
    row = comparison_row(followup, "deep_dive", "toolkit_used")
    difference, low, high = newcombe(9, 12, 2, 10)  # follow-up minus baseline
    assert difference == pytest.approx(0.55)
    assert row["difference"] == pytest.approx(difference, abs=1e-12)
    assert row["diff_ci_low"] == pytest.approx(low, abs=1e-9)
    assert row["diff_ci_high"] == pytest.approx(high, abs=1e-9)
    # the issue's sentence prints the interval as 13 to 77 points
    assert round(low * 100) == 13 and round(high * 100) == 77


def test_toolkit_use_has_fishers_exact_p_verdict_and_caution(followup):
    row = comparison_row(followup, "deep_dive", "toolkit_used")
    expected = stats.fisher_exact([[9, 12 - 9], [2, 10 - 2]], alternative="two-sided")[1]
    assert row["p_value"] == pytest.approx(expected, rel=1e-12)
    assert row["test"] == "Fisher's exact test"
    assert row["verdict"] == "improved"
    assert row["caution"] == "ten cases: indicative only"  # the issue's wording for a denominator under 20


def test_toolkit_use_sentence_is_the_one_in_the_issue(followup):
    row = comparison_row(followup, "deep_dive", "toolkit_used")
    # issue 3, "Output": the sentence the briefing prints
    assert describe_change(row, "cases") == (
        "Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points "
        "(95% CI 13 to 77; Fisher's exact p = 0.030)."
    )


def test_toolkit_use_paired_sentence_reports_the_re_audited_cases(followup):
    row = comparison_row(followup, "deep_dive", "toolkit_used")
    pairs, b, c = paired_counts("toolkit_used")
    assert (pairs, b, c) == (6, 0, 5)
    assert binomial_two_sided_half(b, b + c) == 0.0625  # 2 · (1/2)^5, printed half up as 0.063
    assert describe_pairs(row, "cases") == (
        "Of the 6 cases audited in both rounds, 5 met the standard only at follow-up and 0 only at baseline "
        "(McNemar's exact p = 0.063)."
    )


# ---------------------------------------------------------------- every compared item


def test_every_item_of_both_instruments_is_compared_once(followup):
    compared = list(zip(followup.comparison.items["instrument"], followup.comparison.items["item"]))
    assert sorted(compared) == sorted(ALL_ITEMS)
    assert followup.comparison.only_in_baseline == ()
    assert followup.comparison.only_in_followup == ()
    assert followup.comparison.baseline_id == "llr-2017"
    assert followup.comparison.baseline_title == "Neglect toolkit survey and deep dive audit"


@pytest.mark.parametrize(("instrument", "item"), ALL_ITEMS)
def test_every_item_has_counts_interval_fisher_p_and_verdict_from_the_data(followup, instrument, item):
    row = comparison_row(followup, instrument, item)
    x2, n2 = counts("baseline", instrument, item)
    x1, n1 = counts("followup", instrument, item)
    assert (row["baseline_numerator"], row["baseline_denominator"]) == (x2, n2)
    assert (row["followup_numerator"], row["followup_denominator"]) == (x1, n1)
    difference, low, high = newcombe(x1, n1, x2, n2)
    assert row["difference"] == pytest.approx(difference, abs=1e-12)
    assert row["diff_ci_low"] == pytest.approx(max(low, -1.0), abs=1e-9)
    assert row["diff_ci_high"] == pytest.approx(min(high, 1.0), abs=1e-9)
    assert row["p_value"] == pytest.approx(stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1], rel=1e-12)
    lower_is_better = item == "drift_evident"  # the only item marked lower_is_better in the codebooks
    assert bool(row["lower_is_better"]) is lower_is_better
    assert row["verdict"] == expected_verdict(low, high, lower_is_better)
    assert row["measure"] == ITEMS[instrument][item][2]


@pytest.mark.parametrize(("instrument", "item"), ALL_ITEMS)
def test_every_item_carries_each_rounds_wilson_interval(followup, instrument, item):
    row = comparison_row(followup, instrument, item)
    for side in ("baseline", "followup"):
        x, n = counts(side, instrument, item)
        low, high = wilson(x, n)
        assert row[f"{side}_ci_low"] == pytest.approx(max(low, 0.0), abs=1e-9)
        assert row[f"{side}_ci_high"] == pytest.approx(min(high, 1.0), abs=1e-9)
        # The very floats of proportion_ci, which the change chart used to work out for itself.
        expected = proportion_ci(x, n).iloc[0]
        assert (row[f"{side}_ci_low"], row[f"{side}_ci_high"]) == (expected["ci_low"], expected["ci_high"])
        assert row[f"{side}_proportion"] == expected["proportion"]


def test_the_comparison_has_its_columns_in_order(followup):
    assert list(followup.comparison.items.columns) == list(COMPARISON_COLUMNS)
    assert {"baseline_ci_low", "baseline_ci_high", "followup_ci_low", "followup_ci_high"} <= set(COMPARISON_COLUMNS)


def test_the_change_chart_draws_the_comparisons_proportions_and_intervals(followup):
    items = followup.comparison.items
    items = items[items["instrument"] == "deep_dive"]
    shown = items[(items["baseline_denominator"] > 0) & (items["followup_denominator"] > 0)]
    lines = plot_change(items, "April 2017", "December 2017").axes[0].get_lines()
    intervals = [tuple(line.get_xdata()) for line in lines if line.get_marker() in ("None", None, "")]
    points = [tuple(line.get_xdata()) for line in lines if line.get_marker() in ("o", "s")]
    expected_intervals, expected_points = [], []
    for row in shown.itertuples():
        expected_intervals += [(row.baseline_ci_low, row.baseline_ci_high), (row.followup_ci_low, row.followup_ci_high)]
        expected_points += [(row.baseline_proportion,), (row.followup_proportion,)]
    assert intervals == expected_intervals
    assert points == expected_points


def test_the_change_section_holds_charts_and_the_html_renderer_draws_them(followup):
    context = SECTIONS["change"](protect_analysis(followup))
    figures = [instrument["figure"] for instrument in context["instruments"]]
    assert len(figures) == 2 and all(isinstance(figure, Chart) for figure in figures)
    text = auditkit.render_section("change", followup).html
    for figure in figures:
        assert str(chart_html(figure)) in text
    assert chart_html(None) == ""


def test_the_charts_section_holds_charts_and_none_where_nothing_can_be_charted(followup):
    context = SECTIONS["charts"](protect_analysis(followup))
    figures = [chart["figure"] for chart in context["charts"]]
    assert len(figures) == 2 and all(isinstance(figure, Chart) for figure in figures)
    text = auditkit.render_section("charts", followup).html
    assert all(str(chart_html(figure)) in text for figure in figures)
    assert "None" not in text


def test_drift_is_lower_is_better_and_its_fall_is_not_yet_clear(followup):
    row = comparison_row(followup, "deep_dive", "drift_evident")
    assert counts("baseline", "deep_dive", "drift_evident") == (7, 10)
    assert counts("followup", "deep_dive", "drift_evident") == (5, 12)
    _, low, high = newcombe(5, 12, 7, 10)
    assert low < 0 < high
    assert bool(row["lower_is_better"]) is True
    assert row["verdict"] == "no clear change"
    assert "Lower is better" not in describe_change(row, "cases")


# ---------------------------------------------------------------- the verdict rule


@pytest.mark.parametrize(
    ("low", "high", "lower_is_better", "verdict"),
    [
        (0.1, 0.5, False, "improved"),  # rose clearly, higher is better
        (0.1, 0.5, True, "worsened"),  # rose clearly, lower is better (drift)
        (-0.5, -0.1, False, "worsened"),  # fell clearly, higher is better
        (-0.5, -0.1, True, "improved"),  # fell clearly, lower is better (drift)
        (-0.2, 0.3, False, "no clear change"),  # interval holds 0
        (-0.2, 0.3, True, "no clear change"),
        (0.0, 0.3, False, "no clear change"),  # an interval ending at 0 does not leave it out
        (-0.3, 0.0, True, "no clear change"),
    ],
)
def test_decide_verdict_respects_direction(low, high, lower_is_better, verdict):
    assert decide_verdict(low, high, lower_is_better) == verdict


@pytest.mark.parametrize("lower_is_better", [False, True])
def test_decide_verdict_without_an_interval_is_no_clear_change(lower_is_better):
    assert decide_verdict(math.nan, math.nan, lower_is_better) == "no clear change"
    assert decide_verdict(0.2, math.nan, lower_is_better) == "no clear change"


def _set_column(path: Path, column: str, value: str) -> None:
    rows = read_rows(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, column: value})


@pytest.mark.parametrize(
    ("baseline_value", "followup_value", "verdict", "words", "tail"),
    [
        (
            None,
            "no",
            "improved",
            "Drift or delay fell from 7 of 10 cases (70%) to 0 of 12 (0%): a fall of 70 points",
            " Lower is better here, so this is an improvement.",
        ),
        (
            "no",
            "yes",
            "worsened",
            "Drift or delay rose from 0 of 10 cases (0%) to 12 of 12 (100%): a rise of 100 points",
            " Lower is better here, so this is a worsening.",
        ),
    ],
)
def test_a_clear_change_in_drift_is_judged_lower_is_better(
    example_round: RoundCopy, baseline_value, followup_value, verdict, words, tail
):
    examples = example_round.root / "data_templates" / "examples"
    if baseline_value is not None:
        _set_column(examples / "llr-2017-cases.csv", "drift_evident", baseline_value)
    _set_column(examples / "llr-2017-followup-cases.csv", "drift_evident", followup_value)
    x2 = 7 if baseline_value is None else (10 if baseline_value == "yes" else 0)
    x1 = 12 if followup_value == "yes" else 0
    _, low, high = newcombe(x1, 12, x2, 10)
    assert expected_verdict(low, high, True) == verdict  # the data really do show a clear change

    analysis = auditkit.analyse_round(example_round.root / "parameters" / "llr-2017-followup.yaml")
    row = comparison_row(analysis, "deep_dive", "drift_evident")
    assert row["verdict"] == verdict
    sentence = describe_change(row, "cases")
    assert sentence.startswith(words)
    assert sentence.endswith(tail)
    key_findings = html.unescape(auditkit.render_section("key_findings", analysis).html)
    assert f"Since April 2017: {words}" in key_findings


# ---------------------------------------------------------------- paired comparison of re-audited cases


def test_six_cases_were_re_audited():
    before = {row["case_ref"] for row in rows_of("baseline", "deep_dive")}
    after = {row["case_ref"] for row in rows_of("followup", "deep_dive")}
    assert len(before & after) == 6


@pytest.mark.parametrize("item", list(DEEP_DIVE))
def test_paired_counts_and_mcnemar_p_for_re_audited_cases(followup, item):
    row = comparison_row(followup, "deep_dive", item)
    pairs, b, c = paired_counts(item)
    assert (row["paired_pairs"], row["paired_b"], row["paired_c"]) == (pairs, b, c)
    # McNemar's exact test is the binomial test of b against b + c at 1/2 (R: binom.test(b, b + c, 0.5))
    expected = 1.0 if b + c == 0 else stats.binomtest(min(b, c), b + c, 0.5).pvalue
    assert row["paired_p_value"] == pytest.approx(expected, rel=1e-12)
    assert row["paired_p_value"] == pytest.approx(binomial_two_sided_half(b, b + c), rel=1e-12)


def test_paired_pairs_leave_out_cases_not_applicable_in_either_round(followup):
    # escalation: 'not_needed' is not applicable; DD17-L03, DD17-S02 and DD17-R01 drop out of the six pairs
    assert paired_counts("escalation")[0] == 3
    assert comparison_row(followup, "deep_dive", "escalation")["paired_pairs"] == 3


@pytest.mark.parametrize("item", list(SURVEY))
def test_survey_items_have_no_paired_result(followup, item):
    # the survey codebook has no links_rounds item, so no response is matched across rounds
    row = comparison_row(followup, "survey", item)
    for column in ("paired_pairs", "paired_b", "paired_c", "paired_p_value", "paired_p_adjusted"):
        assert math.isnan(row[column]), column
    entry = next(e for e in analysis_to_dict(followup)["comparison"]["items"] if e["item"] == item)
    assert entry["paired"] is None


# ---------------------------------------------------------------- Mann–Whitney on ordinal items


def _mann_whitney_by_hand(first: list[int], second: list[int]) -> tuple[float, float]:
    """U of ``first`` (pairs it wins, ties one half) and the two-sided normal p with tie and continuity corrections."""
    u = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in first for b in second)
    n1, n2 = len(first), len(second)
    n = n1 + n2
    ties = sum(t**3 - t for t in np.unique(first + second, return_counts=True)[1])
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
    return u, 2 * stats.norm.sf(z)


@pytest.mark.parametrize("item", ORDINAL)
def test_ordinal_items_have_mann_whitney_from_the_levels(followup, item):
    row = comparison_row(followup, "survey", item)
    before, after = levels("baseline", item), levels("followup", item)
    expected = stats.mannwhitneyu(before, after, method="asymptotic", use_continuity=True, alternative="two-sided")
    assert row["mw_u"] == pytest.approx(expected.statistic, abs=1e-9)
    assert row["mw_p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    u, p = _mann_whitney_by_hand(before, after)
    assert row["mw_u"] == pytest.approx(u, abs=1e-9)
    assert row["mw_p_value"] == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("item", ORDINAL)
def test_ordinal_items_carry_both_distributions(followup, item):
    entry = next(e for e in analysis_to_dict(followup)["comparison"]["items"] if e["item"] == item)
    before, after = levels("baseline", item), levels("followup", item)
    assert entry["mann_whitney"]["baseline_distribution"] == {code: before.count(i) for i, code in enumerate(LEVELS)}
    assert entry["mann_whitney"]["followup_distribution"] == {code: after.count(i) for i, code in enumerate(LEVELS)}


@pytest.mark.parametrize(("instrument", "item"), [(name, item) for name, item in ALL_ITEMS if item not in ORDINAL])
def test_items_that_are_not_ordinal_have_no_mann_whitney(followup, instrument, item):
    row = comparison_row(followup, instrument, item)
    assert math.isnan(row["mw_u"]) and math.isnan(row["mw_p_value"]) and math.isnan(row["mw_p_adjusted"])
    entry = next(
        e
        for e in analysis_to_dict(followup)["comparison"]["items"]
        if (e["instrument"], e["item"]) == (instrument, item)
    )
    assert entry["mann_whitney"] is None


# ---------------------------------------------------------------- Benjamini–Hochberg over the whole round


def test_all_p_values_of_the_round_are_adjusted_together(followup):
    # Issue 18: the area (and group) tests are a family of their own (tests/analysis/test_breakdowns.py).
    items = followup.comparison.items
    places = [
        (items, "p_value", "p_adjusted"),
        (items, "paired_p_value", "paired_p_adjusted"),
        (items, "mw_p_value", "mw_p_adjusted"),
    ]
    raw, adjusted = [], []
    for frame, source, target in places:
        for p, q in zip(frame[source].astype(float), frame[target].astype(float)):
            if math.isnan(p):
                assert math.isnan(q), f"{target} should stay missing where {source} is missing"
                continue
            raw.append(p)
            adjusted.append(q)
    # 17 Fisher p, 10 McNemar p, 3 Mann–Whitney p
    assert len(raw) == 17 + 10 + 3
    assert adjusted == pytest.approx(benjamini_hochberg(raw), rel=1e-12)
    # adjusting each family on its own would give different answers: the families really are pooled
    alone = benjamini_hochberg(list(items["p_value"].astype(float)))
    assert list(items["p_adjusted"]) != pytest.approx(alone, rel=1e-9)


# ---------------------------------------------------------------- areas against each other


def area_table(instrument: str, item: str) -> list[tuple[int, int]]:
    met, not_applicable, _ = ITEMS[instrument][item]
    table: dict[str, list[int]] = {}
    for row in rows_of("followup", instrument):
        if applicable(row[item], not_applicable):
            cell = table.setdefault(row["area"].strip(), [0, 0])
            cell[0 if row[item].strip() in met else 1] += 1
    return [tuple(cell) for cell in table.values()]


def test_seen_alone_area_test_matches_brute_force_enumeration(followup):
    table = area_table("deep_dive", "seen_alone")
    # Leicester 4 of 4, Leicestershire 4 of 5, Rutland 1 of 3: counted by hand from the follow-up CSV
    assert sorted(table) == sorted([(4, 0), (4, 1), (1, 2)])
    tests = followup.area_tests.set_index(["instrument", "item"])
    assert tests.loc[("deep_dive", "seen_alone"), "p_value"] == pytest.approx(brute_force_exact(table), rel=1e-9)
    assert tests.loc[("deep_dive", "seen_alone"), "test"] == "Fisher–Freeman–Halton exact test"


@pytest.mark.parametrize(("instrument", "item"), ALL_ITEMS)
def test_every_area_test_matches_brute_force_enumeration(followup, instrument, item):
    tests = followup.area_tests.set_index(["instrument", "item"])
    assert tests.loc[(instrument, item), "p_value"] == pytest.approx(
        brute_force_exact(area_table(instrument, item)), rel=1e-9
    )


# ---------------------------------------------------------------- findings.json and findings.csv


def test_findings_json_has_the_comparison_in_the_issues_shape(followup):
    document = analysis_to_dict(followup)
    json.dumps(document, allow_nan=False)  # publishable as it is
    comparison = document["comparison"]
    assert comparison["baseline"] == {"id": "llr-2017", "title": "Neglect toolkit survey and deep dive audit"}
    assert len(comparison["items"]) == len(ALL_ITEMS)
    required = {
        "instrument",
        "item",
        "baseline",
        "followup",
        "difference",
        "diff_ci_low",
        "diff_ci_high",
        "p_value",
        "p_adjusted",
        "test",
        "verdict",
        "paired",
        "mann_whitney",
    }
    for entry in comparison["items"]:
        assert required <= set(entry), required - set(entry)
        assert set(entry["baseline"]) == {"numerator", "denominator", "proportion"}
        assert set(entry["followup"]) == {"numerator", "denominator", "proportion"}
        if entry["paired"] is not None:
            assert {"pairs", "b", "c", "p_value"} <= set(entry["paired"])
        if entry["mann_whitney"] is not None:
            assert {"u", "p_value"} <= set(entry["mann_whitney"])
    toolkit = next(e for e in comparison["items"] if e["item"] == "toolkit_used")
    assert toolkit["baseline"] == {"numerator": 2, "denominator": 10, "proportion": pytest.approx(0.2)}
    assert toolkit["followup"] == {"numerator": 9, "denominator": 12, "proportion": pytest.approx(0.75)}
    assert toolkit["verdict"] == "improved"
    assert {k: toolkit["paired"][k] for k in ("pairs", "b", "c")} == {"pairs": 6, "b": 0, "c": 5}
    assert toolkit["paired"]["p_value"] == pytest.approx(0.0625)  # 2 · (1/2)^5
    assert "trend" not in document  # two rounds only


def test_findings_json_has_area_tests_per_instrument(followup):
    document = analysis_to_dict(followup)
    for name, items in ITEMS.items():
        tests = document["instruments"][name]["area_tests"]
        assert set(tests) == set(items)
        for item, test in tests.items():
            assert test["test"] == "Fisher–Freeman–Halton exact test"
            assert test["p_value"] == pytest.approx(brute_force_exact(area_table(name, item)), rel=1e-9)


def test_findings_csv_has_one_comparison_row_per_compared_item(followup):
    table = analysis_to_table(followup)
    rows = table[table["section"] == "comparison"]
    assert sorted(zip(rows["instrument"], rows["item"])) == sorted(ALL_ITEMS)
    toolkit = rows[rows["item"] == "toolkit_used"].iloc[0]
    assert (toolkit["numerator"], toolkit["denominator"]) == (9, 12)
    assert (toolkit["baseline_numerator"], toolkit["baseline_denominator"]) == (2, 10)
    assert toolkit["area"] == "all"
    low, high = wilson(9, 12)  # the follow-up's own Wilson interval
    assert toolkit["ci_low"] == pytest.approx(low, abs=1e-9)
    assert toolkit["ci_high"] == pytest.approx(high, abs=1e-9)
    assert toolkit["verdict"] == "improved"


def test_a_single_round_has_no_comparison_and_no_trend(single):
    document = analysis_to_dict(single)
    assert "comparison" not in document
    assert "trend" not in document
    assert single.comparison is None and single.history == ()
    assert single.comparison_table().empty
    table = analysis_to_table(single)
    assert not (table["section"] == "comparison").any()
    # its own areas are still tested against each other
    assert set(document["instruments"]["deep_dive"]["area_tests"]) == set(DEEP_DIVE)


# ---------------------------------------------------------------- the briefing


def test_change_section_heads_and_lists_the_toolkit_sentence(followup):
    text = html.unescape(auditkit.render_section("change", followup).html)
    assert '<h2 id="change">Change since Neglect toolkit survey and deep dive audit</h2>' in text
    assert (
        "<li>Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points "
        "(95% CI 13 to 77; Fisher's exact p = 0.030)." in text
    )


def test_change_section_lists_every_unclear_item_under_no_clear_change(followup):
    text = html.unescape(auditkit.render_section("change", followup).html)
    listed = [part for found in re.findall(r"No clear change in: ([^<]*)\.</p>", text) for part in found.split("; ")]
    expected, clear = [], []
    for instrument, items in ITEMS.items():
        for item, (_, _, measure) in items.items():
            x2, n2 = counts("baseline", instrument, item)
            x1, n1 = counts("followup", instrument, item)
            _, low, high = newcombe(x1, n1, x2, n2)
            verdict = expected_verdict(low, high, item == "drift_evident")
            (expected if verdict == "no clear change" else clear).append(measure[0].lower() + measure[1:])
    assert listed == expected
    assert "drift or delay" in listed
    for measure in clear:
        assert measure not in listed


def test_change_section_is_empty_for_a_single_round(single):
    assert auditkit.render_section("change", single).html.strip() == ""


def test_key_findings_give_the_change_since_the_baseline(followup, single):
    assert "Since April 2017: Toolkit use rose from 2 of 10 cases" in html.unescape(
        auditkit.render_section("key_findings", followup).html
    )
    # drift did not change clearly, so its key finding has no "Since" sentence
    assert "Since April 2017: Drift" not in html.unescape(auditkit.render_section("key_findings", followup).html)
    assert "Since" not in auditkit.render_section("key_findings", single).html


# ---------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("difference", "text"),
    [
        (-0.283, "\u221228"),  # true minus sign, U+2212
        (0.55, "55"),
        (0.005, "1"),  # halves round up, away from zero
        (-0.005, "\u22121"),
        (0.0, "0"),
        (-0.004, "0"),  # no "−0"
        (1.0, "100"),
    ],
)
def test_format_points(difference, text):
    assert format_points(difference) == text


def test_format_points_never_uses_a_hyphen():
    assert "-" not in format_points(-0.283)
    assert format_points(-0.283)[0] == "\u2212"


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0299, "p = 0.030"),
        (0.0004, "p < 0.001"),
        (0.0625, "p = 0.063"),  # halves round up (Python's round() would give 0.062)
        (0.001, "p = 0.001"),
        (0.00099, "p < 0.001"),
        (1.0, "p = 1.000"),
        (math.nan, "p not computed"),
        (None, "p not computed"),
    ],
)
def test_format_p(p, text):
    assert format_p(p) == text
