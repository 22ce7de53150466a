"""auditkit.stats.ranks: Mann–Whitney given the ties, and the probability of superiority, against R.

Sources: R 4.2.2 with coin 1.4 (``pvalue(wilcox_test(y ~ g, distribution = "exact"))``), R's ``wilcox.test``,
and Newcombe's method 5 for the probability of superiority written out in R with ``uniroot`` (Newcombe RG 2006,
"Confidence intervals for an effect size measure based on the Mann–Whitney statistic. Part 2", Statistics in
Medicine 25:559–573), each quoted beside its value.
"""

from __future__ import annotations

import numpy as np
import pytest

from auditkit.stats.inference import mann_whitney_test
from auditkit.stats.ranks import (
    EXACT_RANK_SUM_MAX,
    RANK_SUM_COLUMNS,
    exact_rank_sum_p,
    rank_sum_test,
    superiority_ci,
)

# The survey's "confident challenging decisions", baseline against follow-up, as level positions 0..4.
BASELINE = [0] * 3 + [1] * 6 + [2] * 9 + [3] * 15 + [4] * 6
FOLLOWUP = [0] * 1 + [1] * 3 + [2] * 11 + [3] * 24 + [4] * 13


def test_three_against_three_is_one_in_ten_exactly():
    # Issue 18: [0,0,0] against [4,4,4] is 0.047 asymptotic (R wilcox.test(exact = FALSE, correct = TRUE)) and
    # 0.10 exact (R coin: pvalue(wilcox_test(y ~ g, distribution = "exact")) = 0.1): 2 of the C(6, 3) = 20 ways.
    assert exact_rank_sum_p([0, 0, 0], [4, 4, 4]) == pytest.approx(0.1, abs=1e-12)
    assert round(mann_whitney_test([0, 0, 0], [4, 4, 4])["p_value"].iloc[0], 3) == 0.047
    row = rank_sum_test([0, 0, 0], [4, 4, 4]).iloc[0]
    assert row["method"] == "exact" and row["p_value"] == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # R coin, pvalue(wilcox_test(y ~ g, distribution = "exact")), y <- c(first, second):
        ([2, 3, 4, 0, 0], [4, 1, 1, 4, 2, 1, 4], 0.5416667),
        ([2, 4, 1, 2], [0, 3, 0], 0.3714286),
        ([0, 1, 4, 2, 2, 1, 0], [3, 2, 3, 1], 0.2757576),
        ([0, 1, 1, 2, 2, 2, 3, 1, 0, 2, 2, 1], [2, 3, 3, 4, 2, 3, 1, 4, 3, 2], 0.00860439869727796),
        ([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], [1, 2, 2, 3, 3, 3, 4, 4, 4, 4], 0.13261815583797),
        (BASELINE, FOLLOWUP, 0.0476068964126476),
    ],
)
def test_exact_p_matches_r_coin(first, second, expected):
    assert exact_rank_sum_p(first, second) == pytest.approx(expected, abs=5e-8 if expected > 0.1 else 1e-12)


def test_the_exact_p_does_not_depend_on_which_sample_comes_first():
    assert exact_rank_sum_p(BASELINE, FOLLOWUP) == pytest.approx(exact_rank_sum_p(FOLLOWUP, BASELINE), rel=1e-12)


def test_every_answer_alike_gives_one():
    assert exact_rank_sum_p([2, 2, 2], [2, 2]) == pytest.approx(1.0)


def test_large_samples_use_the_approximation_of_r_wilcox_test():
    # 52 + 63 answers: more than EXACT_RANK_SUM_MAX. R: wilcox.test(a, b, exact = FALSE, correct = TRUE).
    rng = np.random.default_rng(18)
    first, second = rng.integers(0, 5, 52), rng.integers(0, 5, 63)
    assert len(first) + len(second) > EXACT_RANK_SUM_MAX
    row = rank_sum_test(first, second).iloc[0]
    assert row["method"] == "asymptotic"
    assert row["p_value"] == pytest.approx(mann_whitney_test(first, second)["p_value"].iloc[0], rel=1e-12)


def test_the_survey_item_gives_r_values():
    # R: wilcox.test(a, b, exact = FALSE)$statistic = 780 (W); coin exact p = 0.0476068964126476 (above), while
    # the approximation gives 0.0484689261550219.
    row = rank_sum_test(BASELINE, FOLLOWUP).iloc[0]
    assert list(rank_sum_test(BASELINE, FOLLOWUP).columns) == list(RANK_SUM_COLUMNS)
    assert row["u"] == 780
    assert row["superiority"] == pytest.approx(1 - 780 / (39 * 52), abs=1e-15)
    assert rank_sum_test(BASELINE, FOLLOWUP, method="asymptotic")["p_value"].iloc[0] == pytest.approx(
        0.0484689261550219, rel=1e-9
    )


@pytest.mark.parametrize(
    ("theta", "n1", "n2", "low", "high"),
    [
        # R: Newcombe's method 5, written out (V the Hanley–McNeil variance in θ with N* = (m + n)/2 − 1), solved
        # with uniroot(tol = 1e-14) for θ̂ − θ = ±z·sqrt(V(θ)):
        (1.0, 3, 3, 0.50101876070153, 1.0),
        (0.0, 3, 3, 0.0, 0.49898123929847),
        (22 / 35, 5, 7, 0.312757885080979, 0.857905051835640),
        (0.5, 10, 10, 0.273515588189894, 0.726484411810106),
        (0.9, 20, 15, 0.729811356506366, 0.964812719694517),
    ],
)
def test_superiority_interval_matches_newcombe_method_5_in_r(theta, n1, n2, low, high):
    assert superiority_ci(theta, n1, n2) == pytest.approx((low, high), abs=1e-9)


def test_the_superiority_interval_has_width_at_the_ends_as_wilsons_does():
    low, high = rank_sum_test([0, 0, 0], [4, 4, 4])[["superiority_ci_low", "superiority_ci_high"]].iloc[0]
    assert high == 1.0 and 0.4 < low < 0.6


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method must be 'auto', 'exact' or 'asymptotic'"):
        rank_sum_test([1], [2], method="permutation")


def test_unusable_samples_raise_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="first must hold at least one value"):
        rank_sum_test([], [1, 2])
