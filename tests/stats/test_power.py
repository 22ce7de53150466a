"""auditkit.stats.power: the normal approximation of R's power.prop.test and the exact power of Fisher's test.

Sources: R 4.2.2, ``power.prop.test`` and the exact power written out in R by enumeration,
``fp <- function(p1, p2, n1, n2, a = 0.05) { s <- 0; for (x1 in 0:n1) for (x2 in 0:n2) if (fisher.test(matrix(
c(x1, n1 - x1, x2, n2 - x2), 2, byrow = TRUE))$p.value <= a) s <- s + dbinom(x1, n1, p1) * dbinom(x2, n2, p2); s }``.
"""

from __future__ import annotations

import math

import pytest

from auditkit.stats.inference import fisher_exact_test
from auditkit.stats.power import (
    DETECTABLE_COLUMNS,
    SAMPLE_SIZE_COLUMNS,
    detectable_change,
    fisher_power,
    normal_power,
    sample_size,
)


@pytest.mark.parametrize(
    ("n", "p1", "p2", "power"),
    [(50, 0.5, 0.75, 0.740165901331388), (20, 0.3, 0.6, 0.477819250776843)],  # R power.prop.test(n, p1, p2)$power
)
def test_normal_power_is_r_power_prop_test(n, p1, p2, power):
    assert normal_power(p1, p2, n, n) == pytest.approx(power, rel=1e-12)


@pytest.mark.parametrize(
    ("p1", "p2", "n1", "n2", "power"),
    [  # R fp() above
        (0.5, 0.75, 50, 50, 0.674905698177635),
        (0.2, 0.75, 10, 12, 0.708905901044177),
        (0.2, 0.8069898, 10, 12, 0.799999969887243),
        (0.3, 0.6, 20, 25, 0.462500556906024),
    ],
)
def test_fisher_power_matches_r_enumeration(p1, p2, n1, n2, power):
    assert fisher_power(p1, p2, n1, n2) == pytest.approx(power, rel=1e-10)


def test_fisher_power_rejects_exactly_where_fishers_test_does():
    # With p2 a certainty the power is the chance of landing on a rejected table in the first round's row.
    assert fisher_power(0.5, 1.0, 6, 6) == pytest.approx(
        sum(math.comb(6, x) / 64 for x in range(7) if fisher_exact_test(x, 6, 6, 6) <= 0.05), rel=1e-12
    )


def test_detectable_change_of_the_example_deep_dive():
    # 10 cases at baseline (20% met) and 12 at follow-up: Fisher's test reaches 80% power only for a rise to
    # about 80.7% (R fp(0.2, 0.8069898, 10, 12) = 0.79999997 above), 61 points; a fall from 20% cannot reach it.
    table = detectable_change(0.2, 10, 12)
    assert list(table.columns) == list(DETECTABLE_COLUMNS)
    assert table["detectable_change"].iloc[0] == pytest.approx(0.8069898 - 0.2, abs=1e-6)
    assert table["method"].iloc[0] == "exact"


def test_detectable_change_of_large_rounds_uses_the_normal_approximation():
    # 300 a round at 30%: R power.prop.test(n = 300, p1 = 0.3, power = 0.8)$p2 = 0.4092250247104 for a rise (R's
    # uniroot stops at tol = 1e-4), and a fall of 9.9 points to 20.1% is smaller: the figure is the smaller one.
    row = detectable_change(0.3, 300, 300).iloc[0]
    assert row["method"] == "normal"
    assert normal_power(0.3, 0.4092250247104, 300, 300) == pytest.approx(0.8, abs=1e-4)
    assert normal_power(0.3, 0.3 - row["detectable_change"], 300, 300) == pytest.approx(0.8, abs=1e-6)
    assert normal_power(0.3, 0.3 + row["detectable_change"], 300, 300) < 0.8


def test_detectable_change_without_a_baseline_starts_from_a_half():
    assert detectable_change(math.nan, 40, 40)["detectable_change"].iloc[0] == pytest.approx(
        detectable_change(0.5, 40, 40)["detectable_change"].iloc[0]
    )


def test_no_detectable_change_when_no_change_reaches_the_power():
    # 3 of 7 against 8: even a rise to 100% is detected less than 80% of the time.
    assert fisher_power(3 / 7, 1.0, 7, 8) < 0.8 and fisher_power(3 / 7, 0.0, 7, 8) < 0.8
    assert math.isnan(detectable_change(3 / 7, 7, 8)["detectable_change"].iloc[0])


def test_sample_size_is_r_power_prop_test_rounded_up():
    # R: power.prop.test(p1 = 0.5, p2 = 0.7, power = 0.8)$n = 92.998844822865 (and the same for p2 = 0.3), so
    # 93 a round; Fisher's test needs more than 100, so the normal figure stands.
    table = sample_size(0.5, 0.2)
    assert list(table.columns) == list(SAMPLE_SIZE_COLUMNS)
    assert (int(table["n_per_round"].iloc[0]), table["method"].iloc[0]) == (93, "normal")
    # R: power.prop.test(p1 = 0.05, p2 = 0.15, power = 0.8)$n = 140.095...: 141 (the fall to −5% is impossible).
    assert int(sample_size(0.05, 0.1)["n_per_round"].iloc[0]) == 141


def test_small_sample_sizes_are_fishers_exact_ones():
    # From 20% a rise of 20 points: R power.prop.test(p1 = 0.2, p2 = 0.4, power = 0.8)$n = 81.22 (82); Fisher's
    # exact test keeps 80% power from 90 records a round on (and not at 89).
    row = sample_size(0.2, 0.2).iloc[0]
    assert (int(row["n_per_round"]), row["method"]) == (90, "exact")
    assert fisher_power(0.2, 0.4, 90, 90) >= 0.8 > fisher_power(0.2, 0.4, 89, 89)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: normal_power(1.5, 0.5, 10, 10), "p1 must be a proportion between 0 and 1, not 1.5"),
        (lambda: fisher_power(0.5, 0.5, 0, 10), "n1 must be a whole number of records, at least 1, not 0"),
        (lambda: sample_size(0.5, 0), "change must lie between 0 and 1, not 0.0"),
        (lambda: detectable_change(0.5, 10, 10, power=1.2), "power must lie between 0 and 1, not 1.2"),
    ],
)
def test_impossible_arguments_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_change_smaller_than_the_search_grid_is_found_exactly():
    # 20,000 a round at 30%: the detectable change is about 1.3 points, inside the first step of the search.
    change = detectable_change(0.3, 20_000, 20_000)["detectable_change"].iloc[0]
    assert change < 0.025
    assert normal_power(0.3, 0.3 - change, 20_000, 20_000) == pytest.approx(0.8, abs=1e-8)
