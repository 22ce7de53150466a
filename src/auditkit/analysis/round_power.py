"""How many records the next round needs: for each item of a round, the size that detects the change set.

The change is the parameters' ``power → change`` (20 percentage points unless set); the power and the level are
those the comparison uses (80%, two-sided 5%). The figure starts from the round's own proportion for the item
(50% when nobody answered it), as the next round will be compared with this one
(:func:`auditkit.stats.power.sample_size`).
"""

from __future__ import annotations

import pandas as pd

from auditkit.analysis.findings import Findings
from auditkit.config.power_settings import POWER, SIGNIFICANCE
from auditkit.stats.power import sample_size

__all__ = ["NEXT_ROUND_COLUMNS", "plan_next_round"]

#: Columns of :func:`plan_next_round`, in order.
NEXT_ROUND_COLUMNS = ("instrument", "item", "change", "n_per_round", "method")


def plan_next_round(findings: Findings) -> pd.DataFrame:
    """For every item of the round, the records each of two rounds needs to detect the round's set change.

    Returns
    -------
    pandas.DataFrame
        One row per item with met values, columns in :data:`NEXT_ROUND_COLUMNS`: instrument, item, change (the
        parameters' ``power → change``), n_per_round (records in each round, a whole number) and method
        (``"exact"``: Fisher's exact test, enumerated; ``"normal"``: R's ``power.prop.test``).
    """
    totals = findings.totals()
    change = findings.round.power.change
    if totals.empty:
        return pd.DataFrame(columns=list(NEXT_ROUND_COLUMNS))
    sizes = sample_size(totals["proportion"].to_numpy(dtype=float), [change] * len(totals), POWER, SIGNIFICANCE)
    return pd.DataFrame(
        {
            "instrument": totals["instrument"].to_numpy(),
            "item": totals["item"].to_numpy(),
            "change": change,
            "n_per_round": sizes["n_per_round"].to_numpy(),
            "method": sizes["method"].to_numpy(),
        },
        columns=list(NEXT_ROUND_COLUMNS),
    )
