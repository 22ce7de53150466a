"""Reading a data file (CSV or XLSX) into a table of text, rows numbered as Excel shows them.

Every cell is read as text so that validation sees what the user typed. The frame's
index is the row number in the spreadsheet (the header is row 1), so messages can name
the row the user will find.

CSV files may be UTF-8 (with or without a byte order mark) or Windows-1252 (what Excel
writes for "CSV (Comma delimited)"), separated by ``,`` or ``;``. In a workbook the data
is on the visible sheet named "Data", or on its only visible sheet. Blank rows are
skipped; totals rows after the data are left out; merged cells, a file that mixes two
encodings and values in a column without a header are named in an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from auditkit.errors import DataError

__all__ = [
    "DATA_SHEET",
    "ROW",
    "TOTALS_WORDS",
    "blank_mask",
    "column_letter",
    "column_texts",
    "first_record",
    "frame_from_columns",
    "header_text",
    "read_rows",
    "read_table",
    "sniff_separator",
    "table_from_rows",
]

#: The name of a table's index: the row number as Excel shows it (the header is row 1).
ROW = "row"
#: The sheet of a workbook that holds the data, when there is more than one visible sheet.
DATA_SHEET = "Data"
_SEPARATORS = (",", ";", "\t")
#: What the first filled cell of a totals row says (lower case, without a trailing colon).
TOTALS_WORDS = frozenset({"total", "totals", "grand total", "subtotal", "sum", "count", "average", "mean"})
_NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_UNDECODED = re.compile(r"[\udc80-\udcff]")


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


def _cell_name(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


# --- CSV ------------------------------------------------------------------------------------------------


def first_record(text: str, separator: str) -> list[str]:
    """The first CSV record in ``text``, quotes understood.

    Returns
    -------
    list of str
        Its cells; empty when ``text`` is empty.
    """
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])


def sniff_separator(text: str) -> str:
    """Guess a CSV file's separator from its text.

    Returns
    -------
    str
        Of ``,``, ``;`` and tab, the one that splits the header row into the most cells; a comma when they tie.
    """
    counts = {separator: len(first_record(text, separator)) for separator in _SEPARATORS}
    return max(_SEPARATORS, key=lambda separator: counts[separator])


def _parse_csv(path: Path, text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first_line):  # Excel's hint line names the separator and is not a row
        separator, text = first_line[-1], text.split("\n", 1)[1] if "\n" in text else ""
    else:
        separator = sniff_separator(text)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise DataError(path, f"the file could not be read as CSV: {exc}.") from None


def _mixed_encoding(path: Path, text: str) -> DataError:
    """Name the first cell of a mostly UTF-8 file that holds bytes written in another encoding."""
    rows = _parse_csv(path, text)
    for row_number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            found = _UNDECODED.search(cell)
            if found is None:
                continue
            header = rows[0][column].strip() if column < len(rows[0]) else ""
            where = f"row {row_number}, column '{header or column_letter(column)}'"
            byte = ord(found.group()) - 0xDC00
            return DataError(
                path,
                f"the file mixes two encodings: it is UTF-8, but {where} holds the byte 0x{byte:02X}, written in "
                f"another encoding (Windows-1252 writes 'é' that way). Open the file in Excel and save it again as "
                f"CSV UTF-8, or retype that value.",
            )
    return DataError(path, "the file is not readable text; save it from Excel as CSV UTF-8.")  # pragma: no cover


def _decode(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8 (a byte order mark is dropped), or Windows-1252 when it is not UTF-8."""
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(path, "the file is an Excel workbook with a .csv name; rename it to .xlsx.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(path, 'the file is UTF-16 text (Excel\'s "Unicode Text"); save it as CSV UTF-8 instead.')
    if b"\x00" in raw[:4096]:
        raise DataError(path, "the file holds binary data, not CSV text; save it as CSV or XLSX.")
    text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    if _UNDECODED.search(text) is None:
        return text
    if raw.startswith(b"\xef\xbb\xbf") or _NON_ASCII.search(text):
        raise _mixed_encoding(path, text)
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise DataError(path, "the file is not readable text; save it from Excel as CSV UTF-8.") from None


def _csv_rows(path: Path) -> list[list[str]]:
    rows = _parse_csv(path, _decode(path, path.read_bytes()))
    if not rows:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    return rows


# --- XLSX -----------------------------------------------------------------------------------------------


def _data_sheet(path: Path, workbook) -> str:
    """The visible sheet named "Data" (any case), or the workbook's only visible sheet."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [sheet for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
    visible = [sheet.name for sheet in sheets if sheet.visible == SheetVisibleEnum.Visible]
    named = [sheet for sheet in sheets if sheet.name.strip().casefold() == DATA_SHEET.casefold()]
    if named and named[0].visible == SheetVisibleEnum.Visible:
        return named[0].name
    if named:
        raise DataError(
            path,
            f"the sheet '{named[0].name}' is hidden; unhide it (right-click a sheet tab, Unhide) "
            "so that it can be read.",
        )
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise DataError(path, "the workbook has no visible worksheet.")
    raise DataError(
        path,
        f"the workbook has no sheet named '{DATA_SHEET}' and more than one sheet ({', '.join(visible)}); "
        f"name the sheet that holds the data '{DATA_SHEET}'.",
    )


def _check_merged(path: Path, sheet, header_rows: int) -> None:
    """Merged cells are allowed only within the header rows of an export that has two."""
    ranges = [
        (start, end) for start, end in sheet.merged_cell_ranges or () if not (header_rows > 1 and end[0] < header_rows)
    ]
    if not ranges:
        return
    names = ", ".join(f"{_cell_name(*start)}:{_cell_name(*end)}" for start, end in sorted(ranges)[:5])
    more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
    raise DataError(
        path,
        f"the sheet '{sheet.name}' has merged cells ({names}{more}). Unmerge them and fill in every cell: each row "
        f"needs its own value in each column, and each column its own header.",
    )


def _xlsx_rows(path: Path, header_rows: int) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise DataError(path, f"the file could not be opened as an Excel workbook ({exc}).") from None
    name = _data_sheet(path, workbook)
    sheet = workbook.get_sheet_by_name(name)
    _check_merged(path, sheet, header_rows)
    rows = sheet.to_python(skip_empty_area=False)
    if not any(_cell_text(cell).strip() for cell in (rows[0] if rows else ())):
        if not any(_cell_text(cell).strip() for row in rows for cell in row):
            raise DataError(path, f"the sheet '{name}' is empty: it has no header row and no data.")
        raise DataError(path, f"row 1 of the sheet '{name}' is blank; the header (the item ids) must be in row 1.")
    return rows


# --- from rows to a table -------------------------------------------------------------------------------


def read_rows(path: str | Path, header_rows: int = 1) -> list[list[object]]:
    """Every row of a CSV file, or of a workbook's data sheet, as read: CSV cells are text, XLSX cells are values.

    ``header_rows`` is how many rows at the top are headers; merged cells are refused outside them.

    Returns
    -------
    list of list
        The rows from the first (the header) on, each a list of its cells.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "the data file does not exist.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path, header_rows)
    raise DataError(path, "the file is neither CSV (.csv) nor Excel (.xlsx); save it as one of those.")


def _cell_text(value: object) -> str:
    """A cell as the text a user would type: whole numbers without ".0", dates as ISO dates."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(value: object) -> str:
    """:func:`_cell_text`, quicker for the text and numbers that make up most cells."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float and value.is_integer():
        return str(int(value))
    return _cell_text(value)


def column_texts(rows: list[list[object]], column: int, start: int) -> list[str]:
    """One column of ``rows`` from row index ``start`` on, as text.

    Returns
    -------
    list of str
        One cell per row; "" for a row too short to reach the column.
    """
    try:
        values = [row[column] for row in rows[start:]]
    except IndexError:
        values = [row[column] if column < len(row) else "" for row in rows[start:]]
    if all(type(value) is str for value in values):
        return values
    return [_text(value) for value in values]


def header_text(value: object) -> str:
    """A header cell's column name (a template's header shows the question below it).

    Returns
    -------
    str
        The cell's first non-blank line, trimmed; empty for a blank cell.
    """
    lines = [line.strip() for line in _cell_text(value).splitlines() if line.strip()]
    return lines[0] if lines else ""


def blank_mask(column: list[str] | pd.Series) -> np.ndarray:
    """Which values are empty or only spaces; computed once per distinct value.

    Returns
    -------
    numpy.ndarray
        One bool per value, True where it is blank.
    """
    codes, uniques = pd.factorize(pd.Series(column, dtype=object))
    blank = np.fromiter((not str(value).strip() for value in uniques), dtype=bool, count=len(uniques))
    return blank[codes] if len(uniques) else np.ones(len(codes), dtype=bool)


def _first_filled(columns: list[list[str]], blanks: list[np.ndarray]) -> np.ndarray:
    """Each row's first non-blank cell."""
    first = np.full(len(columns[0]), "", dtype=object)
    unset = np.ones(len(columns[0]), dtype=bool)
    for column, blank in zip(columns, blanks):
        take = unset & ~blank
        first[take] = np.asarray(column, dtype=object)[take]
        unset &= blank
    return first


def _totals_rows(first: np.ndarray) -> np.ndarray:
    codes, uniques = pd.factorize(pd.Series(first, dtype=object))
    totals = np.fromiter(
        (str(value).strip().rstrip(":").strip().casefold() in TOTALS_WORDS for value in uniques),
        dtype=bool,
        count=len(uniques),
    )
    return totals[codes]


def frame_from_columns(path: Path, names: list[str], columns: list[list[str]], first_row: int) -> pd.DataFrame:
    """A table of text from equal-length columns whose first value is on spreadsheet row ``first_row``.

    Blank rows are dropped and the others keep their row number. Totals rows after the last
    data row are left out; a totals row with data below it is an error naming its row.

    Returns
    -------
    pandas.DataFrame
        A column per name, of text, indexed by :data:`ROW`.
    """
    length = len(columns[0]) if columns else 0
    table = pd.DataFrame({index: column for index, column in enumerate(columns)}, dtype=object)
    table.columns = names
    table.index = pd.RangeIndex(first_row, first_row + length, name=ROW)
    if not columns or not length:
        raise DataError(path, "the file has a header row but no data rows.")
    blanks = [blank_mask(column) for column in columns]
    blank = np.logical_and.reduce(blanks)
    totals = _totals_rows(_first_filled(columns, blanks)) & ~blank
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
    table = table.loc[data]
    if table.empty:
        raise DataError(path, "the file has a header row but no data rows.")
    return table


def _named_columns(path: Path, rows: list[list[object]]) -> tuple[list[str], list[list[str]]]:
    """The header's names and their columns; a column without a header must be empty."""
    width = max(len(row) for row in rows)
    header = [header_text(rows[0][index]) if index < len(rows[0]) else "" for index in range(width)]
    names, columns = [], []
    for index, name in enumerate(header):
        column = column_texts(rows, index, start=1)
        if not name:
            filled = np.flatnonzero(~blank_mask(column)) if column else []
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


def table_from_rows(path: str | Path, rows: list[list[object]]) -> pd.DataFrame:
    """The table of text under a header row of column names, as :func:`read_table` returns it.

    Returns
    -------
    pandas.DataFrame
        A column per header name, of text, indexed by :data:`ROW` from row 2.
    """
    path = Path(path)
    names, columns = _named_columns(path, rows)
    if not names:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    table = frame_from_columns(path, names, columns, first_row=2)
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


# --- CSV, quickly ---------------------------------------------------------------------------------------

#: A plain CSV file at least this large is parsed in two halves at once (pandas' parser releases the GIL).
