"""Reading a data file (CSV or XLSX) into a table of text, rows numbered as Excel shows them.

Every cell is read as text so that validation sees what the user typed. The frame's
index is the row number in the spreadsheet (the header is row 1), so messages can name
the row the user will find.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from auditkit.errors import DataError

ROW = "row"
_ENCODINGS = ("utf-8-sig", "cp1252")


def _sniff_separator(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(path, "the file is an Excel workbook with a .csv name; rename it to .xlsx.")
    if b"\x00" in raw[:4096]:
        raise DataError(path, "the file holds binary data, not CSV text; save it as CSV or XLSX.")
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DataError(path, "the file is not readable text; save it from Excel as CSV UTF-8.")


def _read_csv(path: Path) -> pd.DataFrame:
    text, encoding = _decode(path)
    first_line = text.split("\n", 1)[0]
    try:
        rows = pd.read_csv(
            path,
            sep=_sniff_separator(first_line),
            header=None,
            dtype=str,
            keep_default_na=False,
            encoding=encoding,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        raise DataError(path, "the file is empty: it has no header row and no data.") from None
    except pd.errors.ParserError as exc:
        raise DataError(path, f"the file could not be read as CSV: {exc}") from None
    # The header is read as a row so that a repeated column name stays as the user wrote it.
    header = rows.iloc[0].tolist()
    return pd.DataFrame(rows.iloc[1:].to_numpy(), columns=header)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise DataError(path, f"the file could not be opened as an Excel workbook ({exc}).") from None
    names = workbook.sheet_names
    sheet = "Data" if "Data" in names else names[0]
    rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    if not rows:
        raise DataError(path, f"the sheet '{sheet}' is empty: it has no header row and no data.")
    header = [_cell_text(cell).strip() for cell in rows[0]]
    body = [[_cell_text(cell) for cell in row] + [""] * (len(header) - len(row)) for row in rows[1:]]
    return pd.DataFrame([row[: len(header)] for row in body], columns=header, dtype=object)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX data file as text; blank rows are dropped, rows keep their Excel number."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(path, "the data file does not exist.")
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix == ".xlsx":
        table = _read_xlsx(path)
    else:
        raise DataError(path, "the file is neither CSV (.csv) nor Excel (.xlsx); save it as one of those.")
    table.columns = [str(column).strip() for column in table.columns]
    table.index = pd.RangeIndex(2, len(table) + 2, name=ROW)
    blank = table.apply(lambda column: column.astype(str).str.strip().eq("")).all(axis=1)
    table = table.loc[~blank]
    if table.empty:
        raise DataError(path, "the file has a header row but no data rows.")
    return table
