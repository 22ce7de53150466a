"""A workbook's data sheet read a column at a time, with fastexcel (calamine's parser, Arrow columns).

A sheet of a million rows read row by row (python-calamine's ``to_python``) makes a Python object of every cell;
fastexcel gives each column as one Arrow array, whose distinct values are then made Python objects once each
(:class:`~auditkit.read.grid.Grid`). It reads the same cells as python-calamine, but each column as one type, and
names the header's cells itself; so it is used only where that gives exactly what the row-by-row read gives, and
:func:`read_sheet_grid` (:func:`sheet_grid`, for a sheet too large for one load that :mod:`auditkit.read.xlsx_windows`
loads a window of rows at a time) returns None otherwise (the row-by-row reader then reads the sheet):

* the sheet's first cell is A1 and holds a value, so that its range (calamine's, which both read) starts there;
* every column is of one type (text, numbers, true/false, dates and times to the second), after the header row;
* every header cell is text that fastexcel keeps as it is (not a number, a date or a duplicate it renames).

The archive's checks (:mod:`auditkit.read.xlsx_archive`) come first, as for the row-by-row read.

Memory: while fastexcel loads a sheet, calamine holds every cell twice over (its list of cells, about 40 bytes each,
then its grid of them, 32 bytes each): about 1.6 GB for the largest sheet Excel allows, whatever columns are asked
for (``use_columns`` picks them after the whole sheet is parsed). A sheet whose XML is larger than a window
(:data:`~auditkit.read.xlsx_windows.WINDOW_BYTES`) is therefore loaded a window at a time; any other is loaded whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditkit.read.grid import Grid

__all__ = ["load_sheet", "read_sheet_grid", "sheet_grid", "sheet_range"]

_CELL = re.compile(r"([A-Z]+)([0-9]+)")
#: Header names fastexcel may have made from a cell that is not text (a number, a date, true or false), or made up
#: (``__UNNAMED__3`` for an empty cell, ``name_1`` for a second ``name``): read row by row instead.
_DOUBTFUL_NAME = re.compile(r"[-+.0-9eE: ]+|true|false|.*_[0-9]+|__UNNAMED__[0-9]+", re.DOTALL)


def _cell(reference: str) -> tuple[int, int]:
    """A cell's (row, column), both from 0, from its name ("B3" → (2, 1))."""
    letters, digits = _CELL.fullmatch(reference).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits) - 1, column - 1


def sheet_range(reference: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """A range's first and last cells, each (row, column) from 0: "A1:C4" → ((0, 0), (3, 2)); "B2" → ((1, 1), (1, 1)).

    Returns
    -------
    tuple of two (int, int)
        The first and last cells.
    """
    first, _, last = reference.partition(":")
    return _cell(first), _cell(last or first)


def _encoded(column) -> tuple[list, object]:
    """A column (an Arrow array, or one in chunks: a sheet loaded a window at a time) dictionary-encoded: its indices,
    a chunk at a time (a null for an empty cell), and its distinct values, one dictionary for every chunk."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column)
    if not isinstance(encoded, pa.ChunkedArray):
        return [encoded.indices], encoded.dictionary
    chunks = encoded.chunks
    # Arrow encodes the chunks with one table of values and gives each chunk the one dictionary it made: where each
    # chunk's dictionary is that one (the same memory), their indices are the column's; otherwise they are unified
    if chunks and all(_same_memory(chunk.dictionary, chunks[-1].dictionary) for chunk in chunks):
        return [chunk.indices for chunk in chunks], chunks[-1].dictionary
    combined = encoded.combine_chunks()
    return [combined.indices], combined.dictionary


def _same_memory(one, other) -> bool:
    """Whether two Arrow arrays are views of the same memory (so hold the same values), found without reading it."""
    if len(one) != len(other) or one.offset != other.offset or one.type != other.type:
        return False
    buffers = list(zip(one.buffers(), other.buffers()))
    return len(one.buffers()) == len(other.buffers()) and all(
        (first is None and second is None)
        or (first is not None and second is not None and (first.address, first.size) == (second.address, second.size))
        for first, second in buffers
    )


def _text_column(column, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column of text under its header ``name``: its codes (the header's first) and its distinct values, each
    once; an empty cell reads "", as python-calamine gives it.

    Arrow finds the distinct values (in C++), so that each is made a Python string once, and a value that is also
    "" or the header keeps one code: the values are the categories of :meth:`~auditkit.read.grid.Grid.texts`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks, dictionary = _encoded(column)
    values = [dictionary.to_numpy(zero_copy_only=False).astype(object, copy=False)]
    extra = len(dictionary)

    def code_of(text: str) -> int:
        nonlocal extra
        found = pc.index(dictionary, pa.scalar(text, dictionary.type)).as_py()
        if found >= 0:
            return found
        values.append(np.array([text], dtype=object))
        extra += 1
        return extra - 1

    empty = code_of("") if any(indices.null_count for indices in chunks) else 0
    codes = np.empty(len(column) + 1, dtype=np.int32)
    codes[0] = code_of(name)
    at = 1
    for indices in chunks:  # each chunk's codes written in place: the column's are never held twice
        codes[at : at + len(indices)] = indices.fill_null(empty).to_numpy(zero_copy_only=False)
        at += len(indices)
    return codes, np.concatenate(values)


def _values(column) -> tuple[np.ndarray, np.ndarray] | None:
    """A column's codes and distinct values as python-calamine gives them ("" for an empty cell); None when its
    type is one whose values might not be the same."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_null(kind):
        return np.zeros(len(column), dtype=np.intp), np.array([""], dtype=object)
    if pa.types.is_timestamp(kind):
        if pc.any(pc.not_equal(pc.millisecond(column), 0)).as_py():
            return None  # python-calamine and fastexcel may round a fraction of a second differently
    elif not (
        pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_date(kind)
    ):
        return None
    if pa.types.is_boolean(kind):
        codes, values = pd.factorize(np.array(column.to_pylist(), dtype=object))
        values = np.asarray(values, dtype=object)
    else:
        chunks, dictionary = _encoded(column)
        codes = np.concatenate(
            [np.zeros(0, dtype=np.intp)]
            + [indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp) for indices in chunks]
        )
        values = np.array(dictionary.to_pylist(), dtype=object)
    if (codes < 0).any():  # an empty cell reads "", as python-calamine gives it
        codes = np.where(codes < 0, len(values), codes)
        values = np.append(values, np.array([""], dtype=object))
    return codes, values


def _with_header(codes: np.ndarray, values: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray, pd.Categorical]:
    """A column's codes and values with its header ``name`` put first, and its texts (as Grid.texts gives them)."""
    values = np.append(values, np.array([name], dtype=object))
    codes = np.concatenate([[len(values) - 1], codes])
    return codes, values, Grid([codes], [values], len(codes)).texts(0)


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def read_sheet_grid(path: Path, sheet: str) -> Grid | None:
    """A workbook's sheet, loaded whole, every row from row 1 on, as python-calamine's row-by-row read gives its values.

    Returns
    -------
    Grid or None
        The rows, held as columns; None when the sheet needs the row-by-row read (see the module's notes).
    """
    import fastexcel

    try:
        table = load_sheet(fastexcel.read_excel(str(path)), sheet)
    except Exception:  # fastexcel refuses a column of mixed types, among others: the row-by-row read reads it
        return None
    header, length, columns = list(table.schema.names), table.num_rows + 1, iter(table.columns)
    del table  # the columns are held by the iterator alone, each let go by sheet_grid as soon as it is read
    return sheet_grid(header, columns, length)


def load_sheet(reader: Any, sheet: str | int) -> Any:
    """A sheet of a workbook fastexcel has open, as an Arrow table: the header row's cells as names, every row
    sampled for each column's type, a column of mixed types refused (fastexcel raises). A whole sheet and its
    windows (:mod:`auditkit.read.xlsx_windows`) are loaded alike, so that they read alike.

    Returns
    -------
    pyarrow.Table
        The sheet's columns from its second row on (``eager``: loaded at once, quicker than by column).
    """
    # fastexcel logs a warning for a column of empty cells (read as text, as here): not for the user's screen.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    return reader.load_sheet(sheet, header_row=0, schema_sample_rows=None, dtype_coercion="strict", eager=True)


def sheet_grid(header: list[str], columns: Iterable, length: int) -> Grid | None:
    """A sheet loaded by fastexcel (its header's names, its columns from row 2 on, its rows counting the header),
    every row from row 1 on, as python-calamine's row-by-row read gives its values.

    Returns
    -------
    Grid or None
        The rows, held as columns; None when the sheet needs the row-by-row read (see the module's notes).
    """
    if any(_DOUBTFUL_NAME.fullmatch(name) for name in header):
        return None
    columns = list(columns)  # each column is let go as soon as it is read
    text = [index for index, column in enumerate(columns) if _is_text(column.type)]
    read: dict[int, tuple[np.ndarray, np.ndarray, pd.Categorical]] = {}
    for index in sorted(set(range(len(header))) - set(text)):  # first: a column read row by row ends it here
        found = _values(columns[index])
        if found is None:
            return None
        read[index], columns[index] = _with_header(*found, header[index]), None

    def encode(index: int) -> tuple[np.ndarray, np.ndarray]:
        column, columns[index] = columns[index], None
        return _text_column(column, header[index])

    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow lets go of the interpreter while it hashes a column
        for index, (codes, values) in zip(text, pool.map(encode, text)):
            # its values are its texts: the categories of Grid.texts, made here once
            texts = pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype=object), validate=False)
            read[index] = (codes, values, texts)
    ordered = [read[index] for index in range(len(header))]
    return Grid(
        [part[0] for part in ordered], [part[1] for part in ordered], length, texts=[part[2] for part in ordered]
    )
