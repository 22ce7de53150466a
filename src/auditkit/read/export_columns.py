"""The columns of a survey tool's export: the question over each, the option under it, and which hold personal data.

Each tool lays its header out its own way; this module reads them all into one list of :class:`ExportColumn`.

* **SurveyMonkey** ("All individual responses", CSV or XLSX, expanded columns): row 1 holds the respondent
  metadata headers and each question's text over its first column; row 2 holds "Response" (or "Open-Ended
  Response") under a single-answer question and each option's text under a multi-select question (or each row's
  text under a matrix question). Responses start in row 3.
* **Microsoft Forms** (XLSX): one header row, ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name`` (and
  ``Last modified time`` in newer exports), then one column per question; a multi-select answer is one cell listing
  the options ticked, each followed by ``;``.
* **Google Forms** (the CSV downloaded from Forms, or the linked Sheet downloaded as XLSX or CSV): one header row,
  ``Timestamp``, then ``Email address`` or ``Username`` when the form collects them, then one column per question
  (a grid question's rows as ``Question [Row]``); a multi-select answer is one cell listing the options ticked,
  joined by ", ".
* **A plain table**: one header row, one column per question.

Personal data (email addresses, names, usernames, IP addresses, custom data, contact details) is marked
``personal``: the reader leaves it behind and an item may not name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import DataError
from auditkit.read.matching import normalise
from auditkit.read.tables import column_texts

__all__ = [
    "EXPORT_LAYOUTS",
    "OPTION_SEPARATOR",
    "ExportColumn",
    "export_columns",
    "header_rows",
    "is_forms_header",
    "is_google_header",
    "is_surveymonkey_header",
]

#: Between a question and one of its options in an item's ``source``.
OPTION_SEPARATOR = " | "
#: The export layouts known, by the name of their format: how many header rows each has.
EXPORT_LAYOUTS = {"surveymonkey": 2, "msforms": 1, "googleforms": 1, "table": 1}

_SURVEYMONKEY_ID = "respondent id"
_SURVEYMONKEY_ANSWER = frozenset({"response", "open-ended response"})
_FORMS_REQUIRED = ("id", "start time", "completion time")
#: What the first column of a Google Forms export is headed, as Google writes it (an item id is lower case).
_GOOGLE_FIRST = "Timestamp"
_METADATA = {
    "surveymonkey": frozenset({"respondent id", "collector id", "start date", "end date"}),
    "msforms": frozenset(
        {"id", "start time", "completion time", "last modified time", "total points", "quiz feedback"}
    ),
    "googleforms": frozenset({"timestamp", "score", "total score"}),
    "table": frozenset(),
}
_PERSONAL = frozenset({"ip address", "email address", "email", "e-mail", "first name", "last name", "name", "username"})
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


def _is_personal_name(text: str) -> bool:
    name = normalise(text)
    return name in _PERSONAL or _PERSONAL_PATTERN.fullmatch(name) is not None


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its position (from 0), the question over it and the option (or matrix row) under it.

    ``personal``: it holds personal data, which is never read. ``metadata``: the tool's own column (a response
    number, a time), not a question.
    """

    index: int
    question: str
    option: str = ""
    personal: bool = False
    metadata: bool = False

    @property
    def shown(self) -> str:
        """The column as an item's ``source`` names it: the question, or ``Question | Option``."""
        return f"{self.question}{OPTION_SEPARATOR}{self.option}" if self.option else self.question

    @property
    def key(self) -> str:
        """:attr:`shown` as it is compared (:func:`auditkit.read.matching.normalise`)."""
        return normalise(self.shown)


def _header(rows: list[list[object]], index: int, width: int) -> list[str]:
    row = rows[index] if index < len(rows) else []
    return [column_texts([row], column, 0)[0].strip() for column in range(width)]


def _single_header(rows: list[list[object]], export_format: str) -> list[ExportColumn]:
    metadata = _METADATA[export_format]
    columns = []
    for index, text in enumerate(_header(rows, 0, len(rows[0]))):
        if text:
            personal = _is_personal_name(text)
            columns.append(
                ExportColumn(index, text, personal=personal, metadata=personal or normalise(text) in metadata)
            )
    return columns


def _surveymonkey_columns(path: Path, rows: list[list[object]]) -> list[ExportColumn]:
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
        personal = _is_personal_name(question) or normalise(option) in _CONTACT_FIELDS
        metadata = not option and (normalise(question) in _METADATA["surveymonkey"] or personal)
        columns.append(ExportColumn(index, question, option, personal, metadata))
    return columns


def _forms_columns(path: Path, rows: list[list[object]]) -> list[ExportColumn]:
    top = _header(rows, 0, len(rows[0]))
    missing = [name for name in _FORMS_REQUIRED if name not in {normalise(text) for text in top}]
    if missing:
        raise DataError(
            path,
            "the file does not look like a Microsoft Forms export: row 1 has no "
            f"{', '.join(repr(name.capitalize() if name != 'id' else 'ID') for name in missing)} column. Download the "
            "responses from Forms (Responses → Open in Excel), or change the instrument's format.",
        )
    return _single_header(rows, "msforms")


def _google_columns(path: Path, rows: list[list[object]]) -> list[ExportColumn]:
    if not is_google_header(_header(rows, 0, len(rows[0]))):
        raise DataError(
            path,
            f"the file does not look like a Google Forms export: its first column is not headed "
            f"'{_GOOGLE_FIRST}'. Download the responses from Forms (Responses → Download responses (.csv)) or from "
            f"the linked Sheet (File → Download), or change the instrument's format.",
        )
    return _single_header(rows, "googleforms")


def header_rows(export_format: str) -> int:
    """How many header rows an export of ``export_format`` has.

    Returns
    -------
    int
        2 for SurveyMonkey, 1 for the others.
    """
    return EXPORT_LAYOUTS[export_format]


def export_columns(path: Path, rows: list[list[object]], export_format: str) -> list[ExportColumn]:
    """The columns of an export, from its header rows.

    Parameters
    ----------
    path : Path
        The export, for messages.
    rows : list of list
        The file's rows, the header rows first.
    export_format : {"surveymonkey", "msforms", "googleforms", "table"}
        The tool that wrote it (``table``: a plain table of questions).

    Returns
    -------
    list of ExportColumn
        Every column with a header, in the file's order. A file that does not have the tool's header raises
        :class:`~auditkit.errors.DataError` saying so.
    """
    if export_format == "surveymonkey":
        return _surveymonkey_columns(path, rows)
    if export_format == "msforms":
        return _forms_columns(path, rows)
    if export_format == "googleforms":
        return _google_columns(path, rows)
    return _single_header(rows, "table")


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


def is_google_header(header: list[str]) -> bool:
    """Whether a file's first row is that of a Google Forms export (downloaded from Forms or from its Sheet).

    Parameters
    ----------
    header : list of str
        The text of each cell of the file's first row.

    Returns
    -------
    bool
        True when its first cell is ``Timestamp``, written as Google writes it (a table's item ids are lower case).
    """
    return bool(header) and str(header[0]).strip() == _GOOGLE_FIRST
