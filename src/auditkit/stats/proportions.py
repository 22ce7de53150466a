"""Proportions of counts with their confidence intervals, for every finding a briefing reports.

Each function returns a tidy frame with stable columns.

Methods and published values to test against are listed in
``shared/reference/stats/README.md``; the tests cite them inline.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from auditkit.stats.contingency import as_counts

__all__ = ["PROPORTION_COLUMNS", "proportion_ci"]

#: Columns of :func:`proportion_ci`, in order.
PROPORTION_COLUMNS = ("numerator", "denominator", "proportion", "ci_low", "ci_high")


def _wilson(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score bounds, computed as statsmodels ``proportion_confint(method="wilson")`` does."""
    # The standard library's normal quantile (Wichura's AS241, as scipy's ndtri, to within a unit in the last
    # place): validate computes proportions, and scipy.special would add a sixth of a second to its start.
    crit = -NormalDist().inv_cdf((1 - confidence) / 2.0)
    crit2 = crit**2
    q = x / n
    denom = 1 + crit2 / n
    center = (q + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(q * (1.0 - q) / n + crit2 / (4.0 * n**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def proportion_ci(numerator, denominator, confidence: float = 0.95) -> pd.DataFrame:
    """Proportions with Wilson score intervals (the PHEindicatormethods ``phe_proportion`` method).

    The interval is Wilson's (1927), Journal of the American Statistical Association 22:209–212,
    computed as statsmodels ``proportion_confint(method="wilson")`` does. ``numerator`` and
    ``denominator`` are counts of equal length (scalars are accepted). A zero denominator gives a
    missing proportion and interval rather than an error. A count that is missing, not a whole number or
    negative, or a numerator above its denominator, raises ``ValueError`` naming the argument: a NaN once
    wrote the numerator −9223372036854775808, and 1.5 of 5 was reported as 1 of 5 with the proportion 0.3.

    Returns
    -------
    pandas.DataFrame
        One row per count, columns in :data:`PROPORTION_COLUMNS`: numerator, denominator, proportion,
        ci_low, ci_high. The index is kept from ``numerator`` when it is a Series.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence}")
    index = numerator.index if isinstance(numerator, pd.Series) else None
    x = as_counts("numerator", numerator)
    n = as_counts("denominator", denominator)
    if x.shape != n.shape:
        raise ValueError("numerator and denominator must have the same length")
    if np.any(x > n):
        raise ValueError("each numerator must lie between 0 and its denominator")
    proportion = np.full_like(x, np.nan)
    low = np.full_like(x, np.nan)
    high = np.full_like(x, np.nan)
    counted = n > 0
    if counted.any():
        proportion[counted] = x[counted] / n[counted]
        low[counted], high[counted] = _wilson(x[counted], n[counted], confidence)
        # The closed form gives exactly 0 when x = 0 and exactly 1 when x = n; floating point
        # can miss by one unit in the last place, which would leave the estimate outside its interval.
        low[counted & (x == 0)] = 0.0
        high[counted & (x == n)] = 1.0
    return pd.DataFrame(
        {
            "numerator": x.astype(np.int64),
            "denominator": n.astype(np.int64),
            "proportion": proportion,
            "ci_low": np.clip(low, 0.0, 1.0),
            "ci_high": np.clip(high, 0.0, 1.0),
        },
        index=index,
    )
