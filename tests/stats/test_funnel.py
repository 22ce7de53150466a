"""auditkit.stats.funnel: PHEindicatormethods proportion funnel limits and significance labels.

Sources (see shared/reference/stats/README.md):
- PHEindicatormethods test fixtures ``testdata_funnel_prop_inputs.csv`` (303 PCTs: numerator, denominator and
  the ``assign_funnel_significance`` label) and ``testdata_funnel_prop_outputs.csv`` (100 populations with the
  95% "2 s.d." and 99.8% "3 s.d." limits and the baseline, in percent, rounded to 6 decimals). A port should
  reproduce them to 1e-6 percentage points.
- The definition: each limit is the proportion whose own Wilson score interval just touches the target;
  the Wilson limits in PHEindicatormethods form are written out independently below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import SHARED_STATS
from scipy.stats import norm

from auditkit.stats.funnel import (
    FUNNEL_LABELS,
    FUNNEL_LIMIT_COLUMNS,
    assign_funnel_significance,
    calculate_funnel_limits,
    funnel_limits,
    funnel_populations,
)
from auditkit.stats.proportions import proportion_ci

INPUTS = SHARED_STATS / "testdata_funnel_prop_inputs.csv"
OUTPUTS = SHARED_STATS / "testdata_funnel_prop_outputs.csv"
LIMITS = {
    "lower_95": "Lower2s0025limit",
    "upper_95": "Upper2s0025limit",
    "lower_998": "Lower3s0001limit",
    "upper_998": "Upper3s0001limit",
}


@pytest.fixture(scope="module")
def inputs() -> pd.DataFrame:
    return pd.read_csv(INPUTS, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def outputs() -> pd.DataFrame:
    return pd.read_csv(OUTPUTS, encoding="utf-8-sig")


def wilson_phe(x: float, n: float, z: float) -> tuple[float, float]:
    """Wilson limits, PHEindicatormethods form: (2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))."""
    centre = 2 * x + z**2
    spread = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    return (centre - spread) / (2 * (n + z**2)), (centre + spread) / (2 * (n + z**2))


def test_fixtures_are_the_expected_files(inputs, outputs):
    assert len(inputs) == 303 and len(outputs) == 100
    assert list(outputs.columns) == ["Population", *LIMITS.values(), "Baseline"]


def test_columns_are_stable_and_in_order():
    assert list(funnel_limits(0.5, [10, 20]).columns) == list(FUNNEL_LIMIT_COLUMNS)


def test_baseline_is_the_pooled_proportion_of_the_inputs(inputs, outputs):
    limits = calculate_funnel_limits(inputs["numerator"], inputs["denominator"], populations=outputs["Population"])
    assert np.abs(limits["target"] * 100 - outputs["Baseline"]).max() < 1e-6


@pytest.mark.parametrize("column", list(LIMITS))
def test_limits_reproduce_phe_fixture_to_1e_6_percentage_points(inputs, outputs, column):
    limits = calculate_funnel_limits(inputs["numerator"], inputs["denominator"], populations=outputs["Population"])
    assert list(limits["denominator"]) == list(outputs["Population"].astype(float))
    difference = np.abs(limits[column].to_numpy() * 100 - outputs[LIMITS[column]].to_numpy())
    # The fixture is rounded to 6 decimals, so an exact port differs by at most 5e-7.
    assert difference.max() < 1e-6


def test_fixture_clamps_small_populations(outputs):
    # PHEindicatormethods fixture: at population 1 the 99.8% lower limit is 0 and the upper limits are 100.
    limits = funnel_limits(outputs["Baseline"].iloc[0] / 100, [1, 2, 16])
    assert limits["lower_998"].iloc[0] == 0.0 and limits["upper_998"].iloc[0] == 1.0
    assert limits["upper_95"].tolist() == [1.0, 1.0, 1.0]
    assert round(limits["lower_95"].iloc[0] * 100, 4) == pytest.approx(3.2043, abs=1e-9)


def test_significance_labels_reproduce_phe_fixture_exactly(inputs):
    labels = assign_funnel_significance(inputs["numerator"], inputs["denominator"])
    assert labels.tolist() == inputs["significance"].tolist()
    assert set(labels) <= set(FUNNEL_LABELS)


@pytest.mark.parametrize("target", [0.05, 0.3017, 0.5, 0.806, 0.97])
@pytest.mark.parametrize("n", [3, 22, 98, 1243, 110000])
def test_each_limit_is_the_proportion_whose_wilson_interval_touches_the_target(target, n):
    row = funnel_limits(target, [n]).iloc[0]
    for level, z in (("95", norm.ppf(0.975)), ("998", norm.ppf(0.999))):
        lower, upper = row[f"lower_{level}"], row[f"upper_{level}"]
        if 0 < lower:
            assert wilson_phe(lower * n, n, z)[1] == pytest.approx(target, abs=1e-12)
        else:  # clamped: even no events at all have an upper Wilson limit above the target
            assert wilson_phe(0, n, z)[1] > target
        if upper < 1:
            assert wilson_phe(upper * n, n, z)[0] == pytest.approx(target, abs=1e-12)
        else:
            assert wilson_phe(n, n, z)[0] < target
        assert lower <= target <= upper


def test_998_limits_are_wider_than_95():
    limits = funnel_limits(0.3, [5, 50, 500, 5000])
    assert (limits["lower_998"] <= limits["lower_95"]).all() and (limits["upper_998"] >= limits["upper_95"]).all()


def test_targets_of_0_and_1_give_limits_at_the_target():
    assert funnel_limits(0.0, [10])[["lower_95", "upper_95", "lower_998", "upper_998"]].iloc[0].tolist() == [0, 0, 0, 0]
    assert funnel_limits(1.0, [10])[["lower_95", "upper_95"]].iloc[0].tolist() == pytest.approx([1, 1])


def test_labels_agree_with_each_areas_own_wilson_intervals():
    # Lancashire districts, March 2018, against the county's 375 of 1,243: outside the funnel's 95% (99.8%)
    # limits exactly when the target lies outside the area's own 95% (99.8%) Wilson interval.
    x = np.array([26, 56, 35, 69, 21, 37, 73, 24, 22])
    n = np.array([98, 179, 157, 181, 126, 88, 214, 62, 22])
    target = 375 / 1243
    labels = assign_funnel_significance(x, n, target=target)
    narrow, wide = proportion_ci(x, n, 0.95), proportion_ci(x, n, 0.998)
    for label, (_, a), (_, b) in zip(labels, narrow.iterrows(), wide.iterrows()):
        expected = (
            "High (0.001)"
            if b["ci_low"] > target
            else "High (0.025)"
            if a["ci_low"] > target
            else "Low (0.001)"
            if b["ci_high"] < target
            else "Low (0.025)"
            if a["ci_high"] < target
            else "Not significant"
        )
        assert label == expected
    assert labels.tolist() == [
        "Not significant",
        "Not significant",
        "Low (0.025)",
        "High (0.025)",
        "Low (0.001)",
        "High (0.025)",
        "Not significant",
        "Not significant",
        "High (0.001)",
    ]


def test_a_proportion_on_the_limit_is_not_significant():
    n = 200.0
    limit = funnel_limits(0.3, [n])["upper_95"].iloc[0]
    just_inside, just_outside = limit * n * (1 - 1e-9), limit * n * (1 + 1e-9)
    labels = assign_funnel_significance([just_inside, just_outside], [n, n], target=0.3)
    assert labels.tolist() == ["Not significant", "High (0.025)"]


def test_missing_counts_get_no_label_and_keep_the_index():
    numerators = pd.Series([10.0, np.nan, 5.0], index=[7, 8, 9])
    labels = assign_funnel_significance(numerators, [20, 20, 0], target=0.5)
    assert labels.index.tolist() == [7, 8, 9]
    assert labels.tolist() == ["Not significant", None, None]


def test_inputs_are_not_changed(inputs):
    before = inputs.copy()
    calculate_funnel_limits(inputs["numerator"], inputs["denominator"])
    assign_funnel_significance(inputs["numerator"], inputs["denominator"])
    pd.testing.assert_frame_equal(inputs, before)


def test_default_populations_run_from_1_to_the_largest_denominator_rounded_up():
    grid = funnel_populations(102950)
    assert grid[0] == 1 and grid[-1] == 110000
    assert np.all(np.diff(grid) > 0) and np.all(grid == np.round(grid))
    assert funnel_populations(214)[-1] == 220


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: funnel_limits(1.2, [10]), "the target must be a proportion between 0 and 1, not 1.2"),
        (lambda: funnel_limits("high", [10]), "the target must be a proportion between 0 and 1, not 'high'"),
        (lambda: funnel_limits(0.5, [0, 10]), "each denominator must be a number greater than 0"),
        (lambda: calculate_funnel_limits([3, 12], [10, 10]), "each numerator must lie between 0 and its denominator"),
        (lambda: assign_funnel_significance([1, 2], [10]), "numerators and denominators must have the same length"),
    ],
)
def test_impossible_inputs_raise_value_error(call, message):
    with pytest.raises(ValueError, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")):
        call()
