"""Breakdowns by group: each item's figures for every answer to a categorical item, as areas have them.

A round's parameters may name categorical items to break the findings down by (``breakdowns: [agency,
child_age_band]``, :mod:`auditkit.config.breakdowns`). For each such item of an instrument, every other item
with met values gets, per group (each of the breakdown item's values), its numerator, denominator,
proportion and Wilson 95% interval (:func:`auditkit.stats.proportions.proportion_ci`), exactly as areas do;
:func:`auditkit.analysis.area_tests.compare_breakdowns` tests the groups against each other. Records that did
not answer the breakdown item are in no group (they count in the item's total).

For disclosure control the item's cells gain one column per breakdown (:func:`grouped_cells`), so that every
published count of an item, by area or by group, is a sum of the same cells and is audited as one linked table
(:mod:`auditkit.publish.linked_tables`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from auditkit.config.breakdowns import Breakdown
from auditkit.config.codebook import Codebook
from auditkit.stats.proportions import proportion_ci

__all__ = ["BREAKDOWN_COLUMNS", "GROUP_COLUMN_PREFIX", "group_column", "grouped_cells", "summarise_breakdowns"]

#: Columns of :attr:`auditkit.analysis.findings.Findings.breakdowns`, in order.
BREAKDOWN_COLUMNS = (
    "instrument",
    "breakdown",
    "item",
    "label",
    "group",
    "group_label",
    "numerator",
    "denominator",
    "proportion",
    "ci_low",
    "ci_high",
    "lower_is_better",
)
#: The prefix of a cells frame's column holding a breakdown's group (``group:agency``).
GROUP_COLUMN_PREFIX = "group:"
# The group (and area, and value) of a record that has none, as in Findings.cells.
_NONE = ""


def group_column(breakdown_item: str) -> str:
    """The name of the cells column holding the groups of a breakdown item.

    Returns
    -------
    str
        ``'group:'`` and the item's id.
    """
    return f"{GROUP_COLUMN_PREFIX}{breakdown_item}"


def summarise_breakdowns(
    records: pd.DataFrame, codebook: Codebook, instrument: str, breakdowns: Sequence[Breakdown]
) -> pd.DataFrame:
    """Each item with met values, per group of each of the instrument's breakdowns.

    Returns
    -------
    pandas.DataFrame
        One row per breakdown × item × group (the breakdown item's values in the codebook's order), columns in
        :data:`BREAKDOWN_COLUMNS`; the breakdown item itself is not broken down by itself.
    """
    frames = []
    for breakdown in breakdowns:
        if breakdown.instrument != instrument:
            continue
        groups = pd.Categorical(records[breakdown.item.id].astype(object), categories=list(breakdown.groups))
        for item in codebook.indicators:
            if item.id == breakdown.item.id:
                continue
            answers = records[item.id]
            applicable = answers.notna() & ~answers.isin(item.not_applicable)
            counts = (
                pd.DataFrame({"numerator": answers.isin(item.met).astype(np.int64), "denominator": applicable})
                .astype(np.int64)
                .groupby(groups, observed=False)
                .sum()
                .reindex(list(breakdown.groups), fill_value=0)
            )
            table = proportion_ci(counts["numerator"].to_numpy(), counts["denominator"].to_numpy())
            table.insert(0, "group_label", [value.label for value in breakdown.item.values])
            table.insert(0, "group", list(breakdown.groups))
            table.insert(0, "label", item.title)
            table.insert(0, "item", item.id)
            table.insert(0, "breakdown", breakdown.item.id)
            table.insert(0, "instrument", instrument)
            table["lower_is_better"] = item.lower_is_better
            frames.append(table)
    if not frames:
        return pd.DataFrame(columns=list(BREAKDOWN_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(BREAKDOWN_COLUMNS)]


def _codes(values: pd.Series, categories: Sequence[str]) -> pd.Categorical:
    """Values as a categorical of ``categories`` and '' for anything else (blank, or a code not listed)."""
    codes = pd.Categorical(values.astype(object), categories=list(categories))
    return pd.Categorical(codes.astype(object), categories=[*categories, _NONE]).fillna(_NONE)


def grouped_cells(
    records: pd.DataFrame,
    codebook: Codebook,
    areas: Sequence[str],
    instrument: str,
    breakdowns: Sequence[Breakdown],
) -> pd.DataFrame:
    """:func:`auditkit.analysis.findings.summarise_cells` with one more column per breakdown: each cell is the
    records of an area and of a group of each breakdown that gave one answer to one item.

    Returns
    -------
    pandas.DataFrame
        Columns ``instrument``, ``item``, ``area``, one :func:`group_column` per breakdown (``''`` for records
        in no group), ``value`` and ``count``; areas as in ``summarise_cells`` (``''`` for records without one,
        only when there are any).
    """
    area_item = next((item.id for item in codebook.items if item.type == "area"), None)
    area = _codes(records[area_item], areas) if area_item else _codes(pd.Series([_NONE] * len(records)), ())
    chosen = [breakdown for breakdown in breakdowns if breakdown.instrument == instrument]
    keys = {"area": area}
    keys.update({group_column(b.item.id): _codes(records[b.item.id], b.groups) for b in chosen})
    frames = []
    for item in codebook.indicators:
        columns = {**keys, "value": _codes(records[item.id], [value.code for value in item.values])}
        counted = pd.DataFrame(columns).value_counts(sort=False)
        full = pd.MultiIndex.from_product([list(column.categories) for column in columns.values()], names=list(columns))
        frame = counted.reindex(full, fill_value=0).rename("count").reset_index()
        if area_item and not frame.loc[frame["area"] == _NONE, "count"].any():
            frame = frame[frame["area"] != _NONE]
        frame = frame.astype({name: object for name in columns}).astype({"count": np.int64})
        frame.insert(0, "item", item.id)
        frame.insert(0, "instrument", instrument)
        frames.append(frame.reset_index(drop=True))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
