"""Checks of an aggregate indicator table, reported as data rather than errors.

Published tables contain errors (the Lancashire neglect strategy's West Lancs row says 22 plans, 22 due
to neglect and 23.4%; its districts do not add up to the county). A check does not stop a run: it is a
row of a frame (:data:`CHECK_COLUMNS`) whose message a board member can read, naming the area, the
period, the figures and what they imply, and ending with the row and file to look at.

This module also holds how cells are read: suppression symbols, counts and stated percentages.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from auditkit.config.indicator_codebook import IndicatorCodebook

__all__ = [
    "CHECK_COLUMNS",
    "CHECK_SUMMARIES",
    "CHECKS",
    "SUPPRESSION_SYMBOLS",
    "check_indicator_table",
    "parse_count",
    "parse_percent",
    "suppression_symbol",
    "usable_rows",
]

#: Columns of the checks frame, in order: the row as Excel shows it (of the total's row for
#: ``parts_vs_total``), the period and area the check is about (no area for ``parts_vs_total``, which is
#: about a period's areas and its total), a short code for the kind of check, and the message.
CHECK_COLUMNS = ("row", "period", "area", "check", "message")

#: The codes of the ``check`` column, in the order rows are checked.
CHECKS = (
    "missing",
    "not_whole",
    "numerator_exceeds_denominator",
    "zero_denominator",
    "stated_percent",
    "stated_percent_truncated",
    "parts_vs_total",
)

#: What each check found, in words without figures: the note a published briefing shows in place of the
#: message when the row's counts are hidden under the disclosure rule.
CHECK_SUMMARIES = {
    "missing": "a count is not given in the source, so this row has no percentage",
    "not_whole": "a count is not a whole number, so this row has no percentage",
    "numerator_exceeds_denominator": "the counts cannot both be right, so this row has no percentage",
    "zero_denominator": "there was no one to count, so this row has no percentage",
    "stated_percent": "the stated percentage does not match the counts; check the source before relying on this row",
    "stated_percent_truncated": "the stated percentage looks cut off rather than rounded; the percentage used here "
    "is worked out from the counts",
    "parts_vs_total": "the areas do not add up to the total",
}

#: Symbols that published statistics print instead of a figure, read as missing (DfE conventions).
SUPPRESSION_SYMBOLS = {
    "c": "withheld to protect confidentiality",
    "x": "withheld",
    ":": "not available",
    "z": "not applicable",
}

_COUNT = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
_NEGATIVE = re.compile(r"^[-−]\s*(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
_PERCENT = re.compile(r"^(\d+(?:\.(\d+))?)\s*%?$")
_ALLOWED_COUNT = "A count must be a whole number such as 1243 (or 1,243), or c, x, : or z for a figure not published."


def suppression_symbol(text: str) -> str | None:
    """The suppression symbol a cell holds, if any.

    Returns
    -------
    str or None
        The symbol in lower case (a key of :data:`SUPPRESSION_SYMBOLS`: ``c``, ``x``, ``:`` or ``z``), or None.
    """
    lowered = str(text).strip().lower()
    return lowered if lowered in SUPPRESSION_SYMBOLS else None


def parse_count(text: str) -> tuple[float, str | None]:
    """Read a count cell: a whole number, perhaps with thousands separators, or blank or suppressed.

    Returns
    -------
    count : float
        The number; NaN when the cell is blank, suppressed or not a count.
    problem : str or None
        Why the cell cannot be a count (negative, or not a number), as a data problem's reason; None when it can.
    """
    cell = str(text).strip()
    if cell == "" or suppression_symbol(cell):
        return math.nan, None
    if _COUNT.match(cell):
        return float(cell.replace(",", "")), None
    if _NEGATIVE.match(cell):
        return math.nan, f"is a negative count; counts cannot be below 0. {_ALLOWED_COUNT}"
    return math.nan, f"is not a number. {_ALLOWED_COUNT}"


def parse_percent(text: str) -> tuple[Decimal, int] | None:
    """Read a stated percentage cell, with or without its ``%``.

    Returns
    -------
    tuple of (Decimal, int) or None
        The value and how many decimals it shows ('23.4%' → (23.4, 1)); None when the cell is not a percentage.
    """
    match = _PERCENT.match(str(text).strip())
    if match is None:
        return None
    return Decimal(match.group(1)), len(match.group(2) or "")


def usable_rows(table: pd.DataFrame) -> pd.Series:
    """Which rows have counts statistics can use: present, whole, and 0 ≤ numerator ≤ denominator.

    Returns
    -------
    pandas.Series
        True or False for each row of ``table``, indexed like it.
    """
    x, n = table["numerator"].astype(float), table["denominator"].astype(float)
    whole = (x == np.floor(x)) & (n == np.floor(n))
    return x.notna() & n.notna() & whole & (x >= 0) & (x <= n)


def _percent_text(value: float, decimals: int) -> str:
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)}%"


def _count_text(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _where(record) -> str:
    """Where to look, after a sentence: ' (row 10 of districts.csv)', or '' for a table not read from a file."""
    if not record.file or pd.isna(record.row):
        return ""
    return f" (row {int(record.row)} of {record.file})"


def _stated_check(record, codebook: IndicatorCodebook) -> tuple[str, str] | None:
    """The check of a stated percentage against the counts, or None when they agree within its rounding."""
    parsed = parse_percent(record.stated_percent) if record.stated_percent else None
    if parsed is None or not record.denominator > 0:
        return None
    stated, shown = parsed
    decimals = -stated.normalize().as_tuple().exponent if stated != stated.to_integral() else 0
    implied = 100.0 * record.numerator / record.denominator
    if abs(float(stated) - implied) <= 0.5 * 10.0**-decimals + 1e-9:
        return None
    figures = (
        f"{_count_text(record.numerator)} {codebook.numerator} out of {_count_text(record.denominator)} "
        f"{codebook.denominator} is {_percent_text(implied, max(shown, 1))}"
    )
    subject = f"{record.area}, {record.period}: the table says {record.stated_percent.rstrip('% ')}%, but {figures}"
    cut = math.floor(implied * 10**decimals + 1e-9) / 10**decimals
    if abs(cut - float(stated)) < 1e-9:
        return (
            "stated_percent_truncated",
            f"{subject}, which rounds to {_percent_text(implied, decimals)}. The published percentage looks cut off "
            f"rather than rounded, so it is slightly too low; the percentage used here is worked out from the "
            f"counts{_where(record)}.",
        )
    return (
        "stated_percent",
        f"{subject}. At least one of these three figures is wrong; check the source before relying on this "
        f"row{_where(record)}.",
    )


def _row_checks(record, codebook: IndicatorCodebook) -> list[tuple[str, str]]:
    """The checks of one row, as (check, message) pairs."""
    checks, missing = [], []
    for key, noun in (("numerator", codebook.numerator), ("denominator", codebook.denominator)):
        value, text = getattr(record, key), getattr(record, f"{key}_text")
        if np.isnan(value):
            symbol = suppression_symbol(text)
            shown = f"shown as '{text}' ({SUPPRESSION_SYMBOLS[symbol]})" if symbol else "blank"
            missing.append(f"the number of {noun} is {shown}")
    if missing:
        pronoun = "it is" if len(missing) == 1 else "they are"
        checks.append(
            (
                "missing",
                f"{record.area}, {record.period}: {' and '.join(missing)}, so {pronoun} left out, "
                f"not counted as zero; this row has no percentage{_where(record)}.",
            )
        )
        return checks
    whole = [
        f"{_count_text(getattr(record, key))} {noun}"
        for key, noun in (("numerator", codebook.numerator), ("denominator", codebook.denominator))
        if not float(getattr(record, key)).is_integer()
    ]
    if whole:
        checks.append(
            (
                "not_whole",
                f"{record.area}, {record.period}: {' and '.join(whole)} is not a whole number, "
                f"which a count must be; this row has no percentage{_where(record)}.",
            )
        )
        return checks
    if record.numerator > record.denominator:
        checks.append(
            (
                "numerator_exceeds_denominator",
                f"{record.area}, {record.period}: {_count_text(record.numerator)} {codebook.numerator} is "
                f"more than the {_count_text(record.denominator)} {codebook.denominator}, which cannot be; "
                f"one of the figures is wrong, and this row has no percentage{_where(record)}.",
            )
        )
        return checks
    if record.denominator == 0:
        checks.append(
            (
                "zero_denominator",
                f"{record.area}, {record.period}: there were no {codebook.denominator}, "
                f"so this row has no percentage{_where(record)}.",
            )
        )
        return checks
    stated = _stated_check(record, codebook)
    return [stated] if stated else []


def _total_checks(table: pd.DataFrame, codebook: IndicatorCodebook) -> list[tuple[int | None, str, None, str, str]]:
    """Parts against the stated total, for each period that has both the total area and other areas."""
    total = codebook.total_area
    checks = []
    if total is None:
        return checks
    for period in dict.fromkeys(table["period"]):
        rows = table[table["period"] == period]
        totals, parts = rows[rows["area"] == total], rows[rows["area"] != total]
        if totals.empty or parts.empty:
            continue
        record = next(totals.itertuples(index=False))
        row = None if pd.isna(record.row) else int(record.row)
        noun_areas = f"{len(parts)} {codebook.area}s" if len(parts) != 1 else f"1 {codebook.area}"
        for key, noun in (("denominator", codebook.denominator), ("numerator", codebook.numerator)):
            stated, values = getattr(record, key), parts[key]
            if np.isnan(stated):
                continue
            known = values.dropna().sum()
            if values.isna().any():
                if known > stated:
                    checks.append(
                        (
                            row,
                            period,
                            None,
                            "parts_vs_total",
                            f"{period}: even without the figures not published, the {noun_areas} add up to "
                            f"{_count_text(known)} {noun}, more than the {total} total of "
                            f"{_count_text(stated)}{_where(record)}.",
                        )
                    )
                continue
            if known == stated:
                continue
            gap = abs(stated - known)
            if known < stated:
                message = (
                    f"{period}: the {noun_areas} add up to {_count_text(known)} {noun}, but the {total} total is "
                    f"{_count_text(stated)}: {_count_text(gap)} fewer. The {codebook.area}s may not cover "
                    f"everyone counted in the total, or a figure is wrong{_where(record)}."
                )
            else:
                message = (
                    f"{period}: the {noun_areas} add up to {_count_text(known)} {noun}, more than the {total} "
                    f"total of {_count_text(stated)}: {_count_text(gap)} too many. A figure is wrong, or some "
                    f"are counted in two {codebook.area}s{_where(record)}."
                )
            checks.append((row, period, None, "parts_vs_total", message))
    return checks


def check_indicator_table(table: pd.DataFrame, codebook: IndicatorCodebook) -> pd.DataFrame:
    """Every check of a table, row by row and then parts against totals, as a frame (:data:`CHECK_COLUMNS`).

    Row checks (codes in the ``check`` column): ``missing`` (a withheld or blank count, left out and never
    counted as zero), ``not_whole``, ``numerator_exceeds_denominator``, ``zero_denominator``,
    ``stated_percent`` (the stated percentage differs from numerator / denominator by more than its rounding
    allows: half a unit of its last decimal, ignoring trailing zeros, so "23.4" allows 0.05 points) and
    ``stated_percent_truncated`` (the same, but the stated figure is the true one cut off rather than
    rounded). Then ``parts_vs_total``: for each period with the codebook's total area and other areas, the
    areas' sums against the total, denominators first. Rows that fail a check get no statistics.

    Returns
    -------
    pandas.DataFrame
        One row per problem found (none when the table is sound), columns in :data:`CHECK_COLUMNS`: row
        (nullable integer), period, area (None for ``parts_vs_total``), check (a code in :data:`CHECKS`),
        message.
    """
    rows: list[tuple[int | None, str, str | None, str, str]] = []
    for record in table.itertuples(index=False):
        row = None if pd.isna(record.row) else int(record.row)
        rows.extend(
            (row, record.period, record.area, check, message) for check, message in _row_checks(record, codebook)
        )
    rows.extend(_total_checks(table, codebook))
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["area"] = frame["area"].astype(object).where(frame["area"].notna(), None)
    return frame
