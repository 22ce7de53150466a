"""Figures and dates as text, for every layer that writes a sentence.

The lowest layer's wording: readers name a date in an error, the action plan writes
"20% → 75%", findings tables show percentages. The briefing's own sentences are in
:mod:`auditkit.briefing.wording`, which builds on these.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pandas import NA as _NA

__all__ = ["format_date", "format_percent", "is_missing"]


def is_missing(value: Any) -> bool:
    """Whether a figure is absent.

    Returns
    -------
    bool
        True for None, NaN and pandas' NA (a figure hidden by disclosure control).
    """
    return value is None or value is _NA or (isinstance(value, float) and math.isnan(value))


def format_percent(proportion: float | None) -> str:
    """A proportion as a whole percentage, halves rounded up.

    Returns
    -------
    str
        ``0.205`` → ``'21%'``; a missing figure → ``'n/a'``.
    """
    if is_missing(proportion):
        return "n/a"
    percent = Decimal(repr(float(proportion))) * 100
    return f"{percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def format_date(value: dt.date) -> str:
    """A date as a UK reader writes it.

    Returns
    -------
    str
        ``date(2017, 4, 30)`` → ``'30 April 2017'``.
    """
    return f"{value.day} {value:%B %Y}"
