"""Cells as a spreadsheet shows them: column letters, cell names, and a cell's value as the text a user typed.

Shared by the CSV and XLSX readers (:mod:`auditkit.read.csv_files`, :mod:`auditkit.read.xlsx_files`) and the
table built from their rows (:mod:`auditkit.read.tables`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from auditkit.errors import DataError

__all__ = ["CELL_LIMIT", "cell_name", "cell_text", "cell_too_long", "column_letter", "header_text"]

#: The most characters a cell may hold: Excel's own limit, so that every value fits in a workbook.
CELL_LIMIT = 32_767


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0.

    Returns
    -------
    str
        The letters Excel shows above the column: 0 → A, 25 → Z, 26 → AA.
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """A cell's name from its row and column counted from 0.

    Returns
    -------
    str
        The name Excel shows for it: (0, 0) → A1, (4, 27) → AB5.
    """
    return f"{column_letter(column)}{row + 1}"


def cell_text(value: object) -> str:
    """A cell as the text a user would type: whole numbers without ".0", dates as ISO dates.

    Returns
    -------
    str
        The text; "" for an empty cell.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_text(value: object) -> str:
    """A header cell's column name (a template's header shows the question below it).

    Returns
    -------
    str
        The cell's first non-blank line, trimmed; empty for a blank cell.
    """
    lines = [line.strip() for line in cell_text(value).splitlines() if line.strip()]
    return lines[0] if lines else ""


def cell_too_long(path: Path, row: int, column: str, length: int, hint: str = "Shorten it.") -> DataError:
    """The error for a cell longer than :data:`CELL_LIMIT`: its file, row, column and length.

    Returns
    -------
    DataError
        "row 5, column 'comment' holds 40,000 characters; a cell may hold at most 32,767 (Excel's limit)." and
        ``hint``.
    """
    return DataError(
        path,
        f"row {row}, column '{column}' holds {length:,} characters; a cell may hold at most {CELL_LIMIT:,} "
        f"(Excel's limit). {hint}",
    )
