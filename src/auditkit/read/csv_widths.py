"""Finding the rows of a CSV that are shorter than its header, after pandas' C parser has read it.

pandas pads a row with fewer cells than the header with empty cells and says nothing, while the
careful reader (:func:`auditkit.read.csv_files.check_row_widths`) refuses it. A short row's last
cell is empty, so only the rows whose last cell is empty need a look, and most of those can be
cleared without reading them again: a record whose bytes add up to its cells' bytes plus one
separator between each pair (or, every cell quoted, two quotes a cell and a separator between) has
every cell. The rest are parsed one by one with the csv module, as the careful reader would.

Written by hand because no CSV library reports how many cells each record had: pandas' C
parser pads short rows silently, and the csv module is what the quick path exists to avoid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.read.csv_files import first_record

__all__ = ["UNMATCHED", "ShortRow", "every_row_full", "first_short_row", "lone_return", "record_spans"]

_CHUNK = 1 << 18  # bytes: a chunk and its comparison stay in the processor's cache
_NEWLINE, _RETURN, _QUOTE = 10, 13, 34
#: Past this many rows to look at, quotes are counted for all records at once rather than one record at a time.
_ONE_BY_ONE = 5000


@dataclass(frozen=True)
class ShortRow:
    """A row of a parsed block with fewer cells than the header: its ``position`` in the block, its ``cells``."""

    position: int
    cells: int


#: The block's records could not be matched to the parser's rows: the careful reader must read the file.
UNMATCHED = ShortRow(-1, -1)


def _positions(raw: bytes, start: int, end: int, byte: int) -> np.ndarray:
    """Where ``byte`` occurs in ``raw[start:end]`` (offsets in ``raw``), found a chunk at a time."""
    found = [np.empty(0, dtype=np.int64)]
    for low in range(start, end, _CHUNK):
        block = np.frombuffer(raw, dtype=np.uint8, count=min(_CHUNK, end - low), offset=low)
        found.append(np.flatnonzero(block == byte) + low)
    return np.concatenate(found)


def lone_return(raw: bytes) -> bool:
    """Whether a carriage return stands anywhere but before a line feed (where the csv module and pandas' C parser
    could split records differently), looked for a chunk at a time.

    Returns
    -------
    bool
        True when some carriage return is not followed by a line feed.
    """
    for low in range(0, len(raw), _CHUNK):
        block = np.frombuffer(raw, dtype=np.uint8, count=min(_CHUNK + 1, len(raw) - low), offset=low)
        returns = np.flatnonzero(block[:_CHUNK] == _RETURN)
        if len(returns) and (returns[-1] + 1 >= len(block) or (block[returns + 1] != _NEWLINE).any()):
            return True
    return False


def _count(raw: bytes, spans: list[tuple[int, int]], byte: int) -> int:
    """How many times ``byte`` occurs in the bytes of ``raw`` in ``spans``, counted a chunk at a time."""
    return sum(
        int(np.count_nonzero(np.frombuffer(raw, dtype=np.uint8, count=min(_CHUNK, end - low), offset=low) == byte))
        for start, end in spans
        for low in range(start, end, _CHUNK)
    )


def _counts_before(raw: bytes, start: int, end: int, byte: int, offsets: np.ndarray) -> np.ndarray:
    """For each of the sorted ``offsets``, how many times ``byte`` occurs in ``raw[start:offset]``."""
    counts = np.empty(len(offsets), dtype=np.int64)
    carry = 0
    for low in range(start, end, _CHUNK):
        high = min(low + _CHUNK, end)
        block = np.frombuffer(raw, dtype=np.uint8, count=high - low, offset=low)
        found = np.flatnonzero(block == byte) + low
        first, last = np.searchsorted(offsets, [low, high])
        counts[first:last] = carry + np.searchsorted(found, offsets[first:last])
        carry += len(found)
    counts[offsets >= end] = carry
    return counts


def record_spans(
    raw: bytes, spans: list[tuple[int, int]], rows: int, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """The first byte of each ``wanted`` record, and the byte after its last (its line ending left out).

    A record is a line when the block has as many lines as the parser found rows; otherwise it ends
    at a line ending preceded by an even number of quotes. None when that count differs too. Counting quotes is
    not certain: a quote inside an unquoted cell (5") turns the count, and a record may then be matched to other
    bytes; the caller must compare such records with the parser's rows, cell by cell.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, bool) or None
        Each wanted record's first byte and the byte after its last, as offsets in ``raw``, and whether they are
        certain (every record a line); None when the records cannot be matched to the parser's rows.
    """
    lines = []
    for start, end in spans:
        ends = _positions(raw, start, end, _NEWLINE)
        lines.append(ends if start == end or raw[end - 1] == _NEWLINE else np.append(ends, end))
    certain = sum(len(ends) for ends in lines) == rows
    if not certain:
        for index, (start, end) in enumerate(spans):
            if raw.find(b'"', start, end) >= 0:
                ends = lines[index]
                lines[index] = ends[(_counts_before(raw, start, end, _QUOTE, ends) % 2 == 0) | (ends == end)]
        if sum(len(ends) for ends in lines) != rows:
            return None
    every_end = np.concatenate(lines)
    starts, ends = every_end[np.maximum(wanted - 1, 0)] + 1, every_end[wanted]
    first = 0
    for (start, _), found in zip(spans, lines):  # a span's first record starts with the span
        starts[wanted == first] = start
        first += len(found)
    whole = np.frombuffer(raw, dtype=np.uint8)
    return starts, ends - ((ends > starts) & (whole[np.maximum(ends - 1, 0)] == _RETURN)), certain


def every_row_full(data: bytes, columns: list[pa.ChunkedArray], row_bytes: np.ndarray) -> bool:
    """Whether every row pandas read from ``data`` (the whole file, the header first) had as many cells as the
    header, told from the bytes alone: ``columns`` are its columns as text, ``row_bytes`` each row's cells' bytes.

    pandas' C parser drops only these bytes of a record: the separators between its cells, its line ending, and
    quotes (the two around a quoted cell, one of each doubled pair). So the file's bytes less its cells' bytes, less
    the quotes and line-ending bytes that no cell holds, are its separators: one fewer than the header's cells on
    each row when every row has them all, fewer when a row is short (pandas refuses a longer one, and pads a short
    one with empty cells, which add no bytes). A short row, and a blank line, make them fewer: then False, and the
    rows are looked at one by one (:func:`first_short_row`).

    Returns
    -------
    bool
        True when every row had all its cells.
    """
    if len(columns) == 1 and not row_bytes.all():
        return False  # one column: a blank line (no cell) and an empty cell both add no separator
    quotes, newlines, returns = _counts(data, (_QUOTE, _NEWLINE, _RETURN))
    breaks = newlines + returns
    if quotes:  # without a quote in the file, no cell holds a quote or a line break
        for column in columns:
            if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
                return False  # text held otherwise (a view): the rows are looked at one by one
            held = _held(column)
            quotes, breaks = quotes - held[_QUOTE], breaks - held[_NEWLINE] - held[_RETURN]
    separators = len(data) - int(row_bytes.sum()) - quotes - breaks
    return separators == len(row_bytes) * (len(columns) - 1)


def _counts(data: bytes, wanted: tuple[int, ...]) -> list[int]:
    """How many times each of the ``wanted`` bytes occurs in ``data``, counted in one pass, a megabyte at a time."""
    found = [0] * len(wanted)
    for low in range(0, len(data), _BLOCK):
        block = np.frombuffer(data, dtype=np.uint8, count=min(_BLOCK, len(data) - low), offset=low)
        for index, byte in enumerate(wanted):
            found[index] += int(np.count_nonzero(block == byte))
    return found


_BLOCK = 1 << 20


def _held(column: pa.ChunkedArray) -> dict[int, int]:
    """How many quotes, line feeds and carriage returns the cells of ``column`` (Arrow text) hold, counted in the
    bytes its blocks hold their text in (far quicker than searching each cell)."""
    found = dict.fromkeys((_QUOTE, _NEWLINE, _RETURN), 0)
    for chunk in column.chunks:
        _, offsets, text = chunk.buffers()
        if not len(chunk) or text is None:
            continue
        width = 8 if pa.types.is_large_string(chunk.type) else 4
        ends = np.frombuffer(offsets, dtype=f"<i{width}", count=len(chunk) + 1, offset=chunk.offset * width)
        held = np.frombuffer(text, dtype=np.uint8)[ends[0] : ends[-1]]
        for byte in found:
            found[byte] += int(np.count_nonzero(held == byte))
    return found


def _empty_last_cells(column: pd.Series) -> np.ndarray:
    """The rows (after the block's header row) whose cell in ``column`` is empty."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = column.cat.categories.get_indexer([""])[0]
        rows = np.flatnonzero(column.cat.codes.to_numpy() == found) if found >= 0 else np.empty(0, dtype=np.int64)
    elif column.dtype == "string[pyarrow]":
        rows = np.flatnonzero(pc.equal(pa.array(column.array), "").to_numpy(zero_copy_only=False))
    else:
        rows = np.flatnonzero(column.to_numpy(dtype=object) == "")
    return rows[rows > 0]


def _cell_bytes(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, how many bytes its cells take in UTF-8."""
    total = np.zeros(len(rows), dtype=np.int64)
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy()[rows]
            used = np.flatnonzero(np.bincount(codes, minlength=len(column.cat.categories)))
            sizes = np.zeros(len(column.cat.categories), dtype=np.int64)
            texts = [str(value) for value in column.cat.categories[used]]
            if "".join(texts).isascii():  # a character a byte: lengths are sizes, without encoding each text
                sizes[used] = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            else:
                sizes[used] = [len(text.encode()) for text in texts]
            total += sizes[codes]
        else:
            total += np.fromiter((len(value.encode()) for value in column.iloc[rows].to_numpy(dtype=object)), np.int64)
    return total


def first_short_row(
    raw: bytes, spans: list[tuple[int, int]], frame: pd.DataFrame, separator: str, row_bytes: np.ndarray | None = None
) -> ShortRow | None:
    """The first row of a parsed block with fewer cells than the header that is not blank.

    ``frame`` is what pandas read from the bytes of ``raw`` in ``spans`` (in turn), its first row
    the header, its columns numbered from 0; ``separator`` is one byte in UTF-8. ``row_bytes``, when
    given, is how many bytes each row's cells take in UTF-8 (else they are counted here).

    Returns
    -------
    ShortRow or None
        The row's position in ``frame`` and its number of cells; None when every row has as many
        cells as the header or is blank; :data:`UNMATCHED` when the records cannot be matched to
        the rows with certainty.
    """
    width = frame.shape[1]
    rows = _empty_last_cells(frame[width - 1])
    if not len(rows):
        return None
    quoted_text = any(raw.find(b'"', start, end) >= 0 for start, end in spans)
    if not quoted_text and _count(raw, spans, ord(separator)) == len(frame) * (width - 1):
        return None  # without quotes every separator parts two cells: each row has them all (none has more)
    records = record_spans(raw, spans, len(frame), rows)
    if records is None:
        return UNMATCHED
    starts, ends, certain = records
    if not quoted_text:
        quotes = np.zeros(len(rows), dtype=np.int64)
    elif len(rows) <= _ONE_BY_ONE:
        quotes = np.fromiter((raw.count(b'"', start, end) for start, end in zip(starts, ends)), np.int64, len(rows))
    else:
        quotes = np.zeros(len(rows), dtype=np.int64)
        for start, end in spans:
            inside = (starts >= start) & (ends <= end)
            edges = np.column_stack([starts[inside], ends[inside]]).ravel()  # in order: records do not overlap
            counted = _counts_before(raw, start, end, _QUOTE, edges)
            quotes[inside] = counted[1::2] - counted[0::2]
    length, cells = ends - starts, _cell_bytes(frame, rows) if row_bytes is None else row_bytes[rows]
    plain = (quotes == 0) & (length == cells + width - 1)
    quoted = (quotes == 2 * width) & (length == cells + 3 * width - 1)
    # Records found by counting quotes are each compared with their row, cell by cell (see record_spans).
    unsure = ~(plain | quoted) if certain else np.ones(len(rows), dtype=bool)
    for position, start, end in zip(rows[unsure], starts[unsure], ends[unsure]):
        record = first_record(raw[start:end].decode("utf-8"), separator)
        if len(record) == width and certain:
            continue
        row = [str(value) for value in frame.iloc[position]]
        if len(record) > width or record + [""] * (width - len(record)) != row:
            return UNMATCHED  # the parser and the csv module disagree, or the record is not that row
        if len(record) == width:
            continue  # a record found by counting quotes that is its row, cell by cell
        if any(cell.strip() for cell in record):
            return ShortRow(int(position), len(record))
    return None
