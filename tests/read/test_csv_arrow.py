"""Arrow's reading of a plain CSV's columns, and the code type its categoricals are built with."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditkit.read.csv_arrow import code_type, read_arrow_columns


@pytest.mark.parametrize("categories", [1, 2, 126, 127, 128, 32766, 32767, 40000])
def test_code_type_is_the_type_pandas_keeps_codes_in(categories: int):
    kept = pd.Categorical.from_codes(np.zeros(1, dtype=np.int64), categories=range(categories)).codes.dtype
    assert code_type(categories) == kept


def test_the_header_text_is_a_category_only_when_a_row_gives_it():
    raw = b"q01,q02\nyes,q02\nno,yes\n"
    first, second = read_arrow_columns(raw, ",", [True, True], ["q01", "q02"])
    assert list(first.cat.categories) == ["yes", "no"] and list(first) == ["yes", "no"]
    assert list(second.cat.categories) == ["q02", "yes"] and list(second) == ["q02", "yes"]
    assert first.cat.codes.dtype == np.int8 and second.cat.codes.dtype == np.int8


def test_a_row_of_another_width_is_left_to_the_other_readers():
    assert read_arrow_columns(b"q01,q02\nyes\n", ",", [True, True], ["q01", "q02"]) is None
    assert read_arrow_columns(b"q01,q02\nyes,no,maybe\n", ",", [True, True], ["q01", "q02"]) is None
