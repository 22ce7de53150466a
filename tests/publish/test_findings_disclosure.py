"""No hidden count from 1 to 5 can be worked out from anything a round publishes (issue 14).

The audit (``published_numbers.py`` beside this file) is independent of auditkit's own: it counts cells from
the validated records with pandas, reads every leaf of the published ``findings.json`` (failing on any it
cannot place), and asks scipy's integer programme whether a hidden small count has one value only. The CSV
and the briefing publish no number that findings.json does not (checked here and in
``tests/end_to_end/test_briefing_numbers.py``).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from publish.published_numbers import Audit, leaves, read_published

import auditkit
from auditkit.config.history import load_history
from auditkit.read.validation import load_round_records

MIN_COUNT = 5


def project_with_rule(tmp_path: Path) -> Path:
    """A copy of the example project with the DfE rule (counts 1 to 5 hidden) in every parameters file."""
    for folder in ("parameters", "data_templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    for path in (tmp_path / "parameters").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("min_count: 0", f"min_count: {MIN_COUNT}"), "utf-8")
    return tmp_path / "parameters"


def audit_round(parameters: Path, out: Path) -> tuple[Audit, dict]:
    """The published findings of a round, written to ``out`` and read back by the independent audit."""
    analysis = auditkit.analyse_round(parameters, reuse=False)
    out.mkdir()
    auditkit.write_findings(analysis, out)
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    records = {round_.id: load_round_records(round_) for round_ in load_history(analysis.round)}
    codebooks = {name: instrument.codebook for name, instrument in analysis.round.instruments.items()}
    tables = {name: (table.rows, table.codebook.total_area) for name, table in analysis.indicator_tables.items()}
    return read_published(document, records, codebooks, tables), document


#: Columns of findings.csv that hold names or settings, not figures of the data: a period such as 2015 is a
#: name, and a benchmark's value is the indicator codebook's (England's published figure).
_LABEL_COLUMNS = {
    "section", "period", "instrument", "item", "label", "area", "test", "verdict", "caution", "benchmark",
    "benchmark_value",
}  # fmt: skip


def csv_numbers_not_in_the_json(out: Path, document: dict) -> list[str]:
    """Numbers of findings.csv that findings.json does not publish (to 1e-9)."""
    published = sorted(
        float(value) for _, value in leaves(document) if isinstance(value, (int, float)) and not isinstance(value, bool)
    )
    table = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    found = []
    for column in set(table.columns) - _LABEL_COLUMNS:
        for position, text in enumerate(table[column]):
            try:
                number = float(text)
            except ValueError:
                continue
            if math.isfinite(number) and not any(math.isclose(number, value, rel_tol=1e-9) for value in published):
                found.append(f"row {position + 2}, {column}: {text}")
    return found


def assert_nothing_given_away(audit: Audit, document: dict, out: Path) -> None:
    assert audit.unplaced(document) == [], "a published number this audit cannot place"
    assert audit.figures_over_hidden_counts() == []
    assert audit.determined(MIN_COUNT) == []
    assert csv_numbers_not_in_the_json(out, document) == []


@pytest.mark.parametrize(
    "parameters", ["llr-2017.yaml", "llr-2017-surveymonkey.yaml", "llr-2017-followup.yaml", "lancashire-2018.yaml"]
)
def test_the_example_rounds_under_the_dfe_rule_give_no_hidden_count_away(tmp_path: Path, parameters: str):
    folder = project_with_rule(tmp_path)
    audit, document = audit_round(folder / parameters, tmp_path / "out")
    assert audit.counts, "the audit read no count"
    assert_nothing_given_away(audit, document, tmp_path / "out")


@pytest.mark.parametrize("parameters", ["llr-2017.yaml", "llr-2017-followup.yaml"])
def test_breakdowns_by_group_under_the_dfe_rule_give_no_hidden_count_away(tmp_path: Path, parameters: str):
    # Issue 18: each item's counts per agency and per child's age band join its linked table.
    folder = project_with_rule(tmp_path)
    path = folder / parameters
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ninstruments:", "\nbreakdowns: [agency, child_age_band]\ninstruments:", 1), "utf-8")
    audit, document = audit_round(path, tmp_path / "out")
    survey = document["instruments"]["survey"]["breakdowns"]["agency"]
    assert survey["groups"]["social_care"] == "Children's social care"
    placed = [path for path in audit.counts if "breakdowns" in path]
    assert placed and any(audit.counts[path] is None for path in placed), "some group counts are hidden"
    assert any(audit.counts[path] is not None for path in placed), "some group counts are published"
    assert_nothing_given_away(audit, document, tmp_path / "out")


def test_the_audit_finds_what_table_by_table_suppression_leaves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Without the linked audit, the same reading finds determined counts: the audit can fail."""
    import auditkit.publish.protection as protection

    monkeypatch.setattr(protection, "protect_linked_counts", _nothing_more_hidden(protection.protect_linked_counts))
    folder = project_with_rule(tmp_path)
    audit, _ = audit_round(folder / "llr-2017-followup.yaml", tmp_path / "out")
    assert audit.determined(MIN_COUNT) != []


def _nothing_more_hidden(linked):
    def protect(cells, indicators, distributions, counts, items, rule, *breakdowns):
        return linked(cells, indicators, distributions, counts, items, rule.__class__(min_count=0), *breakdowns)

    return protect


def _survey_codebook() -> Path:
    return auditkit.load_round(REPO / "parameters" / "llr-2017.yaml").instruments["survey"].codebook.path


def _random_survey(path: Path, seed: int, sizes: tuple[int, int] = (12, 40), agencies: int = 1) -> None:
    rng = np.random.default_rng(seed)
    codebook = auditkit.load_codebook(_survey_codebook())
    agency_codes = [value.code for value in codebook.by_id["agency"].values][:agencies]
    rows = []
    for number in range(int(rng.integers(*sizes))):
        row = {"response_id": f"R{number}", "agency": "health", "area": rng.choice(["Leicester", "Rutland", "other"])}
        if agencies > 1:
            row["agency"] = rng.choice(agency_codes)
        for item in codebook.indicators:
            codes = [value.code for value in item.values]
            blank = not item.required and rng.random() < 0.2
            weights = np.random.default_rng(seed + len(codes)).dirichlet(np.ones(len(codes)))
            row[item.id] = "" if blank else rng.choice(codes, p=weights)
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)


def _random_chain(folder: Path, seed: int, rounds: int, linked: bool = False, agencies: int = 1) -> Path:
    """``rounds`` survey-only rounds of random small data, each the baseline of the next; the last's path.

    With ``agencies`` above 1, the responses come from that many agencies and each round is broken down by agency
    (``breakdowns: [agency]``). With ``linked``, the survey keeps its response ids across rounds (``links_rounds``), and as each round numbers
    its responses from R0 the rounds share some of them: the comparison then rests on the shared responses. Those
    rounds are larger (60 to 120 responses), so that some of what rests on the shared responses is published.
    """
    shutil.copyfile(_survey_codebook(), folder / "survey.yaml")
    if linked:
        text = (folder / "survey.yaml").read_text(encoding="utf-8")
        marked = text.replace("    unique: true\n", "    unique: true\n    links_rounds: true\n", 1)
        assert marked != text
        (folder / "survey.yaml").write_text(marked, encoding="utf-8")
    previous = None
    for number in range(rounds):
        sizes = (60, 120) if linked else (12, 40)
        _random_survey(folder / f"survey-{number}.csv", seed * 10 + number, sizes, agencies)
        parameters = {
            "round": f"random-{number}",
            "title": f"Random round {number}",
            "partnership": "Test partnership",
            "period": {"start": f"{2017 + number}-01-01", "end": f"{2017 + number}-06-30"},
            "areas": ["Leicester", "Rutland"],
            "disclosure": {"min_count": MIN_COUNT},
            "instruments": {"survey": {"codebook": "survey.yaml", "data": f"survey-{number}.csv"}},
        }
        if previous:
            parameters["baseline"] = previous
        if agencies > 1:
            parameters["breakdowns"] = ["agency"]
        previous = f"random-{number}.yaml"
        (folder / previous).write_text(yaml.safe_dump(parameters), encoding="utf-8")
    return folder / previous


@pytest.mark.parametrize("seed", range(6))
def test_random_small_rounds_give_no_hidden_count_away(tmp_path: Path, seed: int):
    audit, document = audit_round(_random_chain(tmp_path, seed, 1), tmp_path / "out")
    assert_nothing_given_away(audit, document, tmp_path / "out")


@pytest.mark.parametrize("seed", range(6))
def test_random_rounds_broken_down_by_agency_give_no_hidden_count_away(tmp_path: Path, seed: int):
    # Issue 18: each item's counts by area and by agency (two to four of them) are one linked table.
    audit, document = audit_round(_random_chain(tmp_path, seed, 2, agencies=2 + seed % 3), tmp_path / "out")
    groups = [path for path in audit.counts if "breakdowns" in path]
    assert groups, "the round published no group figure"
    assert document["instruments"]["survey"]["breakdowns"]["agency"]["tests"], "no group test"
    assert_nothing_given_away(audit, document, tmp_path / "out")


@pytest.mark.parametrize("seed", range(3))
def test_random_chains_of_three_rounds_give_no_hidden_count_away(tmp_path: Path, seed: int):
    audit, document = audit_round(_random_chain(tmp_path, seed, 3), tmp_path / "out")
    assert "comparison" in document and "trend" in document
    assert_nothing_given_away(audit, document, tmp_path / "out")


@pytest.mark.parametrize("seed", range(4))
def test_random_rounds_that_share_responses_give_no_hidden_count_away(tmp_path: Path, seed: int):
    # Issue 18: the records two rounds share are published (the overlap of each item and the tests that rest on
    # it) only when none of those counts is from 1 to 5.
    audit, document = audit_round(_random_chain(tmp_path, seed, 2, linked=True), tmp_path / "out")
    overlaps = [entry["overlap"] for entry in document["comparison"]["items"]]
    assert all(overlap is not None and overlap["shared"] == "some" for overlap in overlaps)
    assert any(overlap["pairs"] is not None for overlap in overlaps), "nothing resting on the shared responses shown"
    assert any(overlap["pairs"] is None for overlap in overlaps), "no overlap count was small enough to hide"
    assert_nothing_given_away(audit, document, tmp_path / "out")


def _random_indicator_round(folder: Path, seed: int, large: bool = False) -> Path:
    """Five districts and their county total over three years, with small counts (or, when ``large``, none
    below 10), some totals that miss a few children, and some stated percentages that disagree with the counts
    (data-quality notes)."""
    rng = np.random.default_rng(seed)
    example = auditkit.load_round(REPO / "parameters" / "lancashire-2018.yaml")
    codebook = example.indicator_tables["cp_plans_neglect"].codebook.path
    districts = ["Burnley", "Fylde & Wyre", "Lancaster", "Pendle", "Preston"]
    rows = []
    for period in ("2016", "2017", "2018"):
        met = rng.integers(10, 40, size=len(districts)) if large else rng.integers(0, 12, size=len(districts))
        total = met + (rng.integers(10, 40, size=len(districts)) if large else rng.integers(0, 15, size=len(districts)))
        for district, numerator, denominator in zip(districts, met, total):
            stated = 100 * numerator / denominator if denominator else 0
            stated += 10 if rng.random() < 0.2 else 0
            rows.append((period, district, denominator, numerator, f"{stated:.1f}%"))
        missing = (3, 0) if large else rng.integers(0, 4, size=2) if rng.random() < 0.5 else (0, 0)
        county = (met.sum() + missing[0], total.sum() + missing[0] + missing[1])
        rows.append((period, "Lancashire", county[1], county[0], f"{100 * county[0] / county[1]:.1f}%"))
    frame = pd.DataFrame(rows, columns=["period", "area", "denominator", "numerator", "stated_percent"])
    frame.to_csv(folder / "table.csv", index=False)
    shutil.copyfile(codebook, folder / "codebook.yaml")
    parameters = {
        "round": f"random-table-{seed}",
        "title": "Random indicator table",
        "partnership": "Test partnership",
        "period": {"start": "2015-04-01", "end": "2018-03-31"},
        "areas": districts,
        "disclosure": {"min_count": MIN_COUNT},
        "indicator_tables": {"cp_plans_neglect": {"codebook": "codebook.yaml", "data": ["table.csv"]}},
    }
    (folder / "round.yaml").write_text(yaml.safe_dump(parameters), encoding="utf-8")
    return folder / "round.yaml"


@pytest.mark.parametrize("seed", range(6))
def test_random_indicator_tables_give_no_hidden_count_away(tmp_path: Path, seed: int):
    audit, document = audit_round(_random_indicator_round(tmp_path, seed), tmp_path / "out")
    assert document["indicator_tables"]["cp_plans_neglect"]["checks"], "the random table raised no check"
    assert_nothing_given_away(audit, document, tmp_path / "out")


def test_a_total_that_misses_a_few_children_of_its_areas_is_hidden(tmp_path: Path):
    """The total less its areas is the number of children in no area shown: 3 here, so the total goes."""
    audit, document = audit_round(_random_indicator_round(tmp_path, 0, large=True), tmp_path / "out")
    rows = document["indicator_tables"]["cp_plans_neglect"]["rows"]
    assert [row["numerator"] is None for row in rows if row["area"] == "Lancashire"] == [True, True, True]
    assert all(row["numerator"] is not None for row in rows if row["area"] != "Lancashire")
    assert_nothing_given_away(audit, document, tmp_path / "out")
