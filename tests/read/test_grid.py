"""Rows held as columns: a grid reads as the rows it was built from, whatever the blocks they came in."""

from __future__ import annotations

import pandas as pd

from auditkit.read.grid import GridBuilder


def test_a_grid_built_in_blocks_reads_as_its_rows_ragged_ones_too():
    rows = [["id", "area"], ["R1", "Rutland"], ["R2"], ["R3", "Leicester", ""], ["R1", "Rutland"]]
    builder = GridBuilder()
    builder.add(rows[:2])
    builder.add(rows[2:])
    grid = builder.build()
    assert len(grid) == 5 and grid.width == 3
    assert grid == rows and list(grid) == rows and grid[-1] == rows[-1] and grid[1:3] == rows[1:3]
    assert list(grid.texts(1, 1)) == ["Rutland", "", "Leicester", "Rutland"]
    assert list(grid.texts(5, 3)) == ["", ""]  # a column no row reaches


def test_a_column_added_whole_reads_empty_cells_as_none_and_text_as_a_categorical():
    builder = GridBuilder()
    builder.add_column(pd.Series([0, 1, -1, 1]).to_numpy(), pd.Series(["q", 2.0]).to_numpy(dtype=object))
    grid = builder.build()
    assert grid == [["q"], [2.0], [None], [2.0]]
    texts = grid.texts(0)
    assert isinstance(texts, pd.Categorical) and list(texts) == ["q", "2", "", "2"]


def test_the_first_cell_longer_than_a_limit_is_found_by_row_then_column():
    builder = GridBuilder()
    builder.add([["a", "b"], ["x", "yyyy"], ["zzzz", "y"]])
    assert builder.build().first_long(3) == (1, 1, 4)
