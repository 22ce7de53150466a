"""Findings of the shipped example round (LLR 2017): counts, counting rules and their JSON form.

The expected counts are those the LLR neglect briefing (June 2017) publishes, or are counted here
directly from the example CSV files with the csv module, never taken from auditkit's own output.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit

CASES_CSV = REPO / "data_templates" / "examples" / "llr-2017-cases.csv"


SURVEY_CSV = REPO / "data_templates" / "examples" / "llr-2017-survey.csv"


ENTRY_KEYS = {"label", "numerator", "denominator", "proportion", "ci_low", "ci_high"}


# Met and not-applicable codes, copied from the codebooks in src/auditkit/instruments/ for independent counting.
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
    assert set(as_dict) == {"round", "instruments", "disclosure", "actions", "power"}
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


def test_compute_findings_does_not_modify_its_inputs(round_):
    records = auditkit.load_round_records(round_)
    kept = copy.deepcopy(records)
    auditkit.compute_findings(round_, records)
    assert set(records) == set(kept)
    for name in kept:
        pd.testing.assert_frame_equal(records[name], kept[name], check_exact=True)


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
