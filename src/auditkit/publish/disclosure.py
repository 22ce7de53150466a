"""Statistical disclosure control for published count tables: the DfE small-number rule.

Children's social care statistics replace counts from 1 to 5 by ``c`` (see the last paragraph
of ``shared/reference/stats/README.md``), and also suppress other figures wherever a suppressed
count could be worked out from a published total. :func:`suppress_table` decides which figures
of a count table (with its row, column and grand totals) to suppress; :func:`suppress_proportions`
applies it to one item's indicator rows (one row per area plus the ``all`` row).

A *line* of a table is one of its rows with the row total, one of its columns with the column
total, the row of column totals with the grand total, or the column of row totals with the grand
total. A line's figures add up, so one suppressed figure in a line is recovered by subtraction.

What :func:`suppress_table` guarantees:

- every figure from 1 to ``min_count``, cell or total, is suppressed (primary suppression);
- no line has exactly one suppressed figure, so no suppressed figure is recovered by subtracting
  the other figures of a single line (secondary suppression);
- zeros are published and never suppressed, so every suppressed figure is at least 1. A zero is
  never used as protection: if it were, the line's hidden pair would be "one count plus 0", and
  the sum of the pair, which the line's other figures give away, would be the count itself.

What it does not guarantee. It is a greedy heuristic (line by line, hide the smallest non-zero
figure), not an optimal cell-suppression solver: it may hide more than it needs to, and it does
not audit the whole table. Adding and subtracting several lines can still give a figure away
exactly when that figure is the only link between two separate groups of hidden figures; each
group spans at least two rows and two columns of the table with its totals, and the groups share
no row or column, so this cannot happen when the table has at most two columns (such as met / not
met) or at most two rows, but it can in larger tables (the tests show a 3 × 3 example). Because
counts are not negative, a hidden figure can also be narrowed to a range (a line hiding 3 and 4
gives away their sum 7, so each lies between 1 and 6). Figures published in other tables (records
per area, counts per answer) are not taken into account.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.config.disclosure_rule import DisclosureRule

__all__ = ["ALL", "TOTAL", "suppress_item_proportions", "suppress_proportions", "suppress_table"]

#: The label of the total row and the total column in the mask of :func:`suppress_table`.
TOTAL = "total"

#: The group value of the totals row in :func:`suppress_proportions` (``findings.ALL_AREAS``).
ALL = "all"

#: Columns set to missing in :func:`suppress_proportions` when a row is suppressed.
_HIDDEN_WITH_NUMERATOR = ("numerator", "proportion", "ci_low", "ci_high")


def _whole_counts(values: pd.DataFrame, what: str) -> np.ndarray:
    """The frame's values as a 2-D int64 array; ValueError unless all are whole numbers ≥ 0."""
    for name in values.columns:
        column = values[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            raise ValueError(f"{what} must be whole numbers; column {name!r} holds {column.dtype} values")
    array = values.to_numpy(dtype="float64", na_value=np.nan)
    if array.size and not np.isfinite(array).all():
        raise ValueError(f"{what} must be whole numbers; some are missing or infinite")
    if array.size and not (array == np.floor(array)).all():
        raise ValueError(f"{what} must be whole numbers; {array[array != np.floor(array)][0]} is not")
    if array.size and (array < 0).any():
        raise ValueError(f"{what} must not be negative; {array[array < 0][0]:g} is")
    return array.astype(np.int64)


def _with_totals(counts: np.ndarray) -> np.ndarray:
    """The counts with a row-total column and a column-total row appended (grand total bottom right)."""
    rows, columns = counts.shape
    full = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    full[:rows, :columns] = counts
    full[:rows, columns] = counts.sum(axis=1)
    full[rows, :] = full[:rows, :].sum(axis=0)
    return full


def _lines(rows: int, columns: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every line of a table with totals, as (positions of its figures in order, position of its total).

    Order: the rows, then the row of column totals, then the columns, then the column of row totals.
    """
    lines = [([(i, j) for j in range(columns)], (i, columns)) for i in range(rows + 1)]
    lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns + 1)]
    return lines


def _suppress(full: np.ndarray, min_count: int) -> np.ndarray:
    """Primary then secondary suppression of a table with totals; True where a figure is hidden."""
    hidden = (full >= 1) & (full <= min_count)
    lines = _lines(full.shape[0] - 1, full.shape[1] - 1)
    changed = True
    while changed:
        changed = False
        for figures, total in lines:
            if sum(bool(hidden[p]) for p in figures) + bool(hidden[total]) != 1:
                continue
            # Exactly one figure of this line is hidden, so subtraction would reveal it. Hide the
            # smallest non-zero published figure of the line (min keeps the first of equals), or
            # failing that the line's total. Every hidden figure is at least 1, so a line whose one
            # hidden figure is its total always has a non-zero figure left to hide.
            candidates = [p for p in figures if not hidden[p] and full[p] > 0]
            target = min(candidates, key=lambda p: full[p]) if candidates else total
            hidden[target] = True
            changed = True
    return hidden


def suppress_table(cells: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Which figures of a count table and its totals must be hidden under ``rule``.

    ``cells`` holds whole, non-negative counts (for example one row per area and the columns
    met and not met).

    Primary suppression hides every figure from 1 to ``rule.min_count``. Then, until nothing
    changes, each line (rows first, then the row of column totals, the columns and the column of
    row totals) with exactly one hidden figure hides one more: its smallest non-zero published
    figure other than the total (the first of equals), or its total when there is none. Zeros are
    never hidden. The module docstring says what this guarantees and what it does not.

    Returns
    -------
    pandas.DataFrame
        Booleans, True where the figure must be shown as ``rule.symbol``: the rows and columns of ``cells``
        plus a row and a column labelled :data:`TOTAL` (column totals, row totals and the grand total).
    """
    if not isinstance(cells, pd.DataFrame):
        raise ValueError(f"cells must be a pandas DataFrame, not {type(cells).__name__}")
    if TOTAL in cells.index or TOTAL in cells.columns:
        raise ValueError(f"cells must not already have a row or column labelled {TOTAL!r}")
    counts = _whole_counts(cells, "counts")
    full = _with_totals(counts)
    hidden = _suppress(full, rule.min_count) if rule.active else np.zeros(full.shape, dtype=bool)
    return pd.DataFrame(
        hidden,
        index=pd.Index([*cells.index, TOTAL], dtype=object, name=cells.index.name),
        columns=pd.Index([*cells.columns, TOTAL], dtype=object, name=cells.columns.name),
    )


def _group_columns(table: pd.DataFrame, groups: list[str] | str) -> list[str]:
    columns = [groups] if isinstance(groups, str) else list(groups)
    if not columns:
        raise ValueError("groups must name at least one column")
    missing = [name for name in columns + ["numerator", "denominator"] if name not in table.columns]
    if missing:
        raise ValueError(f"the table has no column {missing[0]!r}; it needs numerator, denominator and {columns}")
    return columns


def _totals_rows(table: pd.DataFrame, columns: list[str], groups: list[np.ndarray]) -> np.ndarray:
    """A boolean array, True at each group's one row (``groups``: the positions of each) whose group columns
    are all ``all``."""
    is_all = (table[columns].astype(str) == ALL).all(axis=1).to_numpy()
    for positions in groups:
        alls = int(is_all[positions].sum())
        if not alls:
            raise ValueError(f"the table has no {ALL!r} row: suppression needs the published totals")
        if alls > 1:
            raise ValueError(f"the table has {alls} {ALL!r} rows; pass the rows of one item at a time")
        others = table.iloc[positions[~is_all[positions]]][columns].astype(str)
        repeated = others.duplicated().to_numpy()
        if repeated.any():
            raise ValueError(f"group {tuple(others[repeated].iloc[0])} appears more than once")
    return is_all


def _met_counts(numerator: np.ndarray, denominator: np.ndarray, is_all: np.ndarray) -> np.ndarray:
    """Met and not-met counts (two columns), one row per group in input order, plus a row for records in no group.

    The ``all`` row gives the published totals. When it exceeds the sum of the groups (records
    without a group), the difference can be worked out from the published figures, so it is
    added as one more row and protected like any other.
    """
    met, not_met = numerator[~is_all], denominator[~is_all] - numerator[~is_all]
    rest_met = numerator[is_all][0] - met.sum()
    rest_not_met = denominator[is_all][0] - numerator[is_all][0] - not_met.sum()
    if rest_met < 0 or rest_not_met < 0:
        raise ValueError(f"the {ALL!r} row is smaller than the sum of the other rows")
    if rest_met or rest_not_met:
        met, not_met = np.append(met, rest_met), np.append(not_met, rest_not_met)
    return np.column_stack([met, not_met]).astype(np.int64)


def _hidden_rows(
    numerator: np.ndarray, denominator: np.ndarray, is_all: np.ndarray, rule: DisclosureRule
) -> tuple[np.ndarray, np.ndarray]:
    """One item's rows: whose met or not-met count is hidden, and whose denominator is (the table of
    :func:`suppress_table`, met and not met with their totals)."""
    hidden = _suppress(_with_totals(_met_counts(numerator, denominator, is_all)), rule.min_count)
    groups_count = int((~is_all).sum())
    suppressed = np.empty(len(is_all), dtype=bool)
    denominator_hidden = np.empty(len(is_all), dtype=bool)
    suppressed[~is_all] = hidden[:groups_count, :2].any(axis=1)
    denominator_hidden[~is_all] = hidden[:groups_count, 2]
    suppressed[is_all] = hidden[-1, :2].any()
    denominator_hidden[is_all] = hidden[-1, 2]
    return suppressed, denominator_hidden


def suppress_proportions(table: pd.DataFrame, groups: list[str] | str, rule: DisclosureRule) -> pd.DataFrame:
    """One item's indicator rows with the figures that must be hidden under ``rule`` set to missing.

    ``table`` has a ``numerator`` and a ``denominator`` column and one row per value of the
    ``groups`` column(s) (for example per area), plus one row whose group value is ``all`` giving
    the totals, like the rows of one item in ``Findings.indicators``. The met (numerator) and
    not-met (denominator − numerator) counts of the groups, with the ``all`` row as their
    published totals, go through :func:`suppress_table`. If the ``all`` row exceeds the sum of the
    groups (records with no group), a reader can work out the difference, so it joins the table as
    one more group, protected like the others but not returned.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table``, rows in input order, with two boolean columns added: ``suppressed`` (the
        row's met or not-met count is hidden: either one gives away the numerator) and
        ``denominator_suppressed`` (the denominator itself is hidden; this implies ``suppressed``).
        Where ``suppressed``, the ``numerator``, ``proportion``, ``ci_low`` and ``ci_high`` columns
        (those present) are missing; where ``denominator_suppressed``, ``denominator`` is missing too.
        When the rule is active the count columns become nullable integers (``Int64``). When it is
        not, nothing else changes.
    """
    return suppress_item_proportions(table, [], groups, rule)


def suppress_item_proportions(
    table: pd.DataFrame, items: list[str], groups: list[str] | str, rule: DisclosureRule
) -> pd.DataFrame:
    """:func:`suppress_proportions` of each item's rows (the rows sharing the values of the ``items`` columns,
    such as instrument and item) in one pass over the whole table; no ``items`` columns: one item.

    Returns
    -------
    pandas.DataFrame
        What :func:`suppress_proportions` returns for each item's rows, all rows in input order: a copy of ``table``
        with ``suppressed`` and ``denominator_suppressed`` added and the hidden figures missing.
    """
    columns = _group_columns(table, groups)
    positions = (
        list(table.groupby(items, sort=False, dropna=False).indices.values()) if items else [np.arange(len(table))]
    )
    is_all = _totals_rows(table, columns, positions)
    numerator = _whole_counts(table[["numerator"]], "numerators")[:, 0]
    denominator = _whole_counts(table[["denominator"]], "denominators")[:, 0]
    if (numerator > denominator).any():
        raise ValueError("each numerator must lie between 0 and its denominator")
    result = table.copy()
    result["suppressed"] = False
    result["denominator_suppressed"] = False
    if not rule.active:
        return result
    suppressed = np.zeros(len(table), dtype=bool)
    denominator_hidden = np.zeros(len(table), dtype=bool)
    for rows in positions:
        suppressed[rows], denominator_hidden[rows] = _hidden_rows(
            numerator[rows], denominator[rows], is_all[rows], rule
        )
    result["suppressed"] = suppressed
    result["denominator_suppressed"] = denominator_hidden
    for name in ("numerator", "denominator"):
        result[name] = result[name].astype("Int64")
    for name in _HIDDEN_WITH_NUMERATOR:
        if name in result.columns:
            result.loc[suppressed, name] = pd.NA if name == "numerator" else np.nan
    result.loc[denominator_hidden, "denominator"] = pd.NA
    return result
