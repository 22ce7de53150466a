"""The quick path for large plain CSV files: Arrow's CSV reader (or pandas' C parser), answers read as categoricals.

:func:`read_csv_quickly` reads a plain CSV (the shape a survey tool, a database export or Excel
writes: UTF-8 or Windows-1252, every cell quoted or none), mapped into memory rather than copied, in
one pass of Arrow's CSV reader, which parses blocks of the file on every core and encodes the answers
as it reads them (:mod:`auditkit.read.csv_arrow`). A file that reader refuses (a row shorter or longer
than the header, above all) is read in one pass of pandas' C parser, its answers then encoded two
columns at a time, and a short row named as the careful reader names it. For anything unusual it
returns None and :func:`auditkit.read.tables.read_table` reads the file as before, so every file
gives the same table, and every error the same message, whichever path reads it
(``tests/read/test_quick_csv.py`` checks this on hundreds of random files).
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.errors import DataError
from auditkit.read.arrow_grid import ASCII_SPACE, encode_texts
from auditkit.read.cells import CELL_LIMIT, cell_too_long, header_text
from auditkit.read.csv_arrow import arrow_text, code_type, read_arrow_columns
from auditkit.read.csv_files import LONG_CELL_HINT, first_record, row_width_error, sniff_separator
from auditkit.read.csv_parsed import C_PARSER_OPTIONS, is_utf8
from auditkit.read.csv_widths import UNMATCHED, first_short_row, lone_return
from auditkit.read.tables import ROW, TOTALS_WORDS

__all__ = ["TRIMMED", "read_csv_quickly"]

_CHECKED_BLOCK = 16 << 20


def _utf8_from_windows_1252(raw: bytes) -> bytes | None:
    """A file that is not UTF-8 (Excel's "CSV (Comma delimited)") as the careful reader decodes it, in UTF-8.

    None when that reader would not read it as Windows-1252: when some of it may be UTF-8 (a lead
    byte followed by a continuation byte: the careful reader then names the cell that mixes two
    encodings) or when a byte has no Windows-1252 meaning. Converted a block at a time (one byte
    is one character), so the whole text is never held as a Python string.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    for start in range(0, len(data), _CHECKED_BLOCK):
        block = data[start : start + _CHECKED_BLOCK + 1]
        leads = np.flatnonzero((block[:-1] >= 0xC2) & (block[:-1] <= 0xF4))
        if ((block[leads + 1] >= 0x80) & (block[leads + 1] <= 0xBF)).any():
            return None
    try:
        return b"".join(
            raw[start : start + _CHECKED_BLOCK].decode("cp1252").encode("utf-8")
            for start in range(0, len(raw), _CHECKED_BLOCK)
        )
    except UnicodeDecodeError:
        return None


def _parse_plain(raw: bytes, separator: str, dtypes: dict[int, str], width: int) -> list | None:
    """The columns of a CSV (its first row the header) as pandas' C parser reads them; None if a row is too long.

    Read as Arrow text (the parser's quickest path: the header row keeps every column text), then made categoricals
    (their distinct values found by Arrow, two columns at a time) or left Arrow text as ``dtypes`` says; None when a
    column reads as numbers.
    """
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=separator, **C_PARSER_OPTIONS, dtype_backend="pyarrow")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    if frame.shape[1] != width or any(dtype != "string[pyarrow]" for dtype in frame.dtypes):
        return None
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow lets go of the interpreter while it encodes a column
        return list(pool.map(_typed, [frame[index] for index in frame.columns], [dtypes[i] for i in frame.columns]))


def _typed(column: pd.Series, dtype: object) -> pd.Categorical | pd.api.extensions.ExtensionArray:
    """A column of Arrow text as a categorical (``dtype`` "category") or as it is (made Python text at the end)."""
    if dtype != "category":
        return column.array
    codes, values = encode_texts(column)
    return pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype=object), validate=False)


def _without_header(column: pd.Categorical | pd.api.extensions.ExtensionArray) -> pd.Series:
    """One parsed column, its header row left out.

    Answers keep the categories as found, less the column's own name when no answer is that text (the header row is
    read as a value), so every category is one some row gave.
    """
    if not isinstance(column, pd.Categorical):
        return arrow_text(_arrow(column).slice(1))
    categories, header, codes = column.categories, column.codes[0], column.codes[1:]
    if not np.bincount(codes, minlength=len(categories))[header]:
        codes = codes - (codes > header).astype(codes.dtype)
        categories = categories.delete(header)
    categorical = pd.Categorical.from_codes(
        codes.astype(code_type(len(categories)), copy=False), categories=categories, validate=False
    )
    return pd.Series(categorical, copy=False)


def _arrow(texts: pd.api.extensions.ExtensionArray) -> pa.ChunkedArray:
    """The Arrow text a pandas array of Arrow text holds (no copy)."""
    held = texts.__arrow_array__()
    return held if isinstance(held, pa.ChunkedArray) else pa.chunked_array([held])


#: ``DataFrame.attrs`` key: the text columns whose every value is already trimmed and not blank.
TRIMMED = "auditkit_trimmed"


def _blank_and_totals(column: pd.Series, longest: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """For each row: is the cell blank, and is it a totals label ("Total", "Grand total:" and so on);
    and whether every value is already trimmed and not blank. ``longest``: the longest value's length."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, values = column.cat.codes.to_numpy(), [str(value) for value in column.cat.categories]
        blank = np.fromiter((not value.strip() for value in values), dtype=bool, count=len(values))
        totals = np.fromiter((_is_totals_word(value) for value in values), dtype=bool, count=len(values))
        return blank[codes], totals[codes], False
    if column.dtype == "string[pyarrow]":
        found = _trimmed_ascii_blank_and_totals(_arrow(column.array))
        if found is not None:
            return found
        if pc.all(pc.string_is_ascii(_arrow(column.array))).as_py():
            return _ascii_blank_and_totals(column)
    values = column.to_numpy(dtype=object)
    if len(values) * longest > _WIDEST_TEXT:  # numpy's text arrays give every value the longest one's width
        stripped = [value.strip() for value in values]
        blank = np.fromiter((not value for value in stripped), dtype=bool, count=len(values))
        trimmed = not blank.any() and all(map(str.__eq__, stripped, values))
        totals = np.fromiter((len(value) < 20 and _is_totals_word(value) for value in stripped), bool, len(values))
        return blank, totals, trimmed
    text = values.astype(str)
    stripped = np.strings.strip(text)  # as str.strip does; the file holds no NUL character
    blank = np.strings.str_len(stripped) == 0
    trimmed = not blank.any() and bool((stripped == text).all())
    # Only a cell whose first letter may start a totals label needs the full test: a letter that
    # begins one of them, in either case (setting bit 0x20 lowers an ASCII capital), or any non-ASCII letter.
    first = stripped.astype("U1").view(np.uint32)
    maybe = np.isin(first | 0x20, _TOTALS_FIRST_LETTERS) | (first > 0x7F)
    totals = np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(maybe)
    totals[rows] = [_is_totals_word(text) for text in values[rows]]
    return blank, totals, trimmed


def _ascii_blank_and_totals(column: pd.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """:func:`_blank_and_totals` of a column of Arrow text that is ASCII throughout, by Arrow's functions."""
    texts = _arrow(column.array)
    stripped = pc.ascii_trim(texts, characters=ASCII_SPACE)
    blank = pc.equal(pc.binary_length(stripped), 0).to_numpy(zero_copy_only=False)
    trimmed = not blank.any() and pc.all(pc.equal(stripped, texts)).as_py()
    first = pc.ascii_lower(pc.utf8_slice_codeunits(stripped, 0, 1))
    rows = np.flatnonzero(pc.is_in(first, value_set=_TOTALS_FIRST).to_numpy(zero_copy_only=False))
    totals = np.zeros(len(texts), dtype=bool)
    totals[rows] = [_is_totals_word(text) for text in texts.take(rows).to_pylist()]
    return blank, totals, bool(trimmed)


def _trimmed_ascii_blank_and_totals(texts: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """:func:`_blank_and_totals` of Arrow text that is ASCII throughout, no value starting or ending with a space,
    told from each value's length and its first and last bytes (read from the buffers Arrow holds the text in, without
    a copy of each value); None for any other text.

    Such a value is blank only when empty, and a totals label only when it starts with a letter some label starts
    with and ends with one some label ends with (or a colon): only those few values are read as Python text."""
    blank, maybe = [], []
    for chunk in texts.chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return None
        _, offsets, data = chunk.buffers()
        width = 8 if pa.types.is_large_string(chunk.type) else 4
        bounds = np.frombuffer(offsets, dtype=f"<i{width}", count=len(chunk) + 1, offset=chunk.offset * width)
        held = np.frombuffer(data, dtype=np.uint8) if data is not None and len(data) else np.zeros(1, np.uint8)
        if held[bounds[0] : bounds[-1]].max(initial=0) > 0x7F:
            return None
        filled = bounds[1:] > bounds[:-1]
        first, last = held[np.minimum(bounds[:-1], len(held) - 1)], held[np.maximum(bounds[1:] - 1, 0)]
        if (filled & (_SPACE_BYTES[first] | _SPACE_BYTES[last])).any():
            return None
        blank.append(~filled)
        maybe.append(filled & _FIRST_BYTES[first] & _LAST_BYTES[last])
    blank = np.concatenate(blank) if blank else np.zeros(0, dtype=bool)
    rows = np.flatnonzero(np.concatenate(maybe)) if maybe else np.zeros(0, dtype=np.int64)
    totals = np.zeros(len(blank), dtype=bool)
    totals[rows] = [_is_totals_word(text) for text in texts.take(rows).to_pylist()]
    return blank, totals, not blank.any()


def _byte_set(characters: str) -> np.ndarray:
    """For each byte, whether it is one of ``characters`` (ASCII), in either case."""
    found = np.zeros(256, dtype=bool)
    found[[ord(character) for character in characters + characters.upper()]] = True
    return found


_SPACE_BYTES = _byte_set(ASCII_SPACE)
_FIRST_BYTES = _byte_set("".join(word[0] for word in TOTALS_WORDS))
_LAST_BYTES = _byte_set("".join(word[-1] for word in TOTALS_WORDS) + ":")
_TOTALS_FIRST = pa.array(sorted({word[0] for word in TOTALS_WORDS}))
#: Past this many characters in a column (its length times its longest value's), it is not made a numpy text array.
_WIDEST_TEXT = 1 << 26
_TOTALS_FIRST_LETTERS = np.array(sorted({ord(word[0]) for word in TOTALS_WORDS}), dtype=np.uint32)


def _is_totals_word(text: str) -> bool:
    return text.strip().rstrip(":").strip().casefold() in TOTALS_WORDS


def read_csv_quickly(path: str | Path, text_columns: frozenset[str] = frozenset()) -> pd.DataFrame | None:
    """The table :func:`read_table` gives for a plain CSV file, read by Arrow's CSV reader or pandas' C parser.

    Columns named in ``text_columns`` hold text; the others are categoricals (answers repeat, so
    each distinct value is stored once and checked once). The file needs the careful reader when it
    is neither UTF-8 nor Windows-1252 throughout, or has an Excel separator line, a header cell over
    several lines or a blank name in the header, a line ending in a lone carriage return, a row
    longer than the header, quoted text left open at the end, a totals row, or a cell longer than
    the csv module reads. That reader then gives the same table, or names the problem. A row shorter
    than the header (and not blank) and a cell longer than Excel allows are refused here, in the
    careful reader's words.

    Returns
    -------
    pandas.DataFrame or None
        A column per header name, blank rows dropped, indexed by the rows' numbers as Excel shows them;
        ``attrs[TRIMMED]`` names the text columns already trimmed. None when the file needs the careful reader.
    """
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file() or _header_needs_care(path):
        return None
    raw = _mapped(path)
    if raw is None or raw[:4].startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return None
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
        if not raw.isascii() and not is_utf8(raw):
            return None  # UTF-8 by its mark, yet not throughout: the careful reader names the cell
    elif not _is_ascii(raw) and not is_utf8(raw):
        raw = _utf8_from_windows_1252(raw)
        if raw is None:
            return None
    end = raw.find(b"\n")
    if end < 0 or raw.find(b"\x00") >= 0 or (raw.find(b"\r") >= 0 and lone_return(raw)):
        return None
    header_line = raw[:end].removesuffix(b"\r").decode("utf-8")
    if header_line.count('"') % 2 or re.fullmatch(r"sep=.", header_line.strip()):
        return None  # a header cell over several lines, or Excel's separator line
    separator = sniff_separator(header_line)
    cells = first_record(header_line, separator)
    names = [header_text(cell) for cell in cells]
    if not all(names):
        return None
    dtypes = {index: object if name in text_columns else "category" for index, name in enumerate(names)}
    answers = [dtypes[index] == "category" for index in range(len(dtypes))]
    found = read_arrow_columns(raw, separator, answers, cells)  # every row as wide as the header: none is short
    found = (found, []) if found is not None else _pandas_columns(bytes(raw), separator, dtypes)
    del raw
    if found is None:
        return None
    columns, shorts = found
    longest = [_longest(column) for column in columns]
    if max(map(len, cells)) > csv.field_size_limit() or max(longest) > csv.field_size_limit():
        return None  # the careful reader names the cell where the csv module stops
    if shorts:
        raise row_width_error(path, *shorts[0], len(names), separator)
    if max(longest) > CELL_LIMIT or max(map(len, cells)) > CELL_LIMIT:
        raise _first_long_cell(path, names, cells, columns)
    return _plain_table(path, names, columns, longest)


def _pandas_columns(raw: bytes, separator: str, dtypes: dict[int, object]):
    """The columns under the header as pandas' C parser reads them, and the first row too short (its number as Excel
    shows it, and its cells), if any; None when the careful reader must read the file."""
    with warnings.catch_warnings():  # a column read as numbers leaves the quick path
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        parsed = _parse_plain(raw, separator, dtypes, len(dtypes))
    if parsed is None:
        return None
    short = first_short_row(raw, [(0, len(raw))], pd.DataFrame(dict(enumerate(parsed)), copy=False), separator)
    if short is UNMATCHED:
        return None
    shorts = [(short.position + 1, short.cells)] if short else []  # the header is row 1
    return [_without_header(column) for column in parsed], shorts


#: From this many bytes on, a CSV is mapped into memory rather than copied into it (0.08 s of a 143 MB file's 0.5 s).
_MAPPED_BYTES = 64 << 20


def _mapped(path: Path) -> bytes | mmap.mmap | None:
    """The file's bytes: a large file's mapped into memory, read only (the checks read them where the system holds them,
    and Arrow's reader parses them in place, with no copy of the whole file); a smaller one's read. None for an empty
    file. Only a file of :data:`_MAPPED_BYTES` or more is mapped: a mapped file cut short by another program while it
    is read ends the process, as it would any program reading a mapped file, and a file someone may be saving again
    while ``auditkit preview`` reads it (a round's own data, a few MB) is never mapped.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if not size:
            return None
        if size < _MAPPED_BYTES:
            return handle.read()
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _is_ascii(raw: bytes | mmap.mmap) -> bool:
    """Whether every byte is ASCII, checked a block at a time."""
    data = np.frombuffer(raw, dtype=np.uint8)
    return all(data[start : start + _CHECKED_BLOCK].max() < 0x80 for start in range(0, len(data), _CHECKED_BLOCK))


def _header_needs_care(path: Path) -> bool:
    """Whether the first line, read alone, shows what the whole file's checks below would find: a header cell over
    several lines (an odd number of quotes) or Excel's separator line; so that such a file is not read twice."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if b"\n" not in head:
        return False
    line = head[: head.index(b"\n")].removeprefix(b"\xef\xbb\xbf")
    return line.count(b'"') % 2 == 1 or re.fullmatch(rb"sep=.", line.strip()) is not None


def _longest(column: pd.Series) -> int:
    """The length of a column's longest value."""
    if column.dtype == "string[pyarrow]":
        return pc.max(pc.utf8_length(_arrow(column.array))).as_py() or 0  # characters, as ``len`` counts them
    values = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy(dtype=object)
    return max(map(len, values), default=0)


def _first_long_cell(path: Path, names: list[str], header: list[str], columns: list[pd.Series]) -> DataError:
    """The error for the first cell (by row, then column) longer than Excel allows."""
    found = [(1, index, len(cell)) for index, cell in enumerate(header) if len(cell) > CELL_LIMIT]
    for index, column in enumerate(columns):
        if isinstance(column.dtype, pd.CategoricalDtype):
            long = np.fromiter(map(len, column.cat.categories), np.int64, len(column.cat.categories)) > CELL_LIMIT
            rows = np.flatnonzero(np.append(long, False)[column.cat.codes.to_numpy()])
        else:
            rows = np.flatnonzero(np.fromiter(map(len, column.to_numpy(dtype=object)), np.int64) > CELL_LIMIT)
        if len(rows):
            found.append((int(rows[0]) + 2, index, len(column.iloc[rows[0]])))
    row, index, length = min(found)
    return cell_too_long(path, row, names[index], length, LONG_CELL_HINT)


def _python_text(column: pd.Series) -> pd.Series:
    """A column of Arrow text as Python text (objects), as the careful reader gives it; a categorical as it is."""
    if column.dtype != "string[pyarrow]":
        return column
    return pd.Series(column.to_numpy(dtype=object), dtype=object, copy=False)


def _plain_table(path: Path, names: list[str], columns: list[pd.Series], longest: list[int]) -> pd.DataFrame | None:
    """Blank rows dropped, rows numbered as Excel shows them; None when a row starts with a totals label."""
    length = len(columns[0])
    if not length:
        return None
    blank = np.ones(length, dtype=bool)
    total = np.zeros(length, dtype=bool)
    trimmed = set()
    for name, column, width in zip(names, columns, longest):
        if isinstance(column.dtype, pd.CategoricalDtype) and not blank.any():
            continue  # every row already has a value: this column can make no row blank or a totals row
        is_blank, is_total, clean = _blank_and_totals(column, width)
        total |= blank & ~is_blank & is_total
        blank &= is_blank
        if clean:
            trimmed.add(name)
    if total.any():
        return None
    table = pd.DataFrame({index: _python_text(column) for index, column in enumerate(columns)}, copy=False)
    table.columns = names
    table.index = pd.RangeIndex(2, 2 + length, name=ROW)
    if blank.any():
        table = table.loc[~blank]
    if table.empty:
        return None
    table.attrs[TRIMMED] = frozenset(trimmed)
    return table
