"""The words of the comparison with the baseline, for the briefing's sections: what changed, what may be chance,
what the rounds could detect.

:mod:`auditkit.briefing.sections` registers the sections; these builders give the parts about the comparison.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditkit.analysis.comparison import NO_CLEAR_CHANGE, SMALL_DENOMINATOR
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.wording import (
    describe_change,
    describe_pairs,
    describe_power,
    format_count,
    format_month,
    format_p,
    format_percent,
    format_points,
    is_apparent,
)
from auditkit.publish.protection import SUPPRESSED

__all__ = ["change_rows", "change_since_baseline", "power_sentence"]


def power_sentence(analysis: Analysis, name: str) -> str:
    """What the rounds could detect, and what the next one needs, for one instrument (published figures only).

    Returns
    -------
    str
        :func:`auditkit.briefing.wording.describe_power` of the instrument's items; ``''`` when nothing is published.
    """
    detectable = []
    if analysis.comparison is not None:
        items = analysis.comparison.items
        detectable = list(items.loc[items["instrument"] == name, "detectable_change"])
    plan = analysis.next_round
    sizes = list(plan.loc[plan["instrument"] == name, "n_per_round"])
    plural = analysis.round.instruments[name].codebook.plural
    return describe_power(detectable, sizes, analysis.round.power.change, plural)


def change_since_baseline(analysis: Analysis, instrument: str, item_id: str) -> list[str]:
    """The change since the baseline as a sentence, when the evidence shows a clear change or an apparent one.

    Returns
    -------
    list of str
        ``['Since April 2017: Toolkit use rose …']``, or nothing for a suppressed item, an unclear change that is
        not apparent either (:func:`auditkit.briefing.wording.is_apparent`), or a round without a baseline.
    """
    if analysis.comparison is None:
        return []
    items = analysis.comparison.items
    match = items[(items["instrument"] == instrument) & (items["item"] == item_id)]
    if match.empty or match.iloc[0]["verdict"] == SUPPRESSED:
        return []
    row = match.iloc[0]
    if row["verdict"] == NO_CLEAR_CHANGE and not is_apparent(row):
        return []
    plural = analysis.round.instruments[instrument].codebook.plural
    since = format_month(analysis.history[-1].round.period_end)
    return [f"Since {since}: {describe_change(row, plural, len(items))}"]


def _fraction(numerator: Any, denominator: Any, proportion: Any, symbol: str) -> str:
    """'2/10 (20%)', with the symbol for anything disclosure control hid."""
    percent = symbol if pd.isna(proportion) else format_percent(proportion)
    return f"{format_count(numerator, symbol)}/{format_count(denominator, symbol)} ({percent})"


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def change_rows(analysis: Analysis, name: str, items: pd.DataFrame, comparisons: int) -> dict[str, Any]:
    """One instrument's compared items in words and as table rows; ``comparisons`` is the family's size.

    Returns
    -------
    dict
        ``clear_changes`` and ``apparent_changes`` (sentences), ``no_clear_change`` and ``not_shown`` (measures),
        ``table`` (one dict of cells per item) and ``caution_note``.
    """
    codebook = analysis.round.instruments[name].codebook
    symbol = analysis.round.disclosure.symbol
    clear, apparent, unclear, hidden, table = [], [], [], [], []
    for _, row in items.iterrows():
        caution = f" {row['caution'][0].upper()}{row['caution'][1:]}." if row["caution"] else ""
        if row["verdict"] == SUPPRESSED:
            hidden.append(_lower_first(row["measure"]))
        elif row["verdict"] != NO_CLEAR_CHANGE or is_apparent(row):
            pairs = describe_pairs(row, codebook.plural)
            sentence = f"{describe_change(row, codebook.plural, comparisons)}{caution}{' ' + pairs if pairs else ''}"
            (clear if row["verdict"] != NO_CLEAR_CHANGE else apparent).append(sentence)
        else:
            unclear.append(_lower_first(row["measure"]))
        shown = row["verdict"] != SUPPRESSED
        table.append(
            {
                "label": row["label"],
                "lower_is_better": bool(row["lower_is_better"]),
                "baseline": _fraction(
                    row["baseline_numerator"], row["baseline_denominator"], row["baseline_proportion"], symbol
                ),
                "followup": _fraction(
                    row["followup_numerator"], row["followup_denominator"], row["followup_proportion"], symbol
                ),
                "change": f"{format_points(row['difference'])} ({format_points(row['diff_ci_low'])} to "
                f"{format_points(row['diff_ci_high'])})"
                if shown
                else symbol,
                "p_adjusted": format_p(row["p_adjusted"]).removeprefix("p = ").removeprefix("p ") if shown else symbol,
                "verdict": row["verdict"],
                "caution": row["caution"] if shown else "",
            }
        )
    note = ""
    if any(row["caution"] for row in table):
        note = (
            f"* Indicative only: fewer than {SMALL_DENOMINATOR} {codebook.plural} had an answer for this "
            f"standard in at least one of the rounds."
        )
    return {
        "clear_changes": clear,
        "apparent_changes": apparent,
        "no_clear_change": unclear,
        "not_shown": hidden,
        "table": table,
        "caution_note": note,
    }
