"""Which hidden counts a reader could still work out exactly from the published ones.

Every count auditkit publishes about an item is a sum of *cells*: how many records of an area gave an
answer. A reader who sees some sums and not others knows that the cells are whole numbers, at least 0,
and add up to every published sum; a hidden count (a cell, or a sum of cells) is *determined* when only
one value fits. The DfE rule forbids a determined hidden count from 1 to 5.

A hidden sum is determined when it takes one value over all non-negative cells that give the published
sums: after setting aside the cells that are 0 in every solution (found with linear programmes, scipy's
HiGHS), when it is a linear combination of the published sums (least squares). :func:`feasible_range`
gives a sum's smallest and largest value. For the sums auditkit publishes
about one item, the linear programme's bounds are also the whole-number bounds: each area's sums run over
nested sets of answers (met ⊂ applicable ⊂ all), and each answer's and the totals' sums over sets of areas
that are nested or disjoint too, and a matrix whose rows are two such (laminar) families is totally
unimodular, so every vertex of the feasible region is whole. ``tests/publish/test_disclosure_audit.py``
checks the ranges against scipy's integer solver. No library answers this question directly; the linear
programming is scipy's.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.linalg import qr, solve_triangular

__all__ = ["Sum", "determined_sums", "explaining_sums", "feasible_range", "forced_zero"]


@dataclass(frozen=True)
class Sum:
    """A count that is the sum of some cells: its ``key`` (what it is) and the indices of its ``cells``."""

    key: Hashable
    cells: tuple[int, ...]


def _constraints(size: int, published: Sequence[Sum], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    matrix = np.zeros((len(published), size))
    for row, known in enumerate(published):
        matrix[row, list(known.cells)] = 1.0
    return matrix, np.array([values[list(known.cells)].sum() for known in published], dtype=float)


def feasible_range(values: np.ndarray, published: Sequence[Sum], hidden: Sum) -> tuple[float, float]:
    """The smallest and largest value ``hidden`` can take given the published sums of ``values``' cells.

    Returns
    -------
    tuple of (float, float)
        The bounds; the largest is ``inf`` when the published sums do not bound it.
    """
    size = len(values)
    objective = np.zeros(size)
    objective[list(hidden.cells)] = 1.0
    if published:
        matrix, totals = _constraints(size, published, np.asarray(values))
    else:
        matrix, totals = None, None
    bounds = [(0, None)] * size
    from scipy.optimize import linprog  # scipy.optimize takes a fifth of a second to import; few rounds need it

    low = linprog(objective, A_eq=matrix, b_eq=totals, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=matrix, b_eq=totals, bounds=bounds, method="highs")
    upper = np.inf if high.status == 3 else -high.fun  # status 3: unbounded
    return float(round(low.fun, 6)), float(upper if np.isinf(upper) else round(upper, 6))


def forced_zero(matrix: np.ndarray, totals: np.ndarray, positive: np.ndarray | None = None) -> np.ndarray:
    """Which cells are 0 in every non-negative solution of ``matrix @ cells == totals``.

    ``positive`` marks cells already known to be positive in some solution. Each round maximises, over the
    cells not yet seen positive, the sum of ``t`` with ``0 <= t <= cells``
    and ``t <= 1``; the cells positive at the optimum can be positive, and an optimum of 0 proves the
    rest are 0 in every solution. A few rounds settle a table.

    Returns
    -------
    numpy.ndarray
        Booleans, one per cell.
    """
    size = matrix.shape[1]
    # A cell known to be positive in one solution (the true counts are one) is not forced to 0.
    unknown = np.ones(size, dtype=bool) if positive is None else ~np.asarray(positive, dtype=bool)
    while unknown.any():
        count = int(unknown.sum())
        # variables: the cells, then one t per unknown cell
        objective = np.concatenate([np.zeros(size), -np.ones(count)])
        equality = np.hstack([matrix, np.zeros((matrix.shape[0], count))])
        below = np.zeros((count, size + count))
        below[np.arange(count), np.flatnonzero(unknown)] = -1.0
        below[np.arange(count), size + np.arange(count)] = 1.0  # t - cell <= 0
        bounds = [(0, None)] * size + [(0, 1)] * count
        from scipy.optimize import linprog  # imported when needed, as above

        result = linprog(
            objective, A_ub=below, b_ub=np.zeros(count), A_eq=equality, b_eq=totals, bounds=bounds, method="highs"
        )
        positive = result.x[size:] > 1e-9
        if not positive.any():
            return unknown
        unknown[np.flatnonzero(unknown)[positive]] = False
    return unknown


def _row_space(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An orthonormal basis of the span of ``matrix``'s rows, from a QR decomposition with column pivoting
    of its transpose: the basis, the triangular factor and the rows it keeps (one per dimension)."""
    if matrix.size == 0:
        return np.zeros((matrix.shape[1], 0)), np.zeros((0, 0)), np.zeros(0, dtype=int)
    basis, triangle, pivots = qr(matrix.T, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(triangle))
    rank = int((diagonal > 1e-9 * max(diagonal[0], 1.0)).sum()) if len(diagonal) else 0
    return basis[:, :rank], triangle[:rank, :rank], pivots[:rank]


def determined_sums(
    values: np.ndarray, published: Sequence[Sum], sensitive: Sequence[Sum], min_count: int
) -> list[Sum]:
    """The sensitive sums from 1 to ``min_count`` that a reader of the published sums could work out exactly.

    A sum is determined when it takes one value on the whole feasible region: with the cells that are 0 in
    every solution (:func:`forced_zero`) set aside, that is when it is a linear combination of the published
    sums (no residual once projected on their span). A sensitive sum that is itself published is not checked here
    (it must not be published at all when it is small: primary suppression).

    Returns
    -------
    list of Sum
        The determined ones, in the order given.
    """
    values = np.asarray(values, dtype=np.int64)
    shown = {known.key for known in published}
    candidates = [
        candidate
        for candidate in sensitive
        if candidate.key not in shown and 1 <= int(values[list(candidate.cells)].sum()) <= min_count
    ]
    if not candidates:
        return []
    size = len(values)
    forms = np.zeros((len(candidates), size))
    for row, candidate in enumerate(candidates):
        forms[row, list(candidate.cells)] = 1.0
    if not published:
        return []
    matrix, totals = _constraints(size, published, values)
    free = ~forced_zero(matrix, totals, values > 0)
    forms, matrix = forms[:, free], matrix[:, free]
    if not free.any():
        return list(candidates)
    basis, _, _ = _row_space(matrix)
    residual = np.abs(forms - (forms @ basis) @ basis.T).max(axis=1)
    return [candidate for candidate, left in zip(candidates, residual) if left < 1e-7]


def explaining_sums(values: np.ndarray, published: Sequence[Sum], targets: Sequence[Sum]) -> list[list[Sum]]:
    """For each target, the published sums a reader combines to work it out (non-zero weight in its
    least-squares combination, cells that are 0 in every solution set aside): hiding one of them is what
    can stop it.

    Returns
    -------
    list of list of Sum
        One list per target, in the order given; empty for a target that is not such a combination.
    """
    values = np.asarray(values, dtype=np.int64)
    if not published or not targets:
        return [[] for _ in targets]
    matrix, totals = _constraints(len(values), published, values)
    free = ~forced_zero(matrix, totals, values > 0)
    forms = np.zeros((len(targets), len(values)))
    for row, target in enumerate(targets):
        forms[row, list(target.cells)] = 1.0
    basis, triangle, pivots = _row_space(matrix[:, free])
    if not len(pivots):
        return [[] for _ in targets]
    # The targets as combinations of the independent published rows the pivoting kept.
    weights = solve_triangular(triangle, basis.T @ forms[:, free].T)
    kept = [published[index] for index in pivots]
    return [[known for known, weight in zip(kept, column) if abs(weight) > 1e-9] for column in weights.T]
