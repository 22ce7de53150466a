"""Survey tools' exports, SurveyMonkey and Microsoft Forms, read into a table of item ids.

A codebook item names the question it comes from (``source``), matched after normalising
case and spacing, so the mapping survives re-exports. ``source: "Question | Option"``
names one option of a multi-select question: the item reads ``yes`` when it was ticked and
``no`` when the respondent answered the question without ticking it (an item whose values
are not yes and no gets the option's text). ``source: Respondent ID`` (or ``ID``) takes the
export's response number.

Personal data (email addresses, names, IP addresses, custom data, contact details) is left
behind as the rows are read: it never reaches a DataFrame, and an item may not name it.

* **SurveyMonkey** ("All individual responses", CSV or XLSX, expanded columns): row 1 holds
  the respondent metadata headers and each question's text over its first column; row 2 holds
  "Response" (or "Open-Ended Response") under a single-answer question and each option's text
  under a multi-select question. Responses start in row 3.
* **Microsoft Forms** (XLSX): one header row, ``ID``, ``Start time``, ``Completion time``,
  ``Email``, ``Name`` (and ``Last modified time`` in newer exports), then one column per question;
  a multi-select answer is one cell listing the options ticked, each followed by ``;``.

The formats that read these exports for an instrument are in :mod:`auditkit.read.formats`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditkit.config.codebook import Codebook, Item
from auditkit.errors import DataError
from auditkit.read.tables import blank_mask, column_texts, frame_from_columns, read_rows

__all__ = ["OPTION_SEPARATOR", "is_forms_header", "is_surveymonkey_header", "normalise", "read_export"]

#: Between a question and one of its options in an item's ``source``.
OPTION_SEPARATOR = " | "
_ID_SOURCES = ("respondent id", "id")
_SURVEYMONKEY_ID = "respondent id"
_SURVEYMONKEY_ANSWER = frozenset({"response", "open-ended response"})
_FORMS_REQUIRED = ("id", "start time", "completion time")
_METADATA = frozenset(
    {
        "respondent id",
        "collector id",
        "start date",
        "end date",
        "ip address",
        "email address",
        "first name",
        "last name",
        "id",
        "start time",
        "completion time",
        "last modified time",
        "email",
        "name",
        "total points",
        "quiz feedback",
    }
)
_PERSONAL = frozenset({"ip address", "email address", "email", "e-mail", "first name", "last name", "name"})
_PERSONAL_PATTERN = re.compile(r"custom (data|variable)( \d+)?")
#: The fields of SurveyMonkey's "Contact Information" question: a respondent's contact details.
_CONTACT_FIELDS = frozenset(
    {
        "name",
        "first name",
        "last name",
        "company",
        "address",
        "address 2",
        "city/town",
        "state/province",
        "zip/postal code",
        "country",
        "email address",
        "email",
        "phone number",
    }
)


def normalise(text: str) -> str:
    """Text compared whatever its case and spacing.

    Returns
    -------
    str
        ``text`` with its runs of white space made single spaces, trimmed and case-folded.
    """
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class _Column:
    """One column of an export: its position, the question over it and the option under it."""

    index: int
    question: str
    option: str = ""
    personal: bool = False

    @property
    def shown(self) -> str:
        return f"{self.question}{OPTION_SEPARATOR}{self.option}" if self.option else self.question

    @property
    def key(self) -> str:
        return normalise(self.shown)

    @property
    def is_metadata(self) -> bool:
        return not self.option and (normalise(self.question) in _METADATA or self.is_personal_name)

    @property
    def is_personal_name(self) -> bool:
        name = normalise(self.question)
        return name in _PERSONAL or _PERSONAL_PATTERN.fullmatch(name) is not None


def _header(rows: list[list[object]], index: int, width: int) -> list[str]:
    row = rows[index] if index < len(rows) else []
    return [column_texts([row], column, 0)[0].strip() for column in range(width)]


def _surveymonkey_columns(path, rows: list[list[object]]) -> list[_Column]:
    width = max(len(row) for row in rows[:2])
    top, sub = _header(rows, 0, width), _header(rows, 1, width)
    names = [normalise(text) for text in top]
    if _SURVEYMONKEY_ID not in names:
        raise DataError(
            path,
            "the file does not look like a SurveyMonkey export: row 1 has no 'Respondent ID' column. Export "
            '"All individual responses" with expanded columns, or change the instrument\'s format.',
        )
    if sub[names.index(_SURVEYMONKEY_ID)]:
        raise DataError(
            path,
            'row 2 of a SurveyMonkey export must be its second header row ("Response" or each option\'s text), '
            f'but it holds a response (Respondent ID {sub[names.index(_SURVEYMONKEY_ID)]}). Export "All individual '
            'responses" with expanded columns.',
        )
    columns, question = [], ""
    for index in range(width):
        if top[index]:
            question = top[index]
        if not question or not (top[index] or sub[index]):
            continue
        option = "" if normalise(sub[index]) in _SURVEYMONKEY_ANSWER else sub[index]
        column = _Column(index, question, option)
        personal = column.is_personal_name or normalise(option) in _CONTACT_FIELDS
        columns.append(_Column(index, question, option, personal))
    return columns


def _forms_columns(path, rows: list[list[object]]) -> list[_Column]:
    width = len(rows[0])
    top = _header(rows, 0, width)
    missing = [name for name in _FORMS_REQUIRED if name not in {normalise(text) for text in top}]
    if missing:
        raise DataError(
            path,
            "the file does not look like a Microsoft Forms export: row 1 has no "
            f"{', '.join(repr(name.capitalize() if name != 'id' else 'ID') for name in missing)} column. Download the "
            "responses from Forms (Responses → Open in Excel), or change the instrument's format.",
        )
    columns = [_Column(index, text) for index, text in enumerate(top) if text]
    return [_Column(column.index, column.question, personal=column.is_personal_name) for column in columns]


@dataclass(frozen=True)
class _Source:
    """Where an item's values come from: a column, or one option of a multi-select question."""

    item: Item
    column: _Column
    siblings: tuple[_Column, ...] = ()  # SurveyMonkey: every column of the item's multi-select question
    option: str = ""  # Microsoft Forms: the option ticked within the column's list


def _is_yes_no(item: Item) -> bool:
    return {"yes", "no"} <= set(item.codes)


def _find_source(item: Item, columns: list[_Column], export_format: str) -> _Source | str:
    """The item's column, or why there is none (a sentence fragment)."""
    wanted = normalise(item.source)
    if wanted in _ID_SOURCES:
        wanted = _SURVEYMONKEY_ID if export_format == "surveymonkey" else "id"
    by_key = {column.key: column for column in columns}
    column = by_key.get(wanted)
    if column is not None and column.personal:
        return "names personal data, which auditkit never reads"
    if column is not None:
        siblings = tuple(other for other in columns if normalise(other.question) == normalise(column.question))
        return _Source(item, column, siblings if column.option else ())
    question, _, option = item.source.rpartition(OPTION_SEPARATOR.strip())
    whole = by_key.get(normalise(question))
    if export_format == "msforms" and question.strip() and whole is not None and not whole.personal:
        return _Source(item, whole, option=option.strip())
    return "is not in the export"


def _nearest(text: str, candidates: dict[str, str]) -> str | None:
    found = difflib.get_close_matches(normalise(text), list(candidates), n=1, cutoff=0.6)
    return candidates[found[0]] if found else None


def _mismatch(
    path, codebook: Codebook, columns: list[_Column], missing: list[tuple[Item, str]], used: set[int]
) -> DataError:
    """The error naming the codebook's unmatched items and the export's unused questions, and the nearest to each.

    Returns
    -------
    DataError
        The error, one line per item and question.
    """
    answers = [column for column in columns if not column.is_metadata and not column.personal]
    in_export = {column.key: column.shown for column in answers}
    in_export.update({normalise(column.question): column.question for column in answers})
    used_questions = {normalise(column.question) for column in answers if column.index in used}
    unused = list(
        dict.fromkeys(column.question for column in answers if normalise(column.question) not in used_questions)
    )
    lines = [f"the export's questions do not match the codebook {codebook.path.name}."]
    sourced = [(item, reason) for item, reason in missing if item.source]
    if sourced:
        lines.append("    Items whose source is not a question in the export:")
        for item, reason in sourced:
            if reason == "is not in the export":
                nearest = _nearest(item.source, in_export)
                reason = f"nearest in the export: '{nearest}'" if nearest else "nothing close in the export"
            lines.append(f"      {item.id}: '{item.source}' ({reason})")
    unsourced = [item.id for item, _ in missing if not item.source]
    if unsourced:
        lines.append(f"    Required items with no source: {', '.join(unsourced)}.")
    if unused:
        wanted = {normalise(item.source): f"'{item.source}' (item {item.id})" for item, _ in sourced}
        lines.append("    Questions in the export that no item names:")
        for question in unused:
            nearest = _nearest(question, wanted)
            lines.append(f"      '{question}'" + (f" (nearest item source: {nearest})" if nearest else ""))
    lines.append(
        "    An item's source must be its question as the export writes it (case and spacing may differ); "
        f"for one option of a multi-select question, write 'Question{OPTION_SEPARATOR}Option'."
    )
    return DataError(path, "\n".join(lines))


def _match(path, codebook: Codebook, columns: list[_Column], export_format: str) -> list[_Source]:
    sources, missing = [], []
    for item in codebook.items:
        if not item.source:
            if item.required:
                missing.append((item, "has no source"))
            continue
        found = _find_source(item, columns, export_format)
        if isinstance(found, str):
            missing.append((item, found))
        else:
            sources.append(found)
    if missing:
        used = {index for source in sources for index in (source.column.index, *(c.index for c in source.siblings))}
        raise _mismatch(path, codebook, columns, missing, used)
    return sources


def _values(source: _Source, rows: list[list[object]], start: int) -> list[str]:
    """The item's values, one per response, as text."""
    cells = column_texts(rows, source.column.index, start)
    yes_no = _is_yes_no(source.item)
    if source.option:  # Microsoft Forms: "Option A;Option B;"
        wanted = normalise(source.option)
        return [
            ("" if not cell.strip() else "yes" if wanted in {normalise(part) for part in cell.split(";")} else "no")
            if yes_no
            else (source.option if wanted in {normalise(part) for part in cell.split(";")} else "")
            for cell in cells
        ]
    if not source.siblings or not yes_no:
        return cells
    ticked = ~blank_mask(cells)
    option = normalise(source.column.option)
    if any(normalise(cell) != option for cell, is_ticked in zip(cells, ticked) if is_ticked):
        return cells  # a matrix row (its cells hold answers), not a multi-select option
    answered = np.logical_or.reduce([~blank_mask(column_texts(rows, other.index, start)) for other in source.siblings])
    return np.where(ticked, "yes", np.where(answered, "no", "")).tolist()


def read_export(path, codebook: Codebook, export_format: str) -> pd.DataFrame:
    """Read a survey tool's export, each codebook item's values taken from the question its ``source`` names.

    Parameters
    ----------
    path : str or Path
        The export, CSV or XLSX.
    codebook : Codebook
        The instrument's codebook.
    export_format : {"surveymonkey", "msforms"}
        The survey tool that wrote the export.

    Returns
    -------
    pandas.DataFrame
        A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them.
    """
    header_rows = 2 if export_format == "surveymonkey" else 1
    rows = read_rows(path, header_rows=header_rows)
    columns = _surveymonkey_columns(path, rows) if header_rows == 2 else _forms_columns(path, rows)
    sources = _match(path, codebook, columns, export_format)
    values = [_values(source, rows, header_rows) for source in sources]
    del rows  # personal data goes no further than the rows read
    return frame_from_columns(path, [source.item.id for source in sources], values, first_row=header_rows + 1)


def is_surveymonkey_header(header: list[str]) -> bool:
    """Whether a file's first row is that of a SurveyMonkey export.

    Parameters
    ----------
    header : list of str
        The text of each cell of the file's first row.

    Returns
    -------
    bool
        True when the row has SurveyMonkey's ``Respondent ID`` column (whatever its case and spacing).
    """
    return _SURVEYMONKEY_ID in {normalise(name) for name in header}


def is_forms_header(header: list[str]) -> bool:
    """Whether a file's first row is that of a Microsoft Forms export.

    Parameters
    ----------
    header : list of str
        The text of each cell of the file's first row.

    Returns
    -------
    bool
        True when the row has Forms' ``ID``, ``Start time`` and ``Completion time`` columns (whatever their case and
        spacing).
    """
    return set(_FORMS_REQUIRED) <= {normalise(name) for name in header}
