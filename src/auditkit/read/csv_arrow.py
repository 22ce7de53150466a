"""A plain CSV's columns read by Arrow's CSV reader: answers dictionary-encoded as they are read, made categoricals.

:func:`read_arrow_columns` is the first try of :func:`auditkit.read.quick_csv.read_csv_quickly`: Arrow's reader
parses the file's blocks on every core and encodes each answer column as it parses it, quicker than pandas' C parser
followed by an encoding of each column. It reads records as the csv module does (RFC 4180 quoting, a doubled quote
inside a quoted cell, a quote inside an unquoted cell kept as it is, text after a closing quote joined to the cell),
and refuses every file whose records are not all as wide as the header: the caller then reads the file as before, so
that a short row is named as the careful reader names it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

__all__ = ["arrow_text", "code_type", "csv_module_parsing", "read_arrow_columns", "text_conversion"]

#: Bytes Arrow's reader parses at a time (on its threads): 4 MB blocks keep both cores busy, with few dictionaries
#: to unify afterwards.
_BLOCK = 4 << 20
#: Where Arrow's reader keeps what it reads: the system's allocator. Arrow's own (mimalloc) spent 0.4-0.6 s of the
#: system's time on a 143 MB file (handing memory back and taking it again, block after block), the system's 0.15 s.
_POOL = pa.system_memory_pool()


def read_arrow_columns(raw, separator: str, answers: list[bool], header: list[str]) -> list[pd.Series] | None:
    """The columns under the header of a CSV's UTF-8 bytes (``raw``, any buffer), one per header cell.

    ``answers`` says, for each column, whether it is read as a categorical or as Arrow text (large text, as pandas
    holds it); ``header`` is the header row's cells as the csv module reads them. A blank line reads as a row of empty
    cells; a carriage return is a line ending wherever it stands, so the caller leaves a file with a lone one to the
    careful reader.

    Returns
    -------
    list of pandas.Series or None
        The columns, the header row left out: categoricals whose categories are in the order the rows first give
        them, and Arrow text. None when some record is not as wide as the header, Arrow's reader reads the header
        otherwise than the csv module, or refuses the file for any other reason.
    """
    names = [f"c{index}" for index in range(len(answers))]
    encoded = pa.dictionary(pa.int32(), pa.string())
    options = {
        "read_options": pa_csv.ReadOptions(column_names=names, block_size=_BLOCK),
        # a quoted cell may hold a line ending: then blocks are split between records
        "parse_options": csv_module_parsing(separator, newlines_in_values=_holds_quote(raw)),
        "convert_options": text_conversion(
            {name: encoded if answer else pa.large_string() for name, answer in zip(names, answers)}
        ),
    }
    try:
        table = pa_csv.read_csv(pa.py_buffer(raw), **options, memory_pool=_POOL)
    except (pa.ArrowException, ValueError):
        return None
    read = table.columns
    if len(read) != len(answers) or any(column.null_count for column in read):
        return None
    if not table.num_rows or [column[0].as_py() for column in read] != header:
        return None
    return [_categorical(column) if answer else arrow_text(column.slice(1)) for column, answer in zip(read, answers)]


def csv_module_parsing(separator: str, newlines_in_values: bool) -> pa_csv.ParseOptions:
    """How Arrow's reader splits a CSV as the csv module does (its ``excel`` dialect): ``separator`` between cells, RFC
    4180 quotes (a doubled quote inside a quoted cell is one quote), no escape character, and a blank line kept as a
    record. ``newlines_in_values`` lets a quoted cell hold a line ending (blocks are then split between records).

    Returns
    -------
    pyarrow.csv.ParseOptions
        The options, for :func:`pyarrow.csv.read_csv`.
    """
    return pa_csv.ParseOptions(
        delimiter=separator,
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=newlines_in_values,
        ignore_empty_lines=False,
    )


def text_conversion(column_types: dict[str, pa.DataType]) -> pa_csv.ConvertOptions:
    """How Arrow's reader makes the cells values as the csv module gives them: each column of ``column_types`` its
    type (text, or dictionary-encoded text), no cell taken for missing, the bytes not checked again (the callers
    check, or make, them UTF-8 before).

    Returns
    -------
    pyarrow.csv.ConvertOptions
        The options, for :func:`pyarrow.csv.read_csv`.
    """
    return pa_csv.ConvertOptions(
        column_types=column_types,
        null_values=[],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        check_utf8=False,
    )


def _holds_quote(raw) -> bool:
    """Whether the bytes hold a double quote."""
    return raw.find(b'"') >= 0


def _categorical(column: pa.ChunkedArray) -> pd.Series:
    """A dictionary-encoded column read by Arrow (its header row first) as a categorical of the rows under it:
    categories in the order the rows first give them (a block's dictionaries unified keep that order), the header's
    text among them (first) only when some row gives it; codes as pandas stores them."""
    unified = column.unify_dictionaries(_POOL) if column.num_chunks > 1 else column
    values = np.empty(len(unified.chunk(0).dictionary), dtype=object)
    values[:] = unified.chunk(0).dictionary.to_pylist()  # the header's text first: the first row gives it
    codes = np.empty(len(column) - 1, dtype=code_type(len(values)))
    start = 0
    for index, chunk in enumerate(unified.chunks):  # each block's codes, as pandas stores them
        indices = chunk.indices.to_numpy()[1 if index == 0 else 0 :]
        codes[start : start + len(indices)] = indices
        start += len(indices)
    categories = values
    if not (codes == 0).any():  # no row gives the header's text: left out
        categories = values[1:]
        codes = (codes - 1).astype(code_type(len(categories)), copy=False)
    categorical = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object), validate=False)
    return pd.Series(categorical, copy=False)


def code_type(categories: int) -> type[np.signedinteger]:
    """The integer type pandas keeps a categorical's codes in, for so many categories (as ``Categorical.from_codes``
    makes them: codes given in another type are copied into this one).

    Returns
    -------
    numpy integer type
        ``int8`` below 127 categories, ``int16`` below 32,767, ``int32`` below 2,147,483,647, else ``int64``.
    """
    for kind in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(kind).max:
            return kind
    return np.int64


def arrow_text(texts: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Arrow text as a pandas column of Arrow text, without a copy of the text.

    Returns
    -------
    pandas.Series
        The texts, of dtype ``string[pyarrow]``.
    """
    return pd.Series(pd.arrays.ArrowStringArray(texts), copy=False)
