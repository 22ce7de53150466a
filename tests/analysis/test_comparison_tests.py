"""auditkit.analysis.comparison_tests: which records two rounds share, and the primary test that follows.

Issue 18: none shared → Fisher's exact test and Newcombe's hybrid score interval; all shared → McNemar's exact
test and Newcombe's paired interval; some → the partially overlapping samples z-test and its interval. The
example follow-up shares six of its cases with the baseline (some); the other two cases are made here by editing
a copy of the example's follow-up cases. Expected values are computed in this file (exact binomial sums, the
stats functions that tests/stats checks against published values), never taken from an earlier comparison.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, RoundCopy
from scipy import stats

import auditkit
from auditkit.analysis.comparison_tests import (
    MCNEMAR,
    PRIMARY,
    SECONDARY,
    TEST_COLUMNS,
    item_tests,
    met_answers,
    shared_records,
)
from auditkit.stats.inference import difference_ci
from auditkit.stats.paired import paired_difference_ci

DEEP_DIVE = auditkit.load_round(REPO / "parameters" / "llr-2017.yaml").instruments["deep_dive"].codebook
TOOLKIT = DEEP_DIVE.item("toolkit_used")
ESCALATION = DEEP_DIVE.item("escalation")


def _followup_cases(example_round: RoundCopy) -> Path:
    return example_round.root / "data_templates" / "examples" / "llr-2017-followup-cases.csv"


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(row) for row in rows)


def _toolkit(analysis: auditkit.Analysis) -> dict:
    items = analysis.comparison.items
    return items[items["item"] == "toolkit_used"].iloc[0].to_dict()


def test_met_answers_leave_out_blank_and_not_applicable():
    answers = pd.Series(["timely", "delayed", "not_needed", None])
    met = met_answers(answers, ESCALATION)
    assert met[:2].tolist() == [True, False] and met[2:].isna().all()


def test_shared_records_cross_classify_the_pairs_and_the_rest():
    baseline = pd.DataFrame({"case_ref": ["A", "B", "C", "D", None], "toolkit_used": ["yes", "no", "no", "yes", "no"]})
    followup = pd.DataFrame({"case_ref": ["A", "B", "C", " ", "E"], "toolkit_used": ["yes", "yes", "no", "yes", "no"]})
    # A met in both, B at follow-up only, C in neither; D, the blank link and E are in one round only
    assert shared_records(TOOLKIT, DEEP_DIVE, baseline, followup) == {
        "pairs": 3,
        "both": 1,
        "paired_b": 0,
        "paired_c": 1,
        "neither": 1,
        "baseline_only_met": 1,
        "baseline_only": 2,
        "followup_only_met": 1,
        "followup_only": 2,
    }


def test_a_case_not_applicable_in_one_round_is_not_a_pair():
    baseline = pd.DataFrame({"case_ref": ["A", "B"], "escalation": ["timely", "not_needed"]})
    followup = pd.DataFrame({"case_ref": ["A", "B"], "escalation": ["delayed", "timely"]})
    shared = shared_records(ESCALATION, DEEP_DIVE, baseline, followup)
    assert (shared["pairs"], shared["paired_b"], shared["baseline_only"], shared["followup_only"]) == (1, 1, 0, 1)


def test_the_example_re_audits_some_cases_so_the_partially_overlapping_test_is_primary():
    row = _toolkit(auditkit.analyse_round(REPO / "parameters" / "llr-2017-followup.yaml"))
    assert (row["overlap"], row["primary_test"]) == ("some", "partially_overlapping_z")


def test_with_no_case_re_audited_fishers_test_and_the_hybrid_interval_are_primary(example_round: RoundCopy):
    _rewrite(_followup_cases(example_round), lambda row: {**row, "case_ref": row["case_ref"].replace("DD17", "DX17")})
    row = _toolkit(auditkit.analyse_round(example_round.root / "parameters" / "llr-2017-followup.yaml"))
    assert (row["overlap"], row["primary_test"], row["test"]) == ("none", "fisher", "Fisher's exact test")
    assert row["p_value"] == pytest.approx(stats.fisher_exact([[9, 3], [2, 8]])[1], rel=1e-12)  # 0.030
    interval = difference_ci(9, 12, 2, 10).iloc[0]
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(
        (interval["diff_ci_low"], interval["diff_ci_high"]), abs=1e-12
    )
    assert math.isnan(row["paired_pairs"]) and math.isnan(row["overlap_z"])


def test_with_every_case_re_audited_mcnemars_test_and_the_paired_interval_are_primary(example_round: RoundCopy):
    # The follow-up re-audits the baseline's ten cases, and only the toolkit answer changes: used in all but
    # DD17-R02 (2 used in both rounds, 7 at follow-up only, 1 in neither).
    baseline = example_round.cases
    followup = _followup_cases(example_round)
    followup.write_text(baseline.read_text(encoding="utf-8"), encoding="utf-8")
    _rewrite(
        followup,
        lambda row: {
            **row,
            "audit_date": "2017-12-04",
            "toolkit_used": "no" if row["case_ref"] == "DD17-R02" else "yes",
        },
    )
    analysis = auditkit.analyse_round(example_round.root / "parameters" / "llr-2017-followup.yaml")
    row = _toolkit(analysis)
    assert (row["overlap"], row["primary_test"], row["test"]) == ("all", "mcnemar", "McNemar's exact test")
    assert (row["paired_pairs"], row["paired_both"], row["paired_c"], row["paired_b"], row["paired_neither"]) == (
        10,
        2,
        7,
        0,
        1,
    )
    assert row["p_value"] == pytest.approx(2 * 0.5**7, rel=1e-12)  # exact two-sided binomial, 7 of 7 one way
    # Newcombe's method 10 (checked against his Table III in tests/stats/test_paired.py), follow-up first
    interval = paired_difference_ci(2, 7, 0, 1).iloc[0]
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(
        (interval["diff_ci_low"], interval["diff_ci_high"]), abs=1e-12
    )
    # every other item is answered alike in both rounds: all shared, no discordant pair, p = 1
    others = analysis.comparison.items[analysis.comparison.items["instrument"] == "deep_dive"]
    assert set(others["overlap"]) == {"all"}
    assert (others.loc[others["item"] != "toolkit_used", "p_value"] == 1.0).all()
    tests = item_tests(analysis.comparison.items)
    assert tests[tests["item"] == "toolkit_used"][["test", "role"]].values.tolist() == [[MCNEMAR, PRIMARY]]


def test_item_tests_list_the_primary_then_the_secondary_tests():
    items = auditkit.analyse_round(REPO / "parameters" / "llr-2017-followup.yaml").comparison.items
    tests = item_tests(items)
    assert list(tests.columns) == list(TEST_COLUMNS)
    toolkit = tests[tests["item"] == "toolkit_used"]
    assert toolkit[["test", "role"]].values.tolist() == [["partially_overlapping_z", PRIMARY], [MCNEMAR, SECONDARY]]
    assert toolkit["p_adjusted"].isna().tolist() == [False, True]  # only the primary test is in the family
    challenging = tests[tests["item"] == "confident_challenging"]
    assert challenging[["test", "role"]].values.tolist() == [["fisher", PRIMARY], ["mann_whitney", SECONDARY]]
    assert challenging["statistic"].iloc[1] == 780  # R wilcox.test: W = 780
    assert (tests["role"] == PRIMARY).sum() == len(items) == 17
