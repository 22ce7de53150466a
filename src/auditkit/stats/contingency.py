"""r×c tables of counts: the exact Fisher–Freeman–Halton test, and Pearson's chi-squared for large tables.

Areas against each other (one row per area, met and not met) are tested here. The exact test
enumerates every table with the observed margins, never sampling, so it gives the same p-value on
every run (scipy's r×c ``fisher_exact`` is Monte Carlo). ``tests/stats/test_contingency.py`` checks both
against R's published examples.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import chdtrc, gammaln

from auditkit.errors import ExactTestTooLarge

__all__ = [
    "EXACT_MAX_RECORDS",
    "EXACT_WORK_LIMIT",
    "ExactTestTooLarge",
    "as_counts",
    "fisher_freeman_halton_test",
    "pearson_chi_squared_test",
]

# R's fisher.test counts a table as "no more probable than the observed" when its probability is at most
# the observed one times (1 + 1e-7) for 2×2 tables (its r×c C code allows 3.45e-7 on the log scale).
_RELATIVE_TOLERANCE = 1e-7
#: The exact r×c test enumerates tables only up to this many records, and only while the partial tables it
#: weighs stay under :data:`EXACT_WORK_LIMIT` (R's fisher.test likewise stops at its workspace limit): beyond
#: them the enumeration would take minutes and gigabytes, and the chi-squared approximation is close.
EXACT_MAX_RECORDS = 10_000
#: The most partial tables the exact r×c test weighs before it gives up (see :data:`EXACT_MAX_RECORDS`).
EXACT_WORK_LIMIT = 5_000_000
# Partial log-probabilities closer than this are merged during the r×c enumeration (far below the tolerance).
_MERGE_DECIMALS = 9


def as_counts(name: str, values) -> np.ndarray:
    """Check that ``values`` are counts: finite, whole and not negative; a ValueError names ``name`` if not.

    Returns
    -------
    numpy.ndarray
        The counts as floats, with at least one dimension.
    """
    try:
        array = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be counts: whole numbers with no missing values") from error
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be counts: whole numbers with no missing values")
    if np.any(array < 0):
        raise ValueError(f"{name} must not be negative")
    if np.any(array != np.floor(array)):
        raise ValueError(f"{name} must be whole numbers")
    return array


def fisher_freeman_halton_test(table) -> float:
    """Exact p-value for independence in an r×c table of counts (Fisher–Freeman–Halton), as R ``fisher.test``.

    The p-value sums the probabilities of every table with the observed row and column totals whose
    probability, ∏ rᵢ! ∏ cⱼ! / (N! ∏ xᵢⱼ!), is no more than the observed table's times (1 + 1e-7). The
    tables are enumerated exactly, never sampled, so the answer is the same on every run (scipy's r×c
    ``fisher_exact`` is Monte Carlo). Rows and columns that are all zero are dropped first; a table with
    fewer than two non-empty rows or columns gives 1.0. On a 2×2 table this is :func:`fisher_exact_test`.

    The test is Freeman and Halton's (1951), Biometrika 38:141–149. Raises :class:`ExactTestTooLarge`
    for a table of more than :data:`EXACT_MAX_RECORDS` records, or one whose enumeration would weigh
    more than :data:`EXACT_WORK_LIMIT` partial tables; use :func:`pearson_chi_squared_test` for those.

    Returns
    -------
    float
        The two-sided p-value, at most 1.
    """
    counts = as_counts("table", table)
    if counts.ndim != 2:
        raise ValueError("table must be two-dimensional: one row per area (or round), one column per outcome")
    counts = counts.astype(np.int64)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(counts.shape) < 2:
        return 1.0
    if counts.shape[0] < counts.shape[1]:
        counts = counts.T
    total = int(counts.sum())
    if total > EXACT_MAX_RECORDS:
        raise ExactTestTooLarge(f"the table has {total} records; the exact test takes at most {EXACT_MAX_RECORDS}")
    log_factorial = gammaln(np.arange(total + 1, dtype=float) + 1.0)
    lines = np.sort(counts.sum(axis=1))
    margins = np.sort(counts.sum(axis=0))
    constant = log_factorial[lines].sum() + log_factorial[margins].sum() - log_factorial[total]
    observed = constant - log_factorial[counts].sum()
    threshold = observed + math.log1p(_RELATIVE_TOLERANCE)
    return _tail_probability(lines, margins, log_factorial, constant, threshold)


def pearson_chi_squared_test(table) -> float:
    """p-value of Pearson's chi-squared test of independence in an r×c table, as R ``chisq.test(correct = FALSE)``.

    For tables too large for :func:`fisher_freeman_halton_test`. Rows and columns that are all zero are
    dropped first; a table with fewer than two non-empty rows or columns gives 1.0.

    Returns
    -------
    float
        The p-value of the statistic on (r − 1)(c − 1) degrees of freedom, without continuity correction.
    """
    counts = as_counts("table", table)
    if counts.ndim != 2:
        raise ValueError("table must be two-dimensional: one row per area (or round), one column per outcome")
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(counts.shape) < 2:
        return 1.0
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
    statistic = float(((counts - expected) ** 2 / expected).sum())
    freedom = (counts.shape[0] - 1) * (counts.shape[1] - 1)
    return float(chdtrc(freedom, statistic))  # scipy.stats.chi2.sf


def _tail_probability(lines, margins, log_factorial, constant, threshold) -> float:
    """Sum of the probabilities of tables with log-probability at most ``threshold``.

    The table is filled one line (row of the longer side) at a time. A node is the multiset of column
    totals still to fill after some lines, sorted so that equivalent nodes meet; it carries the distinct
    log-probabilities of the partial tables that reach it (``constant`` plus −Σ log xᵢⱼ!), with how many
    partial tables share each. Bounds on what the remaining lines can add (:func:`_future`) settle most
    partial tables without enumerating their completions: if even the most probable completion is at or
    below the threshold, all completions count, and their total probability has a closed form; if even
    the least probable is above it, none count. The rest are carried to the next line. The last line is
    forced by the margins, so every partial table is settled by then.
    """
    futures: dict = {}
    moves: dict = {}
    nodes = {tuple(int(m) for m in margins): (np.array([constant]), np.array([1.0]))}
    probability = 0.0
    work = 0
    for stage in range(len(lines) - 1):
        line = int(lines[stage])
        rest = lines[stage + 1 :]
        carried_child, carried_value, carried_count = [], [], []
        children: dict = {}
        for state, (values, multiplicity) in nodes.items():
            if (line, state) not in moves:
                moves[(line, state)] = _moves(line, state, log_factorial)
            child_states, child_of_move, move_weight, move_count = moves[(line, state)]
            work += values.size * move_weight.size
            if work > EXACT_WORK_LIMIT:
                raise ExactTestTooLarge(f"the exact test would weigh more than {EXACT_WORK_LIMIT} partial tables")
            future = np.array([_future(rest, child, log_factorial, futures) for child in child_states])
            log_total, high, low = (future[child_of_move, i][None, :] for i in range(3))
            partial = values[:, None] + move_weight[None, :]
            weight = multiplicity[:, None] * move_count[None, :]
            settled = partial + high <= threshold
            probability += float((weight * np.exp(partial + log_total))[settled].sum())
            open_ = ~settled & (partial + low <= threshold)
            if open_.any():
                ids = np.array([children.setdefault(child, len(children)) for child in child_states])
                carried_child.append(np.broadcast_to(ids[child_of_move][None, :], partial.shape)[open_])
                carried_value.append(partial[open_])
                carried_count.append(weight[open_])
        if not carried_child:
            break
        nodes = _merge(children, carried_child, carried_value, carried_count)
    return min(1.0, probability)


def _merge(children: dict, child_ids, values, counts) -> dict:
    """Group carried partial tables by node and (rounded) log-probability, adding their counts."""
    ids, value, count = np.concatenate(child_ids), np.concatenate(values), np.concatenate(counts)
    rounded = np.round(value, _MERGE_DECIMALS)
    order = np.lexsort((rounded, ids))
    ids, rounded, value, count = ids[order], rounded[order], value[order], count[order]
    starts = np.flatnonzero(np.r_[True, (ids[1:] != ids[:-1]) | (rounded[1:] != rounded[:-1])])
    ids, value, count = ids[starts], value[starts], np.add.reduceat(count, starts)
    states = list(children)
    edges = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
    return {states[ids[a]]: (value[a:b], count[a:b]) for a, b in zip(edges[:-1], edges[1:], strict=True)}


def _moves(line: int, state: tuple, log_factorial: np.ndarray):
    """Every way to fill a line of ``line`` cases under column totals ``state``.

    Returns the distinct next nodes, and for each distinct (next node, log-weight) pair its node, its
    log-weight −Σ log xⱼ! and how many fillings share it.
    """
    caps = np.array(state, dtype=np.int64)
    rows = _compositions(line, caps)
    weight = -log_factorial[rows].sum(axis=1)
    child_rows = np.sort(caps[None, :] - rows, axis=1)
    unique, child = np.unique(child_rows, axis=0, return_inverse=True)
    child = child.reshape(-1)
    rounded = np.round(weight, _MERGE_DECIMALS)
    order = np.lexsort((rounded, child))
    child, rounded, weight = child[order], rounded[order], weight[order]
    starts = np.flatnonzero(np.r_[True, (child[1:] != child[:-1]) | (rounded[1:] != rounded[:-1])])
    count = np.diff(np.r_[starts, child.size]).astype(float)
    states = [tuple(int(v) for v in row) for row in unique]
    return states, child[starts], weight[starts], count


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """All integer vectors x with Σx = total and 0 ≤ x ≤ caps, one per row."""
    rows = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros(1, dtype=np.int64)
    room = np.r_[np.cumsum(caps[::-1])[::-1][1:], 0]  # capacity of the cells after each cell
    for cap, after in zip(caps[:-1], room[:-1], strict=True):
        options = np.arange(cap + 1)
        reached = sums[:, None] + options[None, :]
        row, option = np.nonzero((reached <= total) & (total - reached <= after))
        rows = np.column_stack([rows[row], options[option]])
        sums = reached[row, option]
    return np.column_stack([rows, total - sums])


def _future(rest: np.ndarray, state: tuple, log_factorial: np.ndarray, cache: dict):
    """For the lines ``rest`` still to fill under column totals ``state``: the log of the summed weight
    Σ ∏ 1/xᵢⱼ! over every completion (N! / (∏ rᵢ! ∏ cⱼ!) for the sub-table), and an upper and a lower
    bound on the log-weight of a single completion (exact when one line is left)."""
    key = (len(rest), state)
    if key not in cache:
        columns = np.array(state, dtype=np.int64)
        log_total = log_factorial[columns.sum()] - log_factorial[rest].sum() - log_factorial[columns].sum()
        if len(rest) == 1:
            cache[key] = (log_total, log_total, log_total)
        else:
            lines = [int(t) for t in rest]
            tops = [int(c) for c in columns]
            high = min(
                sum(_spread(t, tops, log_factorial) for t in lines),
                sum(_spread(c, lines, log_factorial) for c in tops),
            )
            low = max(
                sum(_packed(t, tops, log_factorial) for t in lines),
                sum(_packed(c, lines, log_factorial) for c in tops),
            )
            cache[key] = (log_total, high, low)
    return cache[key]


def _spread(total: int, caps: list, log_factorial: np.ndarray) -> float:
    """Largest −Σ log xⱼ! with Σx = total, x ≤ caps: the counts spread as evenly as the caps allow."""
    value, left = 0.0, total
    ordered = sorted(caps)
    for position, cap in enumerate(ordered):
        cells = len(ordered) - position
        share = left // cells
        if cap <= share:
            value -= log_factorial[cap]
            left -= cap
        else:
            extra = left - share * cells
            return value - extra * log_factorial[share + 1] - (cells - extra) * log_factorial[share]
    return value


def _packed(total: int, caps: list, log_factorial: np.ndarray) -> float:
    """Smallest −Σ log xⱼ! with Σx = total, x ≤ caps: the counts packed into the largest cells first."""
    value, left = 0.0, total
    for cap in sorted(caps, reverse=True):
        take = min(cap, left)
        value -= log_factorial[take]
        left -= take
    return value
