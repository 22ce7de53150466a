"""A CSV file's columns as pandas' C parser read them (Arrow text), held as a :class:`~auditkit.read.grid.Grid` whose
columns are each encoded (codes and distinct values) only when first read.

A survey tool's export has columns no item reads (times, names, addresses: often each row's own value, the dearest
to encode); a column is encoded when a reader asks for it (:meth:`ArrowGrid.texts`), or for several at once, on two
threads (:meth:`ArrowGrid.prepare`). The grid reads as the one built from every column encoded: the same rows, the
same texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.read.grid import Grid

__all__ = ["ASCII_SPACE", "ArrowGrid", "blank_texts", "encode_texts"]


class _Encoded:
    """Each column's codes and distinct values, found when first asked for (its Arrow text then let go)."""

    def __init__(self, columns: list[pa.ChunkedArray]) -> None:
        self.columns: list[pa.ChunkedArray | None] = list(columns)
        self.found: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        if column not in self.found:
            codes, values = encode_texts(self.columns[column])
            self.found[column], self.columns[column] = (codes, values), None
        return self.found[column]

    def cell(self, column: int, row: int) -> str:
        if column in self.found:
            codes, values = self.found[column]
            return values[codes[row]]
        return self.columns[column][row].as_py()

    def prepare(self, columns: Iterable[int]) -> None:
        wanted = [column for column in dict.fromkeys(columns) if column not in self.found]
        if len(wanted) < 2:
            for column in wanted:
                self.get(column)
            return
        with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow lets go of the interpreter while it hashes a column
            list(pool.map(self.get, wanted))  # each column's text let go once encoded: two held twice at most


class _Part(Sequence):
    """The codes (``part`` 0) or the values (1) of every column, as :class:`Grid` holds them."""

    def __init__(self, encoded: _Encoded, part: int) -> None:
        self._encoded, self._part = encoded, part

    def __len__(self) -> int:
        return len(self._encoded.columns)

    def __getitem__(self, column):
        if isinstance(column, slice):
            return [self[index] for index in range(*column.indices(len(self)))]
        return self._encoded.get(column)[self._part]

    def __iter__(self):
        self._encoded.prepare(range(len(self)))
        return (self[index] for index in range(len(self)))


#: Up to this many rows (an export's header rows) are read from the Arrow text, without encoding every column.
_FEW_ROWS = 16


class ArrowGrid(Grid):
    """The records of a CSV file (the header first) as Arrow text columns, every row as wide as ``lengths`` says
    (each row every cell when None); each column encoded when first read."""

    def __init__(self, columns: list[pa.ChunkedArray], lengths: np.ndarray | None = None) -> None:
        self._encoded = _Encoded(columns)
        super().__init__(_Part(self._encoded, 0), _Part(self._encoded, 1), len(columns[0]), lengths)

    def _row(self, number: int) -> list[object]:
        cells = [self._encoded.cell(column, number) for column in range(self.width)]  # a header: nothing encoded
        return cells if self._lengths is None else cells[: self._lengths[number]]

    def __iter__(self):
        self.prepare(range(self.width))
        return super().__iter__()

    def __getitem__(self, index):
        if isinstance(index, slice) and len(range(*index.indices(len(self)))) > _FEW_ROWS:
            self.prepare(range(self.width))
        return super().__getitem__(index)

    def prepare(self, columns: Iterable[int]) -> None:
        """Encode the ``columns`` about to be read, on two threads.

        Returns
        -------
        None
        """
        self._encoded.prepare(column for column in columns if 0 <= column < self.width)

    def distinct_texts(self, column: int, start: int = 0) -> pa.ChunkedArray | None:
        """One column from row index ``start`` on as the parser read it (Arrow text), when it is not encoded yet and
        its first rows are mostly distinct (an id, a time): :meth:`Grid.distinct_texts`.

        Returns
        -------
        pyarrow.ChunkedArray or None
            One text per row; None for a column encoded already, or whose values repeat.
        """
        if not 0 <= column < self.width or column in self._encoded.found:
            return None
        held = self._encoded.columns[column]
        return held.slice(start) if _mostly_distinct(held) else None

    def texts(self, column: int, start: int = 0) -> pd.Categorical:
        """One column from row index ``start`` on, as text: :meth:`Grid.texts`, its categories the column's distinct
        values as found.

        Returns
        -------
        pandas.Categorical
            One text per row, each distinct one a category.
        """
        if column < self.width and column not in self._texts:
            codes, values = self._encoded.get(column)
            self._texts[column] = pd.Categorical.from_codes(
                codes, categories=pd.Index(values, dtype=object), validate=False
            )
        return super().texts(column, start)


def encode_texts(column: pd.Series | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A column of text's codes and its distinct values (Python text), each distinct value once.

    The values are found by Arrow (a column of several blocks encoded a block at a time), unless the column's first
    rows are mostly distinct (an id), which Python's hashed text finds quicker.

    Returns
    -------
    codes : numpy.ndarray
        Each row's position in ``values``.
    values : numpy.ndarray
        The distinct texts, as Python objects.
    """
    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        array = column
    elif column.dtype == "string[pyarrow]":
        array = pa.array(column.array)
    else:
        array = pa.array(column.to_numpy(dtype=object))
    distinct = _mostly_distinct(array)  # the first values sampled once, before any chunks are put together
    if isinstance(array, pa.ChunkedArray) and array.num_chunks != 1 and not distinct:
        return _encoded(pc.dictionary_encode(array).unify_dictionaries())
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if not distinct:
        encoded = pc.dictionary_encode(array)
        values = np.empty(len(encoded.dictionary), dtype=object)
        values[:] = encoded.dictionary.to_pylist()
        return encoded.indices.to_numpy(zero_copy_only=False), values
    ordered = _ordered(array)
    if ordered is not None:
        return ordered
    codes, uniques = pd.factorize(array.to_numpy(zero_copy_only=False), use_na_sentinel=False)
    return _in_order(codes, np.asarray(uniques, dtype=object))


def _encoded(chunks: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The codes and values of a column encoded a block at a time, its blocks' dictionaries unified (Arrow keeps
    one dictionary across the blocks it encodes, in the order the rows first give each value: as if encoded whole;
    quicker than joining the blocks first)."""
    if not chunks.num_chunks:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=object)
    dictionary = chunks.chunk(0).dictionary
    values = np.empty(len(dictionary), dtype=object)
    values[:] = dictionary.to_pylist()
    return np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in chunks.chunks]), values


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


#: What ``str.strip`` takes away from ASCII text: the characters ``str.isspace`` counts as space.
ASCII_SPACE = "".join(chr(code) for code in range(128) if chr(code).isspace())


def blank_texts(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """For each text, whether it is blank (``not text.strip()``): by Arrow for ASCII text, by Python for the rest.

    Returns
    -------
    numpy.ndarray
        One bool per text.
    """
    blank = pc.equal(pc.binary_length(pc.ascii_trim(texts, characters=ASCII_SPACE)), 0).to_numpy(zero_copy_only=False)
    beyond = np.flatnonzero(~pc.string_is_ascii(texts).to_numpy(zero_copy_only=False))
    if len(beyond):
        blank[beyond] = [not text.strip() for text in texts.take(beyond).to_pylist()]
    return blank


def _mostly_distinct(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a column's first :data:`_SAMPLE` values are mostly distinct (an id), as :func:`encode_texts` judges
    it: it has that many, half of them distinct."""
    sample = array.slice(0, _SAMPLE)
    return len(sample) >= _SAMPLE and pc.count_distinct(sample).as_py() >= _SAMPLE // 2
