"""Ordered answers (five-level agreement scales) compared between two rounds: Mann–Whitney and its effect size.

Five levels give heavy ties, and rounds of a few dozen responses are small: :func:`rank_sum_test` uses the
exact distribution of the rank sum given the ties for small samples (as R ``coin::wilcox_test(distribution =
"exact")``) and R's normal approximation (:func:`auditkit.stats.inference.mann_whitney_test`) for large ones,
and reports the probability of superiority with Newcombe's interval. scipy's exact Mann–Whitney assumes no ties,
so the conditional distribution is enumerated here. ``tests/stats/test_ranks.py`` checks both against R.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from auditkit.stats.inference import mann_whitney_test

__all__ = [
    "EXACT_RANK_SUM_MAX",
    "RANK_SUM_COLUMNS",
    "exact_rank_sum_p",
    "rank_sum_test",
    "superiority_ci",
]

#: Columns of :func:`rank_sum_test`, in order.
RANK_SUM_COLUMNS = ("u", "p_value", "method", "superiority", "superiority_ci_low", "superiority_ci_high")
#: The most answers (both samples together) for which :func:`rank_sum_test` uses the exact distribution. Up to
#: here the enumeration takes under a tenth of a second; its cost grows with the cube of the number of answers
#: (a second at 200). From here on R's normal approximation with its tie and continuity corrections was within
#: 0.003 of the exact p-value on random five-level samples (checked against coin), so nothing is lost.
EXACT_RANK_SUM_MAX = 100
# A rank sum counts as at least as extreme as the observed one within this relative tolerance (midranks are exact
# halves, so the sums are exact; the tolerance only guards the float comparison).
_TOLERANCE = 1e-9


def _samples(first, second) -> tuple[np.ndarray, np.ndarray]:
    """Both samples as finite floats, through :func:`mann_whitney_test`'s own checks."""
    mann_whitney_test(first, second)  # raises the ValueError naming the argument for anything unusable
    values = []
    for sample in (first, second):
        array = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(sample, dtype=object))), errors="coerce")
        array = array.to_numpy(dtype=float, na_value=np.nan)
        values.append(array[np.isfinite(array)])
    return values[0], values[1]


def exact_rank_sum_p(first, second) -> float:
    """Exact two-sided p-value of the Wilcoxon–Mann–Whitney test given the ties, as R ``coin::wilcox_test``.

    The permutation (conditional) distribution of the rank sum of ``first``, midranks for ties, given every
    value's count in the two samples together: for k distinct values with totals t_j, the number of ``first``'s
    answers at each value follows the multivariate hypergeometric distribution ∏ C(t_j, x_j) / C(N, n1), and
    the rank sum is Σ x_j·m_j with m_j the value's midrank. It is enumerated over the k columns of the 2 × k
    table with fixed margins (for five levels, every 2×5 table). The two-sided p-value is
    P(|W − E W| ≥ |w − E W|), as ``pvalue(wilcox_test(y ~ g, distribution = "exact"))`` in R's coin package
    (Hothorn, Hornik, van de Wiel, Zeileis 2008, Journal of Statistical Software 28(8)).

    Returns
    -------
    float
        The p-value, at most 1.
    """
    from scipy.special import gammaln  # here, not at the top: validate needs none of scipy

    first, second = _samples(first, second)
    if first.size > second.size:  # the same p-value, from the smaller sample's rank sum (a smaller table)
        first, second = second, first
    values, totals = np.unique(np.concatenate([first, second]), return_counts=True)
    mine = np.array([np.count_nonzero(first == value) for value in values])
    n1, total = first.size, int(totals.sum())
    doubled = 2 * (np.cumsum(totals) - totals) + totals + 1  # twice each value's midrank: whole numbers
    highest = int(doubled.max()) * n1
    # ways[c, s]: log-free weights of tables with c of first's answers so far and doubled rank sum s.
    ways = np.zeros((n1 + 1, highest + 1))
    ways[0, 0] = 1.0
    for count, score in zip(totals, doubled):
        grown = np.zeros_like(ways)
        for taken in range(min(int(count), n1) + 1):
            shift = taken * int(score)
            weight = math.exp(gammaln(count + 1) - gammaln(taken + 1) - gammaln(count - taken + 1))
            grown[taken:, shift:] += weight * ways[: n1 + 1 - taken, : highest + 1 - shift]
        ways = grown
    distribution = ways[n1] / math.exp(gammaln(total + 1) - gammaln(n1 + 1) - gammaln(total - n1 + 1))
    centre = n1 * (total + 1)  # twice the expected rank sum
    observed = abs(int((mine * doubled).sum()) - centre)
    distance = np.abs(np.arange(highest + 1) - centre)
    return float(min(1.0, distribution[distance >= observed * (1 - _TOLERANCE)].sum()))


def superiority_ci(superiority: float, n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's score-type interval for the probability of superiority θ (the Mann–Whitney U over n1·n2).

    Method 5 of Newcombe RG (2006), "Confidence intervals for an effect size measure based on the Mann–Whitney
    statistic. Part 2: asymptotic methods and evaluation", Statistics in Medicine 25:559–573: the θ solving
    (θ̂ − θ)² = z²·V(θ), with the Hanley–McNeil variance written in θ and N* = (n1 + n2)/2 − 1,

        V(θ) = θ(1 − θ)·(1 + N*(1 − θ)/(2 − θ) + N*·θ/(1 + θ)) / (n1·n2)

    As Wilson's interval does for a proportion, it stays within [0, 1] and has width when θ̂ is 0 or 1.

    Returns
    -------
    tuple of float
        The lower and upper limits; missing when a sample is empty.
    """
    from scipy.special import ndtri  # here, not at the top: validate needs none of scipy

    if n1 < 1 or n2 < 1 or not 0 <= superiority <= 1:
        return math.nan, math.nan
    from scipy.optimize import brentq  # imported when needed: scipy.optimize is slow to import

    z = float(ndtri(1 - (1 - confidence) / 2))
    star = (n1 + n2) / 2 - 1

    def gap(theta: float, sign: float) -> float:
        variance = theta * (1 - theta) * (1 + star * (1 - theta) / (2 - theta) + star * theta / (1 + theta))
        return superiority - theta + sign * z * math.sqrt(variance / (n1 * n2))

    # θ̂ itself solves the equation only where V(θ̂) = 0, at 0 or 1: the other root is searched for just inside.
    inside = 1e-12
    low = 0.0 if superiority == 0 else brentq(gap, 0.0, min(superiority, 1 - inside), args=(-1.0,), xtol=1e-14)
    high = 1.0 if superiority == 1 else brentq(gap, max(superiority, inside), 1.0, args=(1.0,), xtol=1e-14)
    return float(low), float(high)


def rank_sum_test(first, second, method: str = "auto") -> pd.DataFrame:
    """Mann–Whitney between two samples of ordered answers, exact when small, with the probability of superiority.

    ``method`` ``"exact"`` uses :func:`exact_rank_sum_p`, ``"asymptotic"`` R's ``wilcox.test(exact = FALSE,
    correct = TRUE)`` (:func:`auditkit.stats.inference.mann_whitney_test`), and ``"auto"`` the exact test up to
    :data:`EXACT_RANK_SUM_MAX` answers in the two samples together. ``superiority`` is θ = P(second > first) +
    ½·P(second = first), the probability that an answer of ``second`` is higher than one of ``first``
    (1 − U/(n1·n2)); the rank-biserial correlation is 2θ − 1. Its interval is :func:`superiority_ci`.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`RANK_SUM_COLUMNS`: u (of ``first``, R's W), p_value, method (``"exact"`` or
        ``"asymptotic"``), superiority, superiority_ci_low, superiority_ci_high.
    """
    if method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymptotic', not {method!r}")
    asymptotic = mann_whitney_test(first, second).iloc[0]
    a, b = _samples(first, second)
    if method == "auto":
        method = "exact" if a.size + b.size <= EXACT_RANK_SUM_MAX else "asymptotic"
    p_value = exact_rank_sum_p(a, b) if method == "exact" else float(asymptotic["p_value"])
    superiority = 1.0 - float(asymptotic["u"]) / (a.size * b.size)
    low, high = superiority_ci(superiority, a.size, b.size)
    return pd.DataFrame(
        {
            "u": [float(asymptotic["u"])],
            "p_value": [p_value],
            "method": [method],
            "superiority": [superiority],
            "superiority_ci_low": [low],
            "superiority_ci_high": [high],
        }
    )
