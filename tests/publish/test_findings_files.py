"""auditkit.publish.findings_files: findings.json and findings.csv as a round publishes them.

The expected counts are counted here directly from the example CSV files with the csv module, never
taken from auditkit's own output.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit
from auditkit.publish.findings_files import write_findings
from auditkit.publish.protection import protect_analysis
from auditkit.publish.safe_text import INVISIBLE_CHARACTERS

CASES_CSV = REPO / "data_templates" / "examples" / "llr-2017-cases.csv"


SURVEY_CSV = REPO / "data_templates" / "examples" / "llr-2017-survey.csv"


FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
CSV_COLUMNS = [
    "section",
    "period",
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
    "baseline_numerator",
    "baseline_denominator",
    "baseline_proportion",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
    "test",
    "role",  # issue 18: a row per test result (section "test"), primary or secondary, with its statistic
    "statistic",
    "verdict",
    "caution",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "detectable_change",  # issue 18: power, on comparison rows and (records a round needs) indicator rows
    "n_per_round",
    "ci99_low",
    "ci99_high",
    "benchmark",
    "benchmark_value",
    "funnel",
    # issue 18: breakdowns by group, and a simulated p-value's Monte Carlo error
    "breakdown",
    "group",
    "monte_carlo_se",
]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def round_():
    return auditkit.load_round(EXAMPLE_PARAMETERS)


@pytest.fixture(scope="module")
def records(round_):
    return auditkit.load_round_records(round_)


@pytest.fixture(scope="module")
def findings(round_, records):
    return auditkit.compute_findings(round_, records)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("findings")
    return write_findings(auditkit.analyse_round(EXAMPLE_PARAMETERS), folder)


# --- write_findings -----------------------------------------------------------------------------------


def test_write_findings_writes_the_published_json_and_csv(written):
    json_path, csv_path = written
    assert json_path.name == "findings.json" and csv_path.name == "findings.csv"
    published = auditkit.analysis_to_dict(protect_analysis(auditkit.analyse_round(EXAMPLE_PARAMETERS)))
    assert json.loads(json_path.read_text(encoding="utf-8")) == published
    assert published["disclosure"]["applied"] is True


def test_findings_csv_has_stable_columns(written):
    _, csv_path = written
    with csv_path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == CSV_COLUMNS


def test_findings_csv_has_one_row_per_instrument_item_area(written, round_):
    rows = read_rows(written[1])
    keys = [(row["instrument"], row["item"], row["area"]) for row in rows]
    assert len(keys) == len(set(keys))
    areas = {
        "deep_dive": {"all", "Leicester", "Leicestershire", "Rutland"},
        "survey": {"all", "Leicester", "Leicestershire", "Rutland", "other"},
    }
    expected = {
        (name, item.id, area)
        for name, instrument in round_.instruments.items()
        for item in instrument.codebook.indicators
        for area in areas[name]
    }
    assert set(keys) == expected


def test_findings_csv_keeps_full_precision(written, findings):
    rows = read_rows(written[1])
    frame = findings.indicators
    assert len(rows) == len(frame)
    for row, (_, expected) in zip(rows, frame.iterrows()):
        assert (row["instrument"], row["item"], row["area"]) == (
            expected["instrument"],
            expected["item"],
            expected["area"],
        )
        assert int(row["numerator"]) == expected["numerator"]
        assert int(row["denominator"]) == expected["denominator"]
        for column in ("proportion", "ci_low", "ci_high"):
            if math.isnan(expected[column]):
                assert row[column] == ""
            else:
                assert float(row[column]) == expected[column], (row["item"], row["area"], column)
        assert row["lower_is_better"] == str(bool(expected["lower_is_better"]))


def test_findings_csv_toolkit_used_total_row(written):
    # Wilson 2/10, 95% CI 0.0567 to 0.5098 (PHE closed form; the briefing's "6% to 51%").
    rows = {(row["instrument"], row["item"], row["area"]): row for row in read_rows(written[1])}
    row = rows[("deep_dive", "toolkit_used", "all")]
    assert (row["numerator"], row["denominator"]) == ("2", "10")
    assert float(row["ci_low"]) == pytest.approx(0.0566821514543752, abs=1e-12)
    assert float(row["ci_high"]) == pytest.approx(0.5098375284633583, abs=1e-12)


def test_no_identifier_or_internal_note_is_written(written):
    text = written[0].read_text(encoding="utf-8") + written[1].read_text(encoding="utf-8")
    cases, survey = read_rows(CASES_CSV), read_rows(SURVEY_CSV)
    identifiers = [row["case_ref"] for row in cases] + [row["response_id"] for row in survey]
    assert len(identifiers) == 71
    leaked = [value for value in identifiers if value in text]
    assert leaked == []
    notes = [row["notes"] for row in cases if row["notes"]]
    assert [note for note in notes if note in text] == []


def test_same_inputs_give_byte_identical_findings(tmp_path):
    outputs = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        json_path, csv_path = write_findings(auditkit.analyse_round(EXAMPLE_PARAMETERS), folder)
        outputs.append((json_path.read_bytes(), csv_path.read_bytes()))
    assert outputs[0] == outputs[1]


# --- nothing injectable --------------------------------------------------------------------------------


def test_a_formula_label_is_written_as_text_in_the_published_and_the_internal_csv(example_round, tmp_path):
    codebook = example_round.own_codebook("toolkit_survey")
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(text.replace("label: Attended the toolkit launch", 'label: "=1+1"'), encoding="utf-8")
    analysis = auditkit.analyse_round(example_round.parameters)
    for published in (True, False):
        folder = tmp_path / str(published)
        folder.mkdir()
        json_path, csv_path = write_findings(analysis, folder, published=published)
        rows = [row for row in read_rows(csv_path) if row["item"] == "attended_launch"]
        assert {row["label"] for row in rows} == {"'=1+1"}
        assert all(row["numerator"].isdigit() for row in rows)
        item = json.loads(json_path.read_text(encoding="utf-8"))["instruments"]["survey"]["indicators"][
            "attended_launch"
        ]
        labels = {entry["label"] for entry in item["by_area"].values()}
        assert labels == {"=1+1"}, "JSON is no spreadsheet: the label stays as written"


def test_a_negative_figure_stays_a_number_in_findings_csv(tmp_path):
    _, csv_path = write_findings(auditkit.analyse_round(FOLLOWUP), tmp_path)
    differences = [row["difference"] for row in read_rows(csv_path) if row["section"] == "comparison"]
    negative = [value for value in differences if value.startswith("-")]
    assert negative and all(float(value) < 0 for value in negative)


def test_invisible_characters_leave_findings_json_and_csv(example_round, tmp_path):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit \u202esurvey"
    )
    example_round.edit_parameters("partnership: Leicester,", "partnership: Leic\u200bester,")
    codebook = example_round.own_codebook("toolkit_survey")
    text = codebook.read_text(encoding="utf-8")
    replaced = text.replace("label: Attended the toolkit launch", 'label: "Attended the \u2066toolkit\u2069 launch"')
    codebook.write_text(replaced, encoding="utf-8")
    json_path, csv_path = write_findings(auditkit.analyse_round(example_round.parameters), tmp_path)
    for path in (json_path, csv_path):
        assert not set(path.read_text(encoding="utf-8")) & set(INVISIBLE_CHARACTERS), path.name
    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert document["round"]["title"] == "Neglect toolkit survey"
    assert document["round"]["partnership"].startswith("Leicester, Leicestershire")
    assert {row["label"] for row in read_rows(csv_path) if row["item"] == "attended_launch"} == {
        "Attended the toolkit launch"
    }


# --- the actions ----------------------------------------------------------------------------------------
def test_findings_json_lists_the_actions():
    document = auditkit.analysis_to_dict(auditkit.analyse_round(FOLLOWUP))
    a3 = next(action for action in document["actions"] if action["ref"] == "A3")
    assert (a3["status"], a3["overdue"], a3["by_when"], a3["item"]) == (
        "not_started",
        True,
        "2017-10-31",
        "voice_of_child",
    )
