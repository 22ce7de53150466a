"""Funnel plot limits for proportions, as PHEindicatormethods ``calculate_funnel_limits``.

A funnel plot shows each area's proportion against its denominator, with limits around a
target (the average of all areas, or a stated total). The limit at denominator ``n`` is the
proportion whose own Wilson score interval just touches the target: an area is outside the 95%
limits exactly when the target lies outside the area's 95% Wilson interval. PHEindicatormethods
draws two pairs of limits, "2 s.d." (95%: a one-sided tail of 0.025, z = qnorm(0.975)) and
"3 s.d." (99.8%: a tail of 0.001, z = qnorm(0.999)), clamped to [0, 1].

The closed form. The Wilson limits of x events out of n are
``(2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))`` (``shared/reference/stats/README.md``). Setting
a limit equal to the target p and squaring gives a quadratic in x::

    (1 + z²/n)·x² − 2(n + z²)p·x + ((n + z²)p)² − z²(n + z²)p = 0

whose roots are ``x = ((n + z²)p ± sqrt(((n + z²)p)² − (1 + z²/n)(((n + z²)p)² − z²(n + z²)p))) / (1 + z²/n)``.
The smaller root is the count whose *upper* Wilson limit equals p (the lower funnel limit), the
larger the count whose *lower* Wilson limit equals p (the upper funnel limit); each divided by n is a
proportion. When the smaller root is negative no count has an upper limit as low as p (small n), and
the funnel limit is clamped to 0; likewise the upper one to 1. This reproduces the package's fixtures
(``testdata_funnel_prop_*.csv``) to within their rounding (5e-7 percentage points).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = [
    "FUNNEL_LABELS",
    "FUNNEL_LIMIT_COLUMNS",
    "FUNNEL_TARGETS",
    "assign_funnel_significance",
    "calculate_funnel_limits",
    "funnel_limits",
    "funnel_populations",
]

#: Columns of :func:`funnel_limits` and :func:`calculate_funnel_limits`, in order (proportions, not percentages).
FUNNEL_LIMIT_COLUMNS = ("denominator", "target", "lower_95", "upper_95", "lower_998", "upper_998")

#: What a funnel's target may be, as a round's parameters name it (``funnel: {target: …}``): the areas' counts
#: added up (PHEindicatormethods' default), or the stated total's proportion.
FUNNEL_TARGETS = ("pooled_areas", "stated_total")

#: The labels of :func:`assign_funnel_significance`, exactly as PHEindicatormethods writes them.
FUNNEL_LABELS = ("High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)")

#: The normal quantiles of the two pairs of limits: 95% ("2 s.d.", tail 0.025) and 99.8% ("3 s.d.", tail 0.001).
# The standard library's normal quantile (as scipy's ndtri, to within a unit in the last place): a parameters
# file's funnel is checked by validate, which should not import scipy.special for two numbers.
_Z95 = NormalDist().inv_cdf(0.975)
_Z998 = NormalDist().inv_cdf(0.999)


def _proportion_limits(target: float, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper funnel limits at denominators ``n`` (all > 0) for one z, clamped to [0, 1]."""
    z2 = z * z
    centre = (n + z2) * target
    scale = 1.0 + z2 / n
    discriminant = centre * centre - scale * (centre * centre - z2 * centre)
    # Exact arithmetic never makes the discriminant negative for 0 <= target <= 1; rounding can, by one ulp.
    spread = np.sqrt(np.clip(discriminant, 0.0, None))
    lower = (centre - spread) / scale / n
    upper = (centre + spread) / scale / n
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def _target(value) -> float:
    try:
        target = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"the target must be a proportion between 0 and 1, not {value!r}") from None
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"the target must be a proportion between 0 and 1, not {value!r}")
    return target


def _denominators(values) -> np.ndarray:
    n = np.atleast_1d(np.asarray(values, dtype=float))
    if n.ndim != 1:
        raise ValueError("denominators must be a sequence of numbers")
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("each denominator must be a number greater than 0")
    return n


def _widened_limits(target: float, n: np.ndarray, z: float, tau2: float) -> tuple[np.ndarray, np.ndarray]:
    """Spiegelhalter's (2005) overdispersed limits θ₀ ± z·√(θ₀(1 − θ₀)/n + τ²), clamped to [0, 1]."""
    spread = z * np.sqrt(target * (1.0 - target) / n + tau2)
    return np.clip(target - spread, 0.0, 1.0), np.clip(target + spread, 0.0, 1.0)


def funnel_limits(target: float, denominators, tau2: float = 0.0) -> pd.DataFrame:
    """The 95% and 99.8% funnel limits around ``target`` (a proportion) at each denominator.

    Each limit is the proportion whose own Wilson score interval just touches the target (the module
    docstring gives the closed form), as PHEindicatormethods ``calculate_funnel_limits`` draws them.
    Denominators must be greater than 0 (they need not be whole: PHEindicatormethods accepts any population).
    With a between-area variance ``tau2`` above 0 (:func:`auditkit.stats.overdispersion.overdispersion`), the
    limits are Spiegelhalter's (2005) additive random-effects ones instead, θ₀ ± z·√(θ₀(1 − θ₀)/n + τ²).

    Returns
    -------
    pandas.DataFrame
        One row per denominator, in the order given, columns in :data:`FUNNEL_LIMIT_COLUMNS`: denominator,
        target, lower_95, upper_95, lower_998, upper_998; limits are proportions in [0, 1].
    """
    p = _target(target)
    n = _denominators(denominators)
    if not np.isfinite(tau2) or tau2 < 0:
        raise ValueError(f"tau2 must be a variance of at least 0, not {tau2!r}")
    limits = _proportion_limits if tau2 == 0 else (lambda p, n, z: _widened_limits(p, n, z, tau2))
    lower_95, upper_95 = limits(p, n, _Z95)
    lower_998, upper_998 = limits(p, n, _Z998)
    return pd.DataFrame(
        {
            "denominator": n,
            "target": np.full(n.shape, p),
            "lower_95": lower_95,
            "upper_95": upper_95,
            "lower_998": lower_998,
            "upper_998": upper_998,
        }
    )


def funnel_populations(max_denominator: float, points: int = 100) -> np.ndarray:
    """Denominators at which to draw a funnel: 1 to a little beyond ``max_denominator``, evenly on a log scale.

    The end is ``max_denominator`` rounded up to two significant figures (102,950 → 110,000, as in the
    PHEindicatormethods fixture).

    Returns
    -------
    numpy.ndarray
        Whole numbers as floats, increasing, no repeats, at most ``points`` of them.
    """
    if not np.isfinite(max_denominator) or max_denominator <= 0:
        raise ValueError("the largest denominator must be a number greater than 0")
    if points < 2:
        raise ValueError("a funnel needs at least two points")
    magnitude = 10.0 ** (np.floor(np.log10(max_denominator)) - 1)
    end = max(np.ceil(max_denominator / magnitude - 1e-9) * magnitude, 2.0)
    grid = np.unique(np.round(np.geomspace(1.0, end, points)))
    return grid.astype(float)


def calculate_funnel_limits(numerators, denominators, populations=None, target: float | None = None) -> pd.DataFrame:
    """Funnel limits for a set of areas, as PHEindicatormethods ``calculate_funnel_limits`` for proportions.

    The target defaults to the pooled proportion Σ numerators / Σ denominators (the package's baseline);
    ``populations`` are the denominators at which limits are drawn, by default :func:`funnel_populations`
    up to the largest denominator. Numerators may be fractional (the package's fixture has such counts).

    Returns
    -------
    pandas.DataFrame
        :func:`funnel_limits` at the populations: one row per population, columns in
        :data:`FUNNEL_LIMIT_COLUMNS`.
    """
    x = np.atleast_1d(np.asarray(numerators, dtype=float))
    n = _denominators(denominators)
    if x.shape != n.shape:
        raise ValueError("numerators and denominators must have the same length")
    if np.any(~np.isfinite(x)) or np.any(x < 0) or np.any(x > n):
        raise ValueError("each numerator must lie between 0 and its denominator")
    if target is None:
        target = x.sum() / n.sum()
    if populations is None:
        populations = funnel_populations(n.max())
    return funnel_limits(target, populations)


def assign_funnel_significance(numerators, denominators, target: float | None = None, tau2: float = 0.0) -> pd.Series:
    """Each area's position on the funnel plot, as PHEindicatormethods ``assign_funnel_significance``.

    ``High (0.001)`` / ``Low (0.001)``: the proportion lies above / below the 99.8% limits at its own
    denominator; ``High (0.025)`` / ``Low (0.025)``: outside the 95% limits only; otherwise ``Not
    significant`` (a proportion exactly on a limit is not significant). The target defaults to the pooled
    proportion; ``tau2`` above 0 places the areas against the overdispersed limits (:func:`funnel_limits`).

    Returns
    -------
    pandas.Series
        Named ``funnel``, one label from :data:`FUNNEL_LABELS` per area, or None for a row with a missing
        count or a zero denominator; indexed like ``numerators`` when it is a Series.
    """
    index = numerators.index if isinstance(numerators, pd.Series) else None
    x = np.atleast_1d(np.asarray(numerators, dtype=float))
    n = np.atleast_1d(np.asarray(denominators, dtype=float))
    if x.shape != n.shape:
        raise ValueError("numerators and denominators must have the same length")
    counted = np.isfinite(x) & np.isfinite(n) & (n > 0)
    if np.any(x[counted] < 0) or np.any(x[counted] > n[counted]):
        raise ValueError("each numerator must lie between 0 and its denominator")
    labels = np.full(x.shape, None, dtype=object)
    if counted.any():
        if target is None:
            target = x[counted].sum() / n[counted].sum()
        limits = funnel_limits(target, n[counted], tau2)
        observed = x[counted] / n[counted]
        labels[counted] = np.select(
            [
                observed > limits["upper_998"].to_numpy(),
                observed > limits["upper_95"].to_numpy(),
                observed < limits["lower_998"].to_numpy(),
                observed < limits["lower_95"].to_numpy(),
            ],
            ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"],
            default="Not significant",
        ).astype(object)
    return pd.Series(labels, index=index, name="funnel", dtype=object)
