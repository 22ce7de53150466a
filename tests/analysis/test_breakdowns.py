"""auditkit.analysis.breakdowns (and the group tests of auditkit.analysis.area_tests): findings by any group.

Expected counts are worked out here from the example survey's CSV with pandas, never from auditkit's output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import auditkit
from auditkit.analysis.area_tests import BREAKDOWN_TEST_COLUMNS, FREEMAN_HALTON, compare_groups
from auditkit.analysis.breakdowns import BREAKDOWN_COLUMNS, group_column
from auditkit.stats.inference import adjust_bh
from auditkit.stats.proportions import proportion_ci

BREAKDOWNS = "\nbreakdowns: [agency, child_age_band]\ninstruments:"


@pytest.fixture
def analysis(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    return auditkit.analyse_round(example_round.parameters, reuse=False)


@pytest.fixture
def survey(example_round) -> pd.DataFrame:
    return pd.read_csv(example_round.root / "data_templates" / "examples" / "llr-2017-survey.csv", dtype=str)


def test_each_item_per_agency_as_areas_have_it(analysis, survey):
    rows = analysis.findings.breakdowns
    assert list(rows.columns) == list(BREAKDOWN_COLUMNS)
    used = rows[(rows["breakdown"] == "agency") & (rows["item"] == "used_toolkit")].set_index("group")
    assert list(used.index) == ["social_care", "early_help", "health", "education", "police", "voluntary", "other"]
    answered = survey[survey["used_toolkit"].notna()]
    expected_met = answered[answered["used_toolkit"] == "yes"].groupby("agency").size()
    expected_all = answered.groupby("agency").size()
    for group, row in used.iterrows():
        assert (row["numerator"], row["denominator"]) == (expected_met.get(group, 0), expected_all.get(group, 0))
        interval = proportion_ci(row["numerator"], row["denominator"]).iloc[0]
        assert (row["ci_low"], row["ci_high"]) == (interval["ci_low"], interval["ci_high"])
    assert used.loc["health", "group_label"] == "Health"
    # the breakdown item is not broken down by itself, and the deep dive's items go by the child's age band
    assert "agency" not in set(rows["item"])
    assert set(rows.loc[rows["instrument"] == "deep_dive", "breakdown"]) == {"child_age_band"}


def test_groups_are_tested_against_each_other_as_areas_are(analysis):
    tests = analysis.breakdown_tests
    assert list(tests.columns) == list(BREAKDOWN_TEST_COLUMNS)
    row = tests[(tests["breakdown"] == "agency") & (tests["item"] == "used_toolkit")].iloc[0]
    figures = analysis.findings.breakdowns
    used = figures[(figures["breakdown"] == "agency") & (figures["item"] == "used_toolkit")]
    counted = used[used["denominator"] > 0]
    assert row["groups"] == list(counted["group"])
    expected = compare_groups(counted["numerator"], counted["denominator"])
    assert row["p_value"] == expected["p_value"] and row["test"] == FREEMAN_HALTON
    assert math.isnan(row["monte_carlo_se"])


def test_area_and_group_tests_are_one_family_of_their_own(analysis):
    # Issue 18: the tests of areas and of groups are adjusted together, and apart from the comparison's family.
    raw = [*analysis.area_tests["p_value"], *analysis.breakdown_tests["p_value"]]
    adjusted = [*analysis.area_tests["p_adjusted"], *analysis.breakdown_tests["p_adjusted"]]
    assert adjusted == pytest.approx(list(adjust_bh(raw)), rel=1e-12)
    assert len(analysis.breakdown_tests) > 0 and len(analysis.area_tests) > 0


def test_validate_leaves_the_tests_out(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    checked = auditkit.analyse_round(example_round.parameters, tests=False)
    assert checked.area_tests.empty and checked.breakdown_tests.empty
    assert not checked.findings.breakdowns.empty  # the figures are still there


def test_grouped_cells_add_up_to_the_plain_cells(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    example_round.edit_parameters("min_count: 0", "min_count: 5")
    cells = auditkit.analyse_round(example_round.parameters, reuse=False).findings.cells
    survey = cells[cells["instrument"] == "survey"]
    assert survey[group_column("agency")].notna().all() and survey[group_column("child_age_band")].isna().all()
    by_area = survey.groupby(["item", "area", "value"])["count"].sum()
    assert by_area.sum() == 61 * survey["item"].nunique()  # every response once per item
    assert np.all(survey["count"] >= 0)
