"""Rounds over time: the test for trend of each item present in three or more rounds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from auditkit.analysis.findings import Findings
from auditkit.stats.inference import cochran_armitage_trend

__all__ = ["TREND_COLUMNS", "trend_over_rounds"]

#: Columns of a trend frame, in order.
TREND_COLUMNS = (
    "instrument",
    "item",
    "label",
    "rounds",
    "numerators",
    "denominators",
    "proportions",
    "z",
    "chi2",
    "p_value",
    "p_adjusted",
)


def trend_over_rounds(history: Sequence[Findings]) -> pd.DataFrame:
    """Cochran–Armitage test for trend for each item present in every round (three or more rounds).

    The test is :func:`auditkit.stats.inference.cochran_armitage_trend` (Cochran 1954; Armitage 1955),
    rounds scored 1, 2, 3…; ``p_adjusted`` is filled in by :func:`auditkit.analysis.comparison.adjust_round_p_values`.

    Returns
    -------
    pandas.DataFrame
        One row per item, columns in :data:`TREND_COLUMNS`: instrument, item, label, rounds, numerators,
        denominators, proportions (lists, oldest round first), z, chi2, p_value, p_adjusted.
    """
    if len(history) < 3:
        return pd.DataFrame(columns=list(TREND_COLUMNS))
    latest = history[-1]
    rows = []
    for name, instrument in latest.round.instruments.items():
        for item in instrument.codebook.indicators:
            try:
                counts = [findings.indicator(name, item.id) for findings in history]
            except KeyError:
                continue
            numerators = [int(row["numerator"]) for row in counts]
            denominators = [int(row["denominator"]) for row in counts]
            if 0 in denominators:
                continue
            result = cochran_armitage_trend(numerators, denominators).iloc[0]
            rows.append(
                {
                    "instrument": name,
                    "item": item.id,
                    "label": item.title,
                    "rounds": [findings.round.id for findings in history],
                    "numerators": numerators,
                    "denominators": denominators,
                    "proportions": [x / n for x, n in zip(numerators, denominators)],
                    "z": float(result["z"]),
                    "chi2": float(result["chi2"]),
                    "p_value": float(result["p_value"]),
                    "p_adjusted": np.nan,
                }
            )
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))
