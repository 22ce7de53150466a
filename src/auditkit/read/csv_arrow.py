"""A CSV file's records read by Arrow's CSV reader (``pyarrow.csv``), where it reads them as the csv module does:
the quick path's reader (:mod:`auditkit.read.quick_csv`).

Arrow's reader reads each column of answers straight into a dictionary (each distinct answer once, found while
parsing), and it refuses a record with more or fewer cells than the first, where pandas' C parser pads a short row
silently. It reads quoted cells, doubled quotes, cells over several lines, a quote inside an unquoted cell and text
after a closing quote as the csv module does (``tests/read`` compares them on random files); an empty line it reads
as a row of empty cells (a blank row, left out of a table as the csv module's record of no cells is). Where the
two could disagree it is not asked, and :func:`read_arrow_columns` returns None: for quoted text left open (an odd
number of quotes) and for a record Arrow refuses (a row of another width, a record longer than a block). The
caller checks first what both parsers could split differently: a lone carriage return and a NUL character.

A file without quotes is read in two halves on two threads, each half by Arrow on one thread: as quick as Arrow's
own threads when both cores are free, and no dearer than one thread when they are not (Arrow's own pool costs more
time in all, which tells on a busy machine).
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

__all__ = ["categorical_from_dictionary", "read_arrow_columns"]

#: How many bytes Arrow's reader parses at a time: a record may not be longer.
_BLOCK_BYTES = 16 << 20
#: From this many bytes on, a file without quotes is read in two halves on two threads.
_HALVED_BYTES = 16 << 20
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_COUNTED = 1 << 20


def read_arrow_columns(
    data: bytes, separator: str, width: int, answers: Collection[int] = (), start: int = 0
) -> list[pa.ChunkedArray] | None:
    """Every record of ``data[start:]`` (UTF-8, no NUL, every carriage return before a line feed), as Arrow's reader
    reads them: each a row of ``width`` cells, an empty line a row of empty cells.

    The columns in ``answers`` are read as dictionaries (one a block), the others as text.

    Returns
    -------
    list of pyarrow.ChunkedArray or None
        One per column, one value per record; None when Arrow's reader may not read the records as the csv module
        does, or when a record has other than ``width`` cells.
    """
    quotes = _count(data, start, ord('"'))
    if start >= len(data) or width < 1 or quotes % 2:
        return None  # nothing to read, or quoted text left open at the end
    types = {f"f{column}": _DICTIONARY if column in answers else pa.string() for column in range(width)}
    middle = _middle(data, start) if not quotes and len(data) - start >= _HALVED_BYTES else 0
    if middle:

        def read(span: tuple[int, int]) -> pa.Table | None:
            return _read(data, span, separator, types, quotes > 0)

        with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow lets go of the interpreter while it reads
            tables = list(pool.map(read, [(start, middle), (middle, len(data))]))
    else:
        tables = [_read(data, (start, len(data)), separator, types, quotes > 0)]
    if any(table is None or table.num_columns != width for table in tables) or not sum(t.num_rows for t in tables):
        return None
    return [
        pa.chunked_array([chunk for table in tables for chunk in table.column(column).chunks], types[f"f{column}"])
        for column in range(width)
    ]


def _middle(data: bytes, start: int) -> int:
    """The start of a line near the middle of ``data[start:]`` (without quotes, every line feed ends a record) that
    is not empty (Arrow counts the cells of a block's first row as the width), or 0 for none."""
    middle = data.find(b"\n", (start + len(data)) // 2) + 1
    while 0 < middle < len(data) and data[middle] in b"\r\n":
        middle = data.find(b"\n", middle) + 1
    return middle if middle < len(data) else 0


def _read(data: bytes, span: tuple[int, int], separator: str, types: dict, quoted: bool) -> pa.Table | None:
    """Arrow's reading of ``data[span[0]:span[1]]`` on this thread; None when it refuses a record."""
    try:
        return pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(span[0], span[1] - span[0])),
            read_options=pa_csv.ReadOptions(
                use_threads=False, block_size=_BLOCK_BYTES, autogenerate_column_names=True, encoding="utf8"
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=separator, newlines_in_values=quoted, ignore_empty_lines=False, double_quote=True
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a row of another width, a record longer than a block: the caller's own reader names it


def _count(data: bytes, start: int, byte: int) -> int:
    """How many times ``byte`` occurs in ``data[start:]``, counted a block at a time (quicker than ``bytes.count``)."""
    return sum(
        int(np.count_nonzero(np.frombuffer(data, np.uint8, count=min(_COUNTED, len(data) - low), offset=low) == byte))
        for low in range(start, len(data), _COUNTED)
    )


def categorical_from_dictionary(column: pa.ChunkedArray) -> pd.Categorical:
    """A column Arrow read as dictionaries (one a block) as one categorical: its categories the distinct texts in
    the order the rows first give them, its codes as small as pandas makes them.

    Returns
    -------
    pandas.Categorical
        One text per row.
    """
    unified = column.unify_dictionaries()
    chunks = [chunk for chunk in unified.chunks if len(chunk)]
    categories = chunks[0].dictionary.to_pylist() if chunks else []
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in chunks] or [np.empty(0, int)])
    code_type = np.result_type(np.int8, np.min_scalar_type(len(categories)))  # as pandas stores them
    return pd.Categorical.from_codes(
        codes.astype(code_type, copy=False), categories=pd.Index(categories, dtype=object), validate=False
    )
