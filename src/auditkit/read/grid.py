"""A sheet's or a CSV file's rows held as columns: each column's distinct values once, and a code per row.

The readers (:mod:`auditkit.read.csv_files`, :mod:`auditkit.read.xlsx_files`) build a :class:`Grid` a block of
rows (or a column) at a time, so that a million rows never exist as lists of Python objects: survey answers
repeat, and each distinct one is kept once. A grid is a sequence of rows all the same (``grid[0]`` is the header
row, ``list(grid)`` the rows as lists), and gives each column as a categorical of text (:meth:`Grid.texts`) for the
table built from it (:mod:`auditkit.read.tables`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from auditkit.read.cells import cell_text

__all__ = ["Grid", "GridBuilder"]


def _text(value: object) -> str:
    """:func:`~auditkit.read.cells.cell_text`, quicker for text."""
    return value if type(value) is str else cell_text(value)


class Grid(Sequence):
    """Rows held as columns: for each column the codes of its rows (-1 for an empty cell) and its distinct values.

    ``lengths`` (one per row) is given when the rows were not all as long as the widest, as a CSV file's rows may
    not be; a row then reads as its own cells only. ``texts``, when given, is each whole column as :meth:`texts`
    gives it (a CSV file's, whose values are text already).
    """

    def __init__(
        self, codes: list[np.ndarray], values: list[np.ndarray], length: int, lengths=None, texts=None
    ) -> None:
        self._codes, self._values, self._length = codes, values, length
        self._lengths = lengths
        self._texts: dict[int, pd.Categorical] = dict(enumerate(texts or []))

    @property
    def width(self) -> int:
        """How many columns the widest row has."""
        return len(self._codes)

    def __len__(self) -> int:
        return self._length

    def _row(self, number: int) -> list[object]:
        cells = [
            None if codes[number] < 0 else values[codes[number]] for codes, values in zip(self._codes, self._values)
        ]
        return cells if self._lengths is None else cells[: self._lengths[number]]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(number) for number in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("row index out of range")
        return self._row(index)

    def __iter__(self) -> Iterator[list[object]]:
        return (self._row(number) for number in range(self._length))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == self._length and list(self) == list(other)

    __hash__ = None  # a sequence of lists, compared by its rows

    def prepare(self, columns: Iterable[int]) -> None:
        """Get ready to read ``columns``: nothing here; a grid that encodes a column when first read encodes them.

        Returns
        -------
        None
        """

    def distinct_texts(self, column: int, start: int = 0):
        """One column from row index ``start`` on as Arrow text, when the grid holds it so and its values are mostly
        distinct (an id): read as it is, such a column need not be hashed. None here: read it with :meth:`texts`.

        Returns
        -------
        pyarrow.ChunkedArray or None
            One text per row; None for a column to be read with :meth:`texts`.
        """
        return None

    def first_long(self, limit: int) -> tuple[int, int, int] | None:
        """The first cell (by row, then column) whose text is longer than ``limit`` characters.

        Returns
        -------
        tuple of (int, int, int) or None
            Its row index, its column index and its length; None when no cell is that long.
        """
        found = []
        for column in range(self.width):
            texts = self.texts(column)
            if max(map(len, texts.categories), default=0) <= limit:
                continue
            lengths = np.fromiter(map(len, texts.categories), dtype=np.int64, count=len(texts.categories))
            row = int(np.flatnonzero(lengths[texts.codes] > limit)[0])
            found.append((row, column, int(lengths[texts.codes[row]])))
        return min(found) if found else None

    def texts(self, column: int, start: int = 0) -> pd.Categorical:
        """One column from row index ``start`` on, as text (:func:`~auditkit.read.cells.cell_text`).

        Returns
        -------
        pandas.Categorical
            One text per row ("" for an empty cell, or for a column the row does not reach), each distinct one
            a category.
        """
        if column >= self.width:
            return pd.Categorical.from_codes(np.zeros(self._length - start, dtype=np.int8), categories=[""])
        if column not in self._texts:
            codes, values = self._codes[column], self._values[column]
            texts = [_text(value) for value in values] + [""]  # the last: an empty cell's (code -1)
            text_codes, categories = pd.factorize(np.array(texts, dtype=object))
            self._texts[column] = pd.Categorical.from_codes(
                text_codes[codes], categories=pd.Index(categories, dtype=object), validate=False
            )
        return self._texts[column][start:]


class GridBuilder:
    """Builds a :class:`Grid` from blocks of rows in turn (:meth:`add`), or column by column (:meth:`add_column`)."""

    def __init__(self) -> None:
        self._blocks: list[list[tuple[np.ndarray, np.ndarray]]] = []
        self._sizes: list[int] = []
        self._lengths: list[np.ndarray] = []
        self._ragged = False

    def add(self, rows: list[list[object]]) -> None:
        """Add a block of rows (lists of cells) after those added before; rows may differ in length."""
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        width = int(lengths.max(initial=0))
        if (lengths != width).any():
            self._ragged = True
            rows = [row if len(row) == width else row + [""] * (width - len(row)) for row in rows]
        columns = zip(*rows) if width else ()
        block = []
        for column in columns:
            codes, uniques = pd.factorize(np.array(column, dtype=object), use_na_sentinel=True)
            block.append((codes, np.asarray(uniques, dtype=object)))
        self._blocks.append(block)
        self._sizes.append(len(rows))
        self._lengths.append(lengths)

    def add_column(self, codes: np.ndarray, values: np.ndarray) -> None:
        """Add a whole column (its codes, -1 for an empty cell, and its distinct values) beside those added before."""
        if not self._blocks:
            self._blocks.append([])
            self._sizes.append(len(codes))
        self._blocks[0].append((codes, values))

    def build(self) -> Grid:
        """The grid of every row added.

        Returns
        -------
        Grid
            The rows, as columns.
        """
        length = sum(self._sizes)
        width = max((len(block) for block in self._blocks), default=0)
        codes, values = [], []
        for column in range(width):
            parts = [block[column] if column < len(block) else None for block in self._blocks]
            if len(parts) == 1:
                codes.append(parts[0][0])
                values.append(parts[0][1])
                continue
            # A column missing from a block (its rows all shorter) reads "" there, as the padded rows do.
            parts = [
                part or (np.zeros(size, dtype=np.intp), np.array([""], dtype=object))
                for part, size in zip(parts, self._sizes)
            ]
            joined_codes, joined = pd.factorize(np.concatenate([uniques for _, uniques in parts]))
            offsets = np.cumsum([0] + [len(uniques) for _, uniques in parts[:-1]])
            mapped = [
                np.where(part_codes < 0, -1, joined_codes[np.maximum(part_codes, 0) + offset])
                for (part_codes, _), offset in zip(parts, offsets)
            ]
            codes.append(np.concatenate(mapped))
            values.append(np.asarray(joined, dtype=object))
        lengths = np.concatenate(self._lengths) if self._ragged else None
        return Grid(codes, values, length, lengths)
