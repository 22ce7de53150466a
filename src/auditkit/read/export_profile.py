"""A survey export profiled for a draft codebook: what each question's answers are, never what a respondent wrote.

``auditkit draft-codebook`` reads a SurveyMonkey, Microsoft Forms, Google Forms or plain export (CSV or XLSX),
recognised as ``auditkit validate`` recognises it, and profiles each column: yes/no or another known scale
(:mod:`auditkit.read.answer_scales`), a list of choices, the options of a multi-select question, a numbered
scale, numbers, dates or free text. Personal data is left out, with the reason: the tool's own columns (email,
name, IP address, custom data), a question that asks for it (a name, an email address, a phone number, an
address, a postcode, a date of birth), and any column whose answers look like email addresses, phone numbers or
IP addresses.

**No respondent's own words leave this module.** A value is proposed only from the export's own option
metadata (SurveyMonkey's second header row), from a scale's known labels, or from an answer given at least
:data:`MIN_REPEATS` times that looks like no personal data and no formula; a column with any other answer is free
text, and only how many answers were left out is said.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import DataError
from auditkit.read.answer_scales import recognise_scale
from auditkit.read.export_columns import EXPORT_LAYOUTS, ExportColumn, export_columns, header_rows
from auditkit.read.formats import FORMATS
from auditkit.read.matching import normalise, split_choices
from auditkit.read.tables import DataFile, column_texts, read_data_file
from auditkit.read.validation import DATE_FORMATS

__all__ = ["MIN_REPEATS", "MOST_BYTES", "ColumnProfile", "ExportProfile", "LeftOut", "profile_export"]

#: How many times an answer must be given to be proposed as a value: fewer may be a respondent's own words.
MIN_REPEATS = 3
#: The largest export read, by suffix: a draft needs the first few thousand responses, not a year's.
MOST_BYTES = {".csv": 20 << 20, ".xlsx": 5 << 20}
#: A choice list longer than this is taken for free text.
_MOST_CHOICES = 40
#: The ends of a numbered scale (0–10, 1–5…): its points are the scale's, not a respondent's words.
_SCALE_STARTS, _SCALE_ENDS = {0, 1}, {3, 4, 5, 6, 7, 10}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+\d{10,14}|0\d{9,10}")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")
_POSTCODE = re.compile(r"[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_FORMULA_START = ("=", "+", "-", "@")
#: A question that asks for personal data: a name, an email address, a phone number, an address, a postcode, a date
#: of birth, a username ("May we quote you, without your name?" does not).
_PERSONAL_QUESTION = re.compile(
    r"^(your |full |first |last |given |family |sur)?names?\b"
    r"|\b(what is|what's|please give|please enter|enter) your (full )?name\b"
    r"|\b(child|young person|student|pupil|respondent|parent|carer|family)('s)? (full )?names?\b"
    r"|\bname of (the |your )?(child|young person|student|pupil|family|parent|carer)\b"
    r"|^e-?mail\b|\be-?mail address\b|\byour e-?mail\b"
    r"|\b(tele)?phone number\b|\b(mobile|contact) number\b|^(tele)?phone\b|^mobile\b"
    r"|\b(home|postal|street|contact|your) address\b|^address\b"
    r"|\bpost ?code\b|\bzip code\b|\bdate of birth\b|\bd\.?o\.?b\b|\bip address\b|\buser ?name\b"
    r"|\bcustom (data|variable)\b"
)


@dataclass(frozen=True)
class ColumnProfile:
    """One item of the draft: a question (or one of its options) and what its answers are.

    ``kind`` is one of ``response_id``, ``row_number`` (Google Forms numbers no response: its row in the export
    stands for its number), ``scale`` (yes/no included), ``choice``, ``numbered_scale``, ``ticked``
    (an option of a multi-select question: yes when ticked), ``numbers``, ``date``, ``text`` and ``unanswered``.
    ``values`` are the (code, label) pairs proposed, ``met`` and ``not_applicable`` the codes proposed as such.
    ``left_out`` counts the distinct answers not copied (given fewer than :data:`MIN_REPEATS` times);
    ``mean_length`` is the answers' mean length in characters.
    """

    question: str
    kind: str
    option: str = ""
    values: tuple[tuple[str, str], ...] = ()
    scale: str = ""
    met: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    ordinal: bool = False
    answered: int = 0
    left_out: int = 0
    mean_length: float = 0.0

    @property
    def source(self) -> str:
        """The item's ``source``: the question as the export writes it, or ``Question | Option``."""
        return f"{self.question} | {self.option}" if self.option else self.question


@dataclass(frozen=True)
class LeftOut:
    """A column the draft leaves out: its ``question`` (or ``Question | Option``) and the ``reason``."""

    question: str
    reason: str


@dataclass(frozen=True)
class ExportProfile:
    """A profiled export: its ``path``, the format it was recognised as (``format_name``, ``format_title``), its
    number of ``responses``, the ``columns`` to draft, the personal-data columns ``left_out`` and the tool's own
    ``metadata`` columns, which are not read."""

    path: Path
    format_name: str
    format_title: str
    responses: int
    columns: tuple[ColumnProfile, ...]
    left_out: tuple[LeftOut, ...]
    metadata: tuple[str, ...]

    @property
    def described(self) -> str:
        """What the file is, for a sentence: "the Google Forms export", "the plain table"."""
        return "the plain table" if self.format_name == "table" else f"the {self.format_title} export"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(text)).strip("_") or "value"


def _coded(labels: list[str]) -> tuple[tuple[str, str], ...]:
    codes: list[str] = []
    for label in labels:
        code, number = _slug(label), 2
        while code in codes:
            code, number = f"{_slug(label)}_{number}", number + 1
        codes.append(code)
    return tuple(zip(codes, labels))


def _looks_personal(answer: str) -> bool:
    compact = _PHONE_PUNCTUATION.sub("", answer)
    return bool(
        _EMAIL.fullmatch(answer)
        or _PHONE.fullmatch(compact)
        or _IP_ADDRESS.fullmatch(answer)
        or _POSTCODE.fullmatch(normalise(answer))
    )


def _proposable(answer: str) -> bool:
    """Whether an answer given often enough may be written as a value: no personal data, no formula."""
    return not _looks_personal(answer) and not (answer.startswith(_FORMULA_START) and not _NUMBER.fullmatch(answer))


def _is_date(answer: str) -> bool:
    for date_format in DATE_FORMATS:
        try:
            dt.datetime.strptime(answer, date_format)
        except ValueError:
            continue
        return True
    return False


def _repeated(answers: list[str]) -> tuple[list[str], int]:
    """The answers given at least :data:`MIN_REPEATS` times that may be proposed (first spelling, first-given
    order), and how many distinct answers are not."""
    counts = Counter(normalise(answer) for answer in answers)
    first: dict[str, str] = {}
    for answer in answers:
        first.setdefault(normalise(answer), answer)
    kept = [first[key] for key in first if counts[key] >= MIN_REPEATS and _proposable(first[key])]
    return kept, len(first) - len(kept)


def _single(question: str, option: str, answers: list[str]) -> ColumnProfile:
    """The profile of a column holding one answer per response."""
    base = {"question": question, "option": option, "answered": len(answers)}
    base["mean_length"] = sum(map(len, answers)) / len(answers) if answers else 0.0
    if not answers:
        return ColumnProfile(kind="unanswered", **base)
    distinct = list(dict.fromkeys(answers))
    found = recognise_scale(distinct)
    if found is not None:
        scale, values = found
        codes = {code for code, _ in values}
        met = tuple(code for code in scale.met if code in codes)
        unsure = tuple(code for code in scale.not_applicable if code in codes)
        return ColumnProfile(
            kind="scale", values=values, scale=scale.name, met=met, not_applicable=unsure, ordinal=scale.ordinal, **base
        )
    if all(_is_date(answer) for answer in distinct):
        return ColumnProfile(kind="date", **base)
    if all(_NUMBER.fullmatch(answer) for answer in distinct):
        numbers = {float(answer) for answer in distinct}
        low, high = min(numbers), max(numbers)
        if all(number.is_integer() for number in numbers) and low in _SCALE_STARTS and high in _SCALE_ENDS:
            points = [str(point) for point in range(int(low), int(high) + 1)]
            return ColumnProfile(kind="numbered_scale", values=tuple(zip(points, points)), ordinal=True, **base)
        return ColumnProfile(kind="numbers", **base)
    kept, left_out = _repeated(answers)
    if not left_out and len(kept) <= _MOST_CHOICES:
        return ColumnProfile(kind="choice", values=_coded(kept), **base)
    return ColumnProfile(kind="text", left_out=left_out if kept else 0, **base)


def _always_together(cells: list[list[str]]) -> tuple[str, str] | None:
    """Two parts (as :func:`normalise` makes them), the first always followed by the second and the second always
    preceded by the first; None when there are none."""
    after: dict[str | None, set[str | None]] = {}
    before: dict[str | None, set[str | None]] = {}
    for cell in cells:
        keys: list[str | None] = [normalise(piece) for piece in cell]
        for first, second in zip([None, *keys], [*keys, None]):
            after.setdefault(first, set()).add(second)
            before.setdefault(second, set()).add(first)
    for first, seconds in after.items():
        second = next(iter(seconds)) if len(seconds) == 1 else None
        if first is not None and second is not None and second != first and before[second] == {first}:
            return first, second
    return None


def _pieces(answers: list[str], separators: str) -> list[list[str]] | None:
    """Each cell's parts, split at ``separators``; parts that always stand together, in the same order, are one
    part again ("Health, growth and development" is one option, though it holds a comma). None when the parts are
    too many to be a question's options (free text holding commas)."""
    cells = [[piece.strip() for piece in re.split(separators, answer) if piece.strip()] for answer in answers]
    if len({normalise(piece) for cell in cells for piece in cell}) > 2 * _MOST_CHOICES:
        return None
    while (pair := _always_together(cells)) is not None:
        cells = [_join_pair(cell, pair) for cell in cells]
    return cells


def _join_pair(cell: list[str], pair: tuple[str, str]) -> list[str]:
    joined: list[str] = []
    for piece in cell:
        if joined and (normalise(joined[-1]), normalise(piece)) == pair:
            joined[-1] = f"{joined[-1]}, {piece}"
        else:
            joined.append(piece)
    return joined


def _listed(question: str, answers: list[str], lenient: bool) -> list[ColumnProfile] | None:
    """A multi-select question's options, when its cells list them (None when they do not): each option given at
    least :data:`MIN_REPEATS` times. Microsoft Forms (``lenient``) ends each option with ";", so rarer options may be
    left out; elsewhere options are joined by ", ", and every cell must be made of the options kept."""
    if lenient and not (answers and all(answer.endswith(";") for answer in answers)):
        return None
    if not lenient and not any(re.search(r"[,;]", answer) for answer in answers):
        return None
    cells = _pieces(answers, ";" if lenient else r"[,;]")
    if cells is None:
        return None
    kept, left_out = _repeated([piece for cell in cells for piece in cell])
    splits = [split_choices(answer, kept, ";" if lenient else ",;") for answer in answers]
    if not kept or (not lenient and any(unmatched for _, unmatched in splits)):
        return None
    if max(len(found) for found, _ in splits) < 2:
        return None  # one answer a cell: a list of choices, not of options
    ticked = (("yes", "Yes"), ("no", "No"))
    return [
        ColumnProfile(question, "ticked", label, ticked, answered=len(answers), left_out=0 if number else left_out)
        for number, label in enumerate(kept)
    ]


def _personal_reason(column: ExportColumn, answers: list[str]) -> str | None:
    if column.personal:
        return "the tool's column of personal data"
    if _PERSONAL_QUESTION.search(normalise(column.question)):
        return "its question asks for personal data"
    if any(_looks_personal(answer) for answer in answers):
        return "some answers look like email addresses, phone numbers, postcodes or IP addresses"
    return None


def _check_file(path: Path) -> DataFile:
    suffix = path.suffix.lower()
    if suffix in MOST_BYTES and path.is_file() and path.stat().st_size > MOST_BYTES[suffix]:
        raise DataError(
            path,
            f"the file is {path.stat().st_size / (1 << 20):.0f} MB; draft-codebook reads CSV exports of up to "
            f"{MOST_BYTES['.csv'] >> 20} MB and workbooks of up to {MOST_BYTES['.xlsx'] >> 20} MB. Draft the "
            f"codebook from an export of the first few thousand responses, then validate the whole export with it.",
        )
    data = read_data_file(path)
    shown = [text for text in data.header if text]
    if not shown:
        raise DataError(path, "row 1 is blank: a survey export's first row holds its questions.")
    if len(shown) == 1:
        raise DataError(
            path,
            f"the file has one column ('{shown[0][:60]}'), so it is not a survey export, which has a column for "
            f"each question. If it is CSV separated by something other than commas, semicolons or tabs, save it "
            f"again as CSV.",
        )
    return data


def _check_header(path: Path, rows: list[list[object]]) -> None:
    """Refuse a plain file whose row 1 looks like a response, not questions (its values would be drafted)."""
    header = [" ".join(text.split()) for text in (column_texts(rows, index, 0)[0] for index in range(len(rows[0])))]
    filled = [(index, text) for index, text in enumerate(header) if text]
    below = [{normalise(cell) for cell in column_texts(rows, index, 1) if cell.strip()} for index, _ in filled]
    answers = sum(normalise(text) in values for (_, text), values in zip(filled, below))
    data = sum(bool(_NUMBER.fullmatch(text) or _is_date(text) or _looks_personal(text)) for _, text in filled)
    if 2 * answers >= len(filled) or 2 * data > len(filled):
        also = f"{answers} {'is' if answers == 1 else 'are'} also {'an answer' if answers == 1 else 'answers'}"
        kinds = "is a number, a date or contact details" if data == 1 else "are numbers, dates or contact details"
        raise DataError(
            path,
            f"row 1 does not look like a header: of its {len(filled)} cells, {also} in the rows below and {data} "
            f"{kinds}. A survey export's first row holds its questions; export the file again with its header row.",
        )


def profile_export(path: str | Path) -> ExportProfile:
    """Profile an export for a draft codebook, recognised as ``auditkit validate`` recognises it.

    Returns
    -------
    ExportProfile
        The export's format, its number of responses, a profile for each question (or each option of a
        multi-select question) in the export's order, the columns left out as personal data with why, and the
        tool's own columns. A file that is no export it can read raises :class:`DataError` saying what it saw.
    """
    path = Path(path)
    data = _check_file(path)
    found = FORMATS.detect(path, data.header) or FORMATS.get()
    if found.name not in EXPORT_LAYOUTS:
        raise DataError(path, f"the file looks like a {found.title} export, which draft-codebook cannot read.")
    start = header_rows(found.name)
    rows = data.rows_under(start)
    if found.name == "table":
        _check_header(path, rows)
    responses = sum(any(str(cell).strip() for cell in row if cell is not None) for row in rows[start:])
    if not responses:
        raise DataError(
            path,
            "the file has its header but no responses below it; draft-codebook tells each question's type from its "
            "answers, so export the responses once some are in.",
        )
    columns, left_out, metadata, seen = [], [], [], set()
    for column in export_columns(path, rows, found.name):
        answers = [" ".join(cell.split()) for cell in column_texts(rows, column.index, start) if cell.strip()]
        reason = _personal_reason(column, answers)
        if column.key in seen:
            left_out.append(LeftOut(column.shown, "the same question again; only its first column is read"))
        elif _is_response_id(column, answers, responses) and reason is None:
            columns.append(ColumnProfile(column.question, "response_id", answered=len(answers)))
        elif reason is not None:
            left_out.append(LeftOut(column.shown, reason))
        elif column.metadata:
            metadata.append(column.shown)
        else:
            columns += _profiles(found.name, column, answers)
        seen.add(column.key)
    if found.name == "googleforms" and not any(column.kind == "response_id" for column in columns):
        columns.insert(0, ColumnProfile("ID", "row_number", answered=responses))  # Google numbers no response
    return ExportProfile(path, found.name, found.title, responses, tuple(columns), tuple(left_out), tuple(metadata))


def _is_response_id(column: ExportColumn, answers: list[str], responses: int) -> bool:
    """The tool's response number (SurveyMonkey's Respondent ID, Forms' ID), or a plain export's ID column."""
    named = normalise(column.question) in ("respondent id", "id") and not column.option
    return named and len(answers) == responses == len(set(answers))


def _profiles(export_format: str, column: ExportColumn, answers: list[str]) -> list[ColumnProfile]:
    if column.option and all(normalise(answer) == normalise(column.option) for answer in answers):
        ticked = (("yes", "Yes"), ("no", "No"))
        return [ColumnProfile(column.question, "ticked", column.option, ticked, answered=len(answers))]
    if not column.option and export_format in ("msforms", "googleforms", "table"):
        listed = _listed(column.question, answers, lenient=export_format == "msforms")
        if listed is not None:
            return listed
    return [_single(column.question, column.option, answers)]
