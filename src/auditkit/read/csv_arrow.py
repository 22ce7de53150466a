"""A plain CSV's records read by Arrow's CSV reader: every cell text, answers dictionary-encoded as they are read.

:func:`read_arrow_columns` is the first try of :func:`auditkit.read.quick_csv.read_csv_quickly`: Arrow's reader
parses the file's blocks on every core and encodes each answer column as it parses it, quicker than pandas' C parser
followed by an encoding of each column. It reads records as the csv module does (RFC 4180 quoting, a doubled quote
inside a quoted cell, a quote inside an unquoted cell kept as it is, text after a closing quote joined to the cell),
and refuses every file whose records are not all as wide as the header: the caller then reads the file as before, so
that a short row is named as the careful reader names it.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pa_csv

__all__ = ["read_arrow_columns"]

#: Bytes Arrow's reader parses at a time (on its threads): 4 MB blocks keep both cores busy, with few dictionaries
#: to unify afterwards.
_BLOCK = 4 << 20


def read_arrow_columns(raw: bytes, separator: str, answers: list[bool]) -> list[pa.ChunkedArray] | None:
    """Every record of a CSV's UTF-8 bytes (the header row first) as Arrow columns, one per header cell.

    ``answers`` says, for each column, whether it is read dictionary-encoded (each block of rows with its own
    dictionary) or as text. A blank line reads as a row of empty cells; a carriage return is a line ending wherever it
    stands, so the caller leaves a file with a lone one to the careful reader.

    Returns
    -------
    list of pyarrow.ChunkedArray or None
        The columns, no cell missing; None when some record is not as wide as the header, or Arrow's reader refuses
        the file for any other reason.
    """
    names = [f"c{index}" for index in range(len(answers))]
    text = pa.dictionary(pa.int32(), pa.string())
    options = {
        "read_options": pa_csv.ReadOptions(column_names=names, block_size=_BLOCK),
        "parse_options": pa_csv.ParseOptions(
            delimiter=separator,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=b'"' in raw,  # a quoted cell may hold a line ending: blocks are split by records
            ignore_empty_lines=False,
        ),
        "convert_options": pa_csv.ConvertOptions(
            column_types={name: text if answer else pa.string() for name, answer in zip(names, answers)},
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,  # the caller has checked (or made) the bytes UTF-8
        ),
    }
    try:
        table = pa_csv.read_csv(pa.py_buffer(raw), **options)
    except (pa.ArrowException, ValueError):
        return None
    if table.num_columns != len(answers) or any(column.null_count for column in table.columns):
        return None
    return table.columns
