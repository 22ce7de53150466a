"""Survey tools' exports (SurveyMonkey, Microsoft Forms, Google Forms, a plain table of questions) read into a table
of item ids.

A codebook item names the question it comes from (``source``), matched whatever its case, spacing, quotes and
dashes (:func:`auditkit.read.matching.normalise`), so the mapping survives re-exports. ``source: "Question |
Option"`` names one option of a multi-select question (or one row of a SurveyMonkey matrix): the item reads
``yes`` when it was ticked and ``no`` when the respondent answered the question without ticking it (an item whose
values are not yes and no gets the option's text). ``source: Respondent ID`` (or ``ID``) takes the export's
response number; Google Forms numbers no response, so there it takes the response's row in the export.

A multi-select answer that lists the options ticked in one cell (Microsoft Forms, Google Forms, a plain table) is
split on the options the codebook names for its question, longest first, since an option may hold a comma
(:func:`auditkit.read.matching.split_choices`). Microsoft Forms ends each option with ``;``, so an option the
codebook does not name is simply not read; elsewhere options are joined by ", ", and a part that is none of the
codebook's options is a problem naming its row (:data:`READ_PROBLEMS`).

Personal data (email addresses, names, IP addresses, custom data, contact details) is left behind as the rows are
read: it never reaches a DataFrame, and an item may not name it. The export's layouts are read by
:mod:`auditkit.read.export_columns`; the formats that read these exports for an instrument are in
:mod:`auditkit.read.formats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.config.codebook import Codebook, Item
from auditkit.errors import DataError, Problem
from auditkit.read.export_columns import OPTION_SEPARATOR, ExportColumn, export_columns, header_rows
from auditkit.read.grid import Grid
from auditkit.read.matching import MARK_END, MARK_START, mark_difference, nearest, normalise, split_choices
from auditkit.read.tables import blank_mask, column_texts, frame_from_columns, read_rows

__all__ = ["OPTION_SEPARATOR", "READ_PROBLEMS", "SHOWN_AT_MOST", "normalise", "read_export", "read_export_rows"]

#: The key of a table's ``attrs`` that holds the problems found while reading it (a list of :class:`Problem`), which
#: validation reports with the others.
READ_PROBLEMS = "auditkit_read_problems"
#: How many unmatched items, and how many unmatched questions, an error lists before "and N more".
SHOWN_AT_MOST = 5
_ID_SOURCES = ("respondent id", "id")
#: The formats whose multi-select answers list the options ticked in one cell.
_LISTED = frozenset({"msforms", "googleforms", "table"})
#: Of those, the ones whose every part must be an option the codebook names (Microsoft Forms ends each with ";").
_STRICT = frozenset({"googleforms", "table"})


@dataclass(frozen=True)
class _Source:
    """Where an item's values come from: a column, or one option of a multi-select question."""

    item: Item
    column: ExportColumn
    siblings: tuple[ExportColumn, ...] = ()  # SurveyMonkey: every column of the item's multi-select question
    option: str = ""  # a list in one cell: the option ticked within the column's list
    row_number: bool = False  # Google Forms numbers no response: its row in the export stands for the number


def _is_yes_no(item: Item) -> bool:
    return {"yes", "no"} <= set(item.codes)


def _find_source(item: Item, by_key: dict[str, ExportColumn], columns: list[ExportColumn], export_format: str):
    """The item's column, or why there is none (a sentence fragment)."""
    wanted = normalise(item.source)
    if wanted in _ID_SOURCES and export_format == "googleforms" and "id" not in by_key:
        return _Source(item, ExportColumn(-1, "Row number", metadata=True), row_number=True)
    if wanted in _ID_SOURCES:
        wanted = "respondent id" if export_format == "surveymonkey" else "id"
    column = by_key.get(wanted)
    if column is not None and column.personal:
        return "names personal data, which auditkit never reads"
    if column is not None:
        siblings = tuple(other for other in columns if normalise(other.question) == normalise(column.question))
        return _Source(item, column, siblings if column.option else ())
    question, _, option = item.source.rpartition(OPTION_SEPARATOR.strip())
    whole = by_key.get(normalise(question))
    if export_format in _LISTED and question.strip() and whole is not None and not whole.personal:
        return _Source(item, whole, option=option.strip())
    return "is not in the export"


def _more(count: int, noun: str) -> list[str]:
    return [f"      and {count} more {noun}."] if count > 0 else []


def _mismatch(
    path: Path, codebook: Codebook, columns: list[ExportColumn], missing: list[tuple[Item, str]], used: set[int]
) -> DataError:
    """The error naming the codebook's unmatched items, each beside the nearest question with the difference marked,
    and the export's questions that no item names; at most :data:`SHOWN_AT_MOST` of each."""
    answers = [column for column in columns if not column.metadata and not column.personal]
    in_export = {column.key: column.shown for column in answers}
    in_export.update({normalise(column.question): column.question for column in answers})
    used_questions = {normalise(column.question) for column in answers if column.index in used}
    lines = [f"the export's questions do not match the codebook {codebook.path.name}."]
    sourced = [(item, reason) for item, reason in missing if item.source]
    nearest_to: dict[str, str] = {}
    if sourced:
        lines.append("    Items whose source is not a question in the export:")
        for item, reason in sourced[:SHOWN_AT_MOST]:
            found = nearest(item.source, in_export) if reason == "is not in the export" else None
            if found is None:
                said = reason if reason != "is not in the export" else "nothing close in the export"
                lines.append(f"      {item.id}: '{' '.join(item.source.split())}' ({said})")
                continue
            nearest_to.setdefault(normalise(found), item.id)
            lines.append(f"      {item.id}: '{mark_difference(item.source, found)}'")
            lines.append(f"        nearest in the export: '{mark_difference(found, item.source)}'")
        lines += _more(len(sourced) - SHOWN_AT_MOST, "items")
    unsourced = [item.id for item, _ in missing if not item.source]
    if unsourced:
        lines.append(f"    Required items with no source: {', '.join(unsourced)}.")
    unused = list(dict.fromkeys(c.question for c in answers if normalise(c.question) not in used_questions))
    unused.sort(key=lambda question: normalise(question) not in nearest_to)  # those near an item first
    if unused:
        lines.append("    Questions in the export that no item names:")
        for question in unused[:SHOWN_AT_MOST]:
            near = nearest_to.get(normalise(question))
            lines.append(f"      '{' '.join(question.split())}'" + (f" (nearest to item {near})" if near else ""))
        lines += _more(len(unused) - SHOWN_AT_MOST, "questions")
    if nearest_to:
        lines.append(f"    Words marked {MARK_START}so{MARK_END} are where an item's source and the question differ.")
    lines.append(
        "    An item's source must be its question as the export writes it; case, spacing, quotes and dashes may "
        f"differ. For one option of a multi-select question, write 'Question{OPTION_SEPARATOR}Option'. auditkit "
        "draft-codebook writes a codebook whose sources are the export's questions."
    )
    return DataError(path, "\n".join(lines))


def _match(path: Path, codebook: Codebook, columns: list[ExportColumn], export_format: str) -> list[_Source]:
    by_key: dict[str, ExportColumn] = {}
    for column in columns:
        by_key.setdefault(column.key, column)  # a question written twice: its first column
    sources, missing = [], []
    for item in codebook.items:
        if not item.source:
            if item.required:
                missing.append((item, "has no source"))
            continue
        found = _find_source(item, by_key, columns, export_format)
        if isinstance(found, str):
            missing.append((item, found))
        else:
            sources.append(found)
    if missing:
        used = {index for source in sources for index in (source.column.index, *(c.index for c in source.siblings))}
        raise _mismatch(path, codebook, columns, missing, used)
    return sources


def _distinct(cells: list[str] | pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """A column's code for each cell and its distinct texts (a categorical's as they are)."""
    if isinstance(cells, pd.Categorical):
        return np.asarray(cells.codes), np.asarray(cells.categories, dtype=object)
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def _listed(
    cells: list[str] | pd.Categorical, options: list[str], separators: str = ",;"
) -> tuple[np.ndarray, list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Each cell's code, and for each distinct cell the options ticked and its parts that are no option: a cell is
    split once, however many rows hold it."""
    codes, uniques = _distinct(cells)
    split = [split_choices(str(cell), options, separators) for cell in uniques]
    return codes, [found for found, _ in split], [unmatched for _, unmatched in split]


def _choices(codes: np.ndarray, texts: list[str]) -> pd.Categorical:
    """One of ``texts`` per row, by its position in them."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object), validate=False)


def _as_it_is(source: _Source) -> bool:
    """Whether the item's values are its column's cells as they are (no option picked out of them)."""
    return not source.row_number and not source.option and not (source.siblings and _is_yes_no(source.item))


def _distinct_texts(rows: list[list[object]], columns: set[int], start: int) -> dict[int, pa.ChunkedArray]:
    """Of ``columns``, those of mostly distinct values that a grid holds as the parser read them (Arrow text), from
    row index ``start`` on: an id, whose hashing would be the dearest part of reading it."""
    if not isinstance(rows, Grid):
        return {}
    found = {column: rows.distinct_texts(column, start) for column in columns}
    return {column: texts for column, texts in found.items() if texts is not None}


def _values(
    source: _Source,
    rows: list[list[object]],
    start: int,
    options: list[str],
    separators: str,
    read: frozenset[int],
    as_read: dict[int, pa.ChunkedArray],
) -> list[str] | pd.Categorical | pa.Array | pa.ChunkedArray:
    """The item's values, one per response, as text. ``read``: the columns the items read; ``as_read``: those of
    them kept as the parser read them (:func:`_distinct_texts`)."""
    if source.row_number:  # a blank row (a Sheet's grid below its responses) stays blank, and is skipped
        blank = np.ones(len(rows) - start, dtype=bool)
        for index in sorted(range(len(rows[0])), key=lambda index: index not in read):  # those read already first
            blank &= blank_mask(as_read[index] if index in as_read else column_texts(rows, index, start))
            if not blank.any():
                break  # every row holds something: the other columns need not be read
        numbers = pc.cast(pa.array(np.arange(start + 1, len(rows) + 1)), pa.string())  # numbered as text, in C
        return pc.if_else(pa.array(blank), "", numbers)
    if _as_it_is(source):
        held = as_read.get(source.column.index)
        return column_texts(rows, source.column.index, start) if held is None else held
    cells = column_texts(rows, source.column.index, start)
    yes_no = _is_yes_no(source.item)
    if source.option:  # "Option A;Option B;" or "Option A, Option B"
        codes, ticked, _ = _listed(cells, options, separators)
        wanted = normalise(source.option)
        has = np.array([wanted in found for found in ticked], dtype=bool)[codes]  # judged once per distinct cell
        if yes_no:
            return _choices(np.where(blank_mask(cells), 0, np.where(has, 1, 2)), ["", "yes", "no"])
        return _choices(has.astype(np.int8), ["", source.option])
    # what is left (_as_it_is): a yes/no item with siblings, one ticked column per option
    ticked = ~blank_mask(cells)
    option = normalise(source.column.option)
    codes, uniques = _distinct(cells)
    if any(normalise(str(uniques[code])) != option for code in np.unique(codes[ticked])):
        return cells  # a matrix row (its cells hold answers), not a multi-select option
    answered = np.logical_or.reduce([~blank_mask(column_texts(rows, other.index, start)) for other in source.siblings])
    return _choices(np.where(ticked, 1, np.where(answered, 2, 0)), ["", "yes", "no"])


def _options(sources: list[_Source]) -> dict[int, list[str]]:
    """The options the codebook names for each column that lists them in one cell, by the column's index."""
    options: dict[int, list[str]] = {}
    for source in sources:
        if source.option:
            options.setdefault(source.column.index, []).append(source.option)
    return options


def _unlisted(path: Path, rows: list[list[object]], start: int, column: ExportColumn, options: list[str]) -> list:
    """A problem for each part of a cell of ``column`` that is none of the codebook's ``options``."""
    codes, _, unmatched = _listed(column_texts(rows, column.index, start), options)
    allowed = ", ".join(f"'{option}'" for option in options)
    wrong = np.flatnonzero(np.isin(codes, [code for code, parts in enumerate(unmatched) if parts]))  # rows, in order
    return [
        Problem(
            path,
            start + 1 + int(number),
            column.question,
            part,
            f"is not one of the options the codebook names for this question; allowed: {allowed}.",
        )
        for number in wrong
        for part in unmatched[codes[number]]
    ]


def read_export_rows(
    path: str | Path, rows: list[list[object]], codebook: Codebook, export_format: str
) -> pd.DataFrame:
    """Read an export's rows, already read from its file, each codebook item's values taken from its ``source``.

    Parameters
    ----------
    path : str or Path
        The export, for messages.
    rows : list of list
        Its rows, the header rows first.
    codebook : Codebook
        The instrument's codebook.
    export_format : {"surveymonkey", "msforms", "googleforms", "table"}
        The survey tool that wrote the export (``table``: a plain table of questions).

    Returns
    -------
    pandas.DataFrame
        A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them. Its
        ``attrs[READ_PROBLEMS]`` lists the answers of a multi-select question that are none of its options.
    """
    path = Path(path)
    headers = header_rows(export_format)
    columns = export_columns(path, rows, export_format)
    sources = _match(path, codebook, columns, export_format)
    options = _options(sources)
    read = frozenset(
        index for source in sources for index in (source.column.index, *(c.index for c in source.siblings))
    )
    as_read = _distinct_texts(rows, {source.column.index for source in sources if _as_it_is(source)}, headers)
    if isinstance(rows, Grid):  # the columns the items read, and no other (a grid encodes a column when read)
        rows.prepare(sorted(read - set(as_read)))
    separators = ";" if export_format == "msforms" else ",;"  # Forms ends each option with ";", which may hold ","
    values = [
        _values(source, rows, headers, options.get(source.column.index, []), separators, read, as_read)
        for source in sources
    ]
    problems = []
    if export_format in _STRICT:
        for column in (column for column in columns if column.index in options):
            problems += _unlisted(path, rows, headers, column, options[column.index])
    table = frame_from_columns(path, [source.item.id for source in sources], values, first_row=headers + 1)
    table.attrs[READ_PROBLEMS] = problems
    return table


def read_export(path: str | Path, codebook: Codebook, export_format: str) -> pd.DataFrame:
    """Read a survey tool's export, each codebook item's values taken from the question its ``source`` names.

    Parameters
    ----------
    path : str or Path
        The export, CSV or XLSX.
    codebook : Codebook
        The instrument's codebook.
    export_format : {"surveymonkey", "msforms", "googleforms", "table"}
        The survey tool that wrote the export (``table``: a plain table of questions).

    Returns
    -------
    pandas.DataFrame
        A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them (see
        :func:`read_export_rows`).
    """
    rows = read_rows(path, header_rows=header_rows(export_format))
    try:
        return read_export_rows(path, rows, codebook, export_format)
    finally:
        del rows  # personal data goes no further than the rows read
