"""auditkit.stats.inference: tests between rounds and areas, checked against published and independent values.

Sources (see also shared/reference/stats/README.md):
- Newcombe RG (1998) "Interval estimation for the difference between independent proportions: comparison
  of eleven methods", Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score), as listed in
  the shared README.
- R's own example output for the stats package, tests/Examples/stats-Ex.Rout.save in the R sources
  (r-devel/r-svn; the same figures in wch/r-source), quoted below as "R example output": fisher.test,
  prop.trend.test and wilcox.test.
- Benjamini Y, Hochberg Y (1995) J R Stat Soc B 57:289–300, worked example (15 p-values, q = 0.05).
Where no printed value exists the reference is computed independently in this file (exact integer
arithmetic, a brute-force enumeration, or the textbook formula written out), never from earlier output of
auditkit.stats.inference.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from auditkit.stats.inference import (
    DIFFERENCE_COLUMNS,
    MANN_WHITNEY_COLUMNS,
    TREND_COLUMNS,
    adjust_bh,
    cochran_armitage_trend,
    difference_ci,
    fisher_exact_test,
    mann_whitney_test,
    mcnemar_exact_test,
)

# Newcombe (1998), Stat Med 17:873–890, Table II, method 10 (hybrid score), 95% CI for p1 − p2,
# as listed in shared/reference/stats/README.md: (x1, n1, x2, n2, lower, upper).
NEWCOMBE_TABLE_2 = [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.0582, 0.8062),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0000),
    (10, 10, 0, 10, 0.6075, 1.0000),
]


# ---------------------------------------------------------------------------------------------------------
# difference_ci


def test_difference_columns_are_stable_and_in_order():
    assert DIFFERENCE_COLUMNS == ("difference", "diff_ci_low", "diff_ci_high")
    assert list(difference_ci([1, 2], [4, 5], [0, 1], [3, 3]).columns) == list(DIFFERENCE_COLUMNS)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "low", "high"), NEWCOMBE_TABLE_2)
def test_difference_ci_reproduces_newcombe_1998_table_2(x1, n1, x2, n2, low, high):
    row = difference_ci(x1, n1, x2, n2).iloc[0]
    assert row["difference"] == pytest.approx(x1 / n1 - x2 / n2, abs=1e-15)
    assert round(row["diff_ci_low"], 4) == pytest.approx(low, abs=1e-9)
    assert round(row["diff_ci_high"], 4) == pytest.approx(high, abs=1e-9)


def test_difference_ci_is_vectorised_one_row_per_pair():
    # All eight rows of Newcombe (1998) Table II in one call, in order.
    x1, n1, x2, n2, low, high = (list(column) for column in zip(*NEWCOMBE_TABLE_2, strict=True))
    table = difference_ci(x1, n1, x2, n2)
    assert len(table) == 8
    np.testing.assert_allclose(table["diff_ci_low"].round(4), low, atol=1e-9)
    np.testing.assert_allclose(table["diff_ci_high"].round(4), high, atol=1e-9)


def test_difference_ci_scalar_input_gives_one_row():
    table = difference_ci(9, 10, 3, 10)
    assert len(table) == 1 and list(table.columns) == list(DIFFERENCE_COLUMNS)


def test_difference_ci_zero_denominator_gives_missing_row_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = difference_ci([0, 9], [0, 10], [1, 3], [5, 10])
    assert table.iloc[0].isna().all()
    assert round(table["diff_ci_low"].iloc[1], 4) == 0.1705  # Newcombe (1998) Table II, 9/10 vs 3/10


def test_difference_ci_keeps_series_index():
    index = pd.Index(["Leicester", "Rutland"], name="area")
    table = difference_ci(pd.Series([56, 6], index=index), [70, 7], [48, 2], [80, 7])
    assert table.index.equals(index)
    assert round(table.loc["Rutland", "diff_ci_high"], 4) == 0.8062  # Newcombe (1998) Table II


def test_difference_ci_998_interval_is_wider_than_95():
    narrow = difference_ci(56, 70, 48, 80).iloc[0]
    wide = difference_ci(56, 70, 48, 80, confidence=0.998).iloc[0]
    assert wide["diff_ci_low"] < narrow["diff_ci_low"] and wide["diff_ci_high"] > narrow["diff_ci_high"]


def test_difference_ci_does_not_modify_inputs():
    x1, n1 = pd.Series([56, 9]), np.array([70.0, 10.0])
    x2, n2 = [48, 3], [80, 10]
    kept = (x1.copy(), n1.copy())
    difference_ci(x1, n1, x2, n2)
    pd.testing.assert_series_equal(x1, kept[0])
    np.testing.assert_array_equal(n1, kept[1])
    assert x2 == [48, 3] and n2 == [80, 10]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([1, 2], [4, 5], [1], [3]), "same length"),
        ((11, 10, 1, 10), "x1 must not exceed n1"),
        ((1, 10, 4, 3), "x2 must not exceed n2"),
        ((-1, 10, 1, 10), "x1 must not be negative"),
        ((1.5, 10, 1, 10), "x1 must be whole numbers"),
        ((1, 10, float("nan"), 10), "x2 must be counts"),
    ],
)
def test_difference_ci_impossible_counts_raise_value_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        difference_ci(*arguments)


def test_difference_ci_confidence_outside_zero_one_raises():
    with pytest.raises(ValueError, match="confidence"):
        difference_ci(1, 2, 1, 2, confidence=95)


# ---------------------------------------------------------------------------------------------------------
# fisher_exact_test


def r_fisher_2x2(x1: int, n1: int, x2: int, n2: int) -> float:
    """R's fisher.test two-sided p for a 2×2 table, written out from its source: hypergeometric densities
    over the support, p = sum(d[d <= d_obs * (1 + 1e-7)])."""
    m, n, k = x1 + x2, (n1 - x1) + (n2 - x2), n1
    support = np.arange(max(0, k - n), min(k, m) + 1)
    d = stats.hypergeom.logpmf(support, m + n, m, k)
    d = np.exp(d - d.max())
    d /= d.sum()
    return float(min(1.0, d[d <= d[x1 - support[0]] * (1 + 1e-7)].sum()))


def test_fisher_tea_tasting_two_sided():
    # R fisher.test example TeaTasting, matrix(c(3, 1, 1, 3), 2): with all margins 4 the tables have
    # probabilities (1, 16, 36, 16, 1)/70; those no more probable than the observed 16/70 sum to 34/70
    # = 0.4857 (two-sided; the R example prints the one-sided 0.2429 = 17/70).
    assert fisher_exact_test(3, 4, 1, 4) == pytest.approx(34 / 70, rel=1e-12)
    assert round(fisher_exact_test(3, 4, 1, 4), 4) == 0.4857


def test_fisher_convictions_of_twins_matches_r_example():
    # R example output, fisher.test(Convictions, conf.int = FALSE): Dizygotic 2 convicted of 17,
    # Monozygotic 10 of 13 (Fisher 1962) -> p-value = 0.0005367.
    assert round(fisher_exact_test(2, 17, 10, 13), 7) == 0.0005367


def test_fisher_follows_r_rule_for_ties_across_a_grid():
    # Independent reference: R's algorithm (r_fisher_2x2 above). scipy's tie tolerance is 1e-14, R's 1e-7.
    for n1, n2 in [(5, 5), (10, 10), (12, 30), (60, 60), (150, 150)]:
        for x1 in range(0, n1 + 1, max(1, n1 // 10)):
            for x2 in range(0, n2 + 1, max(1, n2 // 10)):
                expected = r_fisher_2x2(x1, n1, x2, n2)
                assert fisher_exact_test(x1, n1, x2, n2) == pytest.approx(expected, rel=1e-9), (x1, n1, x2, n2)


def test_fisher_with_an_empty_group_gives_one_as_r_does():
    # Issue 18: R's fisher.test(matrix(c(0, 3, 0, 7), 2))$p.value is 1 (the one table with these margins is the
    # observed one); auditkit gave NaN.
    assert fisher_exact_test(0, 0, 3, 10) == 1.0
    assert fisher_exact_test(3, 10, 0, 0) == 1.0
    assert fisher_exact_test(0, 0, 0, 0) == 1.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((5, 4, 1, 4), "x1 must not exceed n1"),
        ((1, 4, -1, 4), "x2 must not be negative"),
        (([1, 2], 4, 1, 4), "single"),
    ],
)
def test_fisher_impossible_counts_raise_value_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        fisher_exact_test(*arguments)


# ---------------------------------------------------------------------------------------------------------
# mcnemar_exact_test


def exact_binomial_two_sided_half(b: int, c: int) -> float:
    """Exact two-sided binomial p at probability 1/2, in exact rational arithmetic:
    min(1, 2 · Σ_{k ≤ min(b, c)} C(b + c, k) / 2^(b + c))."""
    n, low = b + c, min(b, c)
    tail = Fraction(sum(math.comb(n, k) for k in range(low + 1)), 2**n)
    return float(min(Fraction(1), 2 * tail))


def test_mcnemar_presidential_approval_exact():
    # Agresti (1990, p. 350), R mcnemar.test example: Performance <- matrix(c(794, 86, 150, 570), 2),
    # i.e. approve→approve 794, approve→disapprove 150, disapprove→approve 86, disapprove→disapprove 570.
    # Exact binomial p for b = 150, c = 86, computed independently with exact integers and with scipy.stats.binom.
    p = mcnemar_exact_test(150, 86)
    assert p == pytest.approx(exact_binomial_two_sided_half(150, 86), rel=1e-9)
    assert p == pytest.approx(2 * stats.binom.cdf(86, 236, 0.5), rel=1e-9)
    assert p < 1e-4


@pytest.mark.parametrize(("b", "c"), [(0, 5), (5, 0), (1, 9), (3, 4), (12, 30), (7, 7), (0, 1)])
def test_mcnemar_matches_exact_binomial_and_statsmodels(b, c):
    # Reference: exact rational arithmetic; cross-check: statsmodels mcnemar(exact=True).
    expected = exact_binomial_two_sided_half(b, c)
    assert mcnemar_exact_test(b, c) == pytest.approx(expected, rel=1e-9)
    assert mcnemar([[10, b], [c, 10]], exact=True).pvalue == pytest.approx(expected, rel=1e-9)


def test_mcnemar_no_discordant_pairs_gives_one():
    assert mcnemar_exact_test(0, 0) == 1.0


def test_mcnemar_five_changes_one_way_is_one_in_sixteen():
    # By hand: 2 × (1/2)^5 = 1/16.
    assert mcnemar_exact_test(0, 5) == pytest.approx(1 / 16, rel=1e-12)


@pytest.mark.parametrize(("b", "c", "message"), [(-1, 3, "b must not be negative"), (1, 2.5, "c must be whole")])
def test_mcnemar_impossible_counts_raise_value_error(b, c, message):
    with pytest.raises(ValueError, match=message):
        mcnemar_exact_test(b, c)


# ---------------------------------------------------------------------------------------------------------
# mann_whitney_test

# R example output, wilcox.test: Hollander & Wolfe (1973), 69f, permeability constants.
HW_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]


HW_Y = [1.15, 0.88, 0.90, 0.74, 1.21]


def normal_approximation(first, second, correct: bool = True, two_sided: bool = True) -> tuple[float, float]:
    """Textbook Mann–Whitney normal approximation, written out as in R's wilcox.test: W = rank sum of
    first − n1(n1 + 1)/2; var = n1·n2/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))); continuity correction 0.5
    towards the mean."""
    first, second = np.asarray(first, float), np.asarray(second, float)
    n1, n2 = len(first), len(second)
    ranks = stats.rankdata(np.r_[first, second])
    w = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    _, ties = np.unique(np.r_[first, second], return_counts=True)
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - (ties**3 - ties).sum() / (n * (n - 1))))
    centred = w - n1 * n2 / 2
    if two_sided:
        z = (centred - (math.copysign(0.5, centred) if correct and centred else 0.0)) / sigma
        return w, 2 * min(stats.norm.cdf(z), stats.norm.sf(z))
    z = (centred - (0.5 if correct else 0.0)) / sigma
    return w, stats.norm.sf(z)


def test_mann_whitney_columns_are_stable_and_in_order():
    assert MANN_WHITNEY_COLUMNS == ("u", "p_value")
    assert list(mann_whitney_test([0, 1], [2, 3]).columns) == list(MANN_WHITNEY_COLUMNS)


def test_mann_whitney_hollander_wolfe_statistic_and_normal_approximation():
    # R example output: wilcox.test(x, y, alternative = "g") -> W = 35, p-value = 0.1272 (exact), and
    # wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE) -> W = 35, p = 0.1103.
    # The second checks our transcription of the normal approximation against R's printed value.
    row = mann_whitney_test(HW_X, HW_Y).iloc[0]
    assert row["u"] == 35
    assert round(normal_approximation(HW_X, HW_Y, correct=False, two_sided=False)[1], 4) == 0.1103
    # Two-sided with continuity correction (exact = FALSE, correct = TRUE) is not printed by R: reference
    # computed above, 2·Φ(−(35 − 25 − 0.5)/sqrt(10·5·16/12)) = 0.2446. (0.2544 = 2 × 0.1272 is R's *exact*
    # two-sided p, which R reports by default here because there are no ties and n < 50.)
    assert row["p_value"] == pytest.approx(normal_approximation(HW_X, HW_Y)[1], rel=1e-12)
    assert round(row["p_value"], 4) == 0.2446


def test_mann_whitney_with_ties_matches_r_airquality_example():
    # R example output: wilcox.test(Ozone ~ Month, data = airquality, subset = Month %in% c(5, 8))
    # -> "Wilcoxon rank sum test with continuity correction", W = 127.5, p-value = 0.0001208 (ties, so R
    # uses the normal approximation with tie correction). Ozone values from R's datasets::airquality;
    # the NA days are left out, as R leaves them out.
    may = [41, 36, 12, 18, None, 28, 23, 19, 8, None, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32,
           None, None, None, 23, 45, 115, 37]  # fmt: skip
    august = [39, 9, 16, 78, 35, 66, 122, 89, 110, None, None, 44, 28, 65, None, 22, 59, 23, 31, 44, 21, 9,
              None, 45, 168, 73, None, 76, 118, 84, 85]  # fmt: skip
    row = mann_whitney_test(may, august).iloc[0]
    assert row["u"] == 127.5
    assert round(row["p_value"], 7) == 0.0001208


def test_mann_whitney_likert_levels_match_tie_corrected_formula():
    # Five-level scale positions 0..4, heavily tied; reference: the formula written out above.
    before = [0, 1, 1, 2, 2, 2, 3, 1, 0, 2, 2, 1]
    after = [2, 3, 3, 4, 2, 3, 1, 4, 3, 2]
    row = mann_whitney_test(before, after).iloc[0]
    w, p = normal_approximation(before, after)
    assert row["u"] == w
    assert row["p_value"] == pytest.approx(p, rel=1e-12)


def test_mann_whitney_u_counts_pairs_with_ties_as_half():
    # R's documentation: W is the number of pairs (x[i], y[j]) with y[j] < x[i], ties counting one half.
    first, second = [0, 2, 2, 4], [1, 2, 3]
    pairs = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in first for b in second)
    assert mann_whitney_test(first, second)["u"].iloc[0] == pairs == 6.0


def test_mann_whitney_all_tied_gives_one():
    assert mann_whitney_test([2, 2, 2], [2, 2])["p_value"].iloc[0] == 1.0


def test_mann_whitney_does_not_modify_inputs():
    first, second = pd.Series([0.0, np.nan, 3.0]), [1, 2]
    kept = first.copy()
    mann_whitney_test(first, second)
    pd.testing.assert_series_equal(first, kept)
    assert second == [1, 2]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [([], [1, 2], "first must hold at least one value"), ([1], [None], "second must hold"), (["a"], [1], "numbers")],
)
def test_mann_whitney_unusable_samples_raise_value_error(first, second, message):
    with pytest.raises(ValueError, match=message):
        mann_whitney_test(first, second)


# ---------------------------------------------------------------------------------------------------------
# adjust_bh


def test_bh_benjamini_hochberg_1995_example_rejects_four():
    # Benjamini & Hochberg (1995), section 4: fifteen p-values (Neuhaus et al.); at q = 0.05 the procedure
    # rejects the four smallest (also the worked example of scipy.stats.false_discovery_control).
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
         0.6528, 0.7590, 1.0000]  # fmt: skip
    adjusted = adjust_bh(p)
    assert (adjusted <= 0.05).tolist() == [True] * 4 + [False] * 11
    # By hand: p(4) = 0.0095 → 15/4 · 0.0095 = 0.035625; p(5) → min over j ≥ 5 of 15·p(j)/j = 15/5 · 0.0201.
    assert adjusted[3] == pytest.approx(0.035625, rel=1e-12)
    assert adjusted[4] == pytest.approx(0.0603, rel=1e-12)


def test_bh_small_vector_by_hand_in_input_order():
    # m = 4; sorted 0.005, 0.01, 0.03, 0.04 → 4p/i = 0.02, 0.02, 0.04, 0.04; cumulative minimum from the top
    # leaves them unchanged; back in input order: 0.02, 0.04, 0.04, 0.02.
    np.testing.assert_allclose(adjust_bh([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02], rtol=1e-12)


def test_bh_missing_values_stay_missing_and_are_not_counted():
    # As R: p.adjust(c(0.01, NA, 0.04, 0.03, 0.005), "BH") adjusts the four present values with m = 4.
    adjusted = adjust_bh(pd.Series([0.01, np.nan, 0.04, 0.03, 0.005]))
    assert isinstance(adjusted, np.ndarray)
    assert np.isnan(adjusted[1])
    np.testing.assert_allclose(adjusted[[0, 2, 3, 4]], [0.02, 0.04, 0.04, 0.02], rtol=1e-12)


def test_bh_caps_at_one_and_handles_empty_and_all_missing():
    # By hand: m = 2, 2 · 0.9 / 1 = 1.8 → min(1.8, 0.95) = 0.95.
    np.testing.assert_allclose(adjust_bh([0.9, 0.95]), [0.95, 0.95])
    assert adjust_bh([1.0]).tolist() == [1.0]
    assert adjust_bh([]).shape == (0,)
    assert np.isnan(adjust_bh([np.nan, np.nan])).all()


@pytest.mark.parametrize("p", [[0.2, 1.5], [-0.01], [0.1, float("inf")]])
def test_bh_p_values_outside_zero_one_raise(p):
    with pytest.raises(ValueError, match="between 0 and 1"):
        adjust_bh(p)


# ---------------------------------------------------------------------------------------------------------
# cochran_armitage_trend

SMOKERS, PATIENTS = [83, 90, 129, 70], [86, 93, 136, 82]


def r_prop_trend_chi2(x, n, score) -> float:
    """R's prop.trend.test as its source does it: weighted lm of x/n on score with weights n/(p(1 − p));
    chi-squared = the regression sum of squares (here from statsmodels WLS)."""
    x, n, score = (np.asarray(v, float) for v in (x, n, score))
    p = x.sum() / n.sum()
    fit = sm.WLS(x / n, sm.add_constant(score), weights=n / p / (1 - p)).fit()
    centred = fit.fittedvalues - np.average(x / n, weights=fit.model.weights)
    return float((fit.model.weights * centred**2).sum())


def test_trend_columns_are_stable_and_in_order():
    assert TREND_COLUMNS == ("z", "chi2", "p_value")
    assert list(cochran_armitage_trend(SMOKERS, PATIENTS).columns) == list(TREND_COLUMNS)


def test_trend_smokers_matches_r_example():
    # R example output: prop.trend.test(smokers, patients) -> X-squared = 8.2249, df = 1, p-value = 0.004132.
    row = cochran_armitage_trend(SMOKERS, PATIENTS).iloc[0]
    assert round(row["chi2"], 4) == 8.2249
    assert round(row["p_value"], 6) == 0.004132
    assert row["z"] < 0  # 96.5%, 96.8%, 94.9%, 85.4%: falling with the score
    assert row["z"] ** 2 == pytest.approx(row["chi2"], rel=1e-12)


def test_trend_smokers_with_scores_matches_r_example():
    # R example output: prop.trend.test(smokers, patients, c(0,0,0,1)) -> X-squared = 12.173, p = 0.0004848.
    row = cochran_armitage_trend(SMOKERS, PATIENTS, scores=[0, 0, 0, 1]).iloc[0]
    assert round(row["chi2"], 3) == 12.173
    assert round(row["p_value"], 7) == 0.0004848


def test_trend_rising_proportions_give_positive_z():
    falling = cochran_armitage_trend(SMOKERS, PATIENTS).iloc[0]
    rising = cochran_armitage_trend(SMOKERS[::-1], PATIENTS[::-1]).iloc[0]
    assert rising["z"] == pytest.approx(-falling["z"], rel=1e-12)
    assert rising["chi2"] == pytest.approx(falling["chi2"], rel=1e-12)


@pytest.mark.parametrize(
    ("x", "n", "score"),
    [
        ([2, 5, 9], [10, 12, 11], [1, 2, 3]),
        ([1, 0, 4, 6, 3], [9, 7, 8, 10, 4], [0, 1, 2, 5, 6]),
        ([3, 7], [20, 15], [1, 2]),
    ],
)
def test_trend_matches_r_weighted_regression(x, n, score):
    # Independent reference: R's own construction (weighted least squares), not the closed form.
    expected = r_prop_trend_chi2(x, n, score)
    assert cochran_armitage_trend(x, n, score)["chi2"].iloc[0] == pytest.approx(expected, rel=1e-9)


def test_trend_group_with_no_cases_adds_nothing():
    with_empty = cochran_armitage_trend(SMOKERS + [0], PATIENTS + [0]).iloc[0]
    assert round(with_empty["chi2"], 4) == 8.2249  # R example output, as above


@pytest.mark.parametrize(
    ("x", "n", "score"), [([0, 0, 0], [5, 6, 7], None), ([5, 6], [5, 6], None), ([1, 2], [5, 6], [3, 3])]
)
def test_trend_without_variation_gives_missing_row(x, n, score):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = cochran_armitage_trend(x, n, score).iloc[0]
    assert row.isna().all()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([1, 2], [3, 4, 5]), "same length"),
        (([1], [3]), "at least two groups"),
        (([4, 2], [3, 4]), "numerators must not exceed denominators"),
        (([1, -2], [3, 4]), "numerators must not be negative"),
        (([1, 2], [3, 4], [1, 2, 3]), "one value for each group"),
        (([1, 2], [3, 4], [1, None]), "scores must be finite"),
    ],
)
def test_trend_impossible_inputs_raise_value_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        cochran_armitage_trend(*arguments)
