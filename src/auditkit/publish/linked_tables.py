"""Every published count of an item as one linked table: no hidden count from 1 to 5 can be worked out.

Suppression table by table (:func:`auditkit.publish.disclosure.suppress_table`) protects each table on its
own: the areas' met and not-met counts, an item's answers per value, the records per area. A reader sees
them together, and they share cells: an item's answers per value add up to its numerator and denominator,
the records per area to each area's denominator and its not-applicable and blank answers. So after the
tables are protected one by one, :func:`protect_linked_counts` audits every count of each item together
(:func:`auditkit.publish.disclosure_audit.determined_sums`) and, while a hidden count from 1 to the rule's
``min_count`` (a cell, a numerator, a not-met, not-applicable or blank count, a value's count, a records
count) can still be worked out exactly, hides one more published count: the smallest non-zero one that
shares a cell with it. Hiding a denominator hides its numerator too. Records per area are one table for
the whole instrument, so a records count hidden for one item is hidden for all, and the items are audited
again.

A breakdown's counts per group (issue 18) are sums of the same cells, split by group as well as by area, so
they join the item's linked table. Limits: with them the published sums are no longer two nested families, so
the linear programme's bounds (:mod:`auditkit.publish.disclosure_audit`) may be wider than the whole-number
ones; the independent audit of the published files (``tests/publish/published_numbers.py``) checks with an
integer programme. The audit takes one item at a time; a reader who combines the ranges two items give for the same
hidden records count could narrow it further (``tests/publish/test_findings_disclosure.py`` audits the
published files as a whole).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from auditkit.analysis.breakdowns import GROUP_COLUMN_PREFIX, group_column
from auditkit.analysis.findings import ALL_AREAS, BLANK, NO_AREA, RecordCounts
from auditkit.config.codebook import Item
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.publish.disclosure_audit import Sum, determined_sums, explaining_sums

__all__ = ["LinkedHidden", "protect_linked_counts"]


@dataclass(frozen=True)
class LinkedHidden:
    """What the linked audit hides: numerators, denominators and value counts by (instrument, item), records
    by instrument; each a set of areas or values (``all`` for a total)."""

    numerators: Mapping[tuple[str, str], frozenset[str]]
    denominators: Mapping[tuple[str, str], frozenset[str]]
    values: Mapping[tuple[str, str], frozenset[str]]
    records: Mapping[str, frozenset[str]]
    #: Breakdown counts by (instrument, item): ``("group numerator" | "group denominator", column, group)``.
    groups: Mapping[tuple[str, str], frozenset[tuple[str, str, str]]] = field(default_factory=dict)


def _group_columns(cells: pd.DataFrame) -> list[str]:
    """The breakdown columns of one item's cells (those of other instruments are empty here)."""
    return [name for name in cells.columns if name.startswith(GROUP_COLUMN_PREFIX) and cells[name].notna().all()]


def _item_sums(cells: pd.DataFrame, item: Item, record_areas: list[str]) -> tuple[list[Sum], list[Sum]]:
    """The publishable sums of one item's cells, and every sum that must not be worked out when small."""
    area = cells["area"].to_numpy()
    value = cells["value"].to_numpy()
    groups = _group_columns(cells)
    met = np.isin(value, item.met)
    applicable = (value != BLANK) & ~np.isin(value, item.not_applicable)

    def where(mask: np.ndarray) -> tuple[int, ...]:
        return tuple(int(index) for index in np.flatnonzero(mask))

    published, sensitive = [], []
    for name in [*dict.fromkeys(area), ALL_AREAS]:
        rows = np.ones(len(cells), dtype=bool) if name == ALL_AREAS else area == name
        if name != NO_AREA:
            published += [
                Sum(("numerator", name), where(rows & met)),
                Sum(("denominator", name), where(rows & applicable)),
            ]
            if name in record_areas or name == ALL_AREAS:
                published.append(Sum(("records", name), where(rows)))
        sensitive += [
            Sum(("not met", name), where(rows & applicable & ~met)),
            Sum(("not answered", name), where(rows & ~applicable)),
        ]
    for code in dict.fromkeys(value):
        if code != BLANK:
            published.append(Sum(("value", code), where(value == code)))
    # A breakdown's counts per group (issue 18): the same cells summed over areas instead of over groups.
    for column in groups:
        group = cells[column].to_numpy()
        for code in dict.fromkeys(group):
            if code == BLANK:
                continue
            rows = group == code
            # The records of a group are never published, but any item every record of the group answered
            # gives them away: a reader is taken to know them (they can never be hidden).
            published += [
                Sum(("group numerator", column, code), where(rows & met)),
                Sum(("group denominator", column, code), where(rows & applicable)),
                Sum(("group records", column, code), where(rows)),
            ]
            sensitive.append(Sum(("group not met", column, code), where(rows & applicable & ~met)))
    keys = zip(area, *(cells[column].to_numpy() for column in groups), value)
    sensitive += [Sum(("cell", *key), (index,)) for index, key in enumerate(keys)]
    return published, [*published, *sensitive]


#: Which published counts to give up first: an answer's count, then a numerator or a denominator, and
#: only then a records count (the headline of a briefing's methodology, shared by every item).
_HIDE_FIRST = {
    "value": 0,
    "numerator": 1,
    "group numerator": 1,
    "denominator": 2,
    "group denominator": 2,
    "records": 3,
}


def _without(hidden: set, key: tuple) -> set:
    """``hidden`` with ``key`` added: a hidden denominator hides its numerator too."""
    if key[0] == "denominator":
        return hidden | {key, ("numerator", key[1])}
    if key[0] == "group denominator":
        return hidden | {key, ("group numerator", *key[1:])}
    return hidden | {key}


def _choose(values: np.ndarray, published: list[Sum], hidden: set, targets: list[Sum]) -> set:
    """The published counts to hide so that the ``targets`` can no longer be worked out: for each, of the
    counts a reader combines to get it, the first in the order of :data:`_HIDE_FIRST`, then smallest non-zero
    first (the audit goes on until every target is undetermined)."""
    shown = [known for known in published if known.key not in hidden]

    def rank(known: Sum) -> tuple:
        total = values[list(known.cells)].sum()
        return _HIDE_FIRST[known.key[0]], total == 0, total

    chosen = set()
    for used in explaining_sums(values, shown, targets):
        candidates = [known for known in (used or shown) if known.key[0] in _HIDE_FIRST] or [
            known for known in shown if known.key[0] in _HIDE_FIRST
        ]
        if candidates:
            chosen.add(min(candidates, key=rank).key)
    return chosen


def _audit_item(cells: pd.DataFrame, item: Item, record_areas: list[str], hidden: set, rule: DisclosureRule) -> set:
    values = cells["count"].to_numpy(dtype=np.int64)
    published, sensitive = _item_sums(cells, item, record_areas)
    hidden = set(hidden)
    # Hiding a count only ever widens what the others allow, so once a sum is undetermined it stays so:
    # after the first full audit only the sums found determined need checking again. Each round hides
    # one count for every sum still determined.
    shown = [known for known in published if known.key not in hidden]
    found = determined_sums(values, shown, sensitive, rule.min_count)
    while found:
        more = _choose(values, published, hidden, found)
        if not more - hidden:
            break  # only what a reader always knows (the records of each group) still gives a count away
        for key in sorted(more, key=str):
            hidden = _without(hidden, key)
        shown = [known for known in published if known.key not in hidden]
        found = determined_sums(values, shown, found, rule.min_count)
    return hidden


def protect_linked_counts(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    distributions: pd.DataFrame,
    counts: Mapping[str, RecordCounts],
    items: Mapping[tuple[str, str], Item],
    rule: DisclosureRule,
    breakdowns: pd.DataFrame | None = None,
) -> LinkedHidden:
    """Audit each item's published counts together and hide more until no small hidden count is determined.

    ``indicators``, ``distributions`` and ``counts`` are as protected table by table (their ``suppressed``,
    ``denominator_suppressed`` flags and None counts say what is hidden already); ``cells`` are the
    findings' cells (:data:`auditkit.analysis.findings.CELL_COLUMNS`, with a ``group:…`` column per breakdown);
    ``items`` the items by (instrument, item); ``breakdowns`` the counts per group as protected table by table
    (:data:`auditkit.analysis.breakdowns.BREAKDOWN_COLUMNS` with ``suppressed`` and ``denominator_suppressed``).

    Returns
    -------
    LinkedHidden
        Everything to hide: what was hidden already and what the audit added.
    """
    numerators, denominators, value_sets, record_sets, group_sets = {}, {}, {}, {}, {}
    seeds: dict[tuple[str, str], set] = {}
    if breakdowns is not None:
        for row in breakdowns[breakdowns["suppressed"] | breakdowns["denominator_suppressed"]].itertuples():
            column = group_column(row.breakdown)
            kinds = ["group numerator"] + (["group denominator"] if row.denominator_suppressed else [])
            seeds.setdefault((row.instrument, row.item), set()).update((kind, column, row.group) for kind in kinds)
    for name, instrument_counts in counts.items():
        records = {area for area, count in instrument_counts.by_area.items() if count is None}
        if instrument_counts.records is None:
            records.add(ALL_AREAS)
        keys = [key for key in items if key[0] == name]
        changed = True
        while changed:
            changed = False
            for key in keys:
                item_cells = cells[(cells["instrument"] == key[0]) & (cells["item"] == key[1])].reset_index(drop=True)
                rows = indicators[(indicators["instrument"] == key[0]) & (indicators["item"] == key[1])]
                shares = distributions[(distributions["instrument"] == key[0]) & (distributions["item"] == key[1])]
                hidden = {("numerator", area) for area in rows.loc[rows["suppressed"], "area"]}
                hidden |= {("denominator", area) for area in rows.loc[rows["denominator_suppressed"], "area"]}
                hidden |= {("value", value) for value in shares.loc[shares["suppressed"], "value"]}
                hidden |= {("numerator", a) for a in numerators.get(key, ())} | {
                    ("denominator", a) for a in denominators.get(key, ())
                }
                hidden |= {("value", v) for v in value_sets.get(key, ())} | {("records", area) for area in records}
                hidden |= seeds.get(key, set()) | set(group_sets.get(key, ()))
                hidden = _audit_item(item_cells, items[key], list(instrument_counts.by_area), hidden, rule)
                group_sets[key] = frozenset(entry for entry in hidden if entry[0].startswith("group "))
                plain = [entry for entry in hidden if not entry[0].startswith("group ")]
                numerators[key] = frozenset(area for kind, area in plain if kind == "numerator")
                denominators[key] = frozenset(area for kind, area in plain if kind == "denominator")
                value_sets[key] = frozenset(value for kind, value in plain if kind == "value")
                more = {area for kind, area in plain if kind == "records"} - records
                if more:
                    records |= more
                    changed = True
        record_sets[name] = frozenset(records)
    return LinkedHidden(numerators, denominators, value_sets, record_sets, group_sets)
