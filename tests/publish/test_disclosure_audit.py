"""The audit of hidden counts, checked against an integer programme (scipy.optimize.milp) on random tables."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import LinearConstraint, milp

from auditkit.publish.disclosure_audit import Sum, determined_sums, explaining_sums, feasible_range, forced_zero

AREAS, VALUES = 3, 4  # cells: area-major; values 0-1 met, 2 not met, 3 blank


def item_sums() -> list[Sum]:
    """The sums auditkit publishes about an item laid out as AREAS × VALUES cells."""
    cell = np.arange(AREAS * VALUES).reshape(AREAS, VALUES)
    sums = []
    for area in range(AREAS):
        sums += [
            Sum(("numerator", area), tuple(cell[area, :2])),
            Sum(("denominator", area), tuple(cell[area, :3])),
            Sum(("records", area), tuple(cell[area, :])),
        ]
    sums += [
        Sum(("numerator", "all"), tuple(cell[:, :2].ravel())),
        Sum(("denominator", "all"), tuple(cell[:, :3].ravel())),
        Sum(("records", "all"), tuple(cell.ravel())),
    ]
    sums += [Sum(("value", value), tuple(cell[:, value])) for value in range(3)]
    return sums


def integer_range(values: np.ndarray, published: list[Sum], hidden: Sum) -> tuple[float, float]:
    """The bounds of ``hidden`` over whole, non-negative cells, by integer programming (no total unimodularity)."""
    size = len(values)
    matrix = np.zeros((len(published), size))
    for row, known in enumerate(published):
        matrix[row, list(known.cells)] = 1
    totals = matrix @ values
    objective = np.zeros(size)
    objective[list(hidden.cells)] = 1
    constraints = [LinearConstraint(matrix, totals, totals)] if published else []
    bounds = (0, values.sum() * 2 + 10)  # a generous cap keeps the maximum finite
    low = milp(objective, constraints=constraints, integrality=np.ones(size), bounds=bounds)
    high = milp(-objective, constraints=constraints, integrality=np.ones(size), bounds=bounds)
    return round(low.fun), round(-high.fun)


@pytest.mark.parametrize("seed", range(40))
def test_a_sum_is_determined_exactly_when_the_integer_programme_pins_it(seed: int):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 7, AREAS * VALUES)
    values[rng.random(len(values)) < 0.25] = 0  # zeros force cells, the hard case
    sums = item_sums()
    published = [known for known in sums if rng.random() < 0.6]
    sensitive = sums + [Sum(("cell", index), (index,)) for index in range(len(values))]
    found = {candidate.key for candidate in determined_sums(values, published, sensitive, min_count=5)}
    shown = {known.key for known in published}
    for candidate in sensitive:
        value = values[list(candidate.cells)].sum()
        if candidate.key in shown or not 1 <= value <= 5:
            continue
        low, high = integer_range(values, published, candidate)
        assert (candidate.key in found) == (low == high), (candidate.key, low, high)


def test_the_linear_range_is_the_integer_range_for_an_items_sums():
    rng = np.random.default_rng(7)
    for _ in range(20):
        values = rng.integers(0, 6, AREAS * VALUES)
        published = [known for known in item_sums() if rng.random() < 0.5]
        hidden = Sum(("cell", 0), (0,))
        low, high = feasible_range(values, published, hidden)
        assert (low, min(high, values.sum() * 2 + 10)) == integer_range(values, published, hidden)


def test_a_zero_sum_forces_its_cells_and_only_those():
    matrix = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]])
    assert list(forced_zero(matrix, np.array([0.0, 3.0]))) == [True, True, False, False]


def test_the_issues_example_a_distribution_beside_a_hidden_numerator_gives_it_away():
    # Five answers: agree 9, strongly agree 6 (met), disagree 5; the numerator 15 is hidden, the
    # denominator 20 shown, and the answers per value shown: 20 - 15 = 5 not met is worked out.
    values = np.array([9, 6, 5])
    published = [Sum("denominator", (0, 1, 2)), Sum("agree", (0,)), Sum("strongly agree", (1,))]
    not_met = Sum("not met", (2,))
    assert determined_sums(values, published, [not_met], min_count=5) == [not_met]
    assert {known.key for known in explaining_sums(values, published, [not_met])[0]} == {
        "denominator",
        "agree",
        "strongly agree",
    }
    assert determined_sums(values, published[:2], [not_met], min_count=5) == []
