"""A round's areas against each other: for each item, an exact test on the area × met table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.analysis.findings import ALL_AREAS, Findings
from auditkit.errors import ExactTestTooLarge
from auditkit.stats.inference import fisher_freeman_halton_test, pearson_chi_squared_test

__all__ = ["AREA_TEST_COLUMNS", "CHI_SQUARED", "FREEMAN_HALTON", "compare_areas"]

#: Columns of an area-test frame, in order.
AREA_TEST_COLUMNS = ("instrument", "item", "label", "areas", "p_value", "p_adjusted", "test")

FREEMAN_HALTON = "Fisher–Freeman–Halton exact test"
#: The area test for tables too large for :func:`auditkit.stats.inference.fisher_freeman_halton_test`.
CHI_SQUARED = "Pearson's chi-squared test"


def compare_areas(findings: Findings) -> pd.DataFrame:
    """For each item, the areas against each other: exact test on the area × met table.

    The exact test is R's ``fisher.test``; a table too large to enumerate exactly (over 10,000 records, or too many
    ways to fill it) gets Pearson's chi-squared test instead (``chisq.test(correct = FALSE)``); ``test`` says which.

    Returns
    -------
    pandas.DataFrame
        One row per item with two or more areas counted, columns in :data:`AREA_TEST_COLUMNS`; ``p_adjusted`` missing.
    """
    rows = []
    by_area = findings.indicators[findings.indicators["area"] != ALL_AREAS]
    for (name, item_id), group in by_area.groupby(["instrument", "item"], sort=False):
        counted = group[group["denominator"] > 0]
        if len(counted) < 2:
            continue
        table = np.column_stack([counted["numerator"], counted["denominator"] - counted["numerator"]])
        try:
            p_value, test = fisher_freeman_halton_test(table), FREEMAN_HALTON
        except ExactTestTooLarge:
            p_value, test = pearson_chi_squared_test(table), CHI_SQUARED
        rows.append(
            {
                "instrument": name,
                "item": item_id,
                "label": counted["label"].iloc[0],
                "areas": list(counted["area"]),
                "p_value": p_value,
                "p_adjusted": np.nan,
                "test": test,
            }
        )
    return pd.DataFrame(rows, columns=list(AREA_TEST_COLUMNS))
