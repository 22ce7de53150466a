"""The quick path for large plain CSV files: pandas' C parser, answers read as categoricals.

:func:`read_csv_quickly` reads a plain CSV (the shape a survey tool, a database export or Excel
writes: UTF-8 or Windows-1252, every cell quoted or none) in two halves on two threads, with
answers as categoricals. For anything unusual it
returns None and :func:`auditkit.read.tables.read_table` reads the file as before, so every file
gives the same table, and every error the same message, whichever path reads it
(``tests/read/test_quick_csv.py`` checks this on hundreds of random files).
"""

from __future__ import annotations

import csv
import functools
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
from auditkit.read.csv_arrow import categorical_from_dictionary, read_arrow_columns
from auditkit.read.csv_files import LONG_CELL_HINT, first_record, row_width_error, sniff_separator
from auditkit.read.csv_parsed import C_PARSER_OPTIONS, is_utf8
from auditkit.read.csv_widths import UNMATCHED, ShortRow, first_short_row, lone_return
from auditkit.read.tables import ROW, TOTALS_WORDS

__all__ = ["TRIMMED", "read_csv_quickly"]

_SPLIT_BYTES = 8 << 20
_CHECKED_BLOCK = 16 << 20
_SPLIT_TRIES = 1000


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


class _Pieces:
    """A binary file made of pieces of bytes in turn, read without first joining (copying) them."""

    def __init__(self, pieces: list[bytes | memoryview]) -> None:
        self._pieces = [memoryview(piece) for piece in pieces if len(piece)]

    def read(self, size: int = -1) -> bytes:
        taken = []
        while self._pieces and size != 0:
            piece = self._pieces[0]
            length = len(piece) if size < 0 else min(size, len(piece))
            taken.append(piece[:length])
            if length == len(piece):
                self._pieces.pop(0)
            else:
                self._pieces[0] = piece[length:]
            size -= length if size > 0 else 0
        return b"".join(taken)


def _split_point(raw: bytes) -> int:
    """Where to cut a file in two for two parsers: the start of a line near the middle, 0 for nowhere.

    With quotes in the file the cut goes after a line ending preceded by an even number of quotes,
    as a line ending outside quoted text is. A quote inside an unquoted cell can mislead that count
    into a cut inside a quoted cell; the first half then ends inside quotes, which the parser
    refuses, and the careful reader reads the file instead.
    """
    middle = raw.find(b"\n", len(raw) // 2) + 1
    quotes = raw.count(b'"', 0, middle) if b'"' in raw else 0
    for _ in range(_SPLIT_TRIES):
        if not middle or quotes % 2 == 0:
            return middle if middle < len(raw) else 0
        after = raw.find(b"\n", middle) + 1
        quotes += raw.count(b'"', middle, after or len(raw))
        middle = after
    return 0


def _parse_plain(
    pieces: list[bytes | memoryview], separator: str, dtypes: dict[int, str], width: int
) -> pd.DataFrame | None:
    """Rows of one block of CSV (its first row the header) as pandas' C parser reads them; None if one is too long.

    Read as Arrow text (the parser's quickest path: the header row keeps every column text), then made categoricals
    (their distinct values found by Arrow) or Python text as ``dtypes`` says; None when a column reads as numbers.
    """
    try:
        frame = pd.read_csv(_Pieces(pieces), sep=separator, **C_PARSER_OPTIONS, dtype_backend="pyarrow")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    if frame.shape[1] != width or any(dtype != "string[pyarrow]" for dtype in frame.dtypes):
        return None
    return pd.DataFrame({index: _typed(frame[index], dtypes[index]) for index in frame.columns}, copy=False)


def _typed(column: pd.Series, dtype: object) -> pd.Categorical | pd.api.extensions.ExtensionArray:
    """A column of Arrow text as a categorical (``dtype`` "category") or as it is (made Python text at the end)."""
    if dtype != "category":
        return column.array
    codes, values = encode_texts(column)
    return pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype=object), validate=False)


def _without_header(parts: list[pd.DataFrame], column: int) -> pd.Series:
    """One column of the parsed blocks joined, each block's header row left out.

    Answers keep the categories as found, less the column's own name when no answer is that text
    (each block's header row is read as a value), so every category is one some row gave.
    """
    pieces = [part[column].array for part in parts]
    if not isinstance(pieces[0], pd.Categorical):
        texts = pa.chunked_array([chunk for piece in pieces for chunk in _arrow(piece).slice(1).chunks])
        return pd.Series(pd.arrays.ArrowStringArray(texts), copy=False)
    categories, header = pieces[0].categories, pieces[0].codes[0]
    codes = [pieces[0].codes[1:]]
    for piece in pieces[1:]:  # each block's distinct answers are few: the later ones' codes are renumbered
        if not piece.categories.equals(categories):
            categories = categories.append(piece.categories[~piece.categories.isin(categories)])
            codes.append(categories.get_indexer(piece.categories)[piece.codes[1:]])
        else:
            codes.append(piece.codes[1:])
    codes = np.concatenate(codes)
    if not np.bincount(codes, minlength=len(categories))[header]:
        codes = codes - (codes > header).astype(codes.dtype)
        categories = categories.delete(header)
    code_type = np.result_type(np.int8, np.min_scalar_type(len(categories)))  # as pandas stores them
    categorical = pd.Categorical.from_codes(codes.astype(code_type, copy=False), categories=categories, validate=False)
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
    if column.dtype == "string[pyarrow]" and pc.all(pc.string_is_ascii(_arrow(column.array))).as_py():
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


_TOTALS_FIRST = pa.array(sorted({word[0] for word in TOTALS_WORDS}))
#: Past this many characters in a column (its length times its longest value's), it is not made a numpy text array.
_WIDEST_TEXT = 1 << 26
_TOTALS_FIRST_LETTERS = np.array(sorted({ord(word[0]) for word in TOTALS_WORDS}), dtype=np.uint32)


def _is_totals_word(text: str) -> bool:
    return text.strip().rstrip(":").strip().casefold() in TOTALS_WORDS


def read_csv_quickly(path: str | Path, text_columns: frozenset[str] = frozenset()) -> pd.DataFrame | None:
    """The table :func:`read_table` gives for a plain CSV file, read by pandas' C parser.

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
    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        if not raw.isascii() and not is_utf8(raw):
            return None  # UTF-8 by its mark, yet not throughout: the careful reader names the cell
    elif not raw.isascii() and not is_utf8(raw):
        raw = _utf8_from_windows_1252(raw)
        if raw is None:
            return None
    end = raw.find(b"\n")
    if end < 0 or b"\x00" in raw or lone_return(raw):
        return None
    header_line = raw[:end].removesuffix(b"\r").decode("utf-8")
    if header_line.count('"') % 2 or re.fullmatch(r"sep=.", header_line.strip()):
        return None  # a header cell over several lines, or Excel's separator line
    separator = sniff_separator(header_line)
    names = [header_text(cell) for cell in first_record(header_line, separator)]
    if not all(names):
        return None
    dtypes = {index: object if name in text_columns else "category" for index, name in enumerate(names)}
    columns, shorts = _arrow_columns(raw, end, header_line, separator, dtypes), []
    if columns is None:
        found = _pandas_columns(raw, end, separator, dtypes)
        if found is None:
            return None
        columns, shorts = found
    del raw
    longest = [_longest(column) for column in columns]
    cells = first_record(header_line, separator)
    if max(map(len, cells)) > csv.field_size_limit() or max(longest) > csv.field_size_limit():
        return None  # the careful reader names the cell where the csv module stops
    if shorts:
        raise row_width_error(path, *shorts[0], len(names), separator)
    if max(longest) > CELL_LIMIT or max(map(len, cells)) > CELL_LIMIT:
        raise _first_long_cell(path, names, cells, columns)
    return _plain_table(path, names, columns, longest)


def _arrow_columns(raw: bytes, end: int, header_line: str, separator: str, dtypes: dict[int, object]):
    """The columns under the header as Arrow's reader reads them (:mod:`auditkit.read.csv_arrow`): answers as
    categoricals, text as Arrow text; None when it must not read them, or when the header may go on past its first
    line (a quote in it)."""
    if '"' in header_line:
        return None
    answers = {index for index, dtype in dtypes.items() if dtype == "category"}
    found = read_arrow_columns(raw, separator, len(dtypes), answers, start=end + 1)
    if found is None:
        return None
    return [
        pd.Series(categorical_from_dictionary(column) if index in answers else pd.arrays.ArrowStringArray(column))
        for index, column in enumerate(found)
    ]


def _pandas_columns(raw: bytes, end: int, separator: str, dtypes: dict[int, object]):
    """The columns under the header as pandas' C parser reads them, in two halves on two threads for a large file,
    and the first row too short (its number as Excel shows it, and its cells), if any; None when the careful reader
    must read the file."""
    middle = _split_point(raw) if len(raw) >= _SPLIT_BYTES else 0
    blocks = [[(0, middle)], [(0, end + 1), (middle, len(raw))]] if middle else [[(0, len(raw))]]
    parse = functools.partial(_parse_block, raw, separator=separator, dtypes=dtypes, width=len(dtypes))
    with warnings.catch_warnings():  # here, not in the threads: a block read as numbers leaves the quick path
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        if len(blocks) > 1:
            with ThreadPoolExecutor(max_workers=2) as pool:
                parsed = list(pool.map(parse, blocks))
        else:
            parsed = [parse(blocks[0])]
    del parse
    parts = [frame for frame, _ in parsed]
    if any(part is None for part in parts) or any(short is UNMATCHED for _, short in parsed):
        return None
    # Each block's first row is the header: the first block's row p is row p + 1, the second's follow the first's.
    shorts = [
        (short.position + index * (len(parts[0]) - 1) + 1, short.cells)
        for index, (_, short) in enumerate(parsed)
        if short
    ]
    return [_without_header(parts, index) for index in range(len(dtypes))], shorts


def _header_needs_care(path: Path) -> bool:
    """Whether the first line, read alone, shows what the whole file's checks below would find: a header cell over
    several lines (an odd number of quotes) or Excel's separator line; so that such a file is not read twice."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if b"\n" not in head:
        return False
    line = head[: head.index(b"\n")].removeprefix(b"\xef\xbb\xbf")
    return line.count(b'"') % 2 == 1 or re.fullmatch(rb"sep=.", line.strip()) is not None


def _parse_block(
    raw: bytes, spans: list[tuple[int, int]], separator: str, dtypes: dict[int, str], width: int
) -> tuple[pd.DataFrame | None, ShortRow | None]:
    """The rows of the bytes of ``raw`` in ``spans`` (in turn) as pandas reads them, and the first one too short."""
    whole = memoryview(raw)
    frame = _parse_plain([whole[start:stop] for start, stop in spans], separator, dtypes, width)
    return frame, None if frame is None else first_short_row(raw, spans, frame, separator)


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
    return pd.Series(column.to_numpy(dtype=object), dtype=object)


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
    table = pd.DataFrame({index: _python_text(column) for index, column in enumerate(columns)})
    table.columns = names
    table.index = pd.RangeIndex(2, 2 + length, name=ROW)
    if blank.any():
        table = table.loc[~blank]
    if table.empty:
        return None
    table.attrs[TRIMMED] = frozenset(trimmed)
    return table
