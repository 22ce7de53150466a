"""Overdispersion of areas' proportions around a funnel plot's target, and the random-effects widening of its limits.

Spiegelhalter DJ (2005), "Funnel plots for comparing institutional performance", Statistics in Medicine
24:1185–1202, section 6 (and "Handling over-dispersion of performance indicators", Quality and Safety in
Health Care 14:347–351). With target θ₀ and area i's proportion yᵢ = xᵢ/nᵢ, its standard error under the
target is sᵢ = √(θ₀(1 − θ₀)/nᵢ) and its z-score zᵢ = (yᵢ − θ₀)/sᵢ. The z-scores are Winsorised at 10%
(those below the 10th or above the 90th percentile set to it, R ``quantile`` type 7, as the R package
FunnelPlotR does), and the overdispersion factor is φ = Σ zᵢ² / I over the I areas. Without overdispersion
I·φ is approximately χ² on I − 1 degrees of freedom; when the test is significant the limits are widened
by the additive random-effects model, with the between-area variance (DerSimonian–Laird form, wᵢ = 1/sᵢ²)

    τ² = max(0, (I·φ − (I − 1)) / (Σ wᵢ − Σ wᵢ² / Σ wᵢ)),

and the limits at denominator n are θ₀ ± z·√(θ₀(1 − θ₀)/n + τ²) (clamped to [0, 1]).
``tests/stats/test_overdispersion.py`` checks these against the same formulas in R.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "OVERDISPERSION_ALPHA",
    "OVERDISPERSION_COLUMNS",
    "OVERDISPERSION_MIN_AREAS",
    "WINSORISED",
    "overdispersion",
]

#: Columns of :func:`overdispersion`, in order.
OVERDISPERSION_COLUMNS = ("areas", "phi", "statistic", "p_value", "tau2", "adjusted")
#: The share of z-scores Winsorised at each end.
WINSORISED = 0.1
#: Below this p-value the areas are overdispersed, and the limits are widened.
OVERDISPERSION_ALPHA = 0.05
#: The limits are widened only when there are at least this many areas to estimate τ² from.
OVERDISPERSION_MIN_AREAS = 8


def overdispersion(numerators, denominators, target: float) -> pd.DataFrame:
    """Spiegelhalter's (2005) test for overdispersion of proportions around ``target``, and τ².

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`OVERDISPERSION_COLUMNS`: ``areas`` (I, those with a denominator above 0),
        ``phi`` (the Winsorised overdispersion factor), ``statistic`` (I·φ), ``p_value`` (against χ² on
        I − 1 degrees of freedom), ``tau2`` (the between-area variance, 0 when I·φ ≤ I − 1) and ``adjusted``
        (True when the limits are to be widened: p below :data:`OVERDISPERSION_ALPHA` with at least
        :data:`OVERDISPERSION_MIN_AREAS` areas). Figures are missing with fewer than two areas or a target of
        0 or 1.
    """
    from scipy.special import chdtrc  # here, not at the top: validate needs none of scipy

    x = np.atleast_1d(np.asarray(numerators, dtype=float))
    n = np.atleast_1d(np.asarray(denominators, dtype=float))
    if x.shape != n.shape or x.ndim != 1:
        raise ValueError("numerators and denominators must be sequences of the same length")
    counted = np.isfinite(x) & np.isfinite(n) & (n > 0)
    if np.any(x[counted] < 0) or np.any(x[counted] > n[counted]):
        raise ValueError("each numerator must lie between 0 and its denominator")
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"the target must be a proportion between 0 and 1, not {target!r}")
    x, n = x[counted], n[counted]
    areas = int(x.size)
    row = {"areas": areas, "phi": np.nan, "statistic": np.nan, "p_value": np.nan, "tau2": np.nan, "adjusted": False}
    if areas >= 2 and 0.0 < target < 1.0:
        variance = target * (1.0 - target) / n
        z = (x / n - target) / np.sqrt(variance)
        low, high = np.quantile(z, [WINSORISED, 1.0 - WINSORISED])  # numpy's default is R's type 7
        phi = float(np.mean(np.clip(z, low, high) ** 2))
        statistic = areas * phi
        weights = 1.0 / variance
        spread = weights.sum() - (weights**2).sum() / weights.sum()
        p_value = float(chdtrc(areas - 1, statistic))  # scipy.stats.chi2.sf
        row.update(
            phi=phi,
            statistic=statistic,
            p_value=p_value,
            tau2=max(0.0, (statistic - (areas - 1)) / spread),
            adjusted=bool(p_value < OVERDISPERSION_ALPHA and areas >= OVERDISPERSION_MIN_AREAS),
        )
    return pd.DataFrame([row], columns=list(OVERDISPERSION_COLUMNS))
