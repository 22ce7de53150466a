"""auditkit.stats.proportions.proportion_ci: Wilson score intervals checked against published and independent values.

Sources (see also shared/reference/stats/README.md):
- Newcombe RG (1998a) "Two-sided confidence intervals for the single proportion: comparison of seven
  methods", Statistics in Medicine 17:857–872, Table I (method 3: Wilson score, no continuity correction).
- Newcombe RG (1998b) "Interval estimation for the difference between independent proportions: comparison
  of eleven methods", Statistics in Medicine 17:873–890, Table II (method 10: hybrid score), as listed in
  the shared README.
- PHEindicatormethods ``phe_proportion`` closed form, quoted in the shared README.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from auditkit.stats.proportions import proportion_ci

COLUMNS = ["numerator", "denominator", "proportion", "ci_low", "ci_high"]


def wilson_phe(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson limits, PHEindicatormethods form (shared/reference/stats/README.md), written out independently:
    lower = (2x + z² − z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²)), upper the same with +."""
    z = norm.ppf(1 - (1 - confidence) / 2)
    centre = 2 * x + z**2
    spread = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    denominator = 2 * (n + z**2)
    return (centre - spread) / denominator, (centre + spread) / denominator


def one(x: int, n: int) -> pd.Series:
    return proportion_ci(x, n).iloc[0]


def test_columns_are_stable_and_in_order():
    assert list(proportion_ci([1, 2], [4, 5]).columns) == COLUMNS


# Newcombe (1998a), Stat Med 17:857–872, Table I, Wilson score method without continuity correction.
@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998_table_1(x, n, low, high):
    row = one(x, n)
    assert round(row["ci_low"], 4) == pytest.approx(low, abs=1e-9)
    assert round(row["ci_high"], 4) == pytest.approx(high, abs=1e-9)
    assert row["proportion"] == x / n


# Newcombe (1998b), Stat Med 17:873–890, Table II, method 10 (hybrid score) for p1 − p2, values as listed in
# shared/reference/stats/README.md. Method 10 is defined from the single-proportion Wilson limits (l, u):
#   L = p1 − p2 − sqrt((p1 − l1)² + (u2 − p2)²),  U = p1 − p2 + sqrt((u1 − p1)² + (p2 − l2)²)
# so the published limits test proportion_ci's Wilson limits. (Checked by hand: 10/10 vs 0/20 gives
# 1 − sqrt(0.2775² + 0.1611²) = 0.6791, not 0.7225 − 0.1611 = 0.5614.)
@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (10, 10, 0, 10, 0.6075, 1.0000),
    ],
)
def test_wilson_limits_reproduce_newcombe_1998_table_2_hybrid_score(x1, n1, x2, n2, low, high):
    a, b = one(x1, n1), one(x2, n2)
    difference = a["proportion"] - b["proportion"]
    lower = difference - math.hypot(a["proportion"] - a["ci_low"], b["ci_high"] - b["proportion"])
    upper = difference + math.hypot(a["ci_high"] - a["proportion"], b["proportion"] - b["ci_low"])
    assert round(lower, 4) == pytest.approx(low, abs=1e-9)
    assert round(upper, 4) == pytest.approx(high, abs=1e-9)


def test_newcombe_table_2_zero_rows_equal_single_wilson_upper_limits():
    # Newcombe (1998b) Table II: 0/10 vs 0/20 is −0.1611 to 0.2775 and 0/10 vs 0/10 is −0.2775 to 0.2775.
    # With p1 = p2 = 0 (so l1 = l2 = 0) method 10 reduces exactly to L = −u2, U = u1.
    assert round(one(0, 20)["ci_high"], 4) == 0.1611
    assert round(one(0, 10)["ci_high"], 4) == 0.2775
    assert one(0, 10)["ci_low"] == pytest.approx(0.0, abs=1e-12)
    # 10/10 has lower limit 1 − u(0/10) by the symmetry of the Wilson interval (x → n − x).
    assert one(10, 10)["ci_low"] == pytest.approx(1 - one(0, 10)["ci_high"], abs=1e-12)
    assert one(10, 10)["ci_high"] == pytest.approx(1.0, abs=1e-12)


CASES = [
    (x, n) for n in (1, 2, 3, 5, 7, 10, 20, 29, 61, 148, 263, 1000) for x in sorted({0, 1, n // 3, n // 2, n - 1, n})
]


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_matches_phe_closed_form(confidence):
    # Independent computation: PHEindicatormethods closed form (shared/reference/stats/README.md), z from scipy.
    x = np.array([case[0] for case in CASES])
    n = np.array([case[1] for case in CASES])
    table = proportion_ci(x, n, confidence=confidence)
    for i, (xi, ni) in enumerate(CASES):
        low, high = wilson_phe(xi, ni, confidence)
        assert table["ci_low"].iloc[i] == pytest.approx(low, abs=1e-12), (xi, ni)
        assert table["ci_high"].iloc[i] == pytest.approx(high, abs=1e-12), (xi, ni)
        assert table["proportion"].iloc[i] == xi / ni


def test_998_interval_is_wider_than_95():
    narrow, wide = one(2, 10), proportion_ci(2, 10, confidence=0.998).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] and wide["ci_high"] > narrow["ci_high"]


def test_interior_interval_strictly_contains_its_point_estimate():
    for size in range(2, 61):
        x = np.arange(1, size)
        table = proportion_ci(x, np.full_like(x, size))
        assert (table["ci_low"] < table["proportion"]).all()
        assert (table["proportion"] < table["ci_high"]).all()


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_interval_contains_its_point_estimate_at_zero_and_all(confidence):
    # The closed form (PHEindicatormethods) gives exactly 0 at x = 0 and exactly 1 at x = n.
    sizes = np.arange(1, 61)
    none = proportion_ci(np.zeros_like(sizes), sizes, confidence=confidence)
    every = proportion_ci(sizes, sizes, confidence=confidence)
    assert (none["ci_low"] == 0.0).all(), none[none["ci_low"] != 0.0]
    assert (every["ci_high"] == 1.0).all(), every[every["ci_high"] != 1.0]


def test_zero_limit_is_never_negative_zero():
    # −0.0 would print as "-0%" in a briefing.
    for size in range(1, 61):
        assert math.copysign(1.0, one(0, size)["ci_low"]) == 1.0, size


def test_example_briefing_headline_toolkit_used_2_of_10():
    # The LLR briefing: toolkit used in 2 of 10 cases, 20%, 95% CI 6% to 51%.
    row = one(2, 10)
    assert row["proportion"] == 0.2
    assert round(row["ci_low"] * 100) == 6
    assert round(row["ci_high"] * 100) == 51
    low, high = wilson_phe(2, 10)
    assert row["ci_low"] == pytest.approx(low, abs=1e-12)
    assert row["ci_high"] == pytest.approx(high, abs=1e-12)


def test_zero_denominator_gives_missing_values_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = proportion_ci([0, 3], [0, 6])
    assert table[["proportion", "ci_low", "ci_high"]].iloc[0].isna().all()
    assert table["numerator"].iloc[0] == 0 and table["denominator"].iloc[0] == 0
    # the other row is unaffected
    assert table["proportion"].iloc[1] == 0.5
    assert table[["ci_low", "ci_high"]].iloc[1].notna().all()


def test_all_denominators_zero_gives_missing_values_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = proportion_ci(0, 0)
    assert len(table) == 1
    assert table[["proportion", "ci_low", "ci_high"]].isna().all(axis=None)


@pytest.mark.parametrize(("x", "n"), [(11, 10), (1, 0), (-1, 10), ([2, 5], [3, 4]), ([2, -1], [3, 4])])
def test_impossible_counts_raise_value_error(x, n):
    with pytest.raises(ValueError):
        proportion_ci(x, n)


def test_scalar_input_gives_one_row():
    table = proportion_ci(3, 12)
    assert list(table.columns) == COLUMNS
    assert len(table) == 1
    assert table["numerator"].iloc[0] == 3 and table["denominator"].iloc[0] == 12
    assert table["proportion"].iloc[0] == 0.25


def test_counts_are_integers():
    table = proportion_ci([1.0, 2.0], [4.0, 5.0])
    assert table["numerator"].tolist() == [1, 2]
    assert table["denominator"].tolist() == [4, 5]
    assert pd.api.types.is_integer_dtype(table["numerator"])
    assert pd.api.types.is_integer_dtype(table["denominator"])


def test_series_index_is_preserved():
    index = pd.Index(["Leicester", "Leicestershire", "Rutland"], name="area")
    numerator = pd.Series([1, 1, 0], index=index)
    denominator = pd.Series([4, 4, 2], index=index)
    table = proportion_ci(numerator, denominator)
    assert table.index.equals(index)
    assert table.loc["Rutland", "numerator"] == 0
    assert table.loc["Leicester", "proportion"] == 0.25


def test_inputs_are_not_modified():
    numerator = pd.Series([0, 2, 5], index=["a", "b", "c"])
    denominator = np.array([0.0, 10.0, 5.0])
    kept_numerator, kept_denominator = numerator.copy(), denominator.copy()
    proportion_ci(numerator, denominator)
    pd.testing.assert_series_equal(numerator, kept_numerator)
    np.testing.assert_array_equal(denominator, kept_denominator)

    numerator_list, denominator_list = [0, 2, 5], [0, 10, 5]
    proportion_ci(numerator_list, denominator_list)
    assert numerator_list == [0, 2, 5] and denominator_list == [0, 10, 5]


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5])
def test_confidence_outside_zero_one_raises(confidence):
    with pytest.raises(ValueError):
        proportion_ci(1, 2, confidence=confidence)


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        # Issue 18: a NaN became the numerator −9223372036854775808, and 1.5 of 5 was reported as 1 of 5 with
        # the proportion 0.3; each is now refused, naming the argument.
        (float("nan"), 5, "numerator must be counts: whole numbers with no missing values"),
        (1.5, 5, "numerator must be whole numbers"),
        (-1, 5, "numerator must not be negative"),
        (1, float("nan"), "denominator must be counts: whole numbers with no missing values"),
        (1, 4.5, "denominator must be whole numbers"),
        (0, -2, "denominator must not be negative"),
        ([1, None], [4, 5], "numerator must be counts"),
        ("three", 5, "numerator must be counts"),
    ],
)
def test_counts_that_are_missing_fractional_or_negative_are_refused_by_name(x, n, message):
    with pytest.raises(ValueError, match=message):
        proportion_ci(x, n)
