"""A round's findings: record counts, and for each item with met values its proportion.

Findings are tidy frames (one row per instrument × item × area, area ``all`` for the
total) plus record counts. :func:`auditkit.publish.findings_files.findings_to_dict` gives the ``findings.json`` shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from auditkit.analysis.breakdowns import BREAKDOWN_COLUMNS, grouped_cells, summarise_breakdowns
from auditkit.config.codebook import Codebook, Item
from auditkit.config.round import Round
from auditkit.formatting import format_percent
from auditkit.read.validation import allowed_codes
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "ALL_AREAS",
    "BLANK",
    "CELL_COLUMNS",
    "NO_AREA",
    "DISTRIBUTION_COLUMNS",
    "INDICATOR_COLUMNS",
    "Findings",
    "RecordCounts",
    "compute_findings",
    "count_records",
    "summarise_cells",
    "summarise_distributions",
    "summarise_indicators",
]

#: The area label of a round's totals.
ALL_AREAS = "all"

#: Columns of :attr:`Findings.indicators` (and of ``findings.csv``), in order.
INDICATOR_COLUMNS = (
    "instrument",
    "item",
    "label",
    "area",
    "numerator",
    "denominator",
    "proportion",
    "ci_low",
    "ci_high",
    "lower_is_better",
)

#: Columns of :attr:`Findings.cells`, in order.
CELL_COLUMNS = ("instrument", "item", "area", "value", "count")
#: The ``area`` of records with no area, and the ``value`` of blank answers, in :attr:`Findings.cells`.
NO_AREA = BLANK = ""

#: Columns of :attr:`Findings.distributions`, in order.
DISTRIBUTION_COLUMNS = ("instrument", "item", "value", "value_label", "count")


@dataclass(frozen=True)
class RecordCounts:
    """How many records an instrument has, how many are complete, and how many per area.

    In a published (protected) analysis a count hidden by disclosure control is None.
    """

    records: int | None
    complete: int | None
    by_area: Mapping[str, int | None]


@dataclass(frozen=True)
class Findings:
    """Everything a briefing reports about one round."""

    round: Round
    counts: Mapping[str, RecordCounts]
    indicators: pd.DataFrame
    distributions: pd.DataFrame
    #: Records per area and answer of each item (:data:`CELL_COLUMNS`, and one ``group:…`` column per breakdown
    #: of its instrument): the cells every published count of the item adds up. For disclosure control only;
    #: never published (a protected analysis has none).
    cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CELL_COLUMNS)))
    #: Each item per group of each breakdown the round names (:mod:`auditkit.analysis.breakdowns`).
    breakdowns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(BREAKDOWN_COLUMNS)))

    def indicator(self, instrument: str, item: str, area: str = ALL_AREAS) -> dict[str, Any]:
        """One row of :attr:`indicators`.

        Returns
        -------
        dict
            The keys of :data:`INDICATOR_COLUMNS` (and ``suppressed`` in a protected analysis).
        """
        rows = self.indicators
        match = rows[(rows["instrument"] == instrument) & (rows["item"] == item) & (rows["area"] == area)]
        if match.empty:
            raise KeyError(f"no finding for {instrument}.{item} in area {area!r}")
        return match.iloc[0].to_dict()

    def counts_table(self) -> pd.DataFrame:
        """Records, complete records and records per area.

        Returns
        -------
        pandas.DataFrame
            Indexed by instrument; columns ``records``, ``complete`` and one per area code.
        """
        rows = [
            {"instrument": name, "records": counts.records, "complete": counts.complete, **counts.by_area}
            for name, counts in self.counts.items()
        ]
        if not rows:
            return pd.DataFrame(columns=["records", "complete"], index=pd.Index([], name="instrument"))
        return pd.DataFrame(rows).set_index("instrument").fillna(0).astype(int)

    def by_area_table(self) -> pd.DataFrame:
        """Each indicator per area as 'numerator/denominator (percent)', for reading in a notebook.

        Returns
        -------
        pandas.DataFrame
            Indexed by (instrument, item); one column per area, ``all`` first.
        """
        if self.indicators.empty:
            return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["instrument", "item"]))
        rows = self.indicators.assign(
            figure=lambda frame: (
                frame["numerator"].astype(str)
                + "/"
                + frame["denominator"].astype(str)
                + " ("
                + frame["proportion"].map(format_percent)
                + ")"
            )
        )
        table = rows.pivot(index=["instrument", "item"], columns="area", values="figure")
        order = list(dict.fromkeys(rows["area"]))
        return table.reindex(
            index=pd.MultiIndex.from_frame(rows[["instrument", "item"]].drop_duplicates()), columns=order
        ).fillna("")

    def totals(self, instrument: str | None = None) -> pd.DataFrame:
        """The indicators for all areas together, optionally for one instrument.

        Returns
        -------
        pandas.DataFrame
            The ``all`` rows of :attr:`indicators`, columns in :data:`INDICATOR_COLUMNS`.
        """
        rows = self.indicators[self.indicators["area"] == ALL_AREAS]
        if instrument is not None:
            rows = rows[rows["instrument"] == instrument]
        return rows.reset_index(drop=True)


def _area_codes(codebook: Codebook, round_: Round) -> tuple[str, ...]:
    area_items = [item for item in codebook.items if item.type == "area"]
    return allowed_codes(area_items[0], round_) if area_items else ()


def _area_column(records: pd.DataFrame, codebook: Codebook) -> str | None:
    return next((item.id for item in codebook.items if item.type == "area"), None)


def count_records(records: pd.DataFrame, codebook: Codebook, round_: Round) -> RecordCounts:
    """Records, complete records (every required item answered) and records per area.

    Returns
    -------
    RecordCounts
        ``records``, ``complete`` and ``by_area`` (every area code of the round, 0 where none).
    """
    required = [item.id for item in codebook.required_items]
    complete = int(records[required].notna().all(axis=1).sum()) if required else len(records)
    area = _area_column(records, codebook)
    by_area = {}
    if area is not None:
        counts = records[area].value_counts()
        by_area = {code: int(counts.get(code, 0)) for code in _area_codes(codebook, round_)}
    return RecordCounts(records=len(records), complete=complete, by_area=MappingProxyType(by_area))


@dataclass(frozen=True)
class _AreaCodes:
    """A categorical area column, decided once for every item: each record's area as a code (records with no area:
    one more code, ``present``), and for each of the round's areas its code, or ``present + 1`` when nobody named
    it."""

    codes: np.ndarray
    present: int
    rows: np.ndarray

    @classmethod
    def of(cls, groups: pd.Series, areas: tuple[str, ...]) -> _AreaCodes:
        categories = groups.cat.categories.tolist()
        positions = {code: index for index, code in enumerate(categories)}
        rows = np.array([positions.get(code, len(categories) + 1) for code in areas], dtype=np.intp)
        codes = _codes_with_last_for_missing(groups.cat.codes.to_numpy(), len(categories), np.int64)
        return cls(codes=codes, present=len(categories), rows=rows)


def _met_counts(
    records: pd.DataFrame, item: Item, groups: pd.Series | None, areas: tuple[str, ...], coded: _AreaCodes | None
) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator of an item: first over every record, then for each of ``areas`` (0 where none)."""
    answers = records[item.id]
    if isinstance(answers.dtype, pd.CategoricalDtype) and (groups is None or coded is not None):
        return _met_counts_by_code(answers, item, coded, len(areas))
    applicable = answers.notna() & ~answers.isin(item.not_applicable)
    met = answers.isin(item.met)
    counts = pd.DataFrame({"numerator": met.astype(np.int64), "denominator": applicable.astype(np.int64)})
    if groups is None:
        by_area = pd.DataFrame(0, index=pd.Index(areas), columns=counts.columns)
    else:
        by_area = counts.groupby(groups, observed=False).sum().reindex(list(areas), fill_value=0)
    return (
        np.append(counts["numerator"].sum(), by_area["numerator"].to_numpy()).astype(np.int64),
        np.append(counts["denominator"].sum(), by_area["denominator"].to_numpy()).astype(np.int64),
    )


def _met_counts_by_code(
    answers: pd.Series, item: Item, coded: _AreaCodes | None, areas: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_met_counts` for categorical answers and areas: each category decided once, rows counted by code.

    One pass over the rows counts how many records of each area gave each answer; the last
    row counts records with no area and the last column blank answers, so the first count (every record) is
    the sum of the table.
    """
    labels = answers.cat.categories.tolist()
    width = len(labels) + 1
    present = 0 if coded is None else coded.present
    bins = (present + 1) * width
    key_type = np.int16 if bins <= np.iinfo(np.int16).max else np.int64  # small keys: cheap arithmetic
    keys = _codes_with_last_for_missing(answers.cat.codes.to_numpy(), len(labels), key_type)
    if coded is not None:
        keys += coded.codes.astype(key_type) * key_type(width)
    table = np.bincount(keys, minlength=bins).reshape(present + 1, width)
    met_values, not_applicable = set(item.met), set(item.not_applicable)
    met = table[:, [index for index, label in enumerate(labels) if label in met_values]].sum(axis=1)
    applicable = table[:, [index for index, label in enumerate(labels) if label not in not_applicable]].sum(axis=1)
    # Each of the round's areas: its row of the table, or the empty row at the end (an area nobody named).
    rows = coded.rows if coded is not None else np.full(areas, present + 1, dtype=np.intp)
    met, applicable = np.append(met, 0), np.append(applicable, 0)
    return (
        np.append(met[:-1].sum(), met[rows]).astype(np.int64),
        np.append(applicable[:-1].sum(), applicable[rows]).astype(np.int64),
    )


def _codes_with_last_for_missing(codes: np.ndarray, size: int, key_type: type) -> np.ndarray:
    """Category codes as ``key_type``, a missing value (−1) counted as one more code, ``size``."""
    keys = codes.astype(key_type)
    if (codes < 0).any():
        keys[codes < 0] = size
    return keys


def summarise_indicators(records: pd.DataFrame, codebook: Codebook, round_: Round, instrument: str) -> pd.DataFrame:
    """Numerator, denominator, proportion and Wilson 95% interval per item, overall and by area.

    The interval is :func:`auditkit.stats.proportions.proportion_ci` (Wilson score, as PHEindicatormethods).

    Returns
    -------
    pandas.DataFrame
        One row per item × area (``all`` first), columns in :data:`INDICATOR_COLUMNS`: instrument, item,
        label, area, numerator, denominator, proportion, ci_low, ci_high, lower_is_better.
    """
    area = _area_column(records, codebook)
    groups = None if area is None else records[area]
    areas = _area_codes(codebook, round_) if area is not None else ()
    items = codebook.indicators
    if not items:
        return pd.DataFrame(columns=list(INDICATOR_COLUMNS))
    # Counted item by item into arrays, then one interval computation and one frame: a frame per item cost
    # more than the counting itself.
    coded = (
        _AreaCodes.of(groups, areas) if groups is not None and isinstance(groups.dtype, pd.CategoricalDtype) else None
    )
    counted = [_met_counts(records, item, groups, areas, coded) for item in items]
    rows = len(areas) + 1
    table = proportion_ci(np.concatenate([c[0] for c in counted]), np.concatenate([c[1] for c in counted]))
    table.insert(0, "area", [ALL_AREAS, *map(str, areas)] * len(items))
    table.insert(0, "label", np.repeat([item.title for item in items], rows).tolist())
    table.insert(0, "item", np.repeat([item.id for item in items], rows).tolist())
    table.insert(0, "instrument", instrument)
    table["lower_is_better"] = np.repeat([item.lower_is_better for item in items], rows)
    return table[list(INDICATOR_COLUMNS)]


def _value_counts(answers: pd.Series) -> Mapping[Any, int]:
    """How many records gave each answer (blanks left out); categorical answers counted by code, without
    ``value_counts``'s frame."""
    if not isinstance(answers.dtype, pd.CategoricalDtype):
        return answers.value_counts()
    codes = answers.cat.codes.to_numpy()
    labels = answers.cat.categories.tolist()
    return dict(zip(labels, np.bincount(codes[codes >= 0], minlength=len(labels)).tolist()))


def summarise_distributions(records: pd.DataFrame, codebook: Codebook, instrument: str) -> pd.DataFrame:
    """How many records gave each value of each item with met values (blank answers left out).

    Returns
    -------
    pandas.DataFrame
        One row per item × value, columns in :data:`DISTRIBUTION_COLUMNS`: instrument, item, value,
        value_label, count.
    """
    rows = []
    for item in codebook.indicators:
        counts = _value_counts(records[item.id])
        rows.extend(
            (instrument, item.id, value.code, value.label, int(counts.get(value.code, 0))) for value in item.values
        )
    return pd.DataFrame(rows, columns=list(DISTRIBUTION_COLUMNS))


def summarise_cells(records: pd.DataFrame, codebook: Codebook, round_: Round, instrument: str) -> pd.DataFrame:
    """How many records of each area gave each answer (blank included) to each item with met values.

    Every count a briefing publishes about an item (numerators, denominators, answers per value,
    records per area) is a sum of these cells, which is what disclosure control needs to know.

    Returns
    -------
    pandas.DataFrame
        One row per item × area × value, columns in :data:`CELL_COLUMNS`; areas are the round's (and
        :data:`NO_AREA` for records without one, when there are any), values the item's codes and
        :data:`BLANK`.
    """
    area = _area_column(records, codebook)
    areas = list(_area_codes(codebook, round_))
    area_codes = (
        pd.Categorical(records[area], categories=areas).codes if area else np.zeros(len(records), dtype=np.int8)
    )
    area_keys = np.where(area_codes < 0, len(areas), area_codes).astype(np.int64)
    area_names = [*areas, NO_AREA] if area else [NO_AREA]
    frames = []
    for item in codebook.indicators:
        values = [value.code for value in item.values]
        value_codes = pd.Categorical(records[item.id], categories=values).codes
        keys = area_keys * (len(values) + 1) + np.where(value_codes < 0, len(values), value_codes)
        table = np.bincount(keys, minlength=len(area_names) * (len(values) + 1)).reshape(len(area_names), -1)
        if area and not table[-1].any():
            table, names = table[:-1], area_names[:-1]
        else:
            names = area_names
        frames.append(
            pd.DataFrame(
                {
                    "instrument": instrument,
                    "item": item.id,
                    "area": np.repeat(names, len(values) + 1),
                    "value": [*values, BLANK] * len(names),
                    "count": table.ravel().astype(np.int64),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(CELL_COLUMNS))


def compute_findings(round_: Round, records: Mapping[str, pd.DataFrame]) -> Findings:
    """The findings of a round from each instrument's validated records.

    Returns
    -------
    Findings
        ``counts`` (a :class:`RecordCounts` per instrument), ``indicators`` (columns in
        :data:`INDICATOR_COLUMNS`), ``distributions`` (columns in :data:`DISTRIBUTION_COLUMNS`) and
        ``breakdowns`` (:data:`~auditkit.analysis.breakdowns.BREAKDOWN_COLUMNS`).
    """
    counts, indicators, distributions, cells, groups = {}, [], [], [], []
    for name, instrument in round_.instruments.items():
        frame = records[name]
        counts[name] = count_records(frame, instrument.codebook, round_)
        indicators.append(summarise_indicators(frame, instrument.codebook, round_, name))
        distributions.append(summarise_distributions(frame, instrument.codebook, name))
        breakdowns = [breakdown for breakdown in round_.breakdowns if breakdown.instrument == name]
        groups.append(summarise_breakdowns(frame, instrument.codebook, name, breakdowns))
        if round_.disclosure.active and breakdowns:  # only disclosure control needs them
            areas = _area_codes(instrument.codebook, round_)
            cells.append(grouped_cells(frame, instrument.codebook, areas, name, breakdowns))
        elif round_.disclosure.active:
            cells.append(summarise_cells(frame, instrument.codebook, round_, name))
    return Findings(
        round=round_,
        counts=MappingProxyType(counts),
        indicators=pd.concat(indicators, ignore_index=True)
        if indicators
        else pd.DataFrame(columns=list(INDICATOR_COLUMNS)),
        distributions=pd.concat(distributions, ignore_index=True)
        if distributions
        else pd.DataFrame(columns=list(DISTRIBUTION_COLUMNS)),
        cells=pd.concat(cells, ignore_index=True) if cells else pd.DataFrame(columns=list(CELL_COLUMNS)),
        breakdowns=pd.concat(groups, ignore_index=True) if groups else pd.DataFrame(columns=list(BREAKDOWN_COLUMNS)),
    )
