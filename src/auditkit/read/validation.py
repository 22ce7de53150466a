"""Checking a data file against its codebook, and turning it into typed records.

The rules come from the codebook and the round: a pandera schema is built for each
instrument, every problem is collected at once, and each is reported as one sentence
naming the file, the row as Excel shows it, the column, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditkit.config.codebook import Codebook, Item
from auditkit.config.round import Instrument, Round
from auditkit.errors import DataError, DataValidationError, Problem
from auditkit.formatting import format_date
from auditkit.read.csv_arrow import code_type
from auditkit.read.formats import read_instrument, round_formats
from auditkit.read.matching import normalise
from auditkit.read.quick_csv import TRIMMED
from auditkit.read.surveys import READ_PROBLEMS
from auditkit.read.tables import ROW

__all__ = ["DATE_FORMATS", "allowed_codes", "build_schema", "check_records", "load_round_records"]

#: A number as a cell shows it: what an Excel date serial (42829 for 4 April 2017) looks like outside a date cell.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: Past this many characters (values times the longest one's length), values are not made a numpy text array.
_WIDEST_TEXT = 1 << 26
#: The ways a date item's value may be written (``datetime.strptime`` formats); a workbook's date cells read as the
#: first or the third.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")


def allowed_codes(item: Item, round_: Round) -> tuple[str, ...]:
    """The value codes a column may hold (a round's areas for area items).

    Returns
    -------
    tuple of str
        The codes, in the codebook's order (an area item's: the round's areas, then its extra values).
    """
    if item.type == "area":
        return (*round_.areas, *(value.code for value in item.extra_values))
    return item.codes


def _parse_dates(column: pd.Series) -> pd.Series:
    """Parse ISO or dd/mm/yyyy dates; a value that is neither keeps its text."""
    parsed = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns]")
    for date_format in DATE_FORMATS:
        missing = parsed.isna() & column.notna()
        parsed[missing] = pd.to_datetime(column[missing], format=date_format, errors="coerce")
    return parsed.astype(object).where(parsed.notna(), column)


def _per_value(column: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``column.map(function)``, computed once for each distinct value (answers repeat); missing stays missing."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for index, value in enumerate(uniques):
        results[index] = function(value)
    results[-1] = pd.NA  # code -1: a missing value
    return pd.Series(results[codes], index=column.index, dtype=object)


def _stripped(value: object) -> object:
    text = str(value).strip()
    return text if text else pd.NA


def _normalise_choices(column: pd.Series, item: Item, codes: tuple[str, ...]) -> pd.Series:
    """Map codes and labels, whatever their case, spacing, quotes and dashes, to the codebook's codes."""
    lookup = {normalise(code): code for code in codes}
    for value in (*item.values, *item.extra_values):
        lookup.setdefault(normalise(value.label), value.code)
    return _per_value(column, lambda value: lookup.get(normalise(value), value))


def _normalise(table: pd.DataFrame, codebook: Codebook, round_: Round) -> pd.DataFrame:
    """Blank cells become missing, choice and date columns are read into codes and dates."""
    frame = pd.DataFrame({column: _per_value(table[column], _stripped) for column in table.columns}, index=table.index)
    for item in codebook.items:
        if item.id not in frame.columns:
            frame[item.id] = pd.Series(pd.NA, index=frame.index, dtype=object)
        elif item.type in ("choice", "area"):
            frame[item.id] = _normalise_choices(frame[item.id], item, allowed_codes(item, round_))
        elif item.type == "date":
            frame[item.id] = _dates_only(_parse_dates(frame[item.id]))
    return frame[[item.id for item in codebook.items]]


def _dates_only(column: pd.Series) -> pd.Series:
    """Keep the day of each parsed date; a time of day in a date column is dropped."""
    return _per_value(column, lambda value: value.normalize() if isinstance(value, pd.Timestamp) else value)


def _is_date(value: object) -> bool:
    return isinstance(value, pd.Timestamp)


def _date_checks(item: Item, round_: Round) -> list:
    import pandera.pandas as pa

    checks = [pa.Check(lambda column: column.map(_is_date), name="date", ignore_na=True)]
    if item.within_period:
        start, end = pd.Timestamp(round_.period_start), pd.Timestamp(round_.period_end)
        checks.append(
            pa.Check(
                lambda column: column.map(lambda value: not _is_date(value) or start <= value <= end),
                name="within_period",
                ignore_na=True,
            )
        )
    return checks


def build_schema(codebook: Codebook, round_: Round):
    """The pandera schema for one instrument's normalised data in one round.

    Returns
    -------
    pandera.DataFrameSchema
        A column for each codebook item, with its checks (allowed codes, dates, the round's period, required,
        unique).
    """
    import pandera.pandas as pa

    columns = {}
    for item in codebook.items:
        checks: list = []
        if item.type in ("choice", "area"):
            codes = list(allowed_codes(item, round_))
            checks.append(pa.Check(lambda column, codes=codes: column.isin(codes), name=f"allowed_{item.type}"))
        elif item.type == "date":
            checks.extend(_date_checks(item, round_))
        nullable = _nullable(item, codebook)
        columns[item.id] = pa.Column(None, checks=checks, nullable=nullable, unique=item.unique)
    return pa.DataFrameSchema(columns, name=codebook.codebook)


def _allowed_list(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _suggestion(value: object, allowed: tuple[str, ...]) -> str:
    nearest = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.75)
    return f" Did you mean '{nearest[0]}'?" if nearest else ""


def _messages(item: Item, round_: Round, value: object) -> Mapping[str, Callable[[], str]]:
    period = f"{format_date(round_.period_start)} to {format_date(round_.period_end)}"
    allowed = allowed_codes(item, round_)
    parameters = round_.path.name
    return {
        "allowed_choice": lambda: (
            f"is not an allowed value; allowed: {_allowed_list(allowed)}.{_suggestion(value, allowed)}"
        ),
        "allowed_area": lambda: (
            f"is not one of the round's areas; allowed: {_allowed_list(allowed)}."
            + (_suggestion(value, allowed) or f" If it is an area of this round, add it to 'areas' in {parameters}.")
        ),
        "date": lambda: (
            "is a number, not a date; if it is an Excel date serial, format the column as a date, or write dates "
            "as 2017-04-30 or 30/04/2017."
            if _NUMBER.fullmatch(str(value))
            else "is not a date; write dates as 2017-04-30 or 30/04/2017."
        ),
        "within_period": lambda: f"is outside the round's period ({period}).",
        "not_nullable": lambda: "is blank, but this item is required.",
        "field_uniqueness": lambda: f"appears more than once; each {item.id} must be unique in a round.",
    }


def _shown(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else value


def _column_problems(table: pd.DataFrame, instrument: Instrument) -> list[Problem]:
    codebook, path = instrument.codebook, instrument.data
    problems = []
    known = set(codebook.by_id)
    for column in table.columns:
        if column in known:
            continue
        nearest = difflib.get_close_matches(column, sorted(known), n=1)
        hint = f" Did you mean '{nearest[0]}'?" if nearest else ""
        problems.append(Problem(path, 1, column, None, f"is not an item of the codebook {codebook.path.name}.{hint}"))
    for item in codebook.required_items:
        if item.id not in table.columns:
            problems.append(
                Problem(path, 1, item.id, None, "is a required column but the header row does not have it.")
            )
    repeated = sorted({column for column in table.columns if list(table.columns).count(column) > 1})
    problems.extend(Problem(path, 1, column, None, "appears more than once in the header row.") for column in repeated)
    return problems


def _value_problems(frame: pd.DataFrame, table: pd.DataFrame, instrument: Instrument, round_: Round) -> list[Problem]:
    import pandera.pandas as pa

    schema = build_schema(instrument.codebook, round_)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
    else:
        return []
    problems = []
    for case in cases.itertuples(index=False):
        item = instrument.codebook.item(case.column)
        check = str(case.check)
        row = int(case.index)
        typed = table[item.id].loc[row] if item.id in table.columns else None
        value = typed.strip() if isinstance(typed, str) and typed.strip() else _shown(case.failure_case)
        described = _messages(item, round_, value).get(check)
        message = described() if described is not None else f"fails the check {check}."
        problems.append(Problem(instrument.data, row, item.id, value, message))
    return problems


def _distinct(column: pd.Series, unique: bool = False) -> tuple[np.ndarray, pd.Index]:
    """A column as codes into its distinct values (code −1: a missing value).

    ``unique``: the values are expected to differ (a response number), so first ask whether they
    do, which costs a third of numbering them; if they do, each row is its own value.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, categories = column.cat.codes.to_numpy(), column.cat.categories
        counted = codes if len(codes) and codes.min() >= 0 else codes[codes >= 0]  # no copy without gaps
        used = np.bincount(counted, minlength=len(categories)) > 0
        if used.all():
            return codes, categories
        renumbered = np.append(np.cumsum(used) - 1, -1)  # categories no row gave are dropped
        return renumbered[codes], categories[used]
    if unique:
        values = pd.Index(column.to_numpy(dtype=object), dtype=object, copy=False)
        if values.is_unique and not values.hasnans:
            return np.arange(len(values)), values
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Index(uniques, dtype=object)


def _stripped_values(values: pd.Index, trimmed: bool = False) -> tuple[np.ndarray, bool]:
    """:func:`_stripped` of each value (trimmed text, or missing when blank), and whether none changed.

    ``trimmed``: the reader found every value already trimmed and not blank.
    """
    if trimmed:
        return values.to_numpy(dtype=object), True
    if (
        len(values) > 1000
        and values.inferred_type == "string"
        and len(values) * max(map(len, values)) <= _WIDEST_TEXT  # numpy gives each value the longest one's width
        and "\x00" not in "".join(values)
    ):
        text = values.to_numpy(dtype=str)
        trimmed = np.strings.strip(text)  # as str.strip does, in C
        blank = np.strings.str_len(trimmed) == 0
        if not blank.any() and (trimmed == text).all():
            return values.to_numpy(dtype=object), True
        stripped = trimmed.astype(object)
        stripped[blank] = pd.NA
        return stripped, False
    return np.array([_stripped(value) for value in values], dtype=object), False


@dataclass(frozen=True)
class _Column:
    """One item's values: each row's code into the distinct normalised values, and which rows break a rule."""

    codes: np.ndarray
    values: np.ndarray
    broken: np.ndarray


def _checked_column(column: pd.Series, item: Item, round_: Round, nullable: bool, trimmed: bool = False) -> _Column:
    """Normalise and check each distinct value once (as :func:`_normalise` and :func:`build_schema` do row by row).

    ``broken`` marks every row that may break a rule; the rows it marks are then checked by pandera
    itself, so that messages stay exactly what they were.
    """
    raw_codes, raw_values = _distinct(column, unique=item.unique)
    normal, unchanged = _stripped_values(raw_values, trimmed and not (raw_codes < 0).any())
    present = pd.notna(normal)
    if item.type in ("choice", "area"):
        codes = allowed_codes(item, round_)
        normal = _normalise_choices(pd.Series(normal, dtype=object), item, codes).to_numpy(dtype=object)
        bad = present & ~pd.Series(normal, dtype=object).isin(codes).to_numpy()
    elif item.type == "date":
        normal = _dates_only(_parse_dates(pd.Series(normal, dtype=object))).to_numpy(dtype=object)
        bad = present & ~np.fromiter((_is_date(value) for value in normal), dtype=bool, count=len(normal))
        if item.within_period:
            start, end = pd.Timestamp(round_.period_start), pd.Timestamp(round_.period_end)
            bad |= np.fromiter(
                (_is_date(value) and not start <= value <= end for value in normal), dtype=bool, count=len(normal)
            )
    else:
        bad = np.zeros(len(normal), dtype=bool)
    missing = ~present
    if (unchanged and item.type == "text") or (not missing.any() and len(set(normal)) == len(normal)):
        row_codes, values = raw_codes, normal  # distinct values that stay distinct: no need to hash them again
    else:
        folded, values = pd.factorize(pd.Series(normal, dtype=object), use_na_sentinel=True)
        row_codes = np.append(folded, -1)[raw_codes]
    broken = np.append(bad, False)[raw_codes] if bad.any() else np.zeros(len(raw_codes), dtype=bool)
    if not nullable and (missing.any() or (raw_codes < 0).any()):
        broken |= row_codes < 0
    if item.unique and len(values):
        counts = np.bincount(row_codes[row_codes >= 0], minlength=len(values))
        if (counts > 1).any():
            broken |= np.append(counts > 1, False)[row_codes]
    return _Column(row_codes, np.asarray(values, dtype=object), broken)


def _typed_column(checked: _Column, item: Item, round_: Round, index: pd.Index):
    """The records' column for an item whose values all passed: categories, dates or text."""
    if item.type in ("choice", "area"):
        categories = list(allowed_codes(item, round_))
        position = {code: number for number, code in enumerate(categories)}
        codes = [position.get(value, -1) for value in checked.values] + [-1]
        mapped = np.array(codes, dtype=code_type(len(categories)))  # as pandas stores them
        return pd.Categorical.from_codes(mapped[checked.codes], categories=categories, ordered=True)
    rows = len(checked.codes)
    if item.type == "text" and len(checked.values) == rows and np.array_equal(checked.codes, np.arange(rows)):
        return pd.Series(pd.array(checked.values, dtype="string"), index=index)  # each row its own value
    values = pd.Series([*checked.values, pd.NA], dtype=object)
    if item.type == "date":
        converted = pd.to_datetime(values.where(values.notna(), None))
        return pd.Series(converted.to_numpy()[checked.codes], index=index, dtype=converted.dtype)
    return pd.Series(values.to_numpy()[checked.codes], index=index, dtype=object).astype("string")


def _nullable(item: Item, codebook: Codebook) -> bool:
    return not item.required or codebook.partial_records and not item.unique


def check_records(instrument: Instrument, round_: Round) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check one instrument's data.

    Returns
    -------
    records : pandas.DataFrame or None
        The typed records, or None when a problem was found.
    problems : list of Problem
        Every problem found, in the order of the rows and columns.
    """
    table = read_instrument(instrument)
    header_problems = _column_problems(table, instrument)
    missing = [problem for problem in header_problems if problem.column not in table.columns]
    repeated = table.columns.duplicated().any()
    if missing or repeated:
        return None, header_problems
    known = table[[column for column in table.columns if column in instrument.codebook.by_id]]
    codebook = instrument.codebook
    absent = pd.Series(pd.NA, index=known.index, dtype=object)
    trimmed = table.attrs.get(TRIMMED, frozenset())
    checked = {
        item.id: _checked_column(
            known[item.id] if item.id in known.columns else absent,
            item,
            round_,
            _nullable(item, codebook),
            item.id in trimmed,
        )
        for item in codebook.items
    }
    broken = np.logical_or.reduce([column.broken for column in checked.values()]) if checked else None
    problems = [*header_problems, *table.attrs.get(READ_PROBLEMS, ())]  # answers a survey export lists in one cell
    if broken is not None and broken.any():
        rows = known.loc[broken]
        problems += _value_problems(_normalise(rows, codebook, round_), rows, instrument, round_)
    order = {column: index for index, column in enumerate(table.columns)}
    problems.sort(key=lambda problem: (problem.row or 0, order.get(problem.column, len(order))))
    if problems:
        return None, problems
    records = pd.DataFrame(
        {item.id: _typed_column(checked[item.id], item, round_, known.index) for item in codebook.items},
        index=known.index,
    )
    records.index.name = ROW
    return records, []


def load_round_records(round_: Round) -> dict[str, pd.DataFrame]:
    """Every instrument's typed records; raises one error listing every problem in every file.

    Returns
    -------
    dict of str to pandas.DataFrame
        Each instrument's records, by the instrument's name: a column per codebook item (categories, dates or
        text), indexed by the rows' numbers as Excel shows them.

    Raises
    ------
    auditkit.errors.ParametersError
        Before any file is read, when an instrument's format is not known.
    auditkit.errors.DataValidationError
        Listing every problem in every file.
    """
    round_formats(round_)
    records, problems = {}, []
    for name, instrument in round_.instruments.items():
        try:
            frame, found = check_records(instrument, round_)
        except DataError as exc:
            frame, found = None, [Problem(exc.path, None, None, None, exc.reason)]
        problems.extend(found)
        if frame is not None:
            records[name] = frame
    if problems:
        raise DataValidationError(problems)
    return records
