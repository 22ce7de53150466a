"""A CSV file's records read by pyarrow's CSV reader or pandas' C parser, and held as columns, exactly as the careful
reader reads them.

:func:`read_csv_columns` gives the :class:`~auditkit.read.grid.Grid` that
:func:`auditkit.read.csv_files.read_csv_grid` gives (the same records, cell for cell, and the same errors), for
any CSV: quoted cells over several lines, a header of two-line headings, survey tools' exports. pyarrow reads every
column as Arrow text, many times quicker than the csv module, where it reads the file as the csv module does (it
refuses a record of another width than the header's, which pandas pads: such a file is left to pandas' C parser).
Where a parser and the csv module could disagree, the csv module decides: a file with a NUL character, a lone
carriage return, a record longer than the header, quoted text left open, or a cell longer than Excel allows is read
by the careful reader, which names the problem; so is one with a row shorter than the header that is not blank (found by
:func:`auditkit.read.csv_widths.first_short_row`). A blank row shorter than the header keeps its own cells, counted
by the csv module from the record's text.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from auditkit.read.arrow_grid import ArrowGrid, blank_texts
from auditkit.read.cells import CELL_LIMIT
from auditkit.read.csv_arrow import csv_module_parsing, text_conversion
from auditkit.read.csv_files import PREFIX, csv_text, first_record, grid_from_text, sniff_separator
from auditkit.read.csv_widths import every_row_full, first_short_row, lone_return, record_spans
from auditkit.read.grid import Grid

__all__ = ["C_PARSER_OPTIONS", "is_utf8", "number_columns", "read_csv_columns", "read_quietly"]

#: How pandas' C parser reads a CSV here and in :mod:`auditkit.read.quick_csv`: every record a row (the header
#: too), no cell taken for missing, blank lines kept, RFC 4180 quoting, in UTF-8. Read a block of records at a time
#: (``low_memory``), which is twice as quick as all at once; a block whose column reads as numbers makes that
#: column numbers or objects, which the readers notice and read again as text.
C_PARSER_OPTIONS = {
    "header": None,
    "na_filter": False,
    "skip_blank_lines": False,
    "engine": "c",
    "encoding": "utf-8",
    "quoting": csv.QUOTE_MINIMAL,
    "doublequote": True,
    "low_memory": True,
}


def is_utf8(raw: bytes | memoryview | pa.Buffer) -> bool:
    """Whether the bytes are UTF-8 throughout, as Python's strict decoding judges it: checked by Arrow's validation
    of the bytes held as one text (in place, no copy), many times quicker than decoding them.

    Returns
    -------
    bool
        True when every byte decodes as UTF-8.
    """
    bounds = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    try:
        held = raw if isinstance(raw, pa.Buffer) else pa.py_buffer(raw)
        pa.Array.from_buffers(pa.large_string(), 1, [None, bounds, held]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def read_quietly(source, separator: str, **options) -> pd.DataFrame:
    """``pandas.read_csv`` of ``source`` with :data:`C_PARSER_OPTIONS`, without the warning that a column read as
    numbers in one block and text in another (the readers read such a column again, as text).

    Returns
    -------
    pandas.DataFrame
        What pandas read, every record a row.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        return pd.read_csv(source, sep=separator, **C_PARSER_OPTIONS, **options)


def read_csv_columns(path: Path) -> Grid:
    """Every record of a CSV file, as text, held as columns: what :func:`~auditkit.read.csv_files.read_csv_grid`
    gives, read by pyarrow or pandas' C parser where it reads the file as the csv module does.

    Returns
    -------
    Grid
        The records from the first (the header) on; the careful reader's errors for a file it refuses.
    """
    found = _utf8_data(path)
    if found is None:
        separator, text = csv_text(path)
        if not text or text[0] in "\r\n\ufeff" or "\x00" in text:
            return grid_from_text(path, separator, text)
        data = text.encode("utf-8")
        del text  # the file is held once, as the bytes the parser reads
    else:
        separator, data = found
    grid = None if lone_return(data) else _parsed(data, separator)
    if grid is None:
        return grid_from_text(path, separator, _bytes(data).decode("utf-8"))
    return grid


def _utf8_data(path: Path) -> tuple[str, bytes | pa.Buffer] | None:
    """The separator and the bytes (after a byte order mark and Excel's hint line) of a file that is UTF-8 throughout
    and whose text :func:`~auditkit.read.csv_files.csv_text` would give unchanged: that text's UTF-8, without decoding
    the whole file and encoding it again. None for any other file (the careful reader's decoding then decides).
    """
    head, raw = _file_bytes(path)
    if head.startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) or _has_nul(raw) or not is_utf8(raw):
        return None
    start = _start(raw, _HEAD_BYTES)
    end = start.find(b"\n")
    if end < 0 and len(start) < len(raw):
        return None  # a first line longer than the head: the careful reader's decoding decides
    first_line = (start if end < 0 else start[:end]).decode("utf-8").strip()
    if re.fullmatch(r"sep=.", first_line):
        separator, raw = first_line[-1], _after(raw, len(raw) if end < 0 else end + 1)
    else:
        head = start if len(raw) <= _HEAD_BYTES else start[: start.rfind(b"\n") + 1]
        text = head.decode("utf-8")
        if len(head) < len(raw) and not all(_two_records(text[:PREFIX], separator) for separator in ",;\t"):
            return None  # the header may run past the head: the whole text decides the separator
        separator = sniff_separator(text)
    first = _start(raw, 3)
    if not first or first[:1] in b"\r\n" or first == b"\xef\xbb\xbf":
        return None
    return separator, raw


def _file_bytes(path: Path) -> tuple[bytes, bytes | pa.Buffer]:
    """The file's first four bytes, and its bytes after a byte order mark, read once (not copied to drop the mark).

    A file up to :data:`_THREADED_BYTES` is read by Arrow, whose memory comes quicker than Python's (6 ms for 20 MB,
    against 12); a larger one as Python bytes, let go as soon as it is read (Arrow's pool keeps its memory a while,
    and the careful reader, when it reads the file, decodes those bytes without a copy).
    """
    if path.stat().st_size <= _THREADED_BYTES:
        with pa.OSFile(str(path)) as handle:
            whole = handle.read_buffer()
        head = _start(whole, 4)
        return head, whole.slice(3) if head.startswith(b"\xef\xbb\xbf") else whole
    with path.open("rb", buffering=0) as handle:
        head = handle.read(4)
        handle.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        return head, handle.readall()


def _start(data: bytes | pa.Buffer, size: int) -> bytes:
    """The first ``size`` bytes (fewer in shorter data), as Python bytes."""
    return bytes(memoryview(data)[:size])


def _after(data: bytes | pa.Buffer, start: int) -> bytes | pa.Buffer:
    """The bytes from ``start`` on (a view of an Arrow buffer)."""
    return data[start:] if isinstance(data, bytes) else data.slice(min(start, data.size))


def _has_nul(data: bytes | pa.Buffer) -> bool:
    """Whether the bytes hold a NUL (their least byte is 0, found without a copy)."""
    return bool(len(data)) and int(np.frombuffer(data, dtype=np.uint8).min()) == 0


def _bytes(data: bytes | pa.Buffer) -> bytes:
    """The bytes read as Python bytes (copied from an Arrow buffer), for the readers that want them."""
    return data if isinstance(data, bytes) else data.to_pybytes()


#: How much of a file :func:`_utf8_data` decodes to find its separator: at least :data:`PREFIX` characters.
_HEAD_BYTES = 4 * PREFIX


def _two_records(text: str, separator: str) -> bool:
    """Whether the csv module finds two records in ``text`` (the first of which is then the whole text's first)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        return next(reader, None) is not None and next(reader, None) is not None
    except csv.Error:
        return False


def number_columns(source, separator: str) -> list[int]:
    """The columns whose first records under the header pandas reads as numbers (blank cells aside): read as text
    (Python objects) from the start, not read again as text once read as numbers (a response number).

    Returns
    -------
    list of int
        The columns' positions; none when the first records cannot be read.
    """
    options = {**C_PARSER_OPTIONS, "na_filter": True, "keep_default_na": False, "na_values": [""]}  # blanks aside
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            sample = pd.read_csv(source, sep=separator, **options, skiprows=1, nrows=_SAMPLE_ROWS)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return []
    return [column for column in sample.columns if pd.api.types.is_numeric_dtype(sample[column].dtype)]


#: How many records :func:`number_columns` reads.
_SAMPLE_ROWS = 1000


def _read(data: bytes, separator: str, **options) -> pd.DataFrame:
    """pandas' C parser's reading of ``data``: every record a row (the header too), no cell taken for missing."""
    return read_quietly(io.BytesIO(data), separator, **options)


def _parsed(data: bytes | pa.Buffer, separator: str) -> ArrowGrid | None:
    """The grid of ``data`` read by pyarrow's CSV reader where it reads the file as the csv module does, else by
    pandas' C parser; None when the careful reader must read it."""
    grid = _arrow_parsed(data, separator)
    return grid if grid is not None else _pandas_parsed(_bytes(data), separator)


#: Past this many bytes pyarrow parses a file on the machine's cores; a smaller file is parsed quicker on one (the
#: first threaded read starts Arrow's threads: 15-20 ms, as long as reading 20 MB). Up to it, Arrow reads the file.
_THREADED_BYTES = 64 << 20
#: How many bytes of a file's start bound its header's cells (a header row is a few KB, even of 40 long questions).
_HEADER_BYTES = 1 << 16


def _arrow_parsed(data: bytes | pa.Buffer, separator: str) -> ArrowGrid | None:
    """The grid of pyarrow's CSV reading of ``data`` (UTF-8, checked already): every column text, quicker than
    pandas' C parser; None when pyarrow refuses the file (a record longer or shorter than the header, quoted text
    left open, a record past its block) or anything is in doubt (then pandas' C parser and the careful reader
    decide, as they would without it, and name the problem as they would).

    pyarrow reads quotes as the csv module does (a quote inside an unquoted cell is text, text after a closing
    quote joins the cell) and refuses a record with fewer cells than the first, save a blank line, which it pads
    with empty cells as pandas does: such rows are counted from their records (:func:`_blank_row_lengths`).
    """
    if len(separator) != 1 or not separator.isascii():
        return None
    # a name for each separator in the first 64 KB, at least the header's cells when it ends there: each column is
    # read as text; a header longer leaves its last columns inferred, and one inferred as anything but text is refused
    view = memoryview(data).cast("B")  # bytes compared as bytes (an Arrow buffer's view holds signed chars)
    names = [f"f{index}" for index in range(bytes(view[:_HEADER_BYTES]).count(separator.encode()) + 1)]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, use_threads=len(data) > _THREADED_BYTES),
            parse_options=csv_module_parsing(separator, newlines_in_values=True),
            convert_options=text_conversion(dict.fromkeys(names, pa.string())),
        )
    except (pa.ArrowException, ValueError):
        return None
    if not table.num_columns or any(column.type != pa.string() or column.null_count for column in table.columns):
        return None
    columns = list(table.columns)
    del table
    last = columns[-1][-1].as_py() if len(columns[0]) else ""
    tail = b'"' + last.replace('"', '""').encode()
    if len(tail) <= len(view) and view[len(view) - len(tail) :] == tail:
        return None  # perhaps quoted text left open, which pyarrow ends at the end of the file: the csv module's
    if _longest(columns) > CELL_LIMIT:
        return None
    if not len(_empty_rows(columns)):
        return ArrowGrid(columns)  # no blank line: every row every cell
    lengths = _blank_row_lengths(_bytes(data), separator, columns)
    return None if lengths is False else ArrowGrid(columns, lengths)


def _empty_rows(columns: list[pa.ChunkedArray]) -> np.ndarray:
    """The rows after the header every cell of which is empty: those of them that pyarrow padded (a blank line, whose
    record has no cell) are among them; a row of blank cells it read in full is as long as the header."""
    rows = np.flatnonzero(pc.equal(pc.binary_length(columns[0]), 0).to_numpy(zero_copy_only=False))
    for column in columns[1:]:
        if not len(rows):
            break
        rows = rows[pc.equal(pc.binary_length(column.take(rows)), 0).to_numpy(zero_copy_only=False)]
    return rows[rows > 0]


def _pandas_parsed(data: bytes, separator: str) -> ArrowGrid | None:
    """The grid of pandas' reading of ``data``, or None when the careful reader must read it.

    Each column is read as Arrow text (the parser's quickest path; the header row, text, keeps the column text); a
    column read as numbers (its header a number too, or a block of numbers) is read again as text. The grid encodes
    a column when it is first read (:class:`~auditkit.read.arrow_grid.ArrowGrid`).
    """
    try:
        hinted = number_columns(io.BytesIO(data), separator)
        frame = _read(data, separator, dtype_backend="pyarrow", dtype=dict.fromkeys(hinted, object))
        numbers = [column for column in frame.columns if frame[column].dtype != "string[pyarrow]"]
        numbers = [column for column in numbers if column not in hinted]
        if numbers:
            texts = _read(data, separator, dtype=object, usecols=numbers)
            frame = pd.concat([frame[column] if column not in numbers else texts[column] for column in frame], axis=1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return None  # a record longer than the header, quoted text left open: the careful reader names it
    columns = [_arrow_text(frame[column]) for column in frame.columns]
    if _longest(columns) > CELL_LIMIT:
        return None  # the careful reader names the first such cell, or where the csv module stops
    row_bytes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        row_bytes += pc.binary_length(column).to_numpy(zero_copy_only=False)
    if every_row_full(data, columns, row_bytes):
        return ArrowGrid(columns)
    if first_short_row(data, [(0, len(data))], frame, separator, row_bytes) is not None:
        return None  # a row too short, or records the parsers may split differently
    del frame, row_bytes
    lengths = _blank_row_lengths(data, separator, columns)
    if lengths is False:
        return None
    return ArrowGrid(columns, lengths)


def _longest(columns: list[pa.ChunkedArray]) -> int:
    """The longest cell of ``columns`` as far as :data:`CELL_LIMIT` tells: its UTF-8 bytes while no cell has more
    bytes than the limit (nor, then, more characters), else its characters (counted only then)."""
    longest = 0
    for column in columns:
        size = pc.max(pc.binary_length(column)).as_py() or 0
        longest = max(longest, size if size <= CELL_LIMIT else pc.max(pc.utf8_length(column)).as_py() or 0)
    return longest


def _arrow_text(column: pd.Series) -> pa.ChunkedArray:
    """A column pandas read (Arrow text, or Python text read again) as Arrow text, in the blocks it was read in."""
    held = column.array.__arrow_array__() if column.dtype == "string[pyarrow]" else column.to_numpy(dtype=object)
    held = held if isinstance(held, (pa.Array, pa.ChunkedArray)) else pa.array(held, type=pa.string())
    return held if isinstance(held, pa.ChunkedArray) else pa.chunked_array([held])


def _blank_row_lengths(data: bytes, separator: str, columns: list[pa.ChunkedArray]):
    """Each row's number of cells when a blank row has fewer than the header (pandas pads it: the csv module counts
    them from its record); None when every row has every cell; False when a record cannot be found."""
    width, length = len(columns), len(columns[0])
    # pandas pads a short row with empty cells, so only a row whose last cell is empty can be one
    rows = np.flatnonzero(pc.equal(columns[-1], "").to_numpy(zero_copy_only=False))
    for column in columns:
        if not len(rows):
            break
        rows = rows[blank_texts(column.take(rows))]
    rows = rows[rows > 0]
    if not len(rows):
        return None
    spans = record_spans(data, [(0, len(data))], length, rows)
    if spans is None:
        return False
    *offsets, certain = spans
    lengths = np.full(length, width, dtype=np.int64)
    for row, start, end in zip(rows, *offsets):
        record = first_record(data[start:end].decode("utf-8"), separator)
        if len(record) > width or any(cell.strip() for cell in record):
            return False  # not the blank row pandas read there
        if len(record) < width and not certain:
            return False  # records told by counting quotes (record_spans): a short blank row's cells are not sure
        lengths[row] = len(record)
    return lengths if (lengths != width).any() else None
