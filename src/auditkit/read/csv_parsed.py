"""A CSV file's records read by pandas' C parser, and held as columns, exactly as the careful reader reads them.

:func:`read_csv_columns` gives the :class:`~auditkit.read.grid.Grid` that
:func:`auditkit.read.csv_files.read_csv_grid` gives (the same records, cell for cell, and the same errors), for
any CSV: quoted cells over several lines, a header of two-line headings, survey tools' exports. pandas' C parser
reads each column straight into a categorical (each distinct answer once), many times quicker than the csv module.
Where the two parsers could disagree, the csv module decides: a file with a NUL character, a lone carriage return,
a record longer than the header, quoted text left open, or a cell longer than Excel allows is read by the careful
reader, which names the problem; so is one with a row shorter than the header that is not blank (found by
:func:`auditkit.read.csv_widths.first_short_row`). A blank row shorter than the header keeps its own cells, counted
by the csv module from the record's text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.read.cells import CELL_LIMIT
from auditkit.read.csv_files import PREFIX, csv_text, first_record, grid_from_text, sniff_separator
from auditkit.read.csv_widths import first_short_row, lone_return, record_spans
from auditkit.read.grid import Grid

__all__ = ["C_PARSER_OPTIONS", "encode_texts", "is_utf8", "read_csv_columns", "read_quietly"]

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
_CHECKED_BLOCK = 16 << 20


def is_utf8(raw: bytes | memoryview) -> bool:
    """Whether the bytes are UTF-8 throughout, checked a block at a time (no copy of the whole text).

    Returns
    -------
    bool
        True when every byte decodes as UTF-8.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(raw), _CHECKED_BLOCK):
            decoder.decode(raw[start : start + _CHECKED_BLOCK], final=start + _CHECKED_BLOCK >= len(raw))
    except UnicodeDecodeError:
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
    gives, read by pandas' C parser where it reads the file as the csv module does.

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
        return grid_from_text(path, separator, data.decode("utf-8"))
    return grid


def _utf8_data(path: Path) -> tuple[str, bytes] | None:
    """The separator and the bytes (after a byte order mark and Excel's hint line) of a file that is UTF-8 throughout
    and whose text :func:`~auditkit.read.csv_files.csv_text` would give unchanged: that text's UTF-8, without decoding
    the whole file and encoding it again. None for any other file (the careful reader's decoding then decides).
    """
    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        return None
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.isascii() and not is_utf8(raw):
        return None
    end = raw.find(b"\n")
    first_line = (raw if end < 0 else raw[:end]).decode("utf-8").strip()
    if re.fullmatch(r"sep=.", first_line):
        separator, raw = first_line[-1], b"" if end < 0 else raw[end + 1 :]
    else:
        head = raw if len(raw) <= _HEAD_BYTES else raw[: raw.rfind(b"\n", 0, _HEAD_BYTES) + 1]
        text = head.decode("utf-8")
        if len(head) < len(raw) and not all(_two_records(text[:PREFIX], separator) for separator in ",;\t"):
            return None  # the header may run past the head: the whole text decides the separator
        separator = sniff_separator(text)
    if not raw or raw[:1] in b"\r\n" or raw.startswith(b"\xef\xbb\xbf"):
        return None
    return separator, raw


#: How much of a file :func:`_utf8_data` decodes to find its separator: at least :data:`PREFIX` characters.
_HEAD_BYTES = 4 * PREFIX


def _two_records(text: str, separator: str) -> bool:
    """Whether the csv module finds two records in ``text`` (the first of which is then the whole text's first)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        return next(reader, None) is not None and next(reader, None) is not None
    except csv.Error:
        return False


def _read(data: bytes, separator: str, **options) -> pd.DataFrame:
    """pandas' C parser's reading of ``data``: every record a row (the header too), no cell taken for missing."""
    return read_quietly(io.BytesIO(data), separator, **options)


def encode_texts(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column of text's codes, its distinct values (Python text), each distinct value once, and each row's UTF-8
    bytes.

    The values are found by Arrow, unless the column's first rows are mostly distinct (an id), which Python's hashed
    text finds quicker.

    Returns
    -------
    codes : numpy.ndarray
        Each row's position in ``values``.
    values : numpy.ndarray
        The distinct texts, as Python objects.
    sizes : numpy.ndarray
        Each row's length in bytes, in UTF-8.
    """
    array = pa.array(column.array) if column.dtype == "string[pyarrow]" else pa.array(column.to_numpy(dtype=object))
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    sizes = pc.binary_length(array).to_numpy(zero_copy_only=False)
    sample = array[:_SAMPLE]
    if len(sample) < _SAMPLE or pc.count_distinct(sample).as_py() < _SAMPLE // 2:
        encoded = pc.dictionary_encode(array)
        values = np.empty(len(encoded.dictionary), dtype=object)
        values[:] = encoded.dictionary.to_pylist()
        return encoded.indices.to_numpy(zero_copy_only=False), values, sizes
    ordered = _ordered(array)
    if ordered is not None:
        return (*ordered, sizes)
    codes, uniques = pd.factorize(array.to_numpy(zero_copy_only=False), use_na_sentinel=False)
    return (*_in_order(codes, np.asarray(uniques, dtype=object)), sizes)


def _ordered(array: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """The codes and values of a column whose values after the first (the header's) are in order, each greater than
    the one before (ids numbered in turn), as :func:`_in_order` gives them; told by Arrow, without hashing the values.
    None for any other column."""
    rest = array.slice(1)
    if len(rest) < 2 or array.null_count or not pc.all(pc.greater(rest.slice(1), rest.slice(0, len(rest) - 1))).as_py():
        return None
    values = rest.to_numpy(zero_copy_only=False)
    header = array[0].as_py()
    at = int(np.searchsorted(values, header))
    if at < len(values) and values[at] == header:  # the header is one of the values
        return np.concatenate([[at], np.arange(len(values))]), values
    codes = np.concatenate([[at], np.arange(at), np.arange(at + 1, len(values) + 1)])
    return codes, np.concatenate([values[:at], np.array([header], dtype=object), values[at:]])


def _in_order(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The codes and values with the first value (the header's) moved among the others when they are in order (ids
    numbered in turn): pandas then knows a long list of categories distinct from its order, without hashing it."""
    rest = values[1:]
    if len(rest) < 2 or not (rest[1:] > rest[:-1]).all():
        return codes, values
    at = int(np.searchsorted(rest, values[0]))
    where = np.empty(len(values), dtype=np.int64)  # each value's old position → its new one: the first goes to at
    where[0], where[1:] = at, np.concatenate([np.arange(at), np.arange(at + 1, len(values))])
    return where[codes], np.concatenate([rest[:at], values[:1], rest[at:]])


#: How many of a column's first values :func:`encode_texts` looks at to judge whether it is an id.
_SAMPLE = 4096


def _parsed(data: bytes, separator: str) -> Grid | None:
    """The grid of pandas' reading of ``data``, or None when the careful reader must read it.

    Each column is read as Arrow text (the parser's quickest path; the header row, text, keeps the column text) and
    its distinct values found by Arrow; a column read as numbers (its header a number too) is read again as text.
    """
    try:
        frame = _read(data, separator, dtype_backend="pyarrow")
        numbers = [column for column in frame.columns if frame[column].dtype != "string[pyarrow]"]
        if numbers:
            texts = _read(data, separator, dtype=object, usecols=numbers)
            frame = pd.concat([frame[column] if column not in numbers else texts[column] for column in frame], axis=1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return None  # a record longer than the header, quoted text left open: the careful reader names it
    codes, values, row_bytes = [], [], np.zeros(len(frame), dtype=np.int64)
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow lets go of the interpreter while it hashes a column
        for column, uniques, sizes in pool.map(encode_texts, [frame[column] for column in frame.columns]):
            codes.append(column)
            values.append(uniques)
            row_bytes += sizes
    del frame
    if max(max(map(len, uniques), default=0) for uniques in values) > CELL_LIMIT:
        return None  # the careful reader names the first such cell, or where the csv module stops
    texts = [
        pd.Categorical.from_codes(column, categories=pd.Index(uniques, dtype=object), validate=False)
        for column, uniques in zip(codes, values)
    ]
    frame = pd.DataFrame(dict(enumerate(texts)), copy=False)
    if first_short_row(data, [(0, len(data))], frame, separator, row_bytes) is not None:
        return None  # a row too short, or records the parsers may split differently
    lengths = _blank_row_lengths(data, separator, codes, values)
    if lengths is False:
        return None
    return Grid(codes, values, len(codes[0]), lengths, texts=texts)


def _blank_row_lengths(data: bytes, separator: str, codes: list[np.ndarray], values: list[np.ndarray]):
    """Each row's number of cells when a blank row has fewer than the header (pandas pads it: the csv module counts
    them from its record); None when every row has every cell; False when a record cannot be found."""
    width, length = len(codes), len(codes[0])
    empty = [uniques.tolist().index("") if "" in uniques else -1 for uniques in values]
    if empty[-1] < 0:
        return None  # pandas pads a short row with empty cells, so only a row whose last cell is empty can be one
    rows = np.flatnonzero(codes[-1] == empty[-1])
    for column, uniques in sorted(zip(codes, values), key=lambda pair: len(pair[1])):  # the fewest answers first
        used = np.flatnonzero(np.bincount(column[rows], minlength=len(uniques)))
        blank = np.zeros(len(uniques), dtype=bool)
        blank[used] = [not value.strip() for value in uniques[used]]
        rows = rows[blank[column[rows]]]
    rows = rows[rows > 0]
    if not len(rows):
        return None
    spans = record_spans(data, [(0, len(data))], length, rows)
    if spans is None:
        return False
    lengths = np.full(length, width, dtype=np.int64)
    for row, start, end in zip(rows, *spans):
        record = first_record(data[start:end].decode("utf-8"), separator)
        if len(record) > width or any(cell.strip() for cell in record):
            return False  # not the blank row pandas read there
        lengths[row] = len(record)
    return lengths if (lengths != width).any() else None
