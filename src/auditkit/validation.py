"""Checking a data file against its codebook, and turning it into typed records.

The rules come from the codebook and the round: a pandera schema is built for each
instrument, every problem is collected at once, and each is reported as one sentence
naming the file, the row as Excel shows it, the column, the value and what is allowed.
"""

from __future__ import annotations

import difflib
from typing import Callable, Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from auditkit.codebook import Codebook, Item
from auditkit.errors import DataError, DataValidationError, Problem
from auditkit.parameters import Instrument, Round
from auditkit.exports import read_instrument
from auditkit.readers import ROW
from auditkit.wording import format_date

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")


def allowed_codes(item: Item, round_: Round) -> tuple[str, ...]:
    """The value codes a column may hold (a round's areas for area items)."""
    if item.type == "area":
        return (*round_.areas, *(value.code for value in item.extra_values))
    return item.codes


def _parse_dates(column: pd.Series) -> pd.Series:
    """Parse ISO or dd/mm/yyyy dates; a value that is neither keeps its text."""
    parsed = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns]")
    for date_format in _DATE_FORMATS:
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
    """Map codes and labels, whatever their case and spacing, to the codebook's codes."""
    lookup = {code.casefold(): code for code in codes}
    for value in (*item.values, *item.extra_values):
        lookup.setdefault(" ".join(value.label.split()).casefold(), value.code)
    return _per_value(column, lambda value: lookup.get(" ".join(str(value).split()).casefold(), value))


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


def _date_checks(item: Item, round_: Round) -> list[pa.Check]:
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


def build_schema(codebook: Codebook, round_: Round) -> pa.DataFrameSchema:
    """The pandera schema for one instrument's normalised data in one round."""
    columns = {}
    for item in codebook.items:
        checks: list[pa.Check] = []
        if item.type in ("choice", "area"):
            codes = list(allowed_codes(item, round_))
            checks.append(pa.Check(lambda column, codes=codes: column.isin(codes), name=f"allowed_{item.type}"))
        elif item.type == "date":
            checks.extend(_date_checks(item, round_))
        nullable = not item.required or codebook.partial_records and not item.unique
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
    return {
        "allowed_choice": lambda: f"is not an allowed value; allowed: {_allowed_list(allowed)}.{_suggestion(value, allowed)}",
        "allowed_area": lambda: (
            f"is not one of the round's areas; allowed: {_allowed_list(allowed)}.{_suggestion(value, allowed)}"
        ),
        "date": lambda: "is not a date; write dates as 2017-04-30 or 30/04/2017.",
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
        problems.append(
            Problem(path, 1, column, None, f"is not an item of the codebook {codebook.path.name}.{hint}")
        )
    for item in codebook.required_items:
        if item.id not in table.columns:
            problems.append(
                Problem(path, 1, item.id, None, "is a required column but the header row does not have it.")
            )
    repeated = sorted({column for column in table.columns if list(table.columns).count(column) > 1})
    problems.extend(Problem(path, 1, column, None, "appears more than once in the header row.") for column in repeated)
    return problems


def _value_problems(
    frame: pd.DataFrame, table: pd.DataFrame, instrument: Instrument, round_: Round
) -> list[Problem]:
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
        message = _messages(item, round_, value).get(check, lambda: f"fails the check {check}.")()
        problems.append(Problem(instrument.data, row, item.id, value, message))
    return problems


def _typed(frame: pd.DataFrame, codebook: Codebook, round_: Round) -> pd.DataFrame:
    typed = {}
    for item in codebook.items:
        column = frame[item.id]
        if item.type in ("choice", "area"):
            typed[item.id] = pd.Categorical(column, categories=list(allowed_codes(item, round_)), ordered=True)
        elif item.type == "date":
            typed[item.id] = pd.to_datetime(column.astype(object).where(column.notna(), None))
        else:
            typed[item.id] = column.astype("string")
    return pd.DataFrame(typed, index=frame.index)


def check_records(instrument: Instrument, round_: Round) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check one instrument's data; return the typed records (or None) and every problem."""
    table = read_instrument(instrument)
    header_problems = _column_problems(table, instrument)
    missing = [problem for problem in header_problems if problem.column not in table.columns]
    repeated = table.columns.duplicated().any()
    if missing or repeated:
        return None, header_problems
    known = table[[column for column in table.columns if column in instrument.codebook.by_id]]
    frame = _normalise(known, instrument.codebook, round_)
    order = {column: index for index, column in enumerate(table.columns)}
    problems = header_problems + _value_problems(frame, known, instrument, round_)
    problems.sort(key=lambda problem: (problem.row or 0, order.get(problem.column, len(order))))
    if problems:
        return None, problems
    records = _typed(frame, instrument.codebook, round_)
    records.index.name = ROW
    return records, []


def load_round_records(round_: Round) -> dict[str, pd.DataFrame]:
    """Every instrument's typed records; raises one error listing every problem in every file."""
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
