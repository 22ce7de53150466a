"""A CSV file's records read by Arrow's CSV reader (``pyarrow.csv``), where it reads them as the csv module does.

Arrow's reader is the quickest we have: it reads each column straight into Arrow text, or into a dictionary (each
distinct answer once, found while parsing), and it refuses a record with more or fewer cells than the first, where
pandas' C parser pads a short row silently and every row whose last cell is empty must be looked at again
(:mod:`auditkit.read.csv_widths`). It reads quoted cells, doubled quotes, cells over several lines, a quote inside
an unquoted cell and text after a closing quote as the csv module does (``tests/read`` compares them on random
files). Where the two could disagree it is not asked, and :func:`read_arrow_columns` returns None: for quoted text
left open (an odd number of quotes), for a record Arrow refuses (a row of another width, a record longer than a
block), and, when asked, for an empty line (Arrow reads a row of empty cells, the csv module a record of none).
The callers check first what both parsers could split differently: a lone carriage return and a NUL character.
"""

from __future__ import annotations

import os
from collections.abc import Collection

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

__all__ = ["categorical_from_dictionary", "read_arrow_columns"]

#: How many bytes Arrow's reader parses at a time: a record may not be longer.
_BLOCK_BYTES = int(os.environ.get("AK_BLOCK", 8)) << 20
_THREADS = os.environ.get("AK_THREADS", "1") == "1"
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def read_arrow_columns(
    data: bytes,
    separator: str,
    width: int,
    answers: Collection[int] = (),
    empty_lines: bool = True,
    start: int = 0,
) -> list[pa.ChunkedArray] | None:
    """Every record of ``data[start:]`` (UTF-8, no NUL, every carriage return before a line feed), as Arrow's reader
    reads them: each a row of ``width`` cells.

    The columns in ``answers`` are read as dictionaries, the others as text. With ``empty_lines`` false, a file
    with an empty line is left to the caller, which counts such a line as a record of no cells; with it true, an
    empty line is a row of empty cells.

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
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pa_csv.ReadOptions(
                use_threads=_THREADS, block_size=_BLOCK_BYTES, autogenerate_column_names=True, encoding="utf8"
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=separator,
                newlines_in_values=quotes > 0,
                ignore_empty_lines=False,
                double_quote=True,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a row of another width, a record longer than a block: the caller's own reader names it
    if table.num_columns != width or not table.num_rows:
        return None
    columns = [table.column(column) for column in range(width)]
    if (
        not empty_lines
        and _empty_rows(columns)
        and (data.find(b"\n\n", start) >= 0 or data.find(b"\n\r\n", start) >= 0)
    ):
        return None
    return columns


def _count(data: bytes, start: int, byte: int) -> int:
    """How many times ``byte`` occurs in ``data[start:]``, counted a block at a time (quicker than ``bytes.count``)."""
    return sum(
        int(np.count_nonzero(np.frombuffer(data, np.uint8, count=min(_COUNTED, len(data) - low), offset=low) == byte))
        for low in range(start, len(data), _COUNTED)
    )


_COUNTED = 1 << 20


def _empty_rows(columns: list[pa.ChunkedArray]) -> bool:
    """Whether some row has every cell empty, as Arrow reads an empty line (and a row of separators only)."""
    rows = None
    for column in columns:
        empty = pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(empty) if rows is None else rows[empty[rows]]
        if not len(rows):
            return False
    return True


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
