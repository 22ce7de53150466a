"""Tables as the analyst's notebook shows them: values as text, a compact part and the whole table on demand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from auditkit.analysis.notebook_tables import (
    MAX_ROWS,
    compact_table,
    format_figure,
    format_interval,
    format_p,
    format_value,
    table_data,
)


def test_values_are_written_as_an_analyst_reads_them():
    assert format_value(None) == ""
    assert format_value(np.nan) == ""
    assert format_value(pd.NA) == ""
    assert format_value(True) == "yes"
    assert format_value(np.bool_(False)) == "no"
    assert format_value(np.int64(12)) == "12"
    assert format_value(12.0) == "12"
    assert format_value(0.123456) == "0.1235"
    assert format_value(dt.date(2017, 4, 30)) == "30 April 2017"
    assert format_value(["Leicester", "Rutland"]) == "Leicester, Rutland"
    assert format_value("<b>") == "<b>"  # escaped by the template, not here


def test_p_values_figures_and_intervals():
    assert format_p(0.0321) == "0.032"
    assert format_p(0.0004) == "< 0.001"
    assert format_p(np.nan) == ""
    assert format_figure(2, 10, 0.2) == "2/10 (20%)"
    assert format_figure(2, 10) == "2/10 (20%)"
    assert format_figure(None, 10) == "hidden/10"
    assert format_figure(None, None) == "hidden"
    assert format_figure(0, 0) == "none answered"
    assert format_interval(0.057, 0.51) == "6% to 51%"
    assert format_interval(-0.12, 0.3, percent=False) == "-12 to 30 points"
    assert format_interval(np.nan, 0.3) == ""


def test_a_small_table_is_shown_whole_without_details():
    frame = pd.DataFrame({"item": ["a", "b"], "count": [1, 2]})
    table = compact_table(frame, "Two rows")
    assert table.shown.rows == (("a", "1"), ("b", "2"))
    assert table.shown.numeric == (False, True)
    assert table.full is None
    assert table.more == ""


def test_a_wide_table_shows_its_key_columns_and_keeps_every_column_on_demand():
    frame = pd.DataFrame({f"column_{index}": [index] for index in range(31)})
    table = compact_table(frame, "Wide", ["column_0", "column_1"])
    assert table.shown.columns == ("column_0", "column_1")
    assert table.full is not None and len(table.full.columns) == 31
    assert table.more == "All 1 row and 31 columns"


def test_a_long_table_shows_a_screenful_and_says_so():
    frame = pd.DataFrame({"value": range(53)})
    table = compact_table(frame, "Answers")
    assert len(table.shown.rows) == MAX_ROWS
    assert table.shown.caption == f"Answers (the first {MAX_ROWS} of 53 rows)"
    assert table.full is not None and len(table.full.rows) == 53
    assert table.more == "All 53 rows and 1 column"


def test_a_readable_table_keeps_the_raw_frame_for_its_details():
    raw = pd.DataFrame({"numerator": [2], "denominator": [10], "proportion": [0.2]})
    readable = pd.DataFrame({"figure": ["2/10 (20%)"]})
    table = compact_table(readable, "Figures", full=raw)
    assert table.shown.rows == (("2/10 (20%)",),)
    assert table.full is not None and table.full.columns == ("numerator", "denominator", "proportion")


def test_a_named_index_becomes_columns():
    frame = pd.DataFrame({"records": [10]}, index=pd.Index(["deep_dive"], name="instrument"))
    assert table_data(frame, "Records").columns == ("instrument", "records")
