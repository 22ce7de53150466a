"""Reading a CSV file's rows as text, carefully: its encoding, its separator, and its records.

CSV files may be UTF-8 (with or without a byte order mark) or Windows-1252 (what Excel writes
for "CSV (Comma delimited)"), separated by ``,``, ``;`` or a tab; Excel's ``sep=`` hint line names
the separator. A file that mixes two encodings is named in an error, with the cell that does.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pandas as pd

from auditkit.errors import DataError
from auditkit.read.cells import CELL_LIMIT, cell_too_long, column_letter, header_text
from auditkit.read.grid import Grid, GridBuilder

__all__ = [
    "LONG_CELL_HINT",
    "PREFIX",
    "check_row_widths",
    "csv_text",
    "first_record",
    "grid_from_text",
    "read_csv_grid",
    "read_csv_header",
    "read_csv_rows",
    "row_width_error",
    "sniff_separator",
]

_SEPARATORS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
#: What to do about a CSV cell longer than Excel allows.
LONG_CELL_HINT = 'Shorten it; if it should be several cells, a double quote (") left open has run them together.'
_NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_UNDECODED = re.compile(r"[\udc80-\udcff]")


def first_record(text: str, separator: str) -> list[str]:
    """The first CSV record in ``text``, quotes understood.

    Returns
    -------
    list of str
        Its cells; empty when ``text`` is empty.
    """
    prefix = text[:PREFIX]
    if len(prefix) < len(text):  # read from the start of a long text only, when its first record ends there
        reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=separator)
        try:
            first, second = next(reader, None), next(reader, None)
        except csv.Error:
            first = second = None
        if second is not None:
            return first
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])


#: How many characters of a text :func:`first_record` reads first: a header row is a few KB, even of 40 long questions.
PREFIX = 1 << 16


def sniff_separator(text: str) -> str:
    """Guess a CSV file's separator from its text.

    Returns
    -------
    str
        Of ``,``, ``;`` and tab, the one that splits the header row into the most cells; a comma when they tie.
    """
    counts = {separator: _cells(text, separator) for separator in _SEPARATORS}
    return max(_SEPARATORS, key=lambda separator: counts[separator])


def _cells(text: str, separator: str) -> int:
    """How many cells the first record has, split by ``separator``; none when that makes a cell longer than the csv
    module reads (a wide header without that separator is one such cell), so that another separator is chosen."""
    try:
        return len(first_record(text, separator))
    except csv.Error:
        return 0


def _separated(text: str) -> tuple[str, str]:
    """The file's separator, and its text without Excel's hint line (``sep=;``), which names it and is not a row."""
    first_line = text[: text.find("\n")].strip() if "\n" in text[:PREFIX] else text.split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first_line):
        return first_line[-1], text.split("\n", 1)[1] if "\n" in text else ""
    return sniff_separator(text), text


def _records(path: Path, text: str, separator: str) -> list[list[str]]:
    """The records of ``text``; a cell longer than the csv module reads is named (after any short or long row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[list[str]] = []
    consumed = 0
    try:
        for row in reader:
            rows.append(row)
            consumed = reader.line_num
    except csv.Error as exc:
        if not str(exc).startswith("field larger than field limit"):
            raise DataError(path, f"the file could not be read as CSV: {exc}.") from None
        check_row_widths(path, rows, separator)
        raise _huge_cell(path, text, separator, rows, consumed) from None
    return rows


def _huge_cell(path: Path, text: str, separator: str, rows: list[list[str]], consumed: int) -> DataError:
    """The error for the record after ``rows`` (from line ``consumed``), which holds a cell the csv module refuses.

    pandas' C parser, which has no limit on a cell, finds which cell it is.
    """
    rest = "".join(itertools.islice(io.StringIO(text, newline=""), consumed, None))
    try:
        record = pd.read_csv(
            io.StringIO(rest), sep=separator, header=None, nrows=1, dtype=str, na_filter=False, engine="c"
        )
        lengths = [len(cell) for cell in record.iloc[0].tolist()]
    except (pd.errors.ParserError, ValueError, IndexError):  # pragma: no cover - the csv module read it this far
        lengths = []
    column = next((index for index, length in enumerate(lengths) if length > CELL_LIMIT), None)
    if column is None:  # pragma: no cover
        return DataError(
            path, f"row {len(rows) + 1} holds a cell longer than {CELL_LIMIT:,} characters (Excel's limit)."
        )
    return cell_too_long(path, len(rows) + 1, _column_name(rows, column), lengths[column], LONG_CELL_HINT)


def _column_name(rows: list[list[str]], column: int) -> str:
    header = header_text(rows[0][column]) if rows and column < len(rows[0]) else ""
    return header or column_letter(column)


def check_row_widths(path: Path, rows: list[list[str]], separator: str) -> None:
    """Refuse the first row with more cells than the header (unless the extra ones are blank) or fewer (unless blank).

    Excel pads every row of the CSV files it writes to the same number of cells; a row of another
    length has lost or gained a separator, or was cut short.

    Returns
    -------
    None
        Raises :class:`~auditkit.errors.DataError` naming the row and both numbers of cells.
    """
    width = len(rows[0]) if rows else 0
    if len(set(map(len, rows))) <= 1 or not any(cell.strip() for cell in rows[0]):
        return  # every row as long as the header; a file without a header is named later
    found = _wrong_width(rows, width, 1)
    if found is not None:
        raise row_width_error(path, *found, width, separator)


def _wrong_width(rows: list[list[str]], width: int, first: int) -> tuple[int, int] | None:
    """The first of ``rows`` (numbered from ``first``) with more cells than ``width`` (not all blank), or fewer (and
    not blank): its number and its number of cells."""
    for number, row in enumerate(rows, start=first):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            return number, len(row)
        if len(row) < width and any(cell.strip() for cell in row):
            return number, len(row)
    return None


def row_width_error(path: Path, row: int, cells: int, width: int, separator: str) -> DataError:
    """The error for a row of ``cells`` cells under a header of ``width``.

    Returns
    -------
    DataError
        "row 3 has 14 cells; the header has 12." and what to do about it.
    """
    said = f"row {row} has {cells} {'cell' if cells == 1 else 'cells'}; the header has {width}."
    name = _SEPARATOR_NAMES.get(separator, f"'{separator}'")
    if cells > width:
        return DataError(
            path,
            f"{said} Put a value that holds a {name} in double quotes, or delete the cells after column "
            f"{column_letter(width - 1)}.",
        )
    return DataError(
        path,
        f"{said} Every row needs a cell for each column, even an empty one: the row may have been cut short, or "
        f"lost a {name}.",
    )


def _check_cell_lengths(path: Path, rows: list[list[str]]) -> None:
    """Refuse the first cell (by row, then column) longer than :data:`CELL_LIMIT`."""
    if max(map(len, itertools.chain.from_iterable(rows)), default=0) <= CELL_LIMIT:
        return
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            if len(cell) > CELL_LIMIT:
                raise cell_too_long(path, number, _column_name(rows, column), len(cell), LONG_CELL_HINT)


def _parse_csv(path: Path, text: str) -> list[list[str]]:
    separator, text = _separated(text)
    return _records(path, text, separator)


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
    try:  # UTF-8 throughout, as most files are: no byte left undecoded to look for
        return raw.decode("utf-8-sig")  # a byte order mark dropped
    except UnicodeDecodeError:
        pass
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

    A row with more or fewer cells than the header, or a cell longer than Excel allows
    (:data:`~auditkit.read.cells.CELL_LIMIT` characters), is named in an error.

    Returns
    -------
    list of list of str
        The records from the first (the header) on, each a list of its cells.
    """
    separator, text = _separated(_decode(path, path.read_bytes()))
    rows = _records(path, text, separator)
    if not rows:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    check_row_widths(path, rows, separator)
    if len(text) > CELL_LIMIT:  # else no cell can be longer
        _check_cell_lengths(path, rows)
    return rows


#: How many records :func:`read_csv_grid` reads at a time.
_BLOCK_ROWS = 1 << 15


def csv_text(path: Path) -> tuple[str, str]:
    """A CSV file's separator and its text, decoded as :func:`read_csv_rows` decodes it.

    Returns
    -------
    separator : str
        The separator Excel's hint line names, else the one :func:`sniff_separator` finds.
    text : str
        The file's text (UTF-8 or Windows-1252, a byte order mark dropped) without Excel's hint line.
    """
    return _separated(_decode(path, path.read_bytes()))


def read_csv_grid(path: Path) -> Grid:
    """Every record of a CSV file, as text, held as columns: :func:`read_csv_rows`, a block of records at a time.

    The same records, and the same errors, as :func:`read_csv_rows` gives; only never a list of every row.

    Returns
    -------
    Grid
        The records from the first (the header) on.
    """
    return grid_from_text(path, *csv_text(path))


def grid_from_text(path: Path, separator: str, text: str) -> Grid:
    """The records of a CSV file's text (as :func:`csv_text` gives it), read as :func:`read_csv_grid` reads them.

    Returns
    -------
    Grid
        The records from the first (the header) on.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    builder, header, wrong, count = GridBuilder(), None, None, 0
    try:
        while block := list(itertools.islice(reader, _BLOCK_ROWS)):
            if header is None:
                header = block[0]
                checked = any(cell.strip() for cell in header)
            if checked and wrong is None and set(map(len, block)) != {len(header)}:
                wrong = _wrong_width(block, len(header), count + 1)
            builder.add(block)
            count += len(block)
    except csv.Error:
        _records(path, text, separator)  # read again, record by record, to name the problem as the careful reader does
        raise  # pragma: no cover - the same text fails the same way
    if header is None:
        raise DataError(path, "the file is empty: it has no header row and no data.")
    if wrong is not None:
        raise row_width_error(path, *wrong, len(header), separator)
    grid = builder.build()
    if len(text) > CELL_LIMIT:  # else no cell can be longer
        found = grid.first_long(CELL_LIMIT)
        if found is not None:
            row, column, length = found
            raise cell_too_long(path, row + 1, _column_name([header], column), length, LONG_CELL_HINT)
    return grid


#: How much of a CSV file :func:`read_csv_header` reads: a header row is a few KB, even of 40 long questions.
_HEADER_BYTES = 1 << 20


def read_csv_header(path: Path) -> list[str]:
    """The first row of a CSV file, read from its first megabyte only, to recognise which tool wrote it.

    Returns
    -------
    list of str
        The text of each cell of row 1 (its first line, trimmed); empty when the start of the file cannot be read
        as CSV text, which the reader that reads the whole file then names.
    """
    with path.open("rb") as handle:
        raw = handle.read(_HEADER_BYTES)
    if len(raw) == _HEADER_BYTES and b"\n" in raw:
        raw = raw[: raw.rindex(b"\n")]  # never a character cut in two: no UTF-8 sequence holds a newline byte
    try:
        separator, text = _separated(_decode(path, raw))
    except DataError:
        return []
    return [header_text(cell) for cell in first_record(text, separator)]
