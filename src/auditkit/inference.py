"""Tests between rounds and between areas. Each function reproduces an R function, named in its docstring.

Methods and published values to test against are listed in ``shared/reference/stats/README.md``;
``tests/test_inference.py`` cites them inline. scipy and statsmodels do the work wherever they implement
the method; only the Cochran–Armitage trend statistic and the exact r×c (Fisher–Freeman–Halton) p-value
are written out here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import chdtrc, gammaln

from auditkit.stats import proportion_ci

__all__ = [
    "DIFFERENCE_COLUMNS",
    "MANN_WHITNEY_COLUMNS",
    "TREND_COLUMNS",
    "adjust_bh",
    "cochran_armitage_trend",
    "difference_ci",
    "fisher_exact_test",
    "fisher_freeman_halton_test",
    "mann_whitney_test",
    "mcnemar_exact_test",
    "pearson_chi_squared_test",
    "ExactTestTooLarge",
]

#: Columns of :func:`difference_ci`, in order.
DIFFERENCE_COLUMNS = ("difference", "diff_ci_low", "diff_ci_high")
#: Columns of :func:`mann_whitney_test`, in order.
MANN_WHITNEY_COLUMNS = ("u", "p_value")
#: Columns of :func:`cochran_armitage_trend`, in order.
TREND_COLUMNS = ("z", "chi2", "p_value")

# R's fisher.test counts a table as "no more probable than the observed" when its probability is at most
# the observed one times (1 + 1e-7) for 2×2 tables (its r×c C code allows 3.45e-7 on the log scale).
_RELATIVE_TOLERANCE = 1e-7
#: The exact r×c test enumerates tables only up to this many records, and only while the partial tables it
#: weighs stay under :data:`EXACT_WORK_LIMIT` (R's fisher.test likewise stops at its workspace limit): beyond
#: them the enumeration would take minutes and gigabytes, and the chi-squared approximation is close.
EXACT_MAX_RECORDS = 10_000
EXACT_WORK_LIMIT = 5_000_000
# Partial log-probabilities closer than this are merged during the r×c enumeration (far below the tolerance).
_MERGE_DECIMALS = 9


def _floats(name: str, values) -> np.ndarray:
    """A one-dimensional float array, missing values as NaN; a scalar gives one element."""
    try:
        series = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)), dtype=object)
        return pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a sequence of numbers") from error


def _counts(name: str, values) -> np.ndarray:
    """Counts as a float array (at least one dimension): finite, whole and not negative."""
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


def _count(name: str, value) -> int:
    """One count as an int."""
    array = _counts(name, value)
    if array.size != 1:
        raise ValueError(f"{name} must be a single count")
    return int(array.item())


def _check_within(x, n, x_name: str, n_name: str) -> None:
    if np.any(x > n):
        raise ValueError(f"{x_name} must not exceed {n_name}")


def difference_ci(x1, n1, x2, n2, confidence: float = 0.95) -> pd.DataFrame:
    """Difference p1 − p2 between two independent proportions with the Newcombe hybrid score interval.

    Method 10 of Newcombe (1998), Statistics in Medicine 17:873–890, built from the Wilson limits
    (l, u) of each proportion as given by :func:`auditkit.stats.proportion_ci`::

        lower = p1 − p2 − sqrt((p1 − l1)² + (u2 − p2)²)
        upper = p1 − p2 + sqrt((u1 − p1)² + (p2 − l2)²)

    Arguments are counts of equal length (scalars are accepted); there is one row per element with the
    columns in :data:`DIFFERENCE_COLUMNS`, and the index is kept from ``x1`` when it is a Series.
    A zero denominator gives a row of missing values.
    """
    index = x1.index if isinstance(x1, pd.Series) else None
    arrays = [_counts(name, value) for name, value in (("x1", x1), ("n1", n1), ("x2", x2), ("n2", n2))]
    if arrays[0].ndim != 1 or len({array.shape for array in arrays}) != 1:
        raise ValueError("x1, n1, x2 and n2 must have the same length")
    a1, b1, a2, b2 = arrays
    _check_within(a1, b1, "x1", "n1")
    _check_within(a2, b2, "x2", "n2")
    first = proportion_ci(a1, b1, confidence=confidence)
    second = proportion_ci(a2, b2, confidence=confidence)
    p1, l1, u1 = (first[column].to_numpy() for column in ("proportion", "ci_low", "ci_high"))
    p2, l2, u2 = (second[column].to_numpy() for column in ("proportion", "ci_low", "ci_high"))
    difference = p1 - p2
    low = difference - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return pd.DataFrame(
        {
            "difference": difference,
            "diff_ci_low": np.clip(low, -1.0, 1.0),
            "diff_ci_high": np.clip(high, -1.0, 1.0),
        },
        index=index,
    )


def fisher_exact_test(x1, n1, x2, n2) -> float:
    """Two-sided Fisher's exact p-value for x1 of n1 against x2 of n2, as R ``fisher.test`` gives it.

    The table is [[x1, n1 − x1], [x2, n2 − x2]]; the p-value sums the probabilities (hypergeometric,
    margins fixed) of every table no more probable than the observed one. scipy's ``fisher_exact`` does
    this with a relative tolerance of 1e-14 for ties where R uses 1e-7; the two agree on the published
    examples and on the grids checked in the tests. A zero denominator gives NaN.
    """
    x1, n1, x2, n2 = _count("x1", x1), _count("n1", n1), _count("x2", x2), _count("n2", n2)
    _check_within(x1, n1, "x1", "n1")
    _check_within(x2, n2, "x2", "n2")
    if n1 == 0 or n2 == 0:
        return math.nan
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    from scipy import stats  # imported when needed: scipy.stats takes a third of a second to import

    return float(stats.fisher_exact(table, alternative="two-sided").pvalue)


def mcnemar_exact_test(b, c) -> float:
    """Exact two-sided McNemar p-value from the discordant pairs of a re-audit of the same cases.

    ``b`` counts cases that changed one way between rounds (met, then not met) and ``c`` the other way.
    The p-value is R's ``binom.test(b, b + c, 0.5)$p.value`` (scipy ``binomtest``, which uses R's rule for
    the two-sided sum); it is 1.0 when there are no discordant pairs.
    """
    b, c = _count("b", b), _count("c", c)
    if b + c == 0:
        return 1.0
    from scipy import stats

    return float(stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue)


def mann_whitney_test(first, second) -> pd.DataFrame:
    """Two-sided Mann–Whitney U test, as R ``wilcox.test(first, second, exact = FALSE, correct = TRUE)``.

    The inputs are the ordered level positions of each response (0 to 4 on a five-level scale, say).
    The p-value is the normal approximation with the tie correction to the variance and R's default
    continuity correction of 0.5; ``u`` is the U statistic of ``first``, which R prints as W (the number
    of pairs in which the ``first`` value is larger, ties counting one half). R's default (``exact = NULL``)
    would give an exact p-value for small samples without ties; ordinal scales are full of ties, so this
    function always uses the approximation. Missing values are left out, as R does. When every value is
    tied the p-value is 1.0 (scipy's convention; R gives NaN). One row with :data:`MANN_WHITNEY_COLUMNS`.
    """
    samples = []
    for name, values in (("first", first), ("second", second)):
        array = _floats(name, values)
        array = array[np.isfinite(array)]
        if array.size == 0:
            raise ValueError(f"{name} must hold at least one value")
        samples.append(array)
    from scipy import stats

    result = stats.mannwhitneyu(
        samples[0], samples[1], alternative="two-sided", use_continuity=True, method="asymptotic"
    )
    return pd.DataFrame({"u": [float(result.statistic)], "p_value": [float(result.pvalue)]})


def adjust_bh(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values, as R ``p.adjust(p, method = "BH")``.

    With the m p-values in increasing order, the i-th is adjusted to min over j ≥ i of m·p(j)/j, capped
    at 1 (statsmodels ``multipletests(method="fdr_bh")``). Missing values stay missing and are left out,
    so m counts only the values present, as in R. Returns a float array in the order given.
    """
    p = _floats("p_values", p_values)
    present = ~np.isnan(p)
    if np.any((p[present] < 0) | (p[present] > 1)):
        raise ValueError("p_values must lie between 0 and 1")
    adjusted = np.full(p.shape, np.nan)
    if present.any():
        adjusted[present] = _fdr_bh(p[present])
    return adjusted


def _fdr_bh(p: np.ndarray) -> np.ndarray:
    """statsmodels ``multipletests(p, method="fdr_bh")[1]``, step for step (the same floats), without
    importing statsmodels, which takes almost half a second."""
    order = np.argsort(p)
    ranked = p[order]
    factor = np.arange(1, len(ranked) + 1) / float(len(ranked))
    corrected = np.minimum.accumulate((ranked / factor)[::-1])[::-1]
    corrected[corrected > 1] = 1
    result = np.empty_like(corrected)
    result[order] = corrected
    return result


def cochran_armitage_trend(numerators, denominators, scores=None) -> pd.DataFrame:
    """Cochran–Armitage test for a linear trend in proportions, as R ``prop.trend.test(x, n, score)``.

    R fits a weighted least-squares line to the proportions x/n against the scores, with weights
    n / (p(1 − p)) where p = Σx / Σn is the pooled proportion, and takes the regression sum of squares as a
    chi-squared statistic on 1 degree of freedom. In closed form, with s̄ = Σ n·s / Σn::

        z = Σ (x − n·p)(s − s̄) / sqrt(p(1 − p) · Σ n(s − s̄)²),    chi2 = z²

    ``z`` is positive when the proportions rise with the score. ``scores`` default to 1, 2, …, k (R's
    ``seq_along(x)``). Groups with a zero denominator add nothing. When the pooled proportion is 0 or 1, or
    the counted groups share one score, there is no test and the row is missing. One row with the columns
    in :data:`TREND_COLUMNS`.
    """
    x = _counts("numerators", numerators)
    n = _counts("denominators", denominators)
    if x.ndim != 1 or x.shape != n.shape:
        raise ValueError("numerators and denominators must have the same length")
    if x.size < 2:
        raise ValueError("a trend needs at least two groups")
    _check_within(x, n, "numerators", "denominators")
    if scores is None:
        s = np.arange(1.0, x.size + 1.0)
    else:
        s = _floats("scores", scores)
        if s.shape != x.shape:
            raise ValueError("scores must have one value for each group")
        if not np.all(np.isfinite(s)):
            raise ValueError("scores must be finite numbers")
    z = math.nan
    total = n.sum()
    if total > 0:
        pooled = x.sum() / total
        centred = s - (n * s).sum() / total
        variance = pooled * (1.0 - pooled) * (n * centred**2).sum()
        if variance > 0:
            z = float(((x - n * pooled) * centred).sum() / math.sqrt(variance))
    chi2 = z * z
    return pd.DataFrame({"z": [z], "chi2": [chi2], "p_value": [float(chdtrc(1, chi2))]})


class ExactTestTooLarge(ValueError):
    """The table is too large for the exact test to be enumerated in reasonable time and memory."""


def fisher_freeman_halton_test(table) -> float:
    """Exact p-value for independence in an r×c table of counts (Fisher–Freeman–Halton), as R ``fisher.test``.

    The p-value sums the probabilities of every table with the observed row and column totals whose
    probability, ∏ rᵢ! ∏ cⱼ! / (N! ∏ xᵢⱼ!), is no more than the observed table's times (1 + 1e-7). The
    tables are enumerated exactly, never sampled, so the answer is the same on every run (scipy's r×c
    ``fisher_exact`` is Monte Carlo). Rows and columns that are all zero are dropped first; a table with
    fewer than two non-empty rows or columns gives 1.0. On a 2×2 table this is :func:`fisher_exact_test`.

    Raises :class:`ExactTestTooLarge` for a table of more than :data:`EXACT_MAX_RECORDS` records, or one
    whose enumeration would weigh more than :data:`EXACT_WORK_LIMIT` partial tables; use
    :func:`pearson_chi_squared_test` for those.
    """
    counts = _counts("table", table)
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
    """
    counts = _counts("table", table)
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
