"""Aggregate indicator tables as read: one row per period and area, hard errors raised, checks kept as data.

A table (CSV or XLSX) has the columns ``period``, ``area``, ``denominator``, ``numerator`` and optionally
``stated_percent`` (the percentage as published). Published tables contain errors, so reading separates two
kinds of problem: *hard errors* stop the run (:class:`~auditkit.errors.DataValidationError`, naming the file,
the row as Excel shows it and the column); *checks* come back as data (:mod:`auditkit.read.indicator_checks`).
:mod:`auditkit.analysis.indicator_tables` summarises what is read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from auditkit.config.indicator_codebook import IndicatorCodebook
from auditkit.errors import DataError, DataValidationError, Problem
from auditkit.read.indicator_checks import check_indicator_table, parse_count, parse_percent, suppression_symbol
from auditkit.read.tables import read_table

__all__ = ["COLUMNS", "TABLE_COLUMNS", "find_duplicate_rows", "read_indicator_table", "read_indicator_tables"]

#: The columns a data file must have (the optional one is ``stated_percent``).
COLUMNS = ("period", "area", "denominator", "numerator")
#: Columns of the table :func:`read_indicator_table` returns, in order. Counts are floats (NaN when missing);
#: ``*_text`` keep each count cell as published; ``stated_percent`` is the stated cell ("" when none or withheld).
TABLE_COLUMNS = (
    "file",
    "row",
    "period",
    "area",
    "numerator",
    "denominator",
    "stated_percent",
    "numerator_text",
    "denominator_text",
)


def read_indicator_table(path: str | Path, codebook: IndicatorCodebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an indicator table's data file; return the table (:data:`TABLE_COLUMNS`) and its checks.

    Every cell is read as text first, so problems name the cell as the user typed it; column names
    are matched whatever their case. Hard errors raise :class:`DataValidationError` listing every problem
    at once; checks come back as a frame (:data:`CHECK_COLUMNS`, see
    :func:`~auditkit.read.indicator_checks.check_indicator_table`). The data file is never written to.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(table, checks)``: ``table`` has one row per data row, in file order, columns in :data:`TABLE_COLUMNS`
        (``file`` the file's name, ``row`` the row as Excel shows it); ``checks`` has one row per check, columns
        in :data:`~auditkit.read.indicator_checks.CHECK_COLUMNS` (``row``, ``check``, ``message``), none when clean.
    """
    path = Path(path)
    try:
        raw = read_table(path)
    except DataError as error:
        if "no data rows" in error.reason or "is empty" in error.reason:
            raise DataValidationError(
                [
                    Problem(
                        path,
                        None,
                        None,
                        None,
                        f"the file has no rows of figures; add one row per period and area under the header "
                        f"({', '.join(COLUMNS)}).",
                    )
                ]
            ) from None
        raise
    mapping = _columns(raw, path)
    problems: list[Problem] = []
    records = []
    for row, cells in raw.iterrows():
        text = {name: str(cells[column]).strip() for name, column in mapping.items()}
        record = {"file": path.name, "row": int(row), "period": text["period"], "area": text["area"]}
        for key in ("period", "area"):
            if not record[key]:
                problems.append(Problem(path, int(row), key, None, f"the {key} is blank; every row needs one."))
        for key in ("numerator", "denominator"):
            value, reason = parse_count(text[key])
            if reason:
                problems.append(Problem(path, int(row), key, text[key], reason))
            record[key], record[f"{key}_text"] = value, text[key]
        stated = text.get("stated_percent", "")
        if stated and not suppression_symbol(stated) and parse_percent(stated) is None:
            problems.append(
                Problem(
                    path,
                    int(row),
                    "stated_percent",
                    stated,
                    "is not a percentage; write it as published, such as 23.4 or 23.4%, or leave it blank.",
                )
            )
        record["stated_percent"] = "" if suppression_symbol(stated) else stated
        records.append(record)
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    problems.extend(find_duplicate_rows(table))
    if problems:
        raise DataValidationError(problems)
    return table, check_indicator_table(table, codebook)


def read_indicator_tables(
    paths: Iterable[str | Path], codebook: IndicatorCodebook
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read several data files of one measure (by year, by area) as one table, with the checks of the whole.

    Each period and area may appear in only one file. Hard errors in every file are reported together.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(table, checks)`` as :func:`read_indicator_table` gives them: the files' rows one after another, in the
        order given (``file`` says which), and the checks of the whole table, parts against totals across files.
    """
    tables, problems = [], []
    for path in paths:
        try:
            tables.append(read_indicator_table(path, codebook)[0])
        except DataValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise DataValidationError(problems)
    if not tables:
        raise ValueError("read_indicator_tables needs at least one data file")
    table = pd.concat(tables, ignore_index=True)
    problems = find_duplicate_rows(table)
    if problems:
        raise DataValidationError(problems)
    return table, check_indicator_table(table, codebook)


def _columns(raw: pd.DataFrame, path: Path) -> dict[str, str]:
    """Map each expected column to its name in the file (case and spacing ignored); hard errors if absent."""
    found: dict[str, list[str]] = {}
    for column in raw.columns:
        found.setdefault(str(column).strip().lower().replace(" ", "_"), []).append(str(column))
    problems, mapping = [], {}
    for name in (*COLUMNS, "stated_percent"):
        names = found.get(name, [])
        if len(names) > 1:
            problems.append(Problem(path, 1, name, None, "the header has this column more than once; keep one."))
        elif names:
            mapping[name] = names[0]
        elif name in COLUMNS:
            problems.append(
                Problem(
                    path,
                    1,
                    None,
                    None,
                    f"the header has no column '{name}'; the columns must be "
                    f"{', '.join(COLUMNS)}, and optionally stated_percent.",
                )
            )
    if problems:
        raise DataValidationError(problems)
    return mapping


def find_duplicate_rows(table: pd.DataFrame) -> list[Problem]:
    """A hard error for each row whose period and area an earlier row already has.

    Returns
    -------
    list of Problem
        One per repeated row, naming the earlier row (and its file when another).
    """
    problems, first = [], {}
    for record in table.itertuples(index=False):
        key = (record.period, record.area)
        if not all(key):
            continue
        if key in first:
            file, row = first[key]
            where = f"row {row}" if file == record.file else f"row {row} of {file}"
            problems.append(
                Problem(
                    Path(record.file),
                    record.row,
                    "area",
                    None,
                    f"{record.area} in {record.period} appears twice (also in {where}); each period "
                    f"and area may appear once.",
                )
            )
        else:
            first[key] = (record.file, record.row)
    return problems
