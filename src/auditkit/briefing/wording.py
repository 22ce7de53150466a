"""Numbers and findings in words, as a briefing prints them."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from auditkit.analysis.comparison import FAMILY_LEVEL
from auditkit.analysis.comparison_tests import FISHER, MCNEMAR, OVERLAP_Z
from auditkit.config.codebook import Item
from auditkit.config.power_settings import POWER, SIGNIFICANCE
from auditkit.formatting import format_date, format_percent, is_missing
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "TEST_WORDS",
    "describe_areas",
    "describe_change",
    "describe_finding",
    "describe_intervals",
    "describe_pairs",
    "describe_power",
    "describe_status",
    "figure_cells",
    "finding_values",
    "format_count",
    "format_date",
    "format_interval",
    "format_month",
    "format_p",
    "format_percent",
    "format_points",
    "is_apparent",
    "is_missing",
    "join_words",
]

#: How a sentence names each primary test before its p-value: "Fisher's exact p = 0.030".
TEST_WORDS = {
    FISHER: "Fisher's exact",
    MCNEMAR: "McNemar's exact",
    OVERLAP_Z: "partially overlapping samples z-test",
}


def format_interval(low: float | None, high: float | None) -> str:
    """A 95% interval as '6% to 51%'.

    Returns
    -------
    str
        Both bounds as whole percentages (:func:`format_percent`): ``(0.06, 0.51)`` → ``'6% to 51%'``; a missing
        bound is ``'n/a'``.
    """
    return f"{format_percent(low)} to {format_percent(high)}"


def format_month(value: dt.date) -> str:
    """A month as a briefing dates itself: June 2017.

    Returns
    -------
    str
        The month's full name and the year: ``date(2017, 6, 30)`` → ``'June 2017'``.
    """
    return f"{value:%B %Y}"


def join_words(words: Iterable[str]) -> str:
    """['a', 'b', 'c'] → 'a, b and c'.

    Returns
    -------
    str
        The words joined by commas and a final ``'and'`` (no Oxford comma); one word as it is; none → ``''``.
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def format_count(count: Any, symbol: str = "c") -> str:
    """A count as printed; a count hidden by disclosure control (None or NA) is the symbol.

    Returns
    -------
    str
        The count as a whole number, ``12.0`` → ``'12'``; a missing count → ``symbol`` (``'c'`` by default).
    """
    return symbol if is_missing(count) else str(int(count))


def describe_areas(
    by_area: Mapping[str, int | None], labels: Mapping[str, str] | None = None, symbol: str = "c"
) -> str:
    """Records per area in words: '4 in Leicester, 4 in Leicestershire and 2 in Rutland'.

    Areas with no records are left out; a hidden count is shown as the symbol.

    Returns
    -------
    str
        Each area's count (:func:`format_count`) and label, joined by :func:`join_words`:
        ``'4 in Leicester, c in Leicestershire and 2 in Rutland'``; ``''`` when no area has records.
    """
    labels = labels or {}
    return join_words(
        f"{format_count(count, symbol)} in {labels.get(area, area)}" for area, count in by_area.items() if count != 0
    )


def finding_values(row: Mapping[str, Any], symbol: str = "c") -> dict[str, Any]:
    """The placeholders a statement or recommendation may use, from one indicator row.

    Figures hidden by disclosure control are given as the symbol.

    Returns
    -------
    dict
        ``label`` (as the row gives it), and as text ``numerator`` and ``denominator`` (:func:`format_count`),
        ``percent``, ``ci_low`` and ``ci_high`` (:func:`format_percent`, or the symbol when the row is
        ``suppressed``): ``{'label': 'Toolkit used', 'numerator': '2', 'denominator': '10', 'percent': '20%',
        'ci_low': '6%', 'ci_high': '51%'}``.
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


def figure_cells(row: Mapping[str, Any], symbol: str = "c") -> dict[str, str]:
    """A proportion's figures as a briefing table's cells, from one row with numerator, denominator, proportion,
    ci_low and ci_high; a hidden figure (missing) is the symbol.

    Returns
    -------
    dict
        ``numerator`` and ``denominator`` (:func:`format_count`), ``percent`` and ``interval``
        (:func:`format_interval`): ``{'numerator': '2', 'denominator': '10', 'percent': '20%',
        'interval': '6% to 51%'}``.
    """
    return {
        "numerator": format_count(row["numerator"], symbol),
        "denominator": format_count(row["denominator"], symbol),
        "percent": symbol if pd.isna(row["proportion"]) else format_percent(row["proportion"]),
        "interval": symbol if pd.isna(row["ci_low"]) else format_interval(row["ci_low"], row["ci_high"]),
    }


def _starts_with_symbol(statement: str, values: Mapping[str, Any], symbol: str) -> bool:
    """Whether a statement opens with a placeholder that the disclosure symbol fills in."""
    literal, field, _, _ = next(iter(string.Formatter().parse(statement)), ("", None, "", None))
    return not literal and field is not None and field != "label" and values[field] == symbol


def describe_finding(item: Item, row: Mapping[str, Any], symbol: str = "c") -> str:
    """A finding as a sentence with its figure and interval.

    'The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%).'
    Where disclosure control hid the count, the sentence says so instead of giving figures.

    Returns
    -------
    str
        The item's ``statement`` (by default ``'{label}: {numerator} of {denominator}'``) filled in with
        :func:`finding_values`, its first letter capitalised unless it is the disclosure symbol standing for a
        hidden figure (``'c of the 35 cases…'`` keeps the symbol as declared), followed by
        ``' (20%; 95% CI 6% to 51%).'`` (the row's Wilson interval); for a hidden count by ``' (the exact figure
        is not published because the numbers are small).'``; with no applicable answers,
        ``'<item title>: no applicable answers were recorded.'``
    """
    values = finding_values(row, symbol)
    if values["denominator"] == "0":
        return f"{item.title}: no applicable answers were recorded."
    statement = item.statement or "{label}: {numerator} of {denominator}"
    sentence = statement.format(**values)
    if not _starts_with_symbol(statement, values, symbol):
        sentence = sentence[0].upper() + sentence[1:]
    if row.get("suppressed", False):
        return f"{sentence} (the exact figure is not published because the numbers are small)."
    return f"{sentence} ({values['percent']}; 95% CI {values['ci_low']} to {values['ci_high']})."


def format_points(difference: float) -> str:
    """A difference in proportions as percentage points, with a true minus sign: −0.283 → '−28'.

    Returns
    -------
    str
        Whole points, halves rounded away from zero: ``0.55`` → ``'55'``, ``-0.283`` → ``'−28'`` (U+2212), ``0`` →
        ``'0'``.
    """
    points = Decimal(repr(float(difference))) * 100
    rounded = int(points.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"−{-rounded}" if rounded < 0 else str(rounded)


def format_p(p_value: float | None) -> str:
    """A p-value as printed: 'p = 0.030', or 'p < 0.001'.

    Returns
    -------
    str
        ``'p = 0.030'`` (three decimals, halves rounded up), ``'p < 0.001'`` below 0.001, or ``'p not computed'``
        for a missing p-value.
    """
    if is_missing(p_value):
        return "p not computed"
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {Decimal(repr(float(p_value))).quantize(Decimal('0.001'), rounding=ROUND_HALF_UP)}"


def is_apparent(row: Mapping[str, Any]) -> bool:
    """Whether a change looks real on its own but not once the family of comparisons is allowed for.

    Returns
    -------
    bool
        True when the primary test's p-value is below 0.05 and its adjusted p-value is not.
    """
    p_value, adjusted = row.get("p_value"), row.get("p_adjusted")
    clear = not is_missing(adjusted) and adjusted < FAMILY_LEVEL
    return not is_missing(p_value) and p_value < FAMILY_LEVEL and not clear


def describe_change(row: Mapping[str, Any], plural: str, comparisons: int | None = None) -> str:
    """One item's change between rounds as a sentence.

    'Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%): a rise of 55 points (95% CI 13 to 77;
    partially overlapping samples z-test p = 0.010, adjusted p = 0.087; with 17 comparisons this could be chance).'

    ``row`` is a row of a comparison's items (:data:`auditkit.analysis.comparison.COMPARISON_COLUMNS`);
    ``comparisons`` the size of its family (the number of items compared).

    Returns
    -------
    str
        The sentence above: each round's counts and percentage, the difference in points with the primary test's
        unadjusted 95% interval, its p-value (named for the test: Fisher's exact, McNemar's exact or the partially
        overlapping samples z-test) and its Benjamini–Hochberg adjusted p-value; when the p-value is below 0.05 but
        the adjusted one is not (:func:`is_apparent`), ``'; with 17 comparisons this could be chance'``; for an item
        where lower is better and a clear change, ``' Lower is better here, so this is an improvement.'`` (or
        ``'a worsening.'``) is added.
    """
    difference = float(row["difference"])
    verb, noun = ("rose", "rise") if difference > 0 else ("fell", "fall") if difference < 0 else ("stayed", "change")
    points = format_points(abs(difference))
    test = TEST_WORDS.get(row.get("primary_test", FISHER), TEST_WORDS[FISHER])
    adjusted = "" if is_missing(row.get("p_adjusted")) else f", adjusted {format_p(row['p_adjusted'])}"
    chance = ""
    if is_apparent(row):
        chance = f"; with {comparisons} comparisons this could be chance" if comparisons else "; this could be chance"
    sentence = (
        f"{row['measure']} {verb} from {int(row['baseline_numerator'])} of {int(row['baseline_denominator'])} "
        f"{plural} ({format_percent(row['baseline_proportion'])}) to {int(row['followup_numerator'])} of "
        f"{int(row['followup_denominator'])} ({format_percent(row['followup_proportion'])}): a {noun} of {points} "
        f"points (95% CI {format_points(row['diff_ci_low'])} to {format_points(row['diff_ci_high'])}; "
        f"{test} {format_p(row['p_value'])}{adjusted}{chance})."
    )
    if row["lower_is_better"] and row["verdict"] == "improved":
        sentence += " Lower is better here, so this is an improvement."
    elif row["lower_is_better"] and row["verdict"] == "worsened":
        sentence += " Lower is better here, so this is a worsening."
    return sentence


def describe_pairs(row: Mapping[str, Any], plural: str) -> str:
    """The paired comparison of re-audited records, or '' when there were none.

    Returns
    -------
    str
        Such as ``'Of the 8 cases audited in both rounds, 3 met the standard only at follow-up and 1 only at
        baseline (McNemar's exact p = 0.625).'`` (exact McNemar, as R ``binom.test(b, b + c, 0.5)``), or ``''``.
    """
    pairs = row.get("paired_pairs")
    if is_missing(pairs) or not pairs:
        return ""
    return (
        f"Of the {int(pairs)} {plural} audited in both rounds, {int(row['paired_c'])} met the standard only at "
        f"follow-up and {int(row['paired_b'])} only at baseline (McNemar's exact {format_p(row['paired_p_value'])})."
    )


def _span(low: str, high: str) -> str:
    return low if low == high else f"{low} to {high}"


def describe_power(detectable: Iterable[float], sizes: Iterable[int], change: float, plural: str) -> str:
    """The power of the rounds in one plain sentence, or '' when there is nothing to say.

    ``detectable`` holds each compared item's smallest detectable change (none without a baseline), ``sizes``
    the records each item needs in a round to detect ``change``; hidden or missing figures are left out.

    Returns
    -------
    str
        Such as ``'Rounds of this size could reliably detect (with 80% power, in a two-sided test at the 5%
        level) only changes of 49 to 66 points; to detect a change of 20 points, each round would need about 75
        to 98 cases.'``; without detectable changes, ``'To detect a change of 20 points (with 80% power, …), each
        round would need about 75 to 98 cases.'``
    """
    changes = sorted(float(value) for value in detectable if not is_missing(value))
    counts = sorted(int(value) for value in sizes if not is_missing(value))
    if not counts:
        return ""
    condition = f"with {format_percent(POWER)} power, in a two-sided test at the {format_percent(SIGNIFICANCE)} level"
    need = f"each round would need about {_span(str(counts[0]), str(counts[-1]))} {plural}"
    if changes:
        smallest = _span(format_points(changes[0]), format_points(changes[-1]))
        return (
            f"Rounds of this size could reliably detect ({condition}) only changes of {smallest} points; to detect a "
            f"change of {format_points(change)} points, {need}."
        )
    return f"To detect a change of {format_points(change)} points ({condition}), {need}."


def describe_status(status: str) -> str:
    """An action's status in words: 'in_progress' → 'In progress'.

    Returns
    -------
    str
        The status with underscores as spaces and only its first letter capitalised: ``'done'`` → ``'Done'``.
    """
    return status.replace("_", " ").capitalize()


def describe_intervals() -> str:
    """What the briefing's 95% confidence intervals mean, with one worked out (the methodology's last but one
    paragraph, in every format).

    Returns
    -------
    str
        ``'Each percentage in this briefing is given with a 95% confidence interval (95% CI): … 5 cases out of 10
        is 50%, but the true figure could be anywhere from 24% to 76%, …'``: the Wilson interval of 5 in 10, as
        every interval of the briefing is computed (:func:`auditkit.stats.proportions.proportion_ci`).
    """
    interval = proportion_ci(5, 10).iloc[0]
    return (
        "Each percentage in this briefing is given with a 95% confidence interval (95% CI): the range in which the "
        f"true figure is likely to lie. With a small sample the range is wide: 5 cases out of 10 is "
        f"{format_percent(interval['proportion'])}, but the true figure could be anywhere from "
        f"{format_interval(interval['ci_low'], interval['ci_high'])}, so a percentage from a few cases shows the "
        "direction of practice rather than a precise measure."
    )
