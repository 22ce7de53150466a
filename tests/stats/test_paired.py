"""auditkit.stats.paired: Newcombe's paired interval, checked against the paper's published values.

Source: Newcombe RG (1998), "Improved confidence intervals for the difference between binomial proportions based
on paired data", Statistics in Medicine 17:2635–2650, Table III, the rows of method 10 (cells e, f, g, h; the
difference is (f − g)/n), printed to four decimals.
"""

from __future__ import annotations

import math

import pytest

from auditkit.stats.inference import difference_ci
from auditkit.stats.paired import PAIRED_COLUMNS, paired_difference_ci, paired_phi

# Newcombe (1998), Stat Med 17:2635–2650, Table III, method 10: (e, f, g, h) -> (lower, upper).
NEWCOMBE_TABLE_III_METHOD_10 = [
    ((36, 12, 2, 0), (0.0569, 0.3404)),
    ((20, 12, 2, 16), (0.0562, 0.3292)),
    ((18, 12, 2, 18), (0.0562, 0.3290)),
    ((36, 14, 0, 0), (0.1528, 0.4167)),
    ((35, 14, 0, 1), (0.1461, 0.4175)),
    ((18, 14, 0, 18), (0.1441, 0.3963)),
    ((2, 97, 1, 0), (0.8721, 0.9854)),
    ((1, 97, 1, 1), (0.8736, 0.9850)),  # 0.87367 to five places: the paper cuts off, not rounds, here
    ((0, 29, 1, 0), (0.6666, 0.9882)),
    ((2, 98, 0, 0), (0.9178, 0.9945)),
    ((1, 98, 0, 1), (0.9171, 0.9916)),
    ((0, 30, 0, 0), (0.8395, 1.0)),
    ((54, 0, 0, 0), (-0.0664, 0.0664)),
    ((53, 0, 0, 1), (-0.0729, 0.0729)),
    ((30, 0, 0, 24), (-0.0358, 0.0358)),
    ((29, 0, 0, 25), (-0.0354, 0.0354)),
    ((28, 0, 0, 26), (-0.0352, 0.0352)),
    ((27, 0, 0, 27), (-0.0351, 0.0351)),
]


@pytest.mark.parametrize(("cells", "published"), NEWCOMBE_TABLE_III_METHOD_10)
def test_paired_interval_reproduces_newcombe_1998_table_iii_method_10(cells, published):
    row = paired_difference_ci(*cells).iloc[0]
    e, f, g, h = cells
    assert row["difference"] == pytest.approx((f - g) / (e + f + g + h), abs=1e-15)
    assert row["diff_ci_low"] == pytest.approx(published[0], abs=1e-4)
    assert row["diff_ci_high"] == pytest.approx(published[1], abs=1e-4)


def test_the_columns_are_those_of_a_difference():
    assert PAIRED_COLUMNS == ("difference", "diff_ci_low", "diff_ci_high")
    assert list(paired_difference_ci(1, 2, 3, 4).columns) == list(PAIRED_COLUMNS)


def test_phi_carries_newcombes_continuity_correction():
    # Newcombe (1998), method 10: C = eh − fg becomes C − n/2 when C > n/2, 0 when 0 ≤ C ≤ n/2; by hand:
    assert paired_phi(36, 12, 2, 0) == pytest.approx(-24 / math.sqrt(48 * 2 * 38 * 12))  # C < 0: as it is
    assert paired_phi(20, 12, 2, 16) == pytest.approx((320 - 24 - 25) / math.sqrt(32 * 18 * 22 * 28))
    assert paired_phi(1, 0, 0, 1) == 0.0  # C = 1 = n/2
    assert paired_phi(0, 3, 0, 0) == 0.0  # an empty margin


def test_a_zero_phi_gives_the_interval_for_independent_proportions():
    # With an empty margin φ = 0, and method 10 is the hybrid score interval of the two margins.
    paired = paired_difference_ci(0, 3, 0, 5).iloc[0]
    independent = difference_ci(3, 8, 0, 8).iloc[0]
    assert paired.tolist() == pytest.approx(independent.tolist(), abs=1e-12)


def test_no_pairs_give_missing_values():
    assert paired_difference_ci(0, 0, 0, 0).isna().all(axis=None)


def test_the_interval_is_antisymmetric_in_the_rounds():
    first, second = paired_difference_ci(2, 3, 1, 4).iloc[0], paired_difference_ci(2, 1, 3, 4).iloc[0]
    assert first["diff_ci_low"] == pytest.approx(-second["diff_ci_high"], abs=1e-12)
    assert first["diff_ci_high"] == pytest.approx(-second["diff_ci_low"], abs=1e-12)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ((1, -1, 0, 0), "first_only must not be negative"),
        ((1, 1.5, 0, 0), "first_only must be whole numbers"),
        ((float("nan"), 1, 0, 0), "both must be counts"),
        (([1, 2], 1, 0, 0), "both must be a single count"),
    ],
)
def test_impossible_cells_raise_value_error_naming_the_argument(cells, message):
    with pytest.raises(ValueError, match=message):
        paired_difference_ci(*cells)
