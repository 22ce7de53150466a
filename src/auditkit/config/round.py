"""A round: the YAML parameters file that names its data, codebooks and briefing text.

Relative paths in a parameters file are resolved against the folder that holds the
parameters file, never against the working directory, so ``auditkit run`` works from
anywhere. Absolute paths are used as they are. A codebook may be named instead
(``codebook: toolkit_survey``): :func:`auditkit.config.workbook.resolve_codebook` finds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import pydantic

from auditkit.config.actions import Action, parse_actions
from auditkit.config.breakdowns import Breakdown, FunnelChoice, resolve_breakdowns
from auditkit.config.briefing_output import BRIEFING_FORMATS, check_formats, resolve_docx_template
from auditkit.config.codebook import STATEMENT_PLACEHOLDERS, Codebook, Item, check_placeholders, load_codebook
from auditkit.config.disclosure_rule import DisclosureRule, check_symbol
from auditkit.config.indicator_codebook import IndicatorCodebook, load_indicator_codebook
from auditkit.config.input_files import file_problem, resolve_path, shown_path
from auditkit.config.links import checked_url
from auditkit.config.model_check import check_model
from auditkit.config.power_settings import PowerSettings
from auditkit.config.redact_list import check_redact_list
from auditkit.config.round_items import check_areas, find_item
from auditkit.config.workbook import resolve_codebook
from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import CodebookError, ParametersError

__all__ = [
    "DATA_SUFFIXES",
    "DEFAULT_FORMAT",
    "FORMAT_NAME_PATTERN",
    "DataFormat",
    "IndicatorTable",
    "Instrument",
    "KeyFinding",
    "ROUND_ID_MAX_LENGTH",
    "ROUND_ID_PATTERN",
    "Round",
    "load_round",
    "read_areas_and_period",
    "read_round_id",
]

#: The suffixes a data file may have: CSV or Excel.
DATA_SUFFIXES = (".csv", ".xlsx")
#: What a data format's name may be (the ``format:`` of an instrument): lower-case letters and ``_``.
FORMAT_NAME_PATTERN = r"^[a-z_]+$"
#: The data format of a file that no other format recognises: a table with item ids (or questions) as headers.
DEFAULT_FORMAT = "table"
#: What a round id may be: letters, digits, '-', '_' and '.', starting with a letter or digit.
ROUND_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
#: The longest round id, in characters: it names the report's folder, and a file name may have at most 255.
ROUND_ID_MAX_LENGTH = 64
_ROUND_ID_RULE = (
    f"a round id is at most {ROUND_ID_MAX_LENGTH} characters long and holds only letters (a-z, A-Z), digits, "
    f"'-', '_' and '.', starting with a letter or digit (no spaces)"
)


def _round_id(value: str) -> str:
    if len(value) > ROUND_ID_MAX_LENGTH:
        raise ValueError(f"the round id is {len(value)} characters long; {_ROUND_ID_RULE}")
    if not re.fullmatch(ROUND_ID_PATTERN, value):
        raise ValueError(f"{value!r} is not a round id; {_ROUND_ID_RULE}")
    return value


def _format_name(name: str) -> str:
    if not re.fullmatch(FORMAT_NAME_PATTERN, name):
        raise ValueError(
            f"{name!r} is not a data format's name; write it in lower-case letters, as in 'format: {name.lower()}'"
            if re.fullmatch(FORMAT_NAME_PATTERN, name.lower())
            else f"{name!r} is not a data format's name; a format is named in lower-case letters and '_'"
        )
    return name


#: How an instrument's data file is laid out, by name: a table with item ids as headers (``table``), or a survey
#: tool's export. The names known are those of ``auditkit.read.formats.FORMATS``; an unknown one is named when
#: the instrument's data is read. An instrument that names none has its file's format recognised from the file.
DataFormat = Annotated[str, pydantic.AfterValidator(_format_name)]


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


class _Period(_Strict):
    start: dt.date
    end: dt.date

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> _Period:
        if self.end < self.start:
            raise ValueError(f"period → end ({self.end}) is before period → start ({self.start})")
        return self


class _InstrumentEntry(_Strict):
    codebook: str
    data: str
    format: DataFormat | None = None


class _Recommendation(_Strict):
    text: str
    also: tuple[str, ...] = ()


class _IndicatorTableEntry(_Strict):
    codebook: str
    data: str | tuple[str, ...]
    benchmarks: dict[str | int, dict[str, float]] | None = None


class _Link(_Strict):
    title: str
    url: str

    @pydantic.field_validator("url")
    @classmethod
    def _allowed_scheme(cls, url: str, info: pydantic.ValidationInfo) -> str:
        return checked_url(url, info.data.get("title", ""))


class _Disclosure(_Strict):
    min_count: int = pydantic.Field(default=5, ge=0)
    symbol: Annotated[str, pydantic.AfterValidator(check_symbol)] = "c"


class _Briefing(_Strict):
    summary: str = ""
    background: tuple[str, ...] = ()
    methodology: dict[str, str] = {}
    definition: str = ""
    quotes_intro: str = ""
    max_quotes: int = pydantic.Field(default=8, ge=0)
    recommendations: dict[str, str | _Recommendation] = {}
    closing: tuple[str, ...] = ()
    further_information: tuple[_Link, ...] = ()
    docx_template: str | None = None


class _ParametersFile(_Strict):
    round: Annotated[str, pydantic.AfterValidator(_round_id)]
    title: str
    partnership: str
    published: dt.date | None = None
    baseline: str | None = None
    period: _Period
    areas: tuple[str, ...] = ()
    instruments: dict[str, _InstrumentEntry] = {}
    indicator_tables: dict[str, _IndicatorTableEntry] = {}
    disclosure: _Disclosure = _Disclosure()
    redact: tuple[str, ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    briefing: _Briefing = _Briefing()
    power: PowerSettings = PowerSettings()
    formats: Annotated[tuple[str, ...], pydantic.AfterValidator(check_formats)] = BRIEFING_FORMATS
    breakdowns: tuple[str, ...] = ()
    funnel: FunnelChoice = FunnelChoice()


def _read_parameters_file(path: Path) -> _ParametersFile:
    return check_model(
        _ParametersFile, read_yaml(path, ParametersError, "parameters"), path, ParametersError, "parameters"
    )


def read_areas_and_period(path: str | Path) -> tuple[tuple[str, ...], dt.date, dt.date]:
    """A parameters file's areas and period, checked as ``auditkit validate`` checks the whole file.

    Nothing else it names is read: its codebooks and data files may not exist yet.

    Returns
    -------
    tuple of (areas, period start, period end)
    """
    parameters = _read_parameters_file(resolve_path(path))
    return parameters.areas, parameters.period.start, parameters.period.end


def read_round_id(path: str | Path) -> str:
    """A parameters file's round id, checked as ``auditkit validate`` checks the whole file; nothing it names is read.

    Returns
    -------
    str
        The ``round:`` id, which names the round's report folder.
    """
    return _read_parameters_file(resolve_path(path)).round


@dataclass(frozen=True)
class Instrument:
    """One instrument of a round: its name in the round, its codebook, its data file and how that is laid out
    (``format``: None when its entry names none, and the file's format is recognised from the file)."""

    name: str
    codebook: Codebook
    data: Path
    format: str | None = None


@dataclass(frozen=True)
class IndicatorTable:
    """An aggregate indicator table of a round: its codebook, its data files and any benchmarks it sets."""

    name: str
    codebook: IndicatorCodebook
    data: tuple[Path, ...]
    benchmarks: Mapping[str, Mapping[str, float]] | None


@dataclass(frozen=True)
class KeyFinding:
    """A numbered key finding: the items it reports and the recommendation that follows."""

    instrument: str
    item: Item
    recommendation: str
    also: tuple[tuple[str, Item], ...] = ()


@dataclass(frozen=True)
class Round:
    """Everything a run needs to know about one audit round, checked and resolved."""

    id: str
    title: str
    partnership: str
    published: dt.date | None
    period_start: dt.date
    period_end: dt.date
    baseline: Path | None
    areas: tuple[str, ...]
    instruments: Mapping[str, Instrument]
    indicator_tables: Mapping[str, IndicatorTable]
    disclosure: DisclosureRule
    redact: tuple[str, ...]
    briefing: _Briefing
    key_findings: tuple[KeyFinding, ...]
    actions: tuple[Action, ...]
    path: Path
    power: PowerSettings = PowerSettings()
    formats: tuple[str, ...] = BRIEFING_FORMATS  # html, pdf, docx: the briefing's formats
    docx_template: Path | None = None  # the Word briefing's styles; None: auditkit's own
    breakdowns: tuple[Breakdown, ...] = ()
    funnel_target: str = "pooled_areas"

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Every file the round reads.

        Returns
        -------
        tuple of Path
            The parameters file, then each instrument's codebook and data, then each indicator table's, then any
            Word template.
        """
        files = [self.path]
        for instrument in self.instruments.values():
            files.extend([instrument.codebook.path, instrument.data])
        for table in self.indicator_tables.values():
            files.extend([table.codebook.path, *table.data])
        return tuple(files) + ((self.docx_template,) if self.docx_template else ())


def _check_file(where: str, path: Path) -> None:
    """Refuse a path that is not a readable regular file, saying what it is instead (never opening it)."""
    problem = file_problem(path)
    if problem is not None:
        raise ParametersError(f"{where} names {shown_path(path)}, which {problem}.")


def _load_instrument(path: Path, name: str, entry: _InstrumentEntry) -> Instrument:
    base = path.parent
    for key in ("codebook", "data"):
        if not getattr(entry, key).strip():
            raise ParametersError(
                f"{path.name}: instruments → {name} → {key} is empty; fill in the path to this round's {key} file."
            )
    codebook_path = resolve_codebook(entry.codebook, path, f"{path.name}: instruments → {name} → codebook")
    data_path = resolve_path(entry.data, base)
    _check_file(f"{path.name}: instruments → {name} → codebook", codebook_path)
    _check_file(f"{path.name}: instruments → {name} → data", data_path)
    if data_path.suffix.lower() not in DATA_SUFFIXES:
        raise ParametersError(
            f"{path.name}: instruments → {name} → data names {data_path.name}; "
            f"data files must be CSV (.csv) or Excel (.xlsx)."
        )
    try:
        codebook = load_codebook(codebook_path)
    except CodebookError as exc:
        raise ParametersError(f"{path.name}: instruments → {name} → codebook: {exc}") from None
    return Instrument(name=name, codebook=codebook, data=data_path, format=entry.format)


def _load_indicator_table(path: Path, name: str, entry: _IndicatorTableEntry) -> IndicatorTable:
    where = f"{path.name}: indicator_tables → {name}"
    codebook_path = resolve_codebook(entry.codebook, path, f"{where} → codebook")
    _check_file(f"{where} → codebook", codebook_path)
    data = (entry.data,) if isinstance(entry.data, str) else entry.data
    paths = tuple(resolve_path(item, path.parent) for item in data)
    for data_path in paths:
        _check_file(f"{where} → data", data_path)
        if data_path.suffix.lower() not in DATA_SUFFIXES:
            raise ParametersError(f"{where} → data names {data_path.name}; data files must be CSV or Excel (.xlsx).")
    try:
        codebook = load_indicator_codebook(codebook_path)
    except CodebookError as exc:
        raise ParametersError(f"{where} → codebook: {exc}") from None
    benchmarks = None
    if entry.benchmarks is not None:
        benchmarks = MappingProxyType({str(period): dict(values) for period, values in entry.benchmarks.items()})
    return IndicatorTable(name=name, codebook=codebook, data=paths, benchmarks=benchmarks)


def _check_placeholders(path: Path, key: str, text: str) -> None:
    try:
        check_placeholders(text, STATEMENT_PLACEHOLDERS)
    except ValueError as exc:
        raise ParametersError(f"{path.name}: briefing → recommendations → {key} {exc}.") from None


def _key_findings(path: Path, briefing: _Briefing, instruments: Mapping[str, Instrument]) -> tuple[KeyFinding, ...]:
    findings = []
    for key, entry in briefing.recommendations.items():
        recommendation = entry if isinstance(entry, _Recommendation) else _Recommendation(text=entry)
        _check_placeholders(path, key, recommendation.text)
        name, item = find_item(path, instruments, key)
        also = tuple(find_item(path, instruments, other) for other in recommendation.also)
        findings.append(KeyFinding(instrument=name, item=item, recommendation=recommendation.text, also=also))
    return tuple(findings)


def load_round(path: str | Path) -> Round:
    """Read a parameters file, its codebooks and check that every file it names exists.

    Returns
    -------
    Round
        The round, its paths resolved against the parameters file's folder.
    """
    path = resolve_path(path)
    parameters = _read_parameters_file(path)
    repeated = sorted({area for area in parameters.areas if parameters.areas.count(area) > 1})
    if repeated:
        raise ParametersError(f"{path.name}: areas lists {', '.join(repeated)} more than once.")
    if not parameters.instruments and not parameters.indicator_tables:
        raise ParametersError(
            f"{path.name}: the round names no data; add instruments (case audits, surveys) or indicator_tables."
        )
    instruments = {name: _load_instrument(path, name, entry) for name, entry in parameters.instruments.items()}
    check_areas(path, parameters.areas, instruments)
    indicator_tables = {
        name: _load_indicator_table(path, name, entry) for name, entry in parameters.indicator_tables.items()
    }
    unknown = sorted(set(parameters.briefing.methodology) - set(instruments))
    if unknown:
        raise ParametersError(
            f"{path.name}: briefing → methodology names '{unknown[0]}', which is not an instrument; "
            f"allowed: {', '.join(instruments)}."
        )
    return Round(
        id=parameters.round,
        title=parameters.title,
        partnership=parameters.partnership,
        published=parameters.published,
        period_start=parameters.period.start,
        period_end=parameters.period.end,
        baseline=resolve_path(parameters.baseline, path.parent) if parameters.baseline else None,
        areas=parameters.areas,
        instruments=MappingProxyType(instruments),
        indicator_tables=MappingProxyType(indicator_tables),
        disclosure=DisclosureRule(min_count=parameters.disclosure.min_count, symbol=parameters.disclosure.symbol),
        redact=check_redact_list(path, parameters.redact),
        briefing=parameters.briefing,
        key_findings=_key_findings(path, parameters.briefing, instruments),
        actions=parse_actions(path, parameters.actions, lambda key, where: find_item(path, instruments, key, where)),
        path=path,
        power=parameters.power,
        formats=parameters.formats,
        docx_template=resolve_docx_template(path, parameters.briefing.docx_template),
        breakdowns=resolve_breakdowns(path, parameters.breakdowns, instruments),
        funnel_target=parameters.funnel.target,
    )
