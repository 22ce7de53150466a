"""Every number a round publishes, read back as a reader would, and audited for hidden counts (issue 14).

This audit is independent of auditkit's own (``publish/linked_tables.py``). It walks ``findings.json`` leaf
by leaf, and each leaf must be one of:

- a **count**: a sum of *cells*, the records of an area with an answer to an item (an indicator table's met
  and not-met figures of a row). Its published value must equal the sum counted here from the records,
  which proves the reading right;
- a **figure computed from counts** (a percentage, an interval, a difference, a p-value, a test statistic,
  an effect size, a verdict, a funnel position, an action's "20% → 75%", a data-quality note's figures, the
  smallest change two rounds could detect, the records a next round needs): published only when every count
  it is computed from is published, so it tells a reader nothing those counts do not (this is stricter than
  asking which numerators an interval allows, and implies it);
- a **label or setting** (an id, a title, a period, the rule's ``min_count``, a source row number, the power
  and level of the power figures and the change they are for, the size and level of the comparison's family).

The records two rounds share (re-audited cases) are counted across rounds: those counts are not in the
equations, and each must be hidden or at least ``min_count`` + 1, as the rule publishes them.

A leaf it cannot place fails the audit, so a new published number must be taught here before it ships.
Then every count of a round (each instrument of this round, its baseline's and earlier rounds' as the
comparison and trend publish them, and each indicator table) becomes a linear equation over whole-number
cells of at least 0; the records of an area are the same for every item. For each hidden count, cell, not-met
and unanswered count that is truly 1 to ``min_count``, scipy's integer programme (HiGHS ``milp``) looks for
a second value that fits everything published: there must be one.

Not modelled: a Benjamini–Hochberg adjusted p-value depends on the other p-values of its family; it is
checked like its own p-value (published only beside published counts).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import LinearConstraint, milp

from auditkit.config.codebook import Codebook

__all__ = ["Audit", "leaves", "read_published"]

Path = tuple
Key = tuple

#: Strings that may hold digits because an author wrote them (parameters, codebooks) or they are settings.
_AUTHORED = re.compile(
    r"^(round/(id|title|partnership|period/(start|end))"
    r"|instruments/[^/]+/(title|indicators/[^/]+/(label|by_area/[^/]+/label))"
    r"|disclosure/(rule|symbol)"
    r"|comparison/(baseline/(id|title)|family/(name|method)"
    r"|items/\d+/(label|instrument|item|test|primary_test|family|verdict|overlap/shared"
    r"|tests/[^/]+/(name|role|method)|power/method)"
    r"|only_in_baseline/\d+|only_in_followup/\d+)"
    r"|power/next_round/[^/]+/[^/]+/method"
    r"|instruments/[^/]+/area_tests/[^/]+/(test|areas/\d+)"
    r"|instruments/[^/]+/breakdowns/[^/]+/(groups/[^/]+|tests/[^/]+/(test|groups/\d+)|indicators/[^/]+/[^/]+/label)"
    r"|actions/\d+/(ref|instrument|item|action|who|by_when|status|note|verdict)"
    r"|trend/\d+/(instrument|item|rounds/\d+)"
    r"|indicator_tables/[^/]+/(rows/\d+/(period|area)|checks/\d+/(row|check|period|area)|trend/area"
    r"|funnels/\d+/(period|basis)))$"
)


#: A figure in a text: a digit, or a number written as a word ("seven cases: indicative only").
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty)\b",
    re.IGNORECASE,
)


def leaves(document: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    """Every leaf of a JSON document with its path (keys and list positions)."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaves(value, (*path, key))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            yield from leaves(value, (*path, position))
    else:
        yield path, document


def _text(path: Path) -> str:
    return "/".join(map(str, path))


@dataclass
class Universe:
    """Cells that share equations: one instrument of one round, or one indicator table."""

    truth: dict[Key, int] = field(default_factory=dict)
    equal: list[tuple[list[Key], list[Key]]] = field(default_factory=list)
    shown: dict[Path, tuple[tuple[Key, ...], object]] = field(default_factory=dict)
    sensitive: dict[object, tuple[Key, ...]] = field(default_factory=dict)

    def value(self, keys) -> int:
        return int(sum(self.truth[key] for key in keys))


@dataclass
class Audit:
    """What a reader can read from one findings.json: counts by universe, computed figures and their inputs."""

    universes: dict[object, Universe] = field(default_factory=dict)
    counts: dict[Path, object] = field(default_factory=dict)
    computed: list[tuple[Path, object, list[Path], tuple[str, ...]]] = field(default_factory=list)
    placed: set[Path] = field(default_factory=set)
    differences: dict[Path, int] = field(default_factory=dict)

    def count(self, path: Path, universe: object, keys, value: object) -> None:
        world = self.universes[universe]
        keys = tuple(keys)
        assert value is None or value == world.value(keys), (
            f"{_text(path)}: published {value}, counted {world.value(keys)}"
        )
        world.shown[path] = (keys, value)
        world.sensitive[path] = keys
        self.counts[path] = value
        self.placed.add(path)

    def figure(self, path: Path, value: object, inputs: list[Path], names: tuple[str, ...] = ()) -> None:
        """A figure computed from the counts at ``inputs``; in a text, the ``names`` (a period, an area) are not
        figures."""
        self.computed.append((path, value, inputs, names))
        self.placed.add(path)

    def unplaced(self, document: dict) -> list[str]:
        """Leaves with a number (or a figure in their text) that the reading did not place."""
        found = []
        for path, value in leaves(document):
            if path in self.placed or isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (int, float)) or (isinstance(value, str) and _FIGURE.search(value)):
                if not _AUTHORED.match(_text(path)):
                    found.append(f"{_text(path)} = {value!r}")
        return found

    def figures_over_hidden_counts(self) -> list[str]:
        """Computed figures published although a count they rest on is hidden."""
        found = []
        for path, value, inputs, names in self.computed:
            text = value
            for name in names if isinstance(value, str) else ():
                text = text.replace(name, "")
            shows = value is not None and (not isinstance(value, str) or _FIGURE.search(text) or path[-1] == "verdict")
            hidden = [_text(source) for source in inputs if self.counts.get(source, None) is None]
            if shows and hidden and value not in ("", "suppressed"):
                found.append(f"{_text(path)} = {value!r} rests on hidden {hidden[0]}")
        return found

    def determined(self, min_count: int) -> list[str]:
        """Hidden counts from 1 to ``min_count`` that only one whole-number solution allows."""
        found = [f"{_text(path)} = {value}" for path, value in self.differences.items() if 1 <= value <= min_count]
        for name, world in self.universes.items():
            found += [f"{name}: {key}" for key in _determined(world, min_count)]
        return found


def _determined(world: Universe, min_count: int) -> list[object]:
    keys = list(world.truth)
    index = {key: position for position, key in enumerate(keys)}
    rows, low, high = [], [], []

    def row(plus, minus=()):
        vector = np.zeros(len(keys))
        for key in plus:
            vector[index[key]] += 1
        for key in minus:
            vector[index[key]] -= 1
        return vector

    for cells, value in world.shown.values():
        if value is not None:
            rows.append(row(cells))
            low.append(value)
            high.append(value)
    for left, right in world.equal:
        rows.append(row(left, right))
        low.append(0)
        high.append(0)
    constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
    shown = {tuple(sorted(cells)) for cells, value in world.shown.values() if value is not None}
    bounds = (0, sum(world.truth.values()) + 1)
    found = []
    for name, cells in world.sensitive.items():
        truth = world.value(cells)
        if not 1 <= truth <= min_count or tuple(sorted(cells)) in shown:
            continue
        objective = row(cells)
        for sign in (1, -1):
            result = milp(sign * objective, constraints=constraints, integrality=np.ones(len(keys)), bounds=bounds)
            assert result.success, result.message
            if round(sign * result.fun) != truth:
                break
        else:
            found.append(name)
    return found


def _text_of(records: pd.DataFrame, item_id: str) -> pd.Series:
    return records[item_id].astype(object).fillna("").astype(str).str.strip()


def _instrument_universe(
    records: pd.DataFrame, codebook: Codebook, areas: list[str], groups: tuple[str, ...] = ()
) -> tuple[Universe, dict]:
    """Cells (item, area, answer, then the group of each breakdown item in ``groups``) counted from the records;
    '' is a blank answer, a record without an area or one in no group."""
    area_item = next(item.id for item in codebook.items if item.type == "area")
    world = Universe()
    area_of = _text_of(records, area_item)
    group_of = []
    for group_id in groups:
        codes = [value.code for value in codebook.by_id[group_id].values]
        group_of.append(_text_of(records, group_id).where(lambda text, codes=codes: text.isin(codes), ""))
    combinations = list(itertools.product(*([*(v.code for v in codebook.by_id[g].values), ""] for g in groups)))
    items = {item.id: item for item in codebook.items if item.met}
    every_area = sorted(set(areas) | set(area_of) | {""})
    for item_id, item in items.items():
        answers = _text_of(records, item_id)
        counted = pd.DataFrame({"area": area_of, "answer": answers, **dict(enumerate(group_of))}).value_counts()
        for area in every_area:
            for code in [*(value.code for value in item.values), ""]:
                for combination in combinations:
                    world.truth[(item_id, area, code, *combination)] = int(counted.get((area, code, *combination), 0))
    first = next(iter(items))
    for item_id, item in items.items():
        for area in every_area:
            cells = [key for key in world.truth if key[0] == item_id and key[1] == area]
            if item_id != first:
                for combination in combinations:
                    world.equal.append(
                        (
                            [key for key in cells if key[3:] == combination],
                            [
                                key
                                for key in world.truth
                                if key[0] == first and key[1] == area and key[3:] == combination
                            ],
                        )
                    )
            applicable = {value.code for value in item.values} - set(item.not_applicable)
            world.sensitive[("not met", item_id, area)] = tuple(k for k in cells if k[2] in applicable - set(item.met))
            world.sensitive[("not answered", item_id, area)] = tuple(k for k in cells if k[2] not in applicable)
            for key in cells:
                world.sensitive[("cell", *key)] = (key,)
        for position, group_id in enumerate(groups):
            applicable = {value.code for value in item.values} - set(item.not_applicable) - set(item.met)
            for code in (value.code for value in codebook.by_id[group_id].values):
                world.sensitive[("group not met", item_id, group_id, code)] = tuple(
                    key
                    for key in world.truth
                    if key[0] == item_id and key[3 + position] == code and key[2] in applicable
                )
    return world, items


def read_published(
    document: dict,
    records: Mapping[str, Mapping[str, pd.DataFrame]],
    codebooks: Mapping[str, Codebook],
    tables: Mapping[str, tuple[pd.DataFrame, str | None]] | None = None,
) -> Audit:
    """Read a findings.json as a reader would.

    ``records`` gives each round's validated records by instrument (this round's and every earlier one the
    document compares or trends with), keyed by round id; ``codebooks`` the instruments' codebooks;
    ``tables`` each indicator table's unprotected rows (period, area, numerator, denominator) and total area.
    """
    audit = Audit()
    round_id = document["round"]["id"]
    items_of = {}
    for round_key, instruments in records.items():
        for name, frame in instruments.items():
            areas = list(document["instruments"].get(name, {}).get("by_area", {}))
            groups = tuple(document["instruments"].get(name, {}).get("breakdowns", {})) if round_key == round_id else ()
            world, items = _instrument_universe(frame, codebooks[name], areas, groups)
            audit.universes[(round_key, name)] = world
            items_of[name] = items
    for name, published in document["instruments"].items():
        _read_instrument(audit, (round_id, name), ("instruments", name), published, items_of[name])
    if "comparison" in document:
        _read_comparison(audit, document, items_of)
    if "power" in document:
        _read_power(audit, document)
    for position, entry in enumerate(document.get("trend", [])):
        _read_trend(audit, position, entry, items_of[entry["instrument"]])
    for position, action in enumerate(document.get("actions", [])):
        inputs = [
            ("comparison", "items", number, side, key)
            for number, entry in enumerate(document.get("comparison", {}).get("items", []))
            if (entry["instrument"], entry["item"]) == (action["instrument"], action["item"])
            for side in ("baseline", "followup")
            for key in ("numerator", "denominator")
        ]
        audit.figure(("actions", position, "change"), action["change"], inputs)
        audit.figure(("actions", position, "verdict"), action["verdict"], inputs)
    for name, table in document.get("indicator_tables", {}).items():
        _read_indicator_table(audit, name, table, *(tables or {})[name])
    audit.placed.add(("disclosure", "min_count"))
    return audit


def _sums(items: dict, item_id: str, area: str | None, world: Universe) -> dict[str, list]:
    item = items[item_id]
    applicable = {value.code for value in item.values} - set(item.not_applicable)
    cells = [key for key in world.truth if key[0] == item_id and (area is None or key[1] == area)]
    return {
        "records": cells,
        "numerator": [key for key in cells if key[2] in item.met],
        "denominator": [key for key in cells if key[2] in applicable],
    }


def _read_indicator(audit: Audit, universe, path: Path, entry: dict, sums: dict) -> None:
    for key in ("numerator", "denominator"):
        audit.count((*path, key), universe, sums[key], entry[key])
    for key in ("proportion", "ci_low", "ci_high"):
        if key in entry:
            audit.figure((*path, key), entry[key], [(*path, "numerator"), (*path, "denominator")])


def _read_instrument(audit: Audit, universe, path: Path, published: dict, items: dict) -> None:
    world = audit.universes[universe]
    first = next(iter(items))
    audit.count((*path, "records"), universe, _sums(items, first, None, world)["records"], published["records"])
    # Responses that answered every required question: not a sum of one item's cells, so not in the equations;
    # beside the records it gives the incomplete responses away, which must then not be 1 to min_count.
    audit.placed.add((*path, "complete"))
    if published["complete"] is not None and published["records"] is not None:
        audit.differences[(*path, "records less complete")] = published["records"] - published["complete"]
    for area, value in published["by_area"].items():
        audit.count((*path, "by_area", area), universe, _sums(items, first, area, world)["records"], value)
    for item_id, entry in published["indicators"].items():
        here = (*path, "indicators", item_id)
        _read_indicator(audit, universe, here, entry, _sums(items, item_id, None, world))
        for code, value in entry.get("distribution", {}).items():
            cells = [key for key in world.truth if key[0] == item_id and key[2] == code]
            audit.count((*here, "distribution", code), universe, cells, value)
        for area, figures in entry.get("by_area", {}).items():
            _read_indicator(audit, universe, (*here, "by_area", area), figures, _sums(items, item_id, area, world))
    for position, (group_id, breakdown) in enumerate(published.get("breakdowns", {}).items()):
        _read_breakdown(audit, universe, (*path, "breakdowns", group_id), breakdown, items, 3 + position)
    for item_id, test in published.get("area_tests", {}).items():
        inputs = [
            (*path, "indicators", item_id, "by_area", area, key)
            for area in published["indicators"][item_id].get("by_area", {})
            for key in ("numerator", "denominator")
        ]
        for key in ("p_value", "p_adjusted", "monte_carlo_se"):
            audit.figure((*path, "area_tests", item_id, key), test.get(key), inputs)


def _read_breakdown(audit: Audit, universe, path: Path, breakdown: dict, items: dict, column: int) -> None:
    """An item's counts per group of a breakdown: sums of the cells whose ``column`` holds the group."""
    world = audit.universes[universe]
    for item_id, by_group in breakdown["indicators"].items():
        for group, figures in by_group.items():
            sums = {
                kind: [key for key in cells if key[column] == group]
                for kind, cells in _sums(items, item_id, None, world).items()
            }
            _read_indicator(audit, universe, (*path, "indicators", item_id, group), figures, sums)
    for item_id, test in breakdown["tests"].items():
        inputs = [
            (*path, "indicators", item_id, group, key)
            for group in breakdown["indicators"][item_id]
            for key in ("numerator", "denominator")
        ]
        for key in ("p_value", "p_adjusted", "monte_carlo_se"):
            audit.figure((*path, "tests", item_id, key), test[key], inputs)


#: The counts of an item's overlap (records in both rounds, and in one round only), by their path in it.
_OVERLAP_COUNTS = (
    ("pairs",),
    ("met_in_both",),
    ("met_at_baseline_only",),
    ("met_at_followup_only",),
    ("met_in_neither",),
    ("baseline_only", "numerator"),
    ("baseline_only", "denominator"),
    ("followup_only", "numerator"),
    ("followup_only", "denominator"),
)


def _read_overlap(audit: Audit, path: Path, overlap: dict | None) -> list[Path]:
    """Records counted in both rounds: counts across two rounds, published only when not 1 to 5."""
    if overlap is None:
        return []
    sources = []
    for keys in _OVERLAP_COUNTS:
        value = overlap
        for key in keys:
            value = value[key]
        source = (*path, "overlap", *keys)
        assert value is None or not 1 <= value <= 5, f"{_text(source)} = {value}"
        audit.counts[source] = value
        audit.placed.add(source)
        sources.append(source)
    return sources


def _read_comparison(audit: Audit, document: dict, items_of: dict) -> None:
    rounds = {"baseline": document["comparison"]["baseline"]["id"], "followup": document["round"]["id"]}
    family = document["comparison"]["family"]
    assert family["tests"] == len(document["comparison"]["items"]), "the family is one primary test per item"
    audit.placed |= {("comparison", "family", "tests"), ("comparison", "family", "level")}
    for number, entry in enumerate(document["comparison"]["items"]):
        path = ("comparison", "items", number)
        totals, distributions = [], []
        for side, round_key in rounds.items():
            universe = (round_key, entry["instrument"])
            sums = _sums(items_of[entry["instrument"]], entry["item"], None, audit.universes[universe])
            for key in ("numerator", "denominator"):
                audit.count((*path, side, key), universe, sums[key], entry[side][key])
                totals.append((*path, side, key))
            audit.figure((*path, side, "proportion"), entry[side]["proportion"], totals[-2:])
            ranks = entry["tests"].get("mann_whitney")
            if ranks:
                world = audit.universes[universe]
                for code, value in ranks.get(f"{side}_distribution", {}).items():
                    cells = [key for key in world.truth if key[0] == entry["item"] and key[2] == code]
                    source = (*path, "tests", "mann_whitney", f"{side}_distribution", code)
                    audit.count(source, universe, cells, value)
                    distributions.append(source)
        pairs = _read_overlap(audit, path, entry["overlap"])
        audit.figure((*path, "difference"), entry["difference"], totals)
        inputs = totals + pairs  # the primary test rests on the shared records too, when there are any
        for key in ("diff_ci_low", "diff_ci_high", "p_value", "p_adjusted", "verdict"):
            audit.figure((*path, key), entry[key], inputs)
        # The caution names the smaller number of answers in words.
        audit.figure((*path, "caution"), entry["caution"], [(*path, side, "denominator") for side in rounds])
        for name, test in entry["tests"].items():
            rests_on = totals + distributions if name == "mann_whitney" else totals + pairs
            for key, value in test.items():
                if key in (
                    "statistic",
                    "p_value",
                    "p_adjusted",
                    "superiority",
                    "superiority_ci_low",
                    "superiority_ci_high",
                ):
                    audit.figure((*path, "tests", name, key), value, rests_on)
        baseline_and_sizes = [*totals[:2], totals[3]]  # the baseline's proportion and both rounds' sizes
        audit.figure((*path, "power", "detectable_change"), entry["power"]["detectable_change"], baseline_and_sizes)


def _read_power(audit: Audit, document: dict) -> None:
    """The power settings, and the records each item needs in a round: computed from this round's proportion."""
    power = document["power"]
    audit.placed |= {("power", "power"), ("power", "significance"), ("power", "change")}
    for name, items in power["next_round"].items():
        for item_id, entry in items.items():
            here = ("instruments", name, "indicators", item_id)
            inputs = [(*here, "numerator"), (*here, "denominator")]
            audit.figure(("power", "next_round", name, item_id, "n_per_round"), entry["n_per_round"], inputs)


def _read_trend(audit: Audit, position: int, entry: dict, items: dict) -> None:
    path = ("trend", position)
    inputs = []
    for number, round_key in enumerate(entry["rounds"]):
        universe = (round_key, entry["instrument"])
        sums = _sums(items, entry["item"], None, audit.universes[universe])
        for key in ("numerators", "denominators"):
            audit.count((*path, key, number), universe, sums[key[:-1]], entry[key][number])
            inputs.append((*path, key, number))
    for number in range(len(entry.get("proportions", []))):
        audit.figure((*path, "proportions", number), entry["proportions"][number], inputs)
    for key in ("z", "p_value", "p_adjusted"):
        audit.figure((*path, key), entry[key], inputs)


def _read_indicator_table(audit: Audit, name: str, table: dict, truth: pd.DataFrame, total: str | None) -> None:
    world = Universe()
    audit.universes[("table", name)] = world
    known = truth.dropna(subset=["numerator", "denominator"])
    for row in known.itertuples():
        met = int(row.numerator)
        world.truth[(row.period, row.area, "met")] = met
        world.truth[(row.period, row.area, "not met")] = int(row.denominator) - met
        world.sensitive[("met", row.period, row.area)] = ((row.period, row.area, "met"),)
        world.sensitive[("not met", row.period, row.area)] = ((row.period, row.area, "not met"),)
    for period, rows in known.groupby("period", sort=False):
        parts = rows[rows["area"] != total]
        if (
            total not in set(rows["area"])
            or parts.empty
            or len(parts) < len(truth[(truth["period"] == period) & (truth["area"] != total)])
        ):
            continue
        for kind in ("met", "not met"):
            gap = world.truth[(period, total, kind)] - sum(world.truth[(period, area, kind)] for area in parts["area"])
            if gap < 0:
                continue
            # The total's records not in any area published: a reader who sees every area and the total knows it.
            world.truth[(period, "(not in an area)", kind)] = gap
            world.sensitive[(kind, period, "(not in an area)")] = ((period, "(not in an area)", kind),)
            world.equal.append(
                (
                    [(period, total, kind)],
                    [*((period, area, kind) for area in parts["area"]), (period, "(not in an area)", kind)],
                )
            )
    rows_at = {}
    for position, row in enumerate(table["rows"]):
        path = ("indicator_tables", name, "rows", position)
        key = (row["period"], row["area"])
        rows_at[key] = path
        if (*key, "met") in world.truth:
            audit.count((*path, "numerator"), ("table", name), [(*key, "met")], row["numerator"])
            audit.count((*path, "denominator"), ("table", name), [(*key, "met"), (*key, "not met")], row["denominator"])
        inputs = [(*path, "numerator"), (*path, "denominator")]
        for figure in ("proportion", "ci_low", "ci_high", "ci99_low", "ci99_high", "funnel"):
            audit.figure((*path, figure), row[figure], inputs)
        for benchmark, verdict in row["verdicts"].items():
            audit.figure((*path, "verdicts", benchmark), verdict, inputs)
    for position, funnel in enumerate(table.get("funnels", [])):
        # A funnel's target rests on the total row (basis total) or on every area's counts (pooled); the
        # overdispersion test and τ² on every area's counts.
        period_rows = {area: path for (period, area), path in rows_at.items() if period == funnel["period"]}
        parts = [
            (*path, key) for area, path in period_rows.items() if area != total for key in ("numerator", "denominator")
        ]
        stated = [(*period_rows[total], key) for key in ("numerator", "denominator")] if total in period_rows else []
        here = ("indicator_tables", name, "funnels", position)
        audit.figure((*here, "target"), funnel["target"], stated if funnel["basis"] == "total" else parts)
        for key in ("areas", "phi", "overdispersion_p", "tau2"):
            audit.figure((*here, key), funnel[key], parts)
    trend_inputs = [
        (*path, key)
        for (period, area), path in rows_at.items()
        if area == table["trend"].get("area")
        for key in ("numerator", "denominator")
    ]
    for key in ("z", "p_value"):
        audit.figure(("indicator_tables", name, "trend", key), table["trend"][key], trend_inputs)
    for position, check in enumerate(table["checks"]):
        inputs = [
            (*path, key)
            for (period, area), path in rows_at.items()
            if period == check["period"] and (check["area"] is None or area == check["area"])
            for key in ("numerator", "denominator")
        ]
        names = tuple(str(name) for name in (check["period"], check["area"]) if name)
        audit.figure(("indicator_tables", name, "checks", position, "message"), check["message"], inputs, names)
