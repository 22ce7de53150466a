"""An aggregate indicator table in words: its trend, which funnel limits its plot shows, and its table's cells.

The briefing's ``indicators`` section (:mod:`auditkit.briefing.sections`) shows these; the figures are the
analysis's (:mod:`auditkit.analysis.indicator_tables`), worded here, never worked out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditkit.analysis.indicator_tables import IndicatorTableFindings
from auditkit.briefing.wording import figure_cells, format_p, format_percent

__all__ = ["INDEPENDENT_YEARS", "describe_funnel_limits", "describe_indicator_trend", "indicator_table_rows"]

#: What the trend sentence adds: the test treats the years as independent samples, which they are not.
INDEPENDENT_YEARS = (
    "The test treats each year as an independent sample, but the same children can be counted in several "
    "years, so read it as indicative."
)


def describe_indicator_trend(findings: IndicatorTableFindings) -> str:
    """The total area's first and last period, and the test for trend, in words.

    Returns
    -------
    str
        Such as ``'In Lancashire the share fell from 34% (318 of 936) in 2015 to 30% (375 of 1,243) in 2018: a
        clear trend over 4 periods (test for trend, p = 0.003). The test treats each year …'``; ``''`` without a
        test.
    """
    trend = findings.trend
    if trend.empty or pd.isna(trend.iloc[0]["z"]):
        return ""
    row = trend.iloc[0]
    rows = findings.rows[findings.rows["area"] == row["area"]].dropna(subset=["proportion"])
    first, last = rows.iloc[0], rows.iloc[-1]
    verb = "fell" if last["proportion"] < first["proportion"] else "rose"
    clear = "a clear trend" if row["significant"] else "no clear trend"
    return (
        f"In {row['area']} the share {verb} from {format_percent(first['proportion'])} ({int(first['numerator']):,} of "
        f"{int(first['denominator']):,}) in {first['period']} to {format_percent(last['proportion'])} "
        f"({int(last['numerator']):,} of {int(last['denominator']):,}) in {last['period']}: {clear} over "
        f"{int(row['periods'])} periods (test for trend, {format_p(row['p_value'])}). {INDEPENDENT_YEARS}"
    )


def describe_funnel_limits(findings: IndicatorTableFindings) -> str:
    """Which limits the funnel plot shows: around what target, and whether widened for overdispersion.

    Returns
    -------
    str
        Such as ``'The funnel plot's target is all districts together. The districts vary more than chance
        alone would explain (test for overdispersion, p < 0.001), so its limits are widened to allow for that
        (Spiegelhalter's random-effects adjustment).'``; ``''`` when there is no funnel plot.
    """
    targets = findings.funnel_targets
    if targets.empty:
        return ""
    target = targets.iloc[-1]
    area = findings.codebook.area
    basis = (
        f"the stated figure for {findings.codebook.total_area}"
        if target["basis"] == "total"
        else f"all {area}s together"
    )
    text = f"The funnel plot's target is {basis}."
    if pd.isna(target["overdispersion_p"]):
        return text
    if target["widened"]:
        return (
            f"{text} The {area}s vary more than chance alone would explain (test for overdispersion, "
            f"{format_p(target['overdispersion_p'])}), so its 95% and 99.8% limits are widened to allow for that "
            f"(Spiegelhalter's random-effects adjustment): a {area} outside them stands out even so."
        )
    return (
        f"{text} Its limits are the usual 95% and 99.8% ones: the {area}s vary no more than chance would explain "
        f"(test for overdispersion, {format_p(target['overdispersion_p'])}), or there are too few to tell."
    )


def indicator_table_rows(findings: IndicatorTableFindings, symbol: str) -> list[dict[str, Any]]:
    """The cells of an indicator table as the briefing shows them, hidden figures as ``symbol``.

    Returns
    -------
    list of dict
        One per row: ``period``, ``area``, ``numerator``, ``denominator``, ``percent``, ``interval``,
        ``verdicts`` (one per benchmark, ``''`` where none) and ``funnel`` (``''`` where none).
    """
    table = findings.verdict_table()
    names = findings.codebook.benchmark_names
    return [
        {
            "period": row["period"],
            "area": row["area"],
            **figure_cells(row, symbol),
            "verdicts": ["" if pd.isna(row[name]) else row[name] for name in names],
            "funnel": "" if pd.isna(row["funnel"]) else row["funnel"],
        }
        for _, row in table.iterrows()
    ]
