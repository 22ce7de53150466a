"""Reading a CSV file's rows as text, carefully: its encoding, its separator, and its records.

CSV files may be UTF-8 (with or without a byte order mark) or Windows-1252 (what Excel writes
for "CSV (Comma delimited)"), separated by ``,``, ``;`` or a tab; Excel's ``sep=`` hint line names
the separator. A file that mixes two encodings is named in an error, with the cell that does.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from auditkit.errors import DataError
from auditkit.read.cells import column_letter

__all__ = ["first_record", "read_csv_rows", "sniff_separator"]

_SEPARATORS = (",", ";", "\t")
_NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_UNDECODED = re.compile(r"[\udc80-\udcff]")


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


def read_csv_rows(path: Path) -> list[list[str]]:
    """Every record of a CSV file, as text.

    Returns
    -------
    list of list of str
        The records from the first (the header) on, each a list of its cells.
    """
    rows = _parse_csv(path, _decode(path, path.read_bytes()))
    if not rows:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    return rows
