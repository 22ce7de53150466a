"""A round's breakdowns by group as compact tables for the briefing: one row per item, one column per group.

The briefing's ``breakdowns`` section (:mod:`auditkit.briefing.sections`) shows them. Every figure is the
published analysis's (:mod:`auditkit.analysis.breakdowns`, protected by
:mod:`auditkit.publish.breakdown_protection`): worded here, never worked out.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from auditkit.analysis.area_tests import CHI_SQUARED, MONTE_CARLO
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.wording import format_count, format_p, format_percent

__all__ = ["breakdown_tables"]


def _cell(row: pd.Series, symbol: str) -> str:
    """'12/14 (86%)', the symbol for anything hidden, and '–' for a group with no answers."""
    if not pd.isna(row["denominator"]) and int(row["denominator"]) == 0:
        return "–"
    percent = symbol if pd.isna(row["proportion"]) else format_percent(row["proportion"])
    return f"{format_count(row['numerator'], symbol)}/{format_count(row['denominator'], symbol)} ({percent})"


def _test(tests: pd.DataFrame, item: str, symbol: str) -> tuple[str, float]:
    """The groups' test as the table shows it (its adjusted p), and its Monte Carlo standard error (NaN when
    exact)."""
    match = tests[tests["item"] == item]
    if match.empty:
        return "", math.nan
    row = match.iloc[0]
    if pd.isna(row["p_adjusted"]):
        return symbol, math.nan
    simulated = row["test"] == MONTE_CARLO
    shown = format_p(row["p_adjusted"]).removeprefix("p = ").removeprefix("p ")
    mark = "†" if simulated else "‡" if row["test"] == CHI_SQUARED else ""
    return shown + mark, float(row["monte_carlo_se"]) if simulated else math.nan


def breakdown_tables(analysis: Analysis) -> list[dict[str, Any]]:
    """One compact table per breakdown of each instrument, from the published analysis.

    Returns
    -------
    list of dict
        Each with ``title`` (the instrument's title and the breakdown item's label), ``groups`` (the group
        labels, the columns), ``rows`` (per item: ``label``, ``lower_is_better``, ``cells`` as '12/14 (86%)'
        per group and ``test``, the groups' adjusted p, marked † when simulated and ‡ when from Pearson's
        chi-squared test), ``simulated`` (whether any test was), ``chi_squared`` (whether any test was Pearson's)
        and ``monte_carlo_se`` (the largest Monte Carlo standard error of a simulated p, to four decimals; ``''``
        when none was simulated).
    """
    symbol = analysis.round.disclosure.symbol
    figures, tests = analysis.findings.breakdowns, analysis.breakdown_tests
    tables = []
    for breakdown in analysis.round.breakdowns:
        name, group_item = breakdown.instrument, breakdown.item
        chosen = figures[(figures["instrument"] == name) & (figures["breakdown"] == group_item.id)]
        here = tests[(tests["instrument"] == name) & (tests["breakdown"] == group_item.id)]
        rows, errors = [], []
        for item_id, item_rows in chosen.groupby("item", sort=False):
            test, error = _test(here, item_id, symbol)
            errors += [] if math.isnan(error) else [error]
            rows.append(
                {
                    "label": item_rows["label"].iloc[0],
                    "lower_is_better": bool(item_rows["lower_is_better"].iloc[0]),
                    "cells": [_cell(row, symbol) for _, row in item_rows.iterrows()],
                    "test": test,
                }
            )
        if rows:
            title = analysis.round.instruments[name].codebook.title
            tables.append(
                {
                    "title": f"{title}, by the answer to “{group_item.title}”",
                    "groups": [value.label for value in group_item.values],
                    "rows": rows,
                    "simulated": bool(errors),
                    "chi_squared": any(row["test"].endswith("‡") for row in rows),
                    "monte_carlo_se": f"{max(errors):.4f}" if errors else "",
                }
            )
    return tables
