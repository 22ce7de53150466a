"""Numbers and findings in words, as a briefing prints them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from auditkit.config.codebook import Item
from auditkit.formatting import format_date, format_percent, is_missing

__all__ = [
    "describe_areas",
    "describe_change",
    "describe_finding",
    "describe_pairs",
    "describe_status",
    "finding_values",
    "format_count",
    "format_date",
    "format_interval",
    "format_month",
    "format_p",
    "format_percent",
    "format_points",
    "is_missing",
    "join_words",
]


def format_interval(low: float | None, high: float | None) -> str:
    """A 95% interval as '6% to 51%'."""
    return f"{format_percent(low)} to {format_percent(high)}"


def format_month(value: dt.date) -> str:
    """A month as a briefing dates itself: June 2017."""
    return f"{value:%B %Y}"


def join_words(words: Iterable[str]) -> str:
    """['a', 'b', 'c'] → 'a, b and c'."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def format_count(count: Any, symbol: str = "c") -> str:
    """A count as printed; a count hidden by disclosure control (None or NA) is the symbol."""
    return symbol if is_missing(count) else str(int(count))


def describe_areas(
    by_area: Mapping[str, int | None], labels: Mapping[str, str] | None = None, symbol: str = "c"
) -> str:
    """Records per area in words: '4 in Leicester, 4 in Leicestershire and 2 in Rutland'.

    Areas with no records are left out; a hidden count is shown as the symbol.
    """
    labels = labels or {}
    return join_words(
        f"{format_count(count, symbol)} in {labels.get(area, area)}" for area, count in by_area.items() if count != 0
    )


def finding_values(row: Mapping[str, Any], symbol: str = "c") -> dict[str, Any]:
    """The placeholders a statement or recommendation may use, from one indicator row.

    Figures hidden by disclosure control are given as the symbol.
    """
    hidden = bool(row.get("suppressed", False))
    return {
        "label": row["label"],
        "numerator": format_count(row["numerator"], symbol),
        "denominator": format_count(row["denominator"], symbol),
        "percent": symbol if hidden else format_percent(row["proportion"]),
        "ci_low": symbol if hidden else format_percent(row["ci_low"]),
        "ci_high": symbol if hidden else format_percent(row["ci_high"]),
    }


def describe_finding(item: Item, row: Mapping[str, Any], symbol: str = "c") -> str:
    """A finding as a sentence with its figure and interval.

    'The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%).'
    Where disclosure control hid the count, the sentence says so instead of giving figures.
    """
    values = finding_values(row, symbol)
    if values["denominator"] == "0":
        return f"{item.title}: no applicable answers were recorded."
    statement = item.statement or "{label}: {numerator} of {denominator}"
    sentence = statement.format(**values)
    sentence = sentence[0].upper() + sentence[1:]
    if row.get("suppressed", False):
        return f"{sentence} (the exact figure is not published because the numbers are small)."
    return f"{sentence} ({values['percent']}; 95% CI {values['ci_low']} to {values['ci_high']})."


def format_points(difference: float) -> str:
    """A difference in proportions as percentage points, with a true minus sign: −0.283 → '−28'."""
    points = Decimal(repr(float(difference))) * 100
    rounded = int(points.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"−{-rounded}" if rounded < 0 else str(rounded)


def format_p(p_value: float | None) -> str:
    """A p-value as printed: 'p = 0.030', or 'p < 0.001'."""
    if is_missing(p_value):
        return "p not computed"
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {Decimal(repr(float(p_value))).quantize(Decimal('0.001'), rounding=ROUND_HALF_UP)}"


def describe_change(row: Mapping[str, Any], plural: str) -> str:
    """One item's change between rounds as a sentence.

    'Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points
    (95% CI 13 to 77; Fisher's exact p = 0.030).'
    """
    difference = float(row["difference"])
    verb, noun = ("rose", "rise") if difference > 0 else ("fell", "fall") if difference < 0 else ("stayed", "change")
    points = format_points(abs(difference))
    sentence = (
        f"{row['measure']} {verb} from {int(row['baseline_numerator'])} of {int(row['baseline_denominator'])} "
        f"{plural} ({format_percent(row['baseline_proportion'])}) to {int(row['followup_numerator'])} of "
        f"{int(row['followup_denominator'])} ({format_percent(row['followup_proportion'])}): a {noun} of {points} "
        f"points (95% CI {format_points(row['diff_ci_low'])} to {format_points(row['diff_ci_high'])}; "
        f"Fisher's exact {format_p(row['p_value'])})."
    )
    if row["lower_is_better"] and row["verdict"] == "improved":
        sentence += " Lower is better here, so this is an improvement."
    elif row["lower_is_better"] and row["verdict"] == "worsened":
        sentence += " Lower is better here, so this is a worsening."
    return sentence


def describe_pairs(row: Mapping[str, Any], plural: str) -> str:
    """The paired comparison of re-audited records, or '' when there were none."""
    pairs = row.get("paired_pairs")
    if is_missing(pairs) or not pairs:
        return ""
    return (
        f"Of the {int(pairs)} {plural} audited in both rounds, {int(row['paired_c'])} met the standard only at "
        f"follow-up and {int(row['paired_b'])} only at baseline (McNemar's exact {format_p(row['paired_p_value'])})."
    )


def describe_status(status: str) -> str:
    """An action's status in words: 'in_progress' → 'In progress'."""
    return status.replace("_", " ").capitalize()
