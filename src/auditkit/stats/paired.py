"""The same records counted twice: the difference between two proportions measured on the same cases.

A case audited in two rounds is a pair: it meets the standard in both rounds (``both``), in the first only
(``first_only``), in the second only (``second_only``) or in neither (``neither``). The difference between
the rounds is (first_only − second_only) / n, and its interval must allow for the pairing, which Newcombe's
paired method 10 does; McNemar's exact test (:func:`auditkit.stats.inference.mcnemar_exact_test`) is its test.

Published values to test against: Newcombe (1998), Table III, method 10 (cited in ``tests/stats/test_paired.py``).
No Python library computes this interval (statsmodels has only the Wald interval for paired proportions), so it is
written out here from the paper's formulas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.stats.contingency import as_counts
from auditkit.stats.proportions import proportion_ci

__all__ = ["PAIRED_COLUMNS", "paired_difference_ci", "paired_phi"]

#: Columns of :func:`paired_difference_ci`, in order (those of a difference between independent proportions).
PAIRED_COLUMNS = ("difference", "diff_ci_low", "diff_ci_high")


def _cells(both, first_only, second_only, neither) -> tuple[float, float, float, float]:
    values = []
    for name, value in (("both", both), ("first_only", first_only), ("second_only", second_only), ("neither", neither)):
        array = as_counts(name, value)
        if array.size != 1:
            raise ValueError(f"{name} must be a single count")
        values.append(float(array.item()))
    return values[0], values[1], values[2], values[3]


def paired_phi(both, first_only, second_only, neither) -> float:
    """Newcombe's correlation between the two rounds' answers of the same records, with his continuity correction.

    The phi coefficient of the paired 2×2 table, C / sqrt((e + f)(g + h)(e + g)(f + h)) with e = ``both``,
    f = ``first_only``, g = ``second_only``, h = ``neither`` and C = eh − fg, where C is replaced by
    C − n/2 when C > n/2 and by 0 when 0 ≤ C ≤ n/2 (Newcombe 1998, method 10); 0 when a margin is empty.

    Returns
    -------
    float
        The corrected phi, between −1 and 1.
    """
    e, f, g, h = _cells(both, first_only, second_only, neither)
    n = e + f + g + h
    margins = (e + f) * (g + h) * (e + g) * (f + h)
    if margins == 0:
        return 0.0
    product = e * h - f * g
    corrected = product - n / 2 if product > n / 2 else product if product < 0 else 0.0
    return float(corrected / np.sqrt(margins))


def paired_difference_ci(both, first_only, second_only, neither, confidence: float = 0.95) -> pd.DataFrame:
    """p1 − p2 for one set of records answered twice, with Newcombe's paired interval (method 10).

    Newcombe RG (1998), "Improved confidence intervals for the difference between binomial proportions based
    on paired data", Statistics in Medicine 17:2635–2650, method 10: with p1 = (e + f)/n and p2 = (e + g)/n,
    their Wilson limits (l1, u1) and (l2, u2) (:func:`auditkit.stats.proportions.proportion_ci`) and φ the
    corrected phi (:func:`paired_phi`)::

        lower = p1 − p2 − sqrt((p1 − l1)² − 2φ(p1 − l1)(u2 − p2) + (u2 − p2)²)
        upper = p1 − p2 + sqrt((u1 − p1)² − 2φ(u1 − p1)(p2 − l2) + (p2 − l2)²)

    With φ = 0 this is the hybrid score interval for independent proportions
    (:func:`auditkit.stats.inference.difference_ci`). No pairs give a row of missing values.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`PAIRED_COLUMNS`: difference (first − second), diff_ci_low, diff_ci_high.
    """
    e, f, g, h = _cells(both, first_only, second_only, neither)
    n = e + f + g + h
    if n == 0:
        return pd.DataFrame({column: [np.nan] for column in PAIRED_COLUMNS})
    first = proportion_ci(e + f, n, confidence=confidence).iloc[0]
    second = proportion_ci(e + g, n, confidence=confidence).iloc[0]
    p1, l1, u1 = first["proportion"], first["ci_low"], first["ci_high"]
    p2, l2, u2 = second["proportion"], second["ci_low"], second["ci_high"]
    phi = paired_phi(e, f, g, h)
    difference = p1 - p2
    below = (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
    above = (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2
    return pd.DataFrame(
        {
            "difference": [difference],
            "diff_ci_low": [max(-1.0, difference - np.sqrt(max(below, 0.0)))],
            "diff_ci_high": [min(1.0, difference + np.sqrt(max(above, 0.0)))],
        }
    )
