"""auditkit.stats.overlap: the partially overlapping samples test and its interval, against R and at the limits.

Sources:
- Derrick B, Dobson-McKittrick A, Toher D, White P (2015), "Test statistics for comparing two proportions with
  partially overlapping samples", Journal of Applied Quantitative Methods 10(3): the worked example of the paper,
  as their R package Partiallyoverlapping 2.0 gives it (``Prop.test(a, b, stacked = TRUE)``, "p.value = 0.053").
- R 4.2.2 with that package's ``Prop.test`` for the other tests, and the MOVER interval written out in R from
  its definition (Zou and Donner 2008; Newcombe's corrected phi), as quoted beside each value.
- At the two limits the interval is the interval of :func:`auditkit.stats.inference.difference_ci` (no shared
  records) or :func:`auditkit.stats.paired.paired_difference_ci` (all shared): the same floats, checked to 1e-12.
"""

from __future__ import annotations

import pytest

from auditkit.stats.inference import difference_ci, fisher_exact_test, mcnemar_exact_test
from auditkit.stats.overlap import OVERLAP_COLUMNS, partially_overlapping_test
from auditkit.stats.paired import paired_difference_ci

# R: source the package's R/Partiallyoverlapping.R; a and b as in its example:
# a <- c(1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,1,1,1,1,1,0,0,0,0,NA,NA,NA,NA,NA,NA)
# b <- c(1,1,1,1,1,1,1,1,0,1,1,1,0,0,0,NA,NA,NA,NA,NA,NA,NA,NA,NA,1,1,1,1,1,1)
# Prop.test(a, b, stacked = TRUE) -> statistic -1.93673961536523143, p.value 0.05277718059238292,
# estimate -0.22619047619047616. The 15 pairs: 8 both, 1 first only, 3 second only, 3 neither; then 5 of 9 only
# in the first sample and 6 of 6 only in the second.
WORKED_EXAMPLE = (8, 1, 3, 3, 5, 9, 6, 6)

# (both, first_only, second_only, neither, x1, n1, x2, n2) -> (z, p) from R Prop.test(u1, u2, x3, x4), the 0/1
# vectors built from the counts; and the MOVER limits from R (mover() written out from the docstring's formula).
R_VALUES = [
    ((0, 5, 0, 1, 4, 6, 2, 4), (2.5690465157330258, 0.0101978767762402), (0.130839414810702, 0.765591725006869)),
    ((10, 4, 7, 9, 12, 20, 5, 15), (0.333606105736036, 0.738676810265987), (-0.150572440430133, 0.209790559183237)),
    (
        (3, 2, 6, 1, 8, 30, 14, 25),
        (-2.66343294062600933, 0.00773478269521628),
        (-0.5018484384155804, -0.0822397831442132),
    ),
    (
        (20, 1, 9, 15, 0, 5, 3, 3),
        (-3.662283327783374176, 0.000249977161435487),
        (-0.367147457877522, -0.108568475373224),
    ),
    ((8, 1, 3, 3, 5, 9, 6, 6), (-1.93673961536523143, 0.05277718059238292), (-0.4329706675645685, 0.0190565810636112)),
]


def test_the_worked_example_of_derrick_et_al_2015():
    row = partially_overlapping_test(*WORKED_EXAMPLE).iloc[0]
    assert row["difference"] == pytest.approx(-0.22619047619047616, abs=1e-15)
    assert row["z"] == pytest.approx(-1.93673961536523143, rel=1e-12)
    assert row["p_value"] == pytest.approx(0.05277718059238292, rel=1e-12)
    assert round(row["p_value"], 3) == 0.053  # as the package's documentation prints it


@pytest.mark.parametrize(("counts", "test", "interval"), R_VALUES)
def test_z_p_and_interval_match_r(counts, test, interval):
    row = partially_overlapping_test(*counts).iloc[0]
    assert (row["z"], row["p_value"]) == pytest.approx(test, rel=1e-12)
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(interval, abs=1e-12)


def test_the_columns_are_stable_and_in_order():
    assert OVERLAP_COLUMNS == ("difference", "diff_ci_low", "diff_ci_high", "z", "p_value")
    assert list(partially_overlapping_test(*WORKED_EXAMPLE).columns) == list(OVERLAP_COLUMNS)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(9, 12, 2, 10), (0, 10, 0, 20), (56, 70, 48, 80), (5, 56, 0, 29)])
def test_with_no_shared_records_the_interval_is_newcombes_hybrid_score_interval(x1, n1, x2, n2):
    row = partially_overlapping_test(0, 0, 0, 0, x1, n1, x2, n2).iloc[0]
    expected = difference_ci(x1, n1, x2, n2).iloc[0]
    assert row[["difference", "diff_ci_low", "diff_ci_high"]].tolist() == pytest.approx(expected.tolist(), abs=1e-12)


@pytest.mark.parametrize("cells", [(36, 12, 2, 0), (20, 12, 2, 16), (1, 97, 1, 1), (27, 0, 0, 27), (0, 5, 0, 1)])
def test_with_every_record_shared_the_interval_is_newcombes_paired_method_10(cells):
    row = partially_overlapping_test(*cells, 0, 0, 0, 0).iloc[0]
    expected = paired_difference_ci(*cells).iloc[0]
    assert row[["difference", "diff_ci_low", "diff_ci_high"]].tolist() == pytest.approx(expected.tolist(), abs=1e-12)


def test_with_no_shared_records_the_z_test_is_the_two_proportion_z_test():
    # R: prop.test(c(9, 2), c(12, 10), correct = FALSE)$p.value = 0.0101978767762403
    assert partially_overlapping_test(0, 0, 0, 0, 9, 12, 2, 10)["p_value"].iloc[0] == pytest.approx(
        0.0101978767762403, rel=1e-12
    )


def test_at_the_limits_the_z_test_stays_near_the_exact_tests():
    """The stated tolerance. The z-test is a large-sample test and Fisher's and McNemar's are exact, so they agree
    only where the approximation is usable: with no shared records, where every expected count is at least 5 (the
    usual rule for the chi-squared approximation), and with every record shared, where there are at least 25
    discordant pairs. There, and where either p-value is at most 0.1 (where a verdict could turn on it), the
    z-test's p-value is within 0.09 of Fisher's (every table of 20 or 30 records a round) and within 0.05 of
    McNemar's (every table of 30 pairs). Elsewhere, in tiny or sparse tables, they can differ by far more, which
    is why the comparison uses the exact tests at the limits themselves.
    """
    for n in (20, 30):
        for x1 in range(n + 1):
            for x2 in range(n + 1):
                if min(x1 + x2, 2 * n - x1 - x2) / 2 < 5:
                    continue
                z = partially_overlapping_test(0, 0, 0, 0, x1, n, x2, n)["p_value"].iloc[0]
                exact = fisher_exact_test(x1, n, x2, n)
                if min(z, exact) <= 0.1:
                    assert abs(z - exact) <= 0.09, (x1, n, x2, n, z, exact)
    n = 30
    for both in range(n + 1):
        for first in range(n + 1 - both):
            for second in range(max(0, 25 - first), n + 1 - both - first):
                cells = (both, first, second, n - both - first - second)
                z = partially_overlapping_test(*cells, 0, 0, 0, 0)["p_value"].iloc[0]
                exact = mcnemar_exact_test(first, second)
                if min(z, exact) <= 0.1:
                    assert abs(z - exact) <= 0.05, (cells, z, exact)


def test_one_shared_record_moves_the_interval_only_a_little():
    # Near the limit the interval moves continuously: 20 of 40 against 10 of 40 with one record shared (met in
    # both rounds) or none.
    apart = partially_overlapping_test(0, 0, 0, 0, 20, 40, 10, 40).iloc[0]
    one = partially_overlapping_test(1, 0, 0, 0, 19, 39, 9, 39).iloc[0]
    assert one["difference"] == pytest.approx(apart["difference"], abs=1e-15)
    assert abs(one["diff_ci_low"] - apart["diff_ci_low"]) < 0.001
    assert abs(one["diff_ci_high"] - apart["diff_ci_high"]) < 0.001


def test_every_answer_alike_gives_p_one_as_the_package_does():
    row = partially_overlapping_test(5, 0, 0, 0, 3, 3, 2, 2).iloc[0]
    assert row["p_value"] == 1.0 and row["difference"] == 0.0


def test_an_empty_sample_gives_missing_values():
    assert partially_overlapping_test(0, 0, 0, 0, 0, 0, 3, 5).isna().all(axis=None)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((1, 1, 1, 1, 5, 4, 1, 2), "x1 must not exceed n1"),
        ((1, 1, 1, -1, 1, 4, 1, 2), "neither must not be negative"),
        ((1, 1, 1, 1, 1, 4, 0.5, 2), "x2 must be whole numbers"),
    ],
)
def test_impossible_counts_raise_value_error_naming_the_argument(counts, message):
    with pytest.raises(ValueError, match=message):
        partially_overlapping_test(*counts)
