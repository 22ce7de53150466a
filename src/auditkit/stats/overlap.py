"""Two proportions from partially overlapping samples: some records counted in both rounds, some in one.

A follow-up audit that re-audits some of the baseline's cases and adds new ones has three kinds of record:
pairs (in both rounds), baseline-only and follow-up-only records. Neither the test for independent samples
(Fisher's) nor the paired one (McNemar's) fits. The test here is the partially overlapping samples z-test of
Derrick, Dobson-McKittrick, Toher and White (2015); its interval for the difference is the MOVER (square-and-add)
interval with the correlation the overlap induces, which is Newcombe's hybrid score interval when no record is
shared and his paired method 10 when every record is (:func:`auditkit.stats.inference.difference_ci`,
:func:`auditkit.stats.paired.paired_difference_ci`). No Python library has either, so both are written out here.
``tests/stats/test_overlap.py`` checks them against the authors' worked example and R, and at the two limits.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from auditkit.stats.contingency import as_counts
from auditkit.stats.paired import paired_phi
from auditkit.stats.proportions import proportion_ci

__all__ = ["OVERLAP_COLUMNS", "partially_overlapping_test"]

#: Columns of :func:`partially_overlapping_test`, in order.
OVERLAP_COLUMNS = ("difference", "diff_ci_low", "diff_ci_high", "z", "p_value")


def _scalar(name: str, value) -> float:
    array = as_counts(name, value)
    if array.size != 1:
        raise ValueError(f"{name} must be a single count")
    return float(array.item())


def _pearson_phi(a: float, b: float, c: float, d: float) -> float:
    """R ``cor(x, y)`` of the paired 0/1 answers, 0 when either round's paired answers are all alike (as R
    ``Partiallyoverlapping::Prop.test`` sets it when a standard deviation is 0)."""
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    return 0.0 if margins == 0 else float((a * d - b * c) / math.sqrt(margins))


def partially_overlapping_test(
    both, first_only, second_only, neither, x1, n1, x2, n2, confidence: float = 0.95
) -> pd.DataFrame:
    """The difference p1 − p2 between two partially overlapping samples, with its z-test and interval.

    The pairs (records in both samples) are ``both`` (met in both), ``first_only`` (met in the first sample
    only), ``second_only`` and ``neither``; ``x1`` of ``n1`` records are only in the first sample, ``x2`` of ``n2``
    only in the second. With u = n12 + n1 and v = n12 + n2 records in each sample (n12 pairs), p1 and p2 each
    sample's proportion over all its records and p̄ the proportion over all u + v answers:

    - **Test**: the partially overlapping samples z-test of Derrick B, Dobson-McKittrick A, Toher D, White P
      (2015), "Test statistics for comparing two proportions with partially overlapping samples", Journal of
      Applied Quantitative Methods 10(3):1–14, as their R package computes it (``Partiallyoverlapping::Prop.test``)::

          z = (p1 − p2) / sqrt(p̄(1 − p̄)(1/u + 1/v) − 2·r·p̄(1 − p̄)·n12 / (u·v))

      with r the Pearson correlation of the paired answers (0 when either round's paired answers are all
      alike, or with fewer than two pairs, where R's function stops); two-sided normal p. A z of 0/0 gives
      p = 1, as the package does.
    - **Interval**: MOVER, the method of variance estimates recovery (Zou GY, Donner A (2008), "Construction
      of confidence limits about effect measures: a general approach", Statistics in Medicine 27:1693–1702),
      from each sample's Wilson limits (l1, u1), (l2, u2), with the correlation between p1 and p2 that the
      pairs induce, ρ = φ·n12 / sqrt(u·v), where φ is Newcombe's corrected phi of the pairs
      (:func:`auditkit.stats.paired.paired_phi`; Derrick et al. give the same covariance term)::

          lower = p1 − p2 − sqrt((p1 − l1)² − 2ρ(p1 − l1)(u2 − p2) + (u2 − p2)²)
          upper = p1 − p2 + sqrt((u1 − p1)² − 2ρ(u1 − p1)(p2 − l2) + (p2 − l2)²)

      With no pairs ρ = 0 and this is Newcombe's hybrid score interval for independent proportions; with
      only pairs ρ = φ and it is his paired method 10: the same floats, not approximately.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`OVERLAP_COLUMNS`: difference (first − second), diff_ci_low, diff_ci_high, z
        and p_value; missing values when either sample is empty.
    """
    a, b, c, d = (
        _scalar(name, value)
        for name, value in (
            ("both", both),
            ("first_only", first_only),
            ("second_only", second_only),
            ("neither", neither),
        )
    )
    x1, n1, x2, n2 = (_scalar(name, value) for name, value in (("x1", x1), ("n1", n1), ("x2", x2), ("n2", n2)))
    for x, n, x_name, n_name in ((x1, n1, "x1", "n1"), (x2, n2, "x2", "n2")):
        if x > n:
            raise ValueError(f"{x_name} must not exceed {n_name}")
    pairs = a + b + c + d
    u, v = pairs + n1, pairs + n2
    if u == 0 or v == 0:
        return pd.DataFrame({column: [np.nan] for column in OVERLAP_COLUMNS})
    met1, met2 = a + b + x1, a + c + x2
    first = proportion_ci(met1, u, confidence=confidence).iloc[0]
    second = proportion_ci(met2, v, confidence=confidence).iloc[0]
    p1, l1, u1 = first["proportion"], first["ci_low"], first["ci_high"]
    p2, l2, u2 = second["proportion"], second["ci_low"], second["ci_high"]
    difference = p1 - p2
    rho = paired_phi(a, b, c, d) * pairs / math.sqrt(u * v)
    below = (p1 - l1) ** 2 - 2 * rho * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
    above = (u1 - p1) ** 2 - 2 * rho * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2
    pooled = (met1 + met2) / (u + v)
    spread = pooled * (1 - pooled)
    r = _pearson_phi(a, b, c, d) if pairs >= 2 else 0.0
    variance = spread / u + spread / v - 2 * r * spread * pairs / (u * v)
    z, p_value = _z_and_p(difference, variance)
    return pd.DataFrame(
        {
            "difference": [difference],
            "diff_ci_low": [max(-1.0, difference - math.sqrt(max(below, 0.0)))],
            "diff_ci_high": [min(1.0, difference + math.sqrt(max(above, 0.0)))],
            "z": [z],
            "p_value": [p_value],
        }
    )


def _z_and_p(difference: float, variance: float) -> tuple[float, float]:
    """z and its two-sided p; 0/0 (every answer alike, or pairs that agree perfectly) gives no z and p = 1."""
    from scipy.special import ndtr  # here, not at the top: validate needs none of scipy

    if variance <= 1e-15:
        if abs(difference) <= 1e-15:
            return math.nan, 1.0
        return math.copysign(math.inf, difference), 0.0
    z = difference / math.sqrt(variance)
    return z, float(2 * ndtr(-abs(z)))
