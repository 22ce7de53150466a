"""Tests between rounds and between areas. Each function reproduces an R function, named in its docstring.

The r×c tests for areas against each other live in :mod:`auditkit.stats.contingency` and are re-exported here.

Methods and published values to test against are listed in ``shared/reference/stats/README.md``;
``tests/stats/test_inference.py`` cites them inline. scipy and statsmodels do the work wherever they implement
the method; only the Cochran–Armitage trend statistic and the exact r×c (Fisher–Freeman–Halton) p-value
are written out here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from auditkit.stats.contingency import (  # noqa: F401 - part of this module's public surface
    EXACT_MAX_RECORDS,
    EXACT_WORK_LIMIT,
    ExactTestTooLarge,
    as_counts,
    fisher_freeman_halton_test,
    pearson_chi_squared_test,
)
from auditkit.stats.proportions import proportion_ci

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


def _floats(name: str, values) -> np.ndarray:
    """A one-dimensional float array, missing values as NaN; a scalar gives one element."""
    try:
        series = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)), dtype=object)
        return pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a sequence of numbers") from error


def _count(name: str, value) -> int:
    """One count as an int."""
    array = as_counts(name, value)
    if array.size != 1:
        raise ValueError(f"{name} must be a single count")
    return int(array.item())


def _check_within(x, n, x_name: str, n_name: str) -> None:
    if np.any(x > n):
        raise ValueError(f"{x_name} must not exceed {n_name}")


def difference_ci(x1, n1, x2, n2, confidence: float = 0.95) -> pd.DataFrame:
    """Difference p1 − p2 between two independent proportions with the Newcombe hybrid score interval.

    Method 10 of Newcombe (1998), Statistics in Medicine 17:873–890, built from the Wilson limits
    (l, u) of each proportion as given by :func:`auditkit.stats.proportions.proportion_ci`::

        lower = p1 − p2 − sqrt((p1 − l1)² + (u2 − p2)²)
        upper = p1 − p2 + sqrt((u1 − p1)² + (p2 − l2)²)

    Arguments are counts of equal length (scalars are accepted). A zero denominator gives a row of
    missing values.

    Returns
    -------
    pandas.DataFrame
        One row per element, columns in :data:`DIFFERENCE_COLUMNS`: difference, diff_ci_low, diff_ci_high.
        The index is kept from ``x1`` when it is a Series.
    """
    index = x1.index if isinstance(x1, pd.Series) else None
    arrays = [as_counts(name, value) for name, value in (("x1", x1), ("n1", n1), ("x2", x2), ("n2", n2))]
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
    examples and on the grids checked in the tests.

    An empty group (``n1`` or ``n2`` zero) leaves a table with one row, in which every table with the
    observed margins is the observed one: the p-value is 1, as R gives (``fisher.test(matrix(c(0, 3, 0, 7),
    2))$p.value`` is 1).

    Returns
    -------
    float
        The p-value, 1.0 when a group is empty.
    """
    x1, n1, x2, n2 = _count("x1", x1), _count("n1", n1), _count("x2", x2), _count("n2", n2)
    _check_within(x1, n1, "x1", "n1")
    _check_within(x2, n2, "x2", "n2")
    if n1 == 0 or n2 == 0:
        return 1.0
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    from scipy import stats  # imported when needed: scipy.stats takes a third of a second to import

    return float(stats.fisher_exact(table, alternative="two-sided").pvalue)


def mcnemar_exact_test(b, c) -> float:
    """Exact two-sided McNemar p-value from the discordant pairs of a re-audit of the same cases.

    ``b`` counts cases that changed one way between rounds (met, then not met) and ``c`` the other way.
    The test is McNemar's (1947), Psychometrika 12:153–157, in its exact form: the p-value is R's
    ``binom.test(b, b + c, 0.5)$p.value`` (scipy ``binomtest``, which uses R's rule for the two-sided sum).

    Returns
    -------
    float
        The p-value; 1.0 when there are no discordant pairs.
    """
    b, c = _count("b", b), _count("c", c)
    if b + c == 0:
        return 1.0
    from scipy import stats

    return float(stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue)


def mann_whitney_test(first, second) -> pd.DataFrame:
    """Two-sided Mann–Whitney U test, as R ``wilcox.test(first, second, exact = FALSE, correct = TRUE)``.

    The test is Mann and Whitney's (1947), Annals of Mathematical Statistics 18:50–60. The inputs are the
    ordered level positions of each response (0 to 4 on a five-level scale, say). The p-value is the
    normal approximation with the tie correction to the variance and R's default continuity correction
    of 0.5; ``u`` is the U statistic of ``first``, which R prints as W (the number of pairs in which the
    ``first`` value is larger, ties counting one half). R's default (``exact = NULL``) would give an exact
    p-value for small samples without ties; ordinal scales are full of ties, so this function always
    uses the approximation. Missing values are left out, as R does.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`MANN_WHITNEY_COLUMNS`: u, p_value. When every value is tied the p-value
        is 1.0 (scipy's convention; R gives NaN).
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

    The false discovery rate procedure of Benjamini and Hochberg (1995), Journal of the Royal Statistical
    Society B 57:289–300. With the m p-values in increasing order, the i-th is adjusted to min over j ≥ i
    of m·p(j)/j, capped at 1 (statsmodels ``multipletests(method="fdr_bh")``). Missing values stay missing
    and are left out, so m counts only the values present, as in R.

    Returns
    -------
    numpy.ndarray
        The adjusted p-values as floats, in the order given.
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

    The test of Cochran (1954), Biometrics 10:417–451, and Armitage (1955), Biometrics 11:375–386.
    R fits a weighted least-squares line to the proportions x/n against the scores, with weights
    n / (p(1 − p)) where p = Σx / Σn is the pooled proportion, and takes the regression sum of squares as a
    chi-squared statistic on 1 degree of freedom. In closed form, with s̄ = Σ n·s / Σn::

        z = Σ (x − n·p)(s − s̄) / sqrt(p(1 − p) · Σ n(s − s̄)²),    chi2 = z²

    ``z`` is positive when the proportions rise with the score. ``scores`` default to 1, 2, …, k (R's
    ``seq_along(x)``). Groups with a zero denominator add nothing. When the pooled proportion is 0 or 1, or
    the counted groups share one score, there is no test and the row is missing.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`TREND_COLUMNS`: z, chi2, p_value.
    """
    from scipy.special import chdtrc  # here, not at the top: validate needs none of scipy

    x = as_counts("numerators", numerators)
    n = as_counts("denominators", denominators)
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
