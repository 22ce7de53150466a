"""auditkit.stats.contingency: the exact r×c (Fisher–Freeman–Halton) test against published and independent values.

Sources (see also shared/reference/stats/README.md):
- R's own example output for the stats package, tests/Examples/stats-Ex.Rout.save in the R sources
  (r-devel/r-svn; the same figures in wch/r-source), quoted below as "R example output": fisher.test.
Where no printed value exists the reference is a brute-force enumeration written out in this file, or
scipy.stats.fisher_exact on 2×2 tables; never earlier output of auditkit.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import gammaln

from auditkit.stats import contingency
from auditkit.stats.contingency import (
    CHI_SQUARED,
    EXACT,
    MONTE_CARLO,
    TABLE_TEST_COLUMNS,
    ExactTestTooLarge,
    fisher_freeman_halton_test,
    pearson_chi_squared_test,
    table_test,
)
from auditkit.stats.simulated_tables import simulated_p_value

# R example output, fisher.test: "A r x c table  Agresti (2002, p. 57) Job Satisfaction",
#   Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4, dimnames = list(income = c("< 15k",
#          "15-25k", "25-40k", "> 40k"), satisfaction = c("VeryD", "LittleD", "ModerateS", "VeryS")))
#   fisher.test(Job) # 0.7827                      -> p-value = 0.7827
# matrix() fills by column, so each group of four numbers is a satisfaction column; income rows are:
JOB = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]


# R example output, fisher.test: "6th example in Mehta & Patel's JASA paper", fisher.test(MP6) -> 0.03929.
MP6 = [
    [1, 2, 2, 1, 1, 0, 1],
    [2, 0, 0, 2, 3, 0, 0],
    [0, 1, 1, 1, 2, 7, 3],
    [1, 1, 2, 0, 0, 0, 1],
    [0, 1, 1, 1, 1, 0, 0],
]


# ---------------------------------------------------------------------------------------------------------
# fisher_freeman_halton_test


def brute_force_exact(table) -> float:
    """Every table with the same margins, listed row by row with itertools; p sums those with probability
    at most the observed times (1 + 1e-7). Only for small tables."""
    table = np.asarray(table)
    rows, columns, total = table.sum(axis=1), table.sum(axis=0), table.sum()
    log_constant = gammaln(rows + 1).sum() + gammaln(columns + 1).sum() - gammaln(total + 1)
    observed = log_constant - gammaln(table + 1).sum()
    p = 0.0

    def fill(i, left, log_weight):
        nonlocal p
        if i == len(rows) - 1:
            log_p = log_constant + log_weight - gammaln(np.array(left) + 1).sum()
            p += math.exp(log_p) if log_p <= observed + math.log1p(1e-7) else 0.0
            return
        for cells in itertools.product(*(range(min(c, rows[i]) + 1) for c in left)):
            if sum(cells) == rows[i]:
                rest = [c - x for c, x in zip(left, cells, strict=True)]
                fill(i + 1, rest, log_weight - gammaln(np.array(cells) + 1).sum())

    fill(0, list(columns), 0.0)
    return p


def test_ffh_job_satisfaction_matches_r_example():
    # R example output: fisher.test(Job) -> p-value = 0.7827 (Agresti 2002, p. 57). Same p either way round.
    assert round(fisher_freeman_halton_test(JOB), 4) == 0.7827
    assert round(fisher_freeman_halton_test(np.array(JOB).T), 4) == 0.7827


def test_ffh_mehta_patel_example_matches_r_example():
    # R example output: fisher.test(MP6) -> p-value = 0.03929.
    assert round(fisher_freeman_halton_test(MP6), 5) == 0.03929


def test_ffh_on_2x2_equals_fisher_exact():
    # Published: TeaTasting 34/70 (by hand, as above) and Convictions 0.0005367 (R example output);
    # otherwise scipy.stats.fisher_exact on a grid.
    assert fisher_freeman_halton_test([[3, 1], [1, 3]]) == pytest.approx(34 / 70, rel=1e-10)
    assert round(fisher_freeman_halton_test([[2, 15], [10, 3]]), 7) == 0.0005367
    for n1, n2 in [(4, 4), (9, 14), (40, 40), (150, 120)]:
        for x1 in range(0, n1 + 1, max(1, n1 // 8)):
            for x2 in range(0, n2 + 1, max(1, n2 // 8)):
                table = [[x1, n1 - x1], [x2, n2 - x2]]
                expected = stats.fisher_exact(table).pvalue
                assert fisher_freeman_halton_test(table) == pytest.approx(expected, rel=1e-9, abs=1e-15), table


@pytest.mark.parametrize(
    "table",
    [
        [[3, 0, 2], [1, 4, 1], [0, 2, 5]],
        [[5, 1], [2, 4], [0, 6], [3, 3]],
        [[2, 2, 1, 0], [0, 1, 3, 4]],
        [[4, 0], [0, 4], [2, 2]],  # ties with the observed table
        [[1, 1], [1, 1], [1, 1]],
    ],
)
def test_ffh_matches_brute_force_enumeration(table):
    assert fisher_freeman_halton_test(table) == pytest.approx(brute_force_exact(table), rel=1e-9)


def test_ffh_is_deterministic():
    # scipy's r×c fisher_exact is Monte Carlo by default and changes from run to run; this must not.
    table = [[12, 30], [25, 20], [18, 22], [30, 11], [9, 14]]
    assert fisher_freeman_halton_test(table) == fisher_freeman_halton_test(table)


def test_ffh_drops_empty_rows_and_columns():
    with_empty_row = [JOB[0], [0, 0, 0, 0], *JOB[1:]]
    with_empty_column = [[*row, 0] for row in JOB]
    assert round(fisher_freeman_halton_test(with_empty_row), 4) == 0.7827  # R example output, Job
    assert round(fisher_freeman_halton_test(with_empty_column), 4) == 0.7827


@pytest.mark.parametrize("table", [[[3, 7]], [[3, 7], [0, 0]], [[4], [9], [1]], [[0, 5], [0, 2]], [[0, 0], [0, 0]]])
def test_ffh_single_non_empty_row_or_column_gives_one(table):
    assert fisher_freeman_halton_test(table) == 1.0


@pytest.mark.parametrize(
    "table",
    [
        [[30, 30], [40, 20], [25, 35], [50, 10], [45, 15]],  # 5 areas × met/not met, n = 300
        [[52, 8], [41, 19], [33, 27], [44, 16], [38, 22]],
        [[20, 5, 8], [3, 25, 4], [7, 6, 22]],  # 3 × 3, n = 100
        [[12, 10, 11], [9, 14, 10], [11, 12, 11]],
    ],
)
def test_ffh_is_fast_enough_for_audit_sized_tables(table):
    start = time.perf_counter()
    p = fisher_freeman_halton_test(table)
    assert time.perf_counter() - start < 1.0
    assert 0.0 <= p <= 1.0


def test_ffh_does_not_modify_input():
    frame = pd.DataFrame(JOB, index=["<15k", "15-25k", "25-40k", ">40k"])
    kept = frame.copy()
    fisher_freeman_halton_test(frame)
    pd.testing.assert_frame_equal(frame, kept)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([3, 4, 5], "two-dimensional"),
        ([[1, -2], [3, 4]], "must not be negative"),
        ([[1, 2.5], [3, 4]], "whole numbers"),
    ],
)
def test_ffh_impossible_tables_raise_value_error(table, message):
    with pytest.raises(ValueError, match=message):
        fisher_freeman_halton_test(table)


# ---------------------------------------------------------------------------------------------------------
# pearson_chi_squared_test, for tables too large to enumerate

# R's documented example for chisq.test (Agresti 2007, p. 39: party identification by gender):
#   M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))); chisq.test(M)
#   -> X-squared = 30.07, df = 2, p-value = 2.954e-07
PARTY = [[762, 327, 468], [484, 239, 477]]


def test_chi_squared_matches_r_example():
    assert pearson_chi_squared_test(PARTY) == pytest.approx(2.954e-07, rel=1e-3)


@pytest.mark.parametrize("table", [PARTY, JOB, MP6, [[30, 30], [40, 20], [25, 35], [50, 10], [45, 15]]])
def test_chi_squared_matches_scipy_without_continuity_correction(table):
    expected = stats.chi2_contingency(table, correction=False).pvalue
    assert pearson_chi_squared_test(table) == pytest.approx(expected, rel=1e-12)


def test_chi_squared_drops_empty_rows_and_columns():
    with_empty = [[762, 0, 327, 468], [0, 0, 0, 0], [484, 0, 239, 477]]
    assert pearson_chi_squared_test(with_empty) == pytest.approx(pearson_chi_squared_test(PARTY), rel=1e-15)


@pytest.mark.parametrize("table", [[[3, 7]], [[4], [9], [1]], [[0, 5], [0, 2]], [[0, 0], [0, 0]]])
def test_chi_squared_single_non_empty_row_or_column_gives_one(table):
    assert pearson_chi_squared_test(table) == 1.0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([3, 4, 5], "two-dimensional"),
        ([[1, -2], [3, 4]], "must not be negative"),
        ([[1, 2.5], [3, 4]], "whole numbers"),
        ([[1, float("nan")], [3, 4]], "no missing values"),
        ([["a", 2], [3, 4]], "must be counts"),
    ],
)
def test_chi_squared_impossible_tables_raise_value_error(table, message):
    with pytest.raises(ValueError, match=message):
        pearson_chi_squared_test(table)


def test_the_exact_test_takes_at_most_ten_thousand_records():
    assert fisher_freeman_halton_test([[2500, 2500], [2500, 2500]]) == pytest.approx(1.0)
    with pytest.raises(ExactTestTooLarge) as caught:
        fisher_freeman_halton_test([[2500, 2501], [2500, 2500]])
    assert str(caught.value) == "the table has 10001 records; the exact test takes at most 10000"
    assert isinstance(caught.value, ValueError)


# ---------------------------------------------------------------------------------------------------------
# table_test: exact within its budget, Monte Carlo beyond (issue 18)

# The table of issue 18 that the old enumeration refused (N = 98):
#   Rscript -e 'fisher.test(matrix(c(6,1,3,3, 5,6,1,4, 8,2,3,9, 6,5,4,5, 10,3,6,8), 5, byrow = TRUE),
#                           workspace = 2e8)$p.value'  -> 0.6547428193
ISSUE_18 = [[6, 1, 3, 3], [5, 6, 1, 4], [8, 2, 3, 9], [6, 5, 4, 5], [10, 3, 6, 8]]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (ISSUE_18, 0.6547428193),
        # Rscript -e 'fisher.test(matrix(c(12,30, 25,20, 18,22, 30,11, 9,14), 5, byrow = TRUE))$p.value'
        ([[12, 30], [25, 20], [18, 22], [30, 11], [9, 14]], 0.0008371481603),
        # Rscript -e 'fisher.test(matrix(c(20,5,8, 3,25,4, 7,6,22), 3, byrow = TRUE))$p.value'
        ([[20, 5, 8], [3, 25, 4], [7, 6, 22]], 3.643495735e-10),
        # Rscript -e 'fisher.test(matrix(c(12,10,11, 9,14,10, 11,12,11), 3, byrow = TRUE), workspace = 2e8)$p.value'
        ([[12, 10, 11], [9, 14, 10], [11, 12, 11]], 0.895546089),
        # ten areas × met / not met, N = 200:
        # Rscript -e 'fisher.test(matrix(c(8,12, 15,5, 9,11, 14,6, 7,13, 12,8, 10,10, 16,4, 6,14, 11,9), 10,
        #                                byrow = TRUE), workspace = 2e8)$p.value'  -> 0.01084489263
        ([[8, 12], [15, 5], [9, 11], [14, 6], [7, 13], [12, 8], [10, 10], [16, 4], [6, 14], [11, 9]], 0.01084489263),
    ],
)
def test_table_test_is_exact_and_matches_r(table, expected):
    result = table_test(table)
    assert list(result.columns) == list(TABLE_TEST_COLUMNS)
    row = result.iloc[0]
    assert row["method"] == EXACT == "Fisher–Freeman–Halton exact test"
    assert row["p_value"] == pytest.approx(expected, rel=1e-9)
    assert math.isnan(row["monte_carlo_se"]) and row["simulated"] == 0
    assert fisher_freeman_halton_test(table) == row["p_value"]


def test_the_exact_test_no_longer_refuses_the_issue_table():
    # Before issue 18 this raised ExactTestTooLarge and the area test fell back to chi-squared (0.557).
    assert round(fisher_freeman_halton_test(ISSUE_18), 3) == 0.655


# Six groups × four answers, N = 120: beyond the exact budget, so simulated.
#   Rscript -e 'fisher.test(matrix(c(5,9,3,7, 8,4,6,2, 3,6,9,5, 7,3,4,8, 6,5,2,9, 4,8,7,3), 6, byrow = TRUE),
#                           workspace = 2e9)$p.value'  -> 0.1367565565 (exact; R takes half a minute)
BEYOND_EXACT = [[5, 9, 3, 7], [8, 4, 6, 2], [3, 6, 9, 5], [7, 3, 4, 8], [6, 5, 2, 9], [4, 8, 7, 3]]


def test_a_table_beyond_the_exact_budget_gets_a_monte_carlo_p_value_near_r_exact():
    with pytest.raises(ExactTestTooLarge):
        fisher_freeman_halton_test(BEYOND_EXACT)
    row = table_test(BEYOND_EXACT).iloc[0]
    assert (
        row["method"]
        == MONTE_CARLO
        == ("Fisher–Freeman–Halton test, Monte Carlo p-value from 100,000 simulated tables")
    )
    assert row["simulated"] == 100_000
    assert 0.0005 < row["monte_carlo_se"] < 0.002
    assert abs(row["p_value"] - 0.1367565565) < 4 * row["monte_carlo_se"]
    # a fixed seed: the same table always gets the same p-value
    assert table_test(BEYOND_EXACT).iloc[0]["p_value"] == row["p_value"]


def test_a_large_table_is_simulated_without_trying_to_enumerate(monkeypatch):
    # 10,107 records, beyond EXACT_MAX_RECORDS, with expected counts of 3.5 (too small for chi-squared). Issue 18's
    # dispatch sends a large table whose expected counts are all at least 5 to chi-squared (below): this one had
    # [[2600, 2500], [2500, 2500]], which now goes there.
    table = [[5000, 1], [5100, 6]]
    monkeypatch.setattr(contingency, "network_p_value", _never_enumerate)
    row = table_test(table, simulations=2_000).iloc[0]
    assert row["method"] == "Fisher–Freeman–Halton test, Monte Carlo p-value from 2,000 simulated tables"
    # R: fisher.test(matrix(c(5000,1, 5100,6), 2, byrow = TRUE))$p.value -> 0.1250117961 (2×2 exact)
    assert abs(row["p_value"] - 0.1250117961) < 4 * row["monte_carlo_se"] + 1e-3
    assert abs(row["p_value"] - stats.fisher_exact(table).pvalue) < 4 * row["monte_carlo_se"] + 1e-3


def _never_enumerate(*args, **kwargs):
    raise AssertionError("the table is clearly too large: the exact test should not have been tried")


# Twelve areas × met / not met, N = 4,519, every expected count at least 90 (issue 18's dispatch: chi-squared).
#   m <- matrix(c(200,283, 159,228, 166,239, 210,259, 154,219, 177,255, 221,229, 100,167, 85,131, 140,150,
#                 111,174, 174,288), 12, byrow = TRUE)
#   chisq.test(m)$p.value                                                 -> 0.01405457348
#   set.seed(20180331); fisher.test(m, simulate.p.value = TRUE, B = 1e5)$p.value  -> 0.0146698533
LARGE_TWELVE_AREAS = [
    [200, 283], [159, 228], [166, 239], [210, 259], [154, 219], [177, 255],
    [221, 229], [100, 167], [85, 131], [140, 150], [111, 174], [174, 288],
]  # fmt: skip


def test_a_large_table_with_expected_counts_of_five_or_more_gets_chi_squared(monkeypatch):
    # Cochran (1954): every expected count at least 5. Twelve areas of 4,519 records are clearly beyond the
    # exact budget, so it is not even tried (a monkeypatched enumeration would fail the test).
    monkeypatch.setattr(contingency, "network_p_value", _never_enumerate)
    row = table_test(LARGE_TWELVE_AREAS).iloc[0]
    assert row["method"] == CHI_SQUARED == "Pearson's chi-squared test"
    assert row["p_value"] == pytest.approx(0.01405457348, rel=1e-9)
    assert math.isnan(row["monte_carlo_se"]) and row["simulated"] == 0
    # It agrees with the Monte Carlo p-value, auditkit's and R's, within 3 of the simulation's standard errors.
    simulated, error = simulated_p_value(np.array(LARGE_TWELVE_AREAS))
    assert abs(row["p_value"] - simulated) < 3 * error
    assert abs(row["p_value"] - 0.0146698533) < 3 * error


def test_a_modest_table_beyond_the_budget_with_large_expected_counts_gets_chi_squared(monkeypatch):
    # Six groups × four answers, 360 records (BEYOND_EXACT three times over), every expected count at least 13.98:
    # clearly beyond the exact budget (the enumeration is not tried), so chi-squared.
    #   Rscript -e 'chisq.test(3 * matrix(c(5,9,3,7, 8,4,6,2, 3,6,9,5, 7,3,4,8, 6,5,2,9, 4,8,7,3), 6,
    #                                     byrow = TRUE))$p.value'  -> 5.894597347e-08
    table = 3 * np.array(BEYOND_EXACT)
    monkeypatch.setattr(contingency, "network_p_value", _never_enumerate)
    row = table_test(table).iloc[0]
    assert row["method"] == CHI_SQUARED
    assert row["p_value"] == pytest.approx(5.894597347e-08, rel=1e-9)


def test_a_table_of_at_most_two_hundred_records_in_many_areas_is_exact():
    # 150 areas × met / not met with 200 records (issue 18: exact for every table up to N = 200).
    rng = np.random.default_rng(150)
    rows = rng.multinomial(200, np.full(150, 1 / 150))
    met = rng.binomial(rows, 0.4)
    row = table_test(np.column_stack([met, rows - met])).iloc[0]
    assert row["method"] == EXACT


@pytest.mark.parametrize("table", [[[3, 7]], [[0, 5], [0, 2]]])
def test_table_test_of_a_single_row_or_column_is_one_and_exact(table):
    row = table_test(table).iloc[0]
    assert (row["p_value"], row["method"]) == (1.0, EXACT)
