"""Reading a data file (CSV or XLSX) into a table of text, rows numbered as Excel shows them.

Every cell is read as text so that validation sees what the user typed. The frame's
index is the row number in the spreadsheet (the header is row 1), so messages can name
the row the user will find.

The rows come from :mod:`auditkit.read.csv_files` (encodings, separators) or
:mod:`auditkit.read.xlsx_files` (which sheet, merged cells). Blank rows are skipped; totals
rows after the data are left out; values in a column without a header are named in an error.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.errors import DataError
from auditkit.read.arrow_grid import blank_texts
from auditkit.read.cells import CELL_LIMIT, cell_text, cell_too_long, column_letter, header_text
from auditkit.read.csv_parsed import read_csv_columns
from auditkit.read.grid import Grid
from auditkit.read.xlsx_files import DATA_SHEET, check_merged, read_xlsx_rows, read_xlsx_sheet

__all__ = [
    "DATA_SHEET",
    "ROW",
    "TOTALS_WORDS",
    "DataFile",
    "blank_mask",
    "column_texts",
    "frame_from_columns",
    "header_text",
    "read_data_file",
    "read_rows",
    "read_table",
    "table_from_rows",
]

#: The name of a table's index: the row number as Excel shows it (the header is row 1).
ROW = "row"
#: What the first filled cell of a totals row says (lower case, without a trailing colon).
TOTALS_WORDS = frozenset({"total", "totals", "grand total", "subtotal", "sum", "count", "average", "mean"})


# --- from rows to a table -------------------------------------------------------------------------------


def read_rows(path: str | Path, header_rows: int = 1) -> Grid | list[list[object]]:
    """Every row of a CSV file, or of a workbook's data sheet, as read: CSV cells are text, XLSX cells are values.

    ``header_rows`` is how many rows at the top are headers; merged cells are refused outside them.

    Returns
    -------
    Grid or list of list
        The rows from the first (the header) on, each a list of its cells (a CSV file's held as columns).
    """
    path = _checked_path(path)
    if path.suffix.lower() == ".csv":
        return read_csv_columns(path)
    return read_xlsx_rows(path, header_rows)


def _checked_path(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "the data file does not exist.")
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise DataError(path, "the file is neither CSV (.csv) nor Excel (.xlsx); save it as one of those.")
    return path


@dataclass(frozen=True)
class DataFile:
    """A data file's rows, read before its layout (how many header rows it has) is known.

    A workbook is read once to recognise which survey tool wrote it, and its rows are then read as that tool's
    layout says; ``merged`` (a workbook's merged ranges, each its first and last cells) is judged then.
    """

    path: Path
    rows: Grid | list[list[object]]
    sheet: str = ""
    merged: tuple = ()

    @property
    def header(self) -> list[str]:
        """The text of each cell of row 1 (its first line, trimmed)."""
        return [header_text(cell) for cell in self.rows[0]] if self.rows else []

    def rows_under(self, header_rows: int) -> list[list[object]]:
        """The rows, once merged cells outside the ``header_rows`` top rows have been refused.

        Returns
        -------
        list of list
            The rows from the first (the header) on.
        """
        check_merged(self.path, self.sheet, self.merged, header_rows)
        return self.rows


def read_data_file(path: str | Path) -> DataFile:
    """Every row of a CSV file or of a workbook's data sheet, as :func:`read_rows` reads them, and its merged cells.

    Returns
    -------
    DataFile
        The rows, and for a workbook its data sheet's name and merged ranges.
    """
    path = _checked_path(path)
    if path.suffix.lower() == ".csv":
        return DataFile(path, read_csv_columns(path))
    sheet = read_xlsx_sheet(path)
    return DataFile(path, sheet.rows, sheet.name, sheet.merged)


def _text(value: object) -> str:
    """:func:`~auditkit.read.cells.cell_text`, quicker for the text and numbers that make up most cells."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float and value.is_integer():
        return str(int(value))
    return cell_text(value)


def column_texts(rows: Grid | list[list[object]], column: int, start: int) -> list[str] | pd.Categorical:
    """One column of ``rows`` from row index ``start`` on, as text.

    Returns
    -------
    list of str or pandas.Categorical
        One cell per row; "" for a row too short to reach the column (a categorical for a :class:`Grid`).
    """
    if isinstance(rows, Grid):
        return rows.texts(column, start)
    try:
        values = [row[column] for row in rows[start:]]
    except IndexError:
        values = [row[column] if column < len(row) else "" for row in rows[start:]]
    if all(type(value) is str for value in values):
        return values
    return [_text(value) for value in values]


def blank_mask(
    column: list[str] | pd.Categorical | pa.Array | pa.ChunkedArray, texts: pa.Array | None = None
) -> np.ndarray:
    """Which values are empty or only spaces; computed once per distinct value (Arrow text: by Arrow, in C;
    ``texts``: a categorical's categories as Arrow text, when already made).

    Returns
    -------
    numpy.ndarray
        One bool per value, True where it is blank.
    """
    if isinstance(column, _ARROW):
        return blank_texts(column)
    if isinstance(column, pd.Categorical):
        codes, uniques = column.codes, column.categories
    else:
        codes, uniques = pd.factorize(pd.Series(column, dtype=object))
    texts = _arrow_texts(uniques) if texts is None else texts
    if texts is not None:  # a column of ids: judged by Arrow, in C
        blank = blank_texts(texts)
    else:
        blank = np.fromiter(map(operator.not_, map(str.strip, map(str, uniques))), dtype=bool, count=len(uniques))
    return blank[codes] if len(uniques) else np.ones(len(codes), dtype=bool)


def _arrow_texts(values) -> pa.Array | None:
    """Many distinct texts as Arrow text, to be judged in C; None for few, for values not all text, or for text
    Arrow cannot hold (a lone surrogate)."""
    if len(values) <= _MANY or pd.Index(values).inferred_type != "string":
        return None
    try:
        return pa.array(np.asarray(values, dtype=object), type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError):
        return None


#: Past this many distinct values, :func:`blank_mask` and :func:`_totals_labels` judge them by Arrow.
_MANY = 1 << 14
#: A column of Arrow text (a CSV column of mostly distinct values, an id, read as pandas' parser gave it).
_ARROW = (pa.Array, pa.ChunkedArray)


def _first_filled(columns: list[list[str]], blanks: list[np.ndarray]) -> np.ndarray:
    """Each row's first non-blank cell."""
    first = np.full(len(columns[0]), "", dtype=object)
    unset = np.ones(len(columns[0]), dtype=bool)
    for column, blank in zip(columns, blanks):
        if not unset.any():
            break
        take = unset & ~blank
        first[take] = np.asarray(_objects(column), dtype=object)[take]
        unset &= blank
    return first


def _totals_rows(columns: list[list[str] | pd.Categorical], blanks: list[np.ndarray], arrows: list) -> np.ndarray:
    """Which rows' first non-blank cell is a totals label; each distinct first cell of a column judged once."""
    totals = np.zeros(len(columns[0]), dtype=bool)
    unset = np.ones(len(columns[0]), dtype=bool)
    for column, blank, arrow in zip(columns, blanks, arrows):
        take = np.flatnonzero(unset & ~blank)
        if len(take) and isinstance(column, _ARROW):  # mostly distinct values: each judged in C, as it is
            totals[take] = _totals_labels(column if len(take) == len(column) else column.take(take))
        elif len(take):
            if isinstance(column, pd.Categorical):
                codes, uniques = column.codes[take], column.categories
            else:
                codes, uniques = pd.factorize(pd.Series(np.asarray(column, dtype=object)[take], dtype=object))
            used = np.flatnonzero(np.bincount(codes, minlength=len(uniques)))  # the values some row starts with
            labels = np.zeros(len(uniques), dtype=bool)
            # a categorical's many categories already made Arrow text (ids): judged as that, in C
            labels[used] = _totals_labels(
                np.asarray(uniques, dtype=object)[used] if arrow is None else arrow.take(used)
            )
            totals[take] = labels[codes]
        unset &= blank
        if not unset.any():
            break
    return totals


def _totals_labels(values: np.ndarray | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """For each value, whether it says "Total", "Grand total:" and the like.

    Only a value one of whose lines starts (after spaces) with a letter that starts a totals word, or with a letter
    beyond ASCII (which may fold to one), can be one: those are found by one search of the values joined (in C, so
    that a column of a million ids is quick), and only they are judged in full.
    """
    texts = values if isinstance(values, _ARROW) else _arrow_texts(values)
    if texts is not None:  # a column of ids: searched by Arrow, those of digits alone (no letter) left out first
        maybe = np.flatnonzero(~pc.utf8_is_digit(texts).to_numpy(zero_copy_only=False))
        found = pc.match_substring_regex(texts.take(maybe), _MAY_HOLD_TOTALS).to_numpy(zero_copy_only=False)
        candidates = maybe[found]
        labels = np.zeros(len(values), dtype=bool)
        labels[candidates] = [_is_totals_word(text) for text in texts.take(candidates).to_pylist()]
        return labels
    texts = list(map(str, values))
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1) - 1  # each value's "\n"
    letters = [match.end() - 1 for match in _MAY_BE_TOTALS.finditer("\n".join(texts))]
    candidates = np.unique(np.searchsorted(ends, np.asarray(letters, dtype=np.int64)))  # the values holding them
    labels = np.zeros(len(texts), dtype=bool)
    labels[candidates] = [_is_totals_word(texts[index]) for index in candidates]
    return labels


def _is_totals_word(text: str) -> bool:
    return text.strip().rstrip(":").strip().casefold() in TOTALS_WORDS


#: A line that starts (after spaces) with a letter a totals word starts with, in either case, or one beyond ASCII.
_MAY_BE_TOTALS = re.compile(r"(?m)^\s*[tgscamTGSCAM\u0080-\U0010ffff]")
#: Such a letter anywhere (Arrow's regular expressions): every value :data:`_MAY_BE_TOTALS` finds, and more.
_MAY_HOLD_TOTALS = r"[tgscamTGSCAM]|[^\x00-\x7f]"


def _longest(column: list[str] | pd.Categorical | pa.Array | pa.ChunkedArray, texts: pa.Array | None = None) -> int:
    if isinstance(column, _ARROW):  # no more characters than bytes: counted only when the bytes are too many
        size = pc.max(pc.binary_length(column)).as_py() or 0
        return size if size <= CELL_LIMIT else pc.max(pc.utf8_length(column)).as_py() or 0
    if texts is not None:  # a categorical's many categories, as Arrow text: counted in C
        return pc.max(pc.utf8_length(texts)).as_py() or 0
    values = column.categories if isinstance(column, pd.Categorical) else column
    return max(map(len, values), default=0)


def _check_cell_lengths(path: Path, names: list[str], columns: list[list[str]], first_row: int, arrows: list) -> None:
    """Refuse the first cell (by row, then column) longer than :data:`CELL_LIMIT`."""
    long = [(index, column) for index, column in enumerate(columns) if _longest(column, arrows[index]) > CELL_LIMIT]
    if not long:
        return
    row, index = min(
        (next(row for row, cell in enumerate(_objects(column)) if len(cell) > CELL_LIMIT), index)
        for index, column in long
    )
    raise cell_too_long(path, first_row + row, names[index], len(_objects(columns[index])[row]))


def _objects(column: list[str] | pd.Categorical | pa.Array | pa.ChunkedArray) -> list[str] | np.ndarray:
    """A column's values as an array of objects (a categorical's each distinct text shared by its rows).

    A column may be a list of text, a categorical of text, or Arrow text (a column of mostly distinct values, an id,
    kept as the parser read it: :func:`frame_from_columns` judges it by Arrow and turns it into Python text once).
    """
    if isinstance(column, _ARROW):
        return column.to_numpy(zero_copy_only=False)
    if isinstance(column, pd.Categorical):
        return np.asarray(column.categories, dtype=object)[column.codes]
    return column


def frame_from_columns(
    path: Path, names: list[str], columns: list[list[str]], first_row: int, answers: Collection[int] = ()
) -> pd.DataFrame:
    """A table of text from equal-length columns whose first value is on spreadsheet row ``first_row``.

    Blank rows are dropped and the others keep their row number. Totals rows after the last
    data row are left out; a totals row with data below it is an error naming its row, as is a
    cell longer than Excel allows (:data:`~auditkit.read.cells.CELL_LIMIT` characters). The columns in ``answers``
    that were read as categoricals (a CSV file's) stay categoricals, as the quick CSV path gives answers.

    Returns
    -------
    pandas.DataFrame
        A column per name, of text, indexed by :data:`ROW`.
    """
    # a categorical's many categories (ids) made Arrow text once, to be judged in C
    arrows = [_arrow_texts(column.categories) if isinstance(column, pd.Categorical) else None for column in columns]
    _check_cell_lengths(path, names, columns, first_row, arrows)
    length = len(columns[0]) if columns else 0
    kept = {index for index in answers if isinstance(columns[index], pd.Categorical)}
    if kept:  # each column a Series of its own: objects stay objects (not inferred as text), answers categoricals
        table = pd.DataFrame(
            {
                index: pd.Series(column, copy=False) if index in kept else pd.Series(_objects(column), dtype=object)
                for index, column in enumerate(columns)
            },
            copy=False,
        )
    else:
        table = pd.DataFrame(
            {index: _objects(column) for index, column in enumerate(columns)}, dtype=object, copy=False
        )
    table.columns = names
    table.index = pd.RangeIndex(first_row, first_row + length, name=ROW)
    if not columns or not length:
        raise DataError(path, "the file has a header row but no data rows.")
    blanks = [blank_mask(column, texts) for column, texts in zip(columns, arrows)]
    blank = np.logical_and.reduce(blanks)
    totals = _totals_rows(columns, blanks, arrows) & ~blank
    data = ~blank & ~totals
    if totals.any():
        last_data = np.flatnonzero(data).max() if data.any() else -1
        early = np.flatnonzero(totals)[np.flatnonzero(totals) < last_data]
        if len(early):
            row = first_row + int(early[0])
            label = _first_filled(columns, blanks)[early[0]].strip()
            raise DataError(
                path,
                f"row {row} looks like a totals row ('{label}'), but rows below it hold data. Delete it: the data "
                f"must have one row per record (auditkit leaves out totals rows only after the last record).",
            )
    if not data.all():
        table = table.loc[data]
    if table.empty:
        raise DataError(path, "the file has a header row but no data rows.")
    return table


def _named_columns(path: Path, rows: Grid | list[list[object]]) -> tuple[list[str], list[list[str]]]:
    """The header's names and their columns; a column without a header must be empty."""
    width = rows.width if isinstance(rows, Grid) else max(len(row) for row in rows)
    header = [header_text(rows[0][index]) if index < len(rows[0]) else "" for index in range(width)]
    if isinstance(rows, Grid):
        rows.prepare(range(width))
    names, columns = [], []
    for index, name in enumerate(header):
        column = column_texts(rows, index, start=1)
        if not name:
            filled = np.flatnonzero(~blank_mask(column)) if len(column) else []
            if len(filled):
                raise DataError(
                    path,
                    f"column {column_letter(index)} has no header in row 1 but holds data (first in row "
                    f"{int(filled[0]) + 2}); give it its item id as a header, or delete the column.",
                )
            continue
        names.append(name)
        columns.append(column)
    return names, columns


def table_from_rows(
    path: str | Path, rows: Grid | list[list[object]], text_columns: frozenset[str] | None = None
) -> pd.DataFrame:
    """The table of text under a header row of column names, as :func:`read_table` returns it.

    With ``text_columns`` given, the columns of a CSV file not named in it are categoricals of text, as the quick
    CSV path (:func:`auditkit.read.quick_csv.read_csv_quickly`) gives them: each distinct answer once.

    Returns
    -------
    pandas.DataFrame
        A column per header name, of text, indexed by :data:`ROW` from row 2.
    """
    path = Path(path)
    names, columns = _named_columns(path, rows)
    if not names:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    answers = () if text_columns is None else [index for index, name in enumerate(names) if name not in text_columns]
    table = frame_from_columns(path, names, columns, first_row=2, answers=answers)
    table.columns = [str(column).strip() for column in table.columns]
    return table


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX data file as text; blank rows are dropped, rows keep their Excel number.

    Returns
    -------
    pandas.DataFrame
        A column per header name, every cell as text, indexed by :data:`ROW` (the data's first row is 2).
    """
    return table_from_rows(path, read_rows(path))
