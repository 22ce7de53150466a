"""Tables as the analyst's notebook shows them: every value as text, a compact part and the rest on demand.

A frame of findings is often too wide for a notebook (31 columns of a comparison) or too long (53 answer counts):
pandas' own display cuts it at the right edge or runs on. :func:`compact_table` keeps the columns an analyst
reads first and a screenful of rows, and keeps the whole frame to open beneath it (``<details>``).
:mod:`auditkit.analysis.notebook_display` renders both with Jinja, which escapes every value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from auditkit.formatting import format_date, format_percent, is_missing

__all__ = [
    "MAX_ROWS",
    "CompactTable",
    "TableData",
    "compact_table",
    "format_figure",
    "format_interval",
    "format_p",
    "format_value",
    "table_data",
]

#: How many rows a compact table shows before the rest go into its details.
MAX_ROWS = 15


@dataclass(frozen=True)
class TableData:
    """A table as text: its caption, column headings, rows of cells, and which columns hold numbers."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class CompactTable:
    """The columns and rows an analyst reads first (``shown``) and, when that leaves any out, the whole table."""

    shown: TableData
    full: TableData | None = None

    @property
    def more(self) -> str:
        """What the details hold, as their summary line says it ("All 53 rows and 5 columns")."""
        if self.full is None:
            return ""
        rows, columns = len(self.full.rows), len(self.full.columns)
        return f"All {rows} row{'s' * (rows != 1)} and {columns} column{'s' * (columns != 1)}"


def format_p(value: Any) -> str:
    """A p-value as text.

    Returns
    -------
    str
        Three decimals (``'0.032'``), ``'< 0.001'`` below that, empty when missing.
    """
    if is_missing(value):
        return ""
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def format_figure(numerator: Any, denominator: Any, proportion: Any = None) -> str:
    """A count over its denominator with its percentage.

    Returns
    -------
    str
        ``'2/10 (20%)'``; ``'hidden'`` for a count hidden by disclosure control; empty without a denominator.
    """
    if is_missing(denominator):
        return "hidden"
    if int(denominator) == 0:
        return "none answered"
    if is_missing(numerator):
        return f"hidden/{int(denominator)}"
    share = proportion if not is_missing(proportion) else int(numerator) / int(denominator)
    return f"{int(numerator)}/{int(denominator)} ({format_percent(share)})"


def format_interval(low: Any, high: Any, percent: bool = True) -> str:
    """An interval as text.

    Returns
    -------
    str
        ``'6% to 51%'`` (or, with ``percent=False``, percentage points: ``'-12 to 30 points'``); empty when missing.
    """
    if is_missing(low) or is_missing(high):
        return ""
    if percent:
        return f"{format_percent(low)} to {format_percent(high)}"
    return f"{float(low) * 100:.0f} to {float(high) * 100:.0f} points"


def format_value(value: Any) -> str:
    """Any cell of a findings frame as text.

    Returns
    -------
    str
        Empty for a missing value; ``yes``/``no`` for a truth value; whole numbers as they are; other numbers
        to four significant figures; dates as a reader writes them; a list's items joined by commas.
    """
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(format_value(item) for item in value)
    if is_missing(value) or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.4g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def table_data(frame: pd.DataFrame, caption: str, max_rows: int | None = None) -> TableData:
    """A frame as text, its index made into columns when it is named (as :meth:`Findings.counts_table` names it).

    Returns
    -------
    TableData
        The caption, the column names, each row's cells as :func:`format_value` writes them (the first
        ``max_rows`` rows when given) and, per column, whether it holds numbers.
    """
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    shown = frame if max_rows is None else frame.head(max_rows)
    return TableData(
        caption=caption,
        columns=tuple(str(column) for column in frame.columns),
        rows=tuple(tuple(format_value(value) for value in row) for row in shown.itertuples(index=False, name=None)),
        numeric=tuple(_is_numeric(frame[column]) for column in frame.columns),
    )


def compact_table(
    frame: pd.DataFrame,
    caption: str,
    columns: Sequence[str] | None = None,
    full: pd.DataFrame | None = None,
    max_rows: int = MAX_ROWS,
) -> CompactTable:
    """A frame as a compact table: ``columns`` of it (all when None) and at most ``max_rows`` rows.

    ``full`` is the whole table the details hold (``frame`` itself when None): a compact table may show a frame
    made for reading (figures as ``'2/10 (20%)'``) and keep the raw one for details. The details are left out
    when the compact table already shows every row and column of it.

    Returns
    -------
    CompactTable
        ``shown`` (the compact table) and ``full`` (the whole one, or None).
    """
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    chosen = frame if columns is None else frame[list(columns)]
    whole = frame if full is None else full
    shown_caption = caption if len(frame) <= max_rows else f"{caption} (the first {max_rows} of {len(frame)} rows)"
    shown = table_data(chosen, shown_caption, max_rows=max_rows)
    complete = full is None and len(frame) <= max_rows and len(chosen.columns) == len(frame.columns)
    return CompactTable(shown=shown, full=None if complete else table_data(whole, caption))
