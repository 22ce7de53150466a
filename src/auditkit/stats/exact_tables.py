"""The exact Fisher–Freeman–Halton p-value of an r×c table by a network algorithm (Mehta and Patel 1983).

Every table with the observed row and column totals is a path through a network: stage k holds the
column totals still to fill after k rows (sorted, so that tables that differ only by the order of
their columns meet at one node), and each arc fills one row. A path's length is −Σ log xᵢⱼ! over its
rows, so that the table's probability is exp(constant + length). The p-value sums the probabilities
of the paths no longer than the observed table's (R's relative tolerance of 1e-7 included).

At each node the partial tables that reach it are kept as their distinct lengths so far ("past
lengths"), with how many share each. Two bounds on what the rest of a path can add settle most of
them without enumerating their completions (Mehta and Patel 1983, "A network algorithm for performing
Fisher's exact test in r × c contingency tables", JASA 78:427–434, the algorithm behind R's FEXACT):
if even the longest completion keeps the path within the observed length, every completion counts,
and their total probability has a closed form (N! / ∏ rᵢ! ∏ cⱼ! for the sub-table); if even the
shortest completion takes it beyond, none does. Whatever remains is carried to the next stage.

This is written out because no maintained Python library computes the exact r×c test: scipy's
``fisher_exact`` on an r×c table is Monte Carlo, so its p-value changes with the seed. Each stage is
done with numpy on arrays (every child node of a stage found at once, the bounds of all of them worked
out together, and the settled paths of an arc found by binary search among the sorted past lengths), which
is what makes issue 18's five-by-four table of 98 records take under a second (``benchmarks/exact_tables.py``
prints timings). Tables whose enumeration would take longer than about two seconds are left to
:mod:`auditkit.stats.simulated_tables`.
"""

from __future__ import annotations

import math

import numpy as np

from auditkit.errors import ExactTestTooLarge

__all__ = ["CARRIED_LIMIT", "NETWORK_WORK_LIMIT", "network_p_value"]

#: The most work the network does before giving up (past lengths and arcs looked at, and partial tables
#: carried): about two seconds on one shared core (``benchmarks/exact_tables.py``). A count of work, not a
#: clock, so that the same table always gets the same method whatever the machine.
NETWORK_WORK_LIMIT = 10_000_000
#: The most partial tables carried from one stage to the next (about 100 MB of arrays) before giving up.
CARRIED_LIMIT = 4_000_000
# Past lengths closer than this (in log probability) are merged: far below R's tolerance of 1e-7.
_MERGE_DECIMALS = 9


def network_p_value(counts: np.ndarray, relative_tolerance: float = 1e-7, work_limit: int = NETWORK_WORK_LIMIT):
    """The exact two-sided p-value of a table of whole counts with at least two non-empty rows and columns.

    ``counts`` is a two-dimensional array of whole numbers with no empty row or column. Raises
    :class:`~auditkit.errors.ExactTestTooLarge` once the enumeration's work passes ``work_limit``
    (:data:`NETWORK_WORK_LIMIT`), or it would carry more than :data:`CARRIED_LIMIT` partial tables to a stage.

    Returns
    -------
    float
        The p-value, at most 1.
    """
    counts = np.asarray(counts, dtype=np.int64)
    if counts.shape[0] < counts.shape[1]:
        counts = counts.T
    total = int(counts.sum())
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, total + 1, dtype=float)))])
    lines = np.sort(counts.sum(axis=1))
    margins = np.sort(counts.sum(axis=0))
    constant = log_factorial[lines].sum() + log_factorial[margins].sum() - log_factorial[total]
    observed = constant - log_factorial[counts].sum()
    threshold = observed + math.log1p(relative_tolerance)
    return _Network(lines, margins, log_factorial, constant, threshold, work_limit).p_value()


class _Network:
    """The stage-by-stage walk through the network of one table's margins."""

    def __init__(self, lines, margins, log_factorial, constant, threshold, work_limit):
        self.lines = lines
        self.margins = margins
        self.log_factorial = log_factorial
        self.constant = constant
        self.threshold = threshold
        self.work_limit = work_limit
        self.work = 0
        self.base = int(margins.max()) + 1
        # Nodes are keyed by their sorted column totals read as one number in base (largest total + 1). A
        # table whose key would not fit in 63 bits (seven columns of 460 records and more) is far beyond the
        # work limit anyway.
        if len(margins) * math.log2(self.base) >= 62:
            raise ExactTestTooLarge("the table's columns are too many and too large to enumerate")

    def p_value(self) -> float:
        states = self.margins[None, :].copy()
        past = [(np.array([self.constant]), np.array([1.0]))]
        probability = 0.0
        for stage in range(len(self.lines) - 1):
            line, rest = int(self.lines[stage]), self.lines[stage + 1 :]
            arcs = [self._arcs(line, state) for state in states]
            children, inverse = self._unique_children([arc[0] for arc in arcs])
            future = _bounds(children, rest, self.log_factorial)
            carried_child, carried_value, carried_count = [], [], []
            start = 0
            for (values, multiplicity), (child_rows, arc_child, weight, count) in zip(past, arcs, strict=True):
                ids = inverse[start : start + len(child_rows)]
                start += len(child_rows)
                child = ids[arc_child]
                log_total, high, low = (future[i][child] for i in range(3))
                # Past lengths are sorted, so for each arc the paths that settle as all counting are a
                # prefix, those that settle as none counting a suffix, and only the middle is carried.
                settle = np.searchsorted(values, self.threshold - weight - high, side="right")
                keep = np.searchsorted(values, self.threshold - weight - low, side="right")
                cumulative = np.logaddexp.accumulate(values + np.log(multiplicity))
                counted = settle > 0
                probability += float(
                    (
                        count[counted] * np.exp(cumulative[settle[counted] - 1] + weight[counted] + log_total[counted])
                    ).sum()
                )
                lengths = keep - settle
                carried = int(lengths.sum())
                self.work += values.size + weight.size + carried
                if self.work > self.work_limit:
                    raise ExactTestTooLarge(f"the exact test would weigh more than {self.work_limit} partial tables")
                if carried:
                    arc = np.repeat(np.arange(weight.size), lengths)
                    past_index = np.arange(carried) - np.repeat(np.cumsum(lengths) - lengths - settle, lengths)
                    carried_child.append(child[arc])
                    carried_value.append(values[past_index] + weight[arc])
                    carried_count.append(multiplicity[past_index] * count[arc])
            if not carried_child:
                break
            if sum(len(part) for part in carried_value) > CARRIED_LIMIT:
                raise ExactTestTooLarge(f"the exact test would carry more than {CARRIED_LIMIT} partial tables")
            states, past = _merge(children, carried_child, carried_value, carried_count)
        return min(1.0, probability)

    def _arcs(self, line: int, state: np.ndarray):
        """Every way to fill a row of ``line`` records under column totals ``state``, merged by child and length.

        Returns the distinct children (sorted column totals left), and per distinct (child, length) pair the
        position of its child, its length −Σ log xⱼ! and how many fillings share it.
        """
        rows = _compositions(line, state)
        weight = -self.log_factorial[rows].sum(axis=1)
        child_rows = np.sort(state[None, :] - rows, axis=1)
        keys = self._keys(child_rows)
        _, first, child = np.unique(keys, return_index=True, return_inverse=True)
        rounded = np.round(weight, _MERGE_DECIMALS)
        order = np.lexsort((rounded, child))
        child, rounded, weight = child[order], rounded[order], weight[order]
        starts = np.flatnonzero(np.r_[True, (child[1:] != child[:-1]) | (rounded[1:] != rounded[:-1])])
        count = np.diff(np.r_[starts, child.size]).astype(float)
        return child_rows[first], child[starts], weight[starts], count

    def _keys(self, rows: np.ndarray) -> np.ndarray:
        return rows @ (self.base ** np.arange(rows.shape[1], dtype=np.int64))

    def _unique_children(self, per_node: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The distinct children of a stage, and for each node's children (concatenated) their position."""
        rows = np.concatenate(per_node)
        _, first, inverse = np.unique(self._keys(rows), return_index=True, return_inverse=True)
        return rows[first], inverse.reshape(-1)


def _merge(children: np.ndarray, child_ids, values, counts):
    """The next stage's nodes: carried partial tables grouped by node and (rounded) past length."""
    ids, value, count = np.concatenate(child_ids), np.concatenate(values), np.concatenate(counts)
    rounded = np.round(value, _MERGE_DECIMALS)
    order = np.lexsort((rounded, ids))
    ids, rounded, value, count = ids[order], rounded[order], value[order], count[order]
    starts = np.flatnonzero(np.r_[True, (ids[1:] != ids[:-1]) | (rounded[1:] != rounded[:-1])])
    ids, value, count = ids[starts], value[starts], np.add.reduceat(count, starts)
    edges = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
    states = children[ids[edges[:-1]]]
    past = [(value[a:b], count[a:b]) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return states, past


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


def _bounds(children: np.ndarray, rest: np.ndarray, log_factorial: np.ndarray):
    """For each child (a row of sorted column totals) and the rows ``rest`` still to fill: the log of the
    summed weight Σ ∏ 1/xᵢⱼ! of every completion, and an upper and a lower bound on one completion's length
    (exact when one row is left). The bounds relax the table twice, filling rows and then columns each on
    its own: the longest a row can add is its records spread as evenly as the caps allow, the shortest
    packed into the largest cells."""
    lf = log_factorial
    child_totals = children.sum(axis=1)
    log_total = lf[child_totals] - lf[rest].sum() - lf[children].sum(axis=1)
    if len(rest) == 1:
        return log_total, log_total, log_total
    by_rows_high = sum(_spread(int(t), children, lf) for t in rest)
    by_rows_low = sum(_packed(int(t), children, lf) for t in rest)
    # Columns against the fixed rows left: worked out once for every column total, then looked up.
    values = np.arange(int(children.max()) + 1)
    caps = np.broadcast_to(np.sort(rest)[None, :], (values.size, len(rest)))
    spread_by_total, packed_by_total = _spread(values, caps, lf), _packed(values, caps, lf)
    high = np.minimum(by_rows_high, spread_by_total[children].sum(axis=1))
    low = np.maximum(by_rows_low, packed_by_total[children].sum(axis=1))
    if children.shape[1] == 2:
        high = _two_column_longest(rest, lf)[children[:, 0]]
    return log_total, high, low


def _two_column_longest(rest: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """With two columns left, the exact longest completion for every first-column total a = 0, 1, …, Σ rest.

    Filling row i with x of its rᵢ records in the first column adds −log x! − log (rᵢ − x)!, a concave
    function of x whose step from x to x + 1 is log((rᵢ − x) / (x + 1)), falling as x grows. The longest
    completion with a records in the first column therefore takes the a largest steps over all rows
    (a greedy choice is optimal for a separable concave sum under one total): the all-zero filling plus the
    cumulative sum of every step sorted from the largest."""
    steps = np.concatenate([np.log(r - np.arange(r)) - np.log(np.arange(1, r + 1)) for r in rest.astype(np.int64)])
    return -lf[rest].sum() + np.concatenate([[0.0], np.cumsum(np.sort(steps)[::-1])])


def _spread(total, caps: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """Per row of ``caps`` (sorted ascending) and ``total`` (one, or one per row): the largest −Σ log xⱼ!
    with Σx = total and x ≤ caps, the records spread as evenly as the caps allow (small caps filled, the
    rest shared equally)."""
    width = caps.shape[1]
    before = np.concatenate([np.zeros((caps.shape[0], 1), dtype=np.int64), np.cumsum(caps, axis=1)], axis=1)
    left = np.reshape(total, (-1, 1)) - before[:, :width]
    cells = width - np.arange(width)
    share = np.floor_divide(left, cells[None, :])
    free = caps > share  # the first cap above the equal share is where filling stops
    stop = np.where(free.any(axis=1), free.argmax(axis=1), width)
    used = np.concatenate(
        [np.zeros((caps.shape[0], 1)), np.cumsum(lf[caps], axis=1)], axis=1
    )  # −Σ log x! of the caps filled whole
    value = -used[np.arange(caps.shape[0]), stop]
    open_ = stop < width
    index = np.flatnonzero(open_)
    at = stop[open_]
    level = share[index, at]
    extra = left[index, at] - level * cells[at]
    value[open_] -= extra * lf[level + 1] + (cells[at] - extra) * lf[level]
    return value


def _packed(total, caps: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """Per row of ``caps`` (sorted ascending) and ``total`` (one, or one per row): the smallest −Σ log xⱼ!
    with Σx = total and x ≤ caps, the records packed into the largest cells first."""
    largest_first = caps[:, ::-1]
    before = np.cumsum(largest_first, axis=1) - largest_first
    take = np.clip(np.reshape(total, (-1, 1)) - before, 0, largest_first)
    return -lf[take].sum(axis=1)
