"""Findings of the shipped example round (LLR 2017), their JSON and CSV forms, and quote selection.

The expected counts are those the LLR neglect briefing (June 2017) publishes, or are counted here
directly from the example CSV files with the csv module, never taken from auditkit's own output.
"""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit
from auditkit.publish.findings_files import write_findings
from auditkit.publish.protection import protect_analysis

CASES_CSV = REPO / "data_templates" / "examples" / "llr-2017-cases.csv"
SURVEY_CSV = REPO / "data_templates" / "examples" / "llr-2017-survey.csv"

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
    "verdict",
    "caution",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "paired_p_value",
    "paired_p_adjusted",
    "mw_u",
    "mw_p_value",
    "mw_p_adjusted",
    "ci99_low",
    "ci99_high",
    "benchmark",
    "benchmark_value",
    "funnel",
]
ENTRY_KEYS = {"label", "numerator", "denominator", "proportion", "ci_low", "ci_high"}

# Met and not-applicable codes, copied from the codebooks in data_templates/ for independent counting.
SURVEY_MET = {
    "attended_launch": {"yes"},
    "aware_of_toolkit": {"yes"},
    "used_toolkit": {"yes"},
    "toolkit_helpful": {"agree", "strongly_agree"},
    "confident_recognising": {"agree", "strongly_agree"},
    "aware_of_escalation": {"yes"},
    "confident_challenging": {"agree", "strongly_agree"},
}


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
def as_dict():
    return auditkit.analysis_to_dict(auditkit.analyse_round(EXAMPLE_PARAMETERS))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("findings")
    return write_findings(auditkit.analyse_round(EXAMPLE_PARAMETERS), folder)


# --- the counts the LLR briefing publishes -------------------------------------------------------------


def test_survey_has_61_responses_of_which_39_complete(findings):
    assert findings.counts["survey"].records == 61
    assert findings.counts["survey"].complete == 39


def test_deep_dive_has_10_cases_4_4_2_by_area(findings):
    counts = findings.counts["deep_dive"]
    assert counts.records == 10
    assert counts.complete == 10
    assert dict(counts.by_area) == {"Leicester": 4, "Leicestershire": 4, "Rutland": 2}


def test_toolkit_used_in_2_of_10_cases(findings):
    row = findings.indicator("deep_dive", "toolkit_used")
    assert (row["numerator"], row["denominator"]) == (2, 10)
    assert row["proportion"] == 0.2


def test_drift_evident_in_most_cases(findings):
    row = findings.indicator("deep_dive", "drift_evident")
    assert row["denominator"] == 10
    assert row["numerator"] > row["denominator"] / 2
    assert row["lower_is_better"]


def test_voice_of_child_in_some_but_not_all_cases(findings):
    row = findings.indicator("deep_dive", "voice_of_child")
    assert 0 < row["numerator"] < row["denominator"]


def test_escalation_timely_in_some_but_not_all(findings):
    row = findings.indicator("deep_dive", "escalation")
    assert 0 < row["numerator"] < row["denominator"]


def test_most_practitioners_aware_of_escalation(findings):
    assert findings.indicator("survey", "aware_of_escalation")["proportion"] > 0.5


# --- counting rules, checked against the CSV files directly ----------------------------------------------


def test_not_applicable_is_left_out_of_the_denominator(findings):
    rows = read_rows(CASES_CSV)
    answers = [(row["area"], row["conference_notice"]) for row in rows]
    assert any(answer == "not_applicable" for _, answer in answers)  # the example has some to leave out
    for area in ("all", "Leicester", "Leicestershire", "Rutland"):
        mine = [answer for where, answer in answers if area in ("all", where)]
        numerator = sum(answer == "yes" for answer in mine)
        denominator = sum(answer not in ("", "not_applicable") for answer in mine)
        row = findings.indicator("deep_dive", "conference_notice", area)
        assert (row["numerator"], row["denominator"]) == (numerator, denominator), area
    assert findings.indicator("deep_dive", "conference_notice")["denominator"] < len(rows)


@pytest.mark.parametrize("item", sorted(SURVEY_MET))
def test_blank_survey_answers_are_left_out_of_the_denominator(findings, item):
    rows = read_rows(SURVEY_CSV)
    for area in ("all", "Leicester", "Leicestershire", "Rutland", "other"):
        mine = [row[item].strip() for row in rows if area in ("all", row["area"])]
        numerator = sum(answer in SURVEY_MET[item] for answer in mine)
        denominator = sum(answer != "" for answer in mine)
        row = findings.indicator("survey", item, area)
        assert (row["numerator"], row["denominator"]) == (numerator, denominator), area


def test_survey_has_blank_answers_to_leave_out(findings):
    # toolkit_helpful is only asked of those who used the toolkit: most answers are blank.
    blank = sum(row["toolkit_helpful"].strip() == "" for row in read_rows(SURVEY_CSV))
    assert blank > 0
    assert findings.indicator("survey", "toolkit_helpful")["denominator"] == 61 - blank


# --- findings_to_dict ---------------------------------------------------------------------------------


def test_findings_dict_shape(as_dict, round_):
    # Keys from the brief; beyond it the implementation also writes round.partnership, instrument.title,
    # and per indicator lower_is_better and distribution. Pinned here so an unexpected key (a leak) fails.
    assert set(as_dict) == {"round", "instruments", "disclosure", "actions"}
    assert set(as_dict["round"]) == {"id", "title", "period", "partnership"}
    assert as_dict["round"]["id"] == "llr-2017"
    assert as_dict["round"]["title"] == "Neglect toolkit survey and deep dive audit"
    assert as_dict["round"]["period"] == {"start": "2016-07-01", "end": "2017-04-30"}
    assert set(as_dict["instruments"]) == {"deep_dive", "survey"}
    for name, instrument in as_dict["instruments"].items():
        assert set(instrument) == {"records", "complete", "by_area", "indicators", "title", "area_tests"}, name
        assert isinstance(instrument["records"], int) and isinstance(instrument["complete"], int)
        assert all(isinstance(count, int) for count in instrument["by_area"].values())
        expected_items = {item.id for item in round_.instruments[name].codebook.indicators}
        assert set(instrument["indicators"]) == expected_items
        for item_id, entry in instrument["indicators"].items():
            assert set(entry) == ENTRY_KEYS | {"by_area", "lower_is_better", "distribution"}, item_id
            assert set(entry["by_area"]) == set(instrument["by_area"]), item_id
            for area, area_entry in entry["by_area"].items():
                assert set(area_entry) == ENTRY_KEYS, (item_id, area)
                assert isinstance(area_entry["numerator"], int)
                assert isinstance(area_entry["denominator"], int)


def test_findings_dict_values_match_published_counts(as_dict):
    deep_dive = as_dict["instruments"]["deep_dive"]
    assert deep_dive["records"] == 10
    assert deep_dive["by_area"] == {"Leicester": 4, "Leicestershire": 4, "Rutland": 2}
    toolkit = deep_dive["indicators"]["toolkit_used"]
    assert (toolkit["numerator"], toolkit["denominator"], toolkit["proportion"]) == (2, 10, 0.2)
    assert (as_dict["instruments"]["survey"]["records"], as_dict["instruments"]["survey"]["complete"]) == (61, 39)


def test_findings_dict_is_strict_json(as_dict):
    text = json.dumps(as_dict, allow_nan=False)
    assert json.loads(text) == as_dict


def test_by_area_counts_sum_to_the_total(as_dict):
    for name, instrument in as_dict["instruments"].items():
        assert sum(instrument["by_area"].values()) == instrument["records"], name
        for item_id, entry in instrument["indicators"].items():
            areas = entry["by_area"].values()
            assert sum(area["numerator"] for area in areas) == entry["numerator"], (name, item_id)
            assert sum(area["denominator"] for area in areas) == entry["denominator"], (name, item_id)


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


def test_compute_findings_does_not_modify_its_inputs(round_):
    records = auditkit.load_round_records(round_)
    kept = copy.deepcopy(records)
    auditkit.compute_findings(round_, records)
    assert set(records) == set(kept)
    for name in kept:
        pd.testing.assert_frame_equal(records[name], kept[name], check_exact=True)


def test_same_inputs_give_byte_identical_findings(tmp_path):
    outputs = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        json_path, csv_path = write_findings(auditkit.analyse_round(EXAMPLE_PARAMETERS), folder)
        outputs.append((json_path.read_bytes(), csv_path.read_bytes()))
    assert outputs[0] == outputs[1]


# --- quotes -------------------------------------------------------------------------------------------


def consented_comments() -> list[str]:
    return [
        " ".join(row["comment"].split())
        for row in read_rows(SURVEY_CSV)
        if row["comment"].strip() and row["quote_consent"].strip() == "yes"
    ]


def test_only_consented_comments_are_quoted(round_, records):
    refused = [row["comment"] for row in read_rows(SURVEY_CSV) if row["comment"] and row["quote_consent"] == "no"]
    assert len(refused) == 2  # the example holds comments whose authors said no
    selection = auditkit.select_quotes(round_, records)
    for text in refused:
        assert all(text not in quote and quote not in text for quote in selection.quotes)
    assert set(selection.quotes) <= set(consented_comments())
    assert selection.without_consent == len(refused)


def test_all_consented_comments_fit_under_the_default_limit(round_, records):
    selection = auditkit.select_quotes(round_, records)
    assert len(consented_comments()) <= round_.briefing.max_quotes
    assert list(selection.quotes) == consented_comments()  # in file order
    assert selection.over_limit == 0


def test_quotes_are_capped_at_max_quotes(example_round):
    example_round.edit_parameters("max_quotes: 8", "max_quotes: 2")
    round_ = auditkit.load_round(example_round.parameters)
    assert round_.briefing.max_quotes == 2
    selection = auditkit.select_quotes(round_, auditkit.load_round_records(round_))
    consented = consented_comments()
    assert list(selection.quotes) == consented[:2]
    assert selection.over_limit == len(consented) - 2
    assert selection.without_consent == 2


@pytest.mark.parametrize("categorical", [True, False], ids=["categorical answers", "plain answers"])
def test_a_record_without_an_area_counts_in_the_total_but_in_no_area(round_, records, categorical):
    # The LLR deep dive publishes toolkit use in 2 of 10 cases; with the area of the 4 Leicester cases
    # blanked, the total stays 2 of 10 and the three areas together hold the other 6 cases.
    cases = records["deep_dive"].copy()
    leicester = cases["area"] == "Leicester"
    cases["area"] = cases["area"].where(~leicester)
    if not categorical:
        cases = cases.astype({"toolkit_used": object, "area": object})
    changed = auditkit.compute_findings(round_, {**records, "deep_dive": cases})
    expected_total = (int((cases["toolkit_used"] == "yes").sum()), int(cases["toolkit_used"].notna().sum()))
    total = changed.indicator("deep_dive", "toolkit_used")
    assert (total["numerator"], total["denominator"]) == expected_total == (2, 10)
    by_area = {
        area: changed.indicator("deep_dive", "toolkit_used", area)
        for area in ("Leicester", "Leicestershire", "Rutland")
    }
    assert (by_area["Leicester"]["numerator"], by_area["Leicester"]["denominator"]) == (0, 0)
    assert sum(row["denominator"] for row in by_area.values()) == 10 - int(leicester.sum()) == 6
