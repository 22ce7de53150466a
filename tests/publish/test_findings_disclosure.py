"""No hidden count from 1 to 5 can be worked out from what findings.json and findings.csv publish (issue 14).

The audit here is independent of auditkit's own: it reads the published findings.json, counts the cells
(records per area and answer) from the raw data with pandas, writes every published count as a sum of
cells, and asks an integer programme (scipy.optimize.milp) for the smallest and largest value of every
hidden count that is truly 1 to 5: they must differ. Every number of findings.json must be one it knows
how to read (a new kind of published number fails the test until it is taught here), and every count in
findings.csv must also be in findings.json.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import INSTRUMENTS, REPO
from scipy.optimize import LinearConstraint, milp

import auditkit
from auditkit.config.codebook import load_codebook

#: Keys of an indicator entry that are not counts, and the figures computed from its counts.
_NOT_COUNTS = {"label", "lower_is_better", "suppressed", "proportion", "ci_low", "ci_high"}


def _cells(data: Path, codebook_path: Path, area_item: str, item: str) -> pd.Series:
    """Records per (area, answer) of ``item``, blanks as '' and records without an area under ''."""
    table = pd.read_csv(data, dtype=str, keep_default_na=False)
    return table.groupby([table[area_item].str.strip(), table[item].str.strip()]).size()


def _range(cells: pd.Series, published: list[tuple[list, int]], hidden: list) -> tuple[int, int]:
    index = {key: position for position, key in enumerate(cells.index)}
    size = len(index)
    matrix = np.zeros((len(published), size))
    totals = np.zeros(len(published))
    for row, (keys, value) in enumerate(published):
        matrix[row, [index[key] for key in keys if key in index]] = 1
        totals[row] = value
    objective = np.zeros(size)
    objective[[index[key] for key in hidden if key in index]] = 1
    cap = (0, int(cells.sum()) * 2 + 10)
    constraints = [LinearConstraint(matrix, totals, totals)]
    low = milp(objective, constraints=constraints, integrality=np.ones(size), bounds=cap)
    high = milp(-objective, constraints=constraints, integrality=np.ones(size), bounds=cap)
    return round(low.fun), round(-high.fun)


def _entry_counts(entry: dict) -> dict:
    """The counts of one indicator entry, refusing any key it does not know."""
    unknown = set(entry) - _NOT_COUNTS - {"numerator", "denominator", "distribution", "by_area"}
    assert not unknown, f"a published number this audit cannot read: {sorted(unknown)}"
    if entry["numerator"] is None:  # a hidden numerator hides everything computed from it
        assert all(entry[key] is None for key in ("proportion", "ci_low", "ci_high"))
    return entry


def audit_instrument(
    document: dict, name: str, data: Path, codebook_path: Path, min_count: int, also: dict | None = None
) -> list[str]:
    """Every hidden count of the instrument from 1 to ``min_count`` that the published counts pin down.

    ``also`` adds counts published elsewhere about the same data (a comparison's), by item.
    """
    codebook = load_codebook(codebook_path)
    area_item = next(item.id for item in codebook.items if item.type == "area")
    published_instrument = document["instruments"][name]
    assert set(published_instrument) <= {"title", "records", "complete", "by_area", "indicators", "area_tests"}
    found = []
    for item_id, entry in published_instrument["indicators"].items():
        entry = _entry_counts(entry)
        item = codebook.by_id[item_id]
        cells = _cells(data, codebook_path, area_item, item_id)
        areas = sorted({area for area, _ in cells.index})
        met = set(item.met)
        applicable = {value.code for value in item.values} - set(item.not_applicable)

        def keys(area=None, answers=None, index=cells.index):
            return [(a, v) for a, v in index if (area is None or a == area) and (answers is None or v in answers)]

        sums = {("records", "all"): keys(), ("numerator", "all"): keys(None, met)}
        sums[("denominator", "all")] = keys(None, applicable)
        for area in areas:
            sums[("records", area)] = keys(area)
            sums[("numerator", area)] = keys(area, met)
            sums[("denominator", area)] = keys(area, applicable)
            sums[("not met", area)] = keys(area, applicable - met)
            sums[("not answered", area)] = [key for key in keys(area) if key[1] not in applicable]
        for value in entry["distribution"]:
            sums[("value", value)] = keys(None, {value})
        for key in cells.index:
            sums[("cell", *key)] = [key]
        published = []
        shown = {("records", "all"): published_instrument["records"]}
        shown |= {("records", area): count for area, count in published_instrument["by_area"].items()}
        shown |= {("numerator", "all"): entry["numerator"], ("denominator", "all"): entry["denominator"]}
        for area, figures in entry["by_area"].items():
            _entry_counts(figures)
            shown |= {("numerator", area): figures["numerator"], ("denominator", area): figures["denominator"]}
        shown |= {("value", value): count for value, count in entry["distribution"].items()}
        for key, value in ((also or {}).get(item_id) or {}).items():
            if value is not None:
                assert shown.get(key) in (None, value), (item_id, key)
                shown[key] = value
        for key, value in shown.items():
            if value is not None:
                published.append((sums.get(key, []), value))
        for key, members in sums.items():
            truth = int(sum(cells.get(member, 0) for member in members))
            if shown.get(key) is not None or not 1 <= truth <= min_count:
                continue
            low, high = _range(cells, published, members)
            if low == high:
                found.append(f"{name}.{item_id} {key} = {truth}")
    return found


def _project_with_rule(tmp_path: Path, parameters: str) -> Path:
    for folder in ("parameters", "data_templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "parameters" / parameters
    path.write_text(path.read_text(encoding="utf-8").replace("min_count: 0", "min_count: 5"), encoding="utf-8")
    return path


def _published(parameters: Path, out: Path) -> dict:
    out.mkdir()
    auditkit.write_findings(auditkit.analyse_round(parameters, reuse=False), out)
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _csv_counts_are_in_the_json(out: Path, document: dict) -> None:
    table = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    rows = table[table["section"] == "indicator"]
    for row in rows.itertuples():
        entry = document["instruments"][row.instrument]["indicators"][row.item]
        figures = entry if row.area == "all" else entry["by_area"][row.area]
        for column in ("numerator", "denominator"):
            published = figures[column]
            assert getattr(row, column) == ("c" if published is None else str(published)), (row, column)


@pytest.mark.parametrize("parameters", ["llr-2017.yaml", "llr-2017-surveymonkey.yaml"])
def test_the_example_rounds_under_the_dfe_rule_give_no_hidden_count_away(tmp_path: Path, parameters: str):
    path = _project_with_rule(tmp_path, parameters)
    document = _published(path, tmp_path / "out")
    _csv_counts_are_in_the_json(tmp_path / "out", document)
    round_ = auditkit.load_round(path)
    found = []
    for name, instrument in round_.instruments.items():
        if instrument.data.suffix == ".csv" and instrument.format == "table":
            found += audit_instrument(document, name, instrument.data, instrument.codebook.path, 5)
    assert found == []


def _random_survey(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    codebook = load_codebook(INSTRUMENTS / "toolkit_survey.yaml")
    rows = []
    for number in range(int(rng.integers(12, 40))):
        row = {"response_id": f"R{number}", "agency": "health", "area": rng.choice(["Leicester", "Rutland", "other"])}
        for item in codebook.indicators:
            codes = [value.code for value in item.values]
            blank = not item.required and rng.random() < 0.2
            row[item.id] = (
                ""
                if blank
                else rng.choice(codes, p=np.random.default_rng(seed + len(codes)).dirichlet(np.ones(len(codes))))
            )
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)


@pytest.mark.parametrize("seed", range(6))
def test_random_small_rounds_give_no_hidden_count_away(tmp_path: Path, seed: int):
    path = _project_with_rule(tmp_path, "llr-2017.yaml")
    survey = tmp_path / "data_templates" / "examples" / "llr-2017-survey.csv"
    _random_survey(survey, seed)
    document = _published(path, tmp_path / "out")
    _csv_counts_are_in_the_json(tmp_path / "out", document)
    codebook = INSTRUMENTS / "toolkit_survey.yaml"
    assert audit_instrument(document, "survey", survey, codebook, 5) == []


def _comparison_counts(document: dict, side: str) -> dict:
    """The counts a comparison publishes about one round (``baseline`` or ``followup``), by instrument and item."""
    counts: dict = {}
    for entry in document["comparison"]["items"]:
        assert set(entry) <= {
            "instrument", "item", "label", "lower_is_better", "baseline", "followup", "difference", "diff_ci_low",
            "diff_ci_high", "p_value", "p_adjusted", "test", "verdict", "caution", "paired", "mann_whitney",
        }, f"a published number this audit cannot read: {sorted(entry)}"  # fmt: skip
        figures = {("numerator", "all"): entry[side]["numerator"], ("denominator", "all"): entry[side]["denominator"]}
        if entry["mann_whitney"]:
            shares = entry["mann_whitney"][f"{side}_distribution"]
            figures |= {("value", value): count for value, count in shares.items()}
        if entry["paired"]:
            for key in ("pairs", "b", "c"):  # counts of re-audited cases: never from 1 to 5
                assert entry["paired"][key] is None or not 1 <= entry["paired"][key] <= 5
        counts.setdefault(entry["instrument"], {})[entry["item"]] = figures
    return counts


def test_a_follow_up_and_its_baseline_under_the_dfe_rule_give_no_hidden_count_away(tmp_path: Path):
    followup = _project_with_rule(tmp_path, "llr-2017-followup.yaml")
    baseline = tmp_path / "parameters" / "llr-2017.yaml"
    baseline.write_text(baseline.read_text(encoding="utf-8").replace("min_count: 0", "min_count: 5"), "utf-8")
    document = _published(followup, tmp_path / "out")
    baseline_document = _published(baseline, tmp_path / "baseline")
    found = []
    for round_, published, side in (
        (auditkit.load_round(followup), document, "followup"),
        (auditkit.load_round(baseline), baseline_document, "baseline"),
    ):
        also = _comparison_counts(document, side)
        for name, instrument in round_.instruments.items():
            found += audit_instrument(published, name, instrument.data, instrument.codebook.path, 5, also.get(name, {}))
    assert found == []
