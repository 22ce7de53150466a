"""Actions: checked in the parameters file, overdue at the period's end, carried into the next round."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, RoundCopy

import auditkit
from auditkit.cli import main
from auditkit.config.actions import Action, is_overdue
from auditkit.errors import ParametersError
from auditkit.run.next_round import advance_period, suggest_round_id

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def parameters_error(copy: RoundCopy) -> str:
    with pytest.raises(ParametersError) as caught:
        auditkit.load_round(copy.parameters)
    return str(caught.value)


# --- bad input, each named by file and ref ------------------------------------------------------------


def test_an_action_on_an_unknown_item_names_the_file_and_ref(example_round: RoundCopy):
    example_round.edit_parameters("item: deep_dive.voice_of_child", "item: deep_dive.voice_of_kid")
    message = parameters_error(example_round)
    assert message.startswith("llr-2017.yaml: action A3 → item names 'deep_dive.voice_of_kid', which is not an item")
    assert "allowed: deep_dive.conference_notice" in message


def test_an_action_date_that_does_not_parse(example_round: RoundCopy):
    example_round.edit_parameters("by_when: 2017-10-31", "by_when: end of October")
    assert parameters_error(example_round) == (
        "llr-2017.yaml: action A3: by_when 'end of October' is not a date; write dates as 2017-12-31 or 31/12/2017."
    )


def test_a_day_first_action_date_is_read(example_round: RoundCopy):
    example_round.edit_parameters("by_when: 2017-10-31", "by_when: 31/10/2017")
    actions = {action.ref: action for action in auditkit.load_round(example_round.parameters).actions}
    assert actions["A3"].by_when == dt.date(2017, 10, 31)


def test_an_unknown_status(example_round: RoundCopy):
    example_round.edit_parameters("status: not_started", "status: finished")
    assert parameters_error(example_round) == (
        "llr-2017.yaml: action A1: status 'finished' is not allowed; allowed: not_started, in_progress, done, dropped."
    )


def test_a_duplicate_ref(example_round: RoundCopy):
    example_round.edit_parameters("ref: A2", "ref: A1")
    assert parameters_error(example_round) == "llr-2017.yaml: action A1: the ref A1 is used more than once."


def test_a_missing_key_and_an_unknown_key(example_round: RoundCopy):
    example_round.edit_parameters("    who: Training sub-group\n", "")
    assert parameters_error(example_round) == "llr-2017.yaml: action A4: key 'who' is required but missing."


def test_an_unknown_action_key(example_round: RoundCopy):
    example_round.edit_parameters("    who: Training sub-group\n", "    who: Training sub-group\n    owner: Sam\n")
    assert parameters_error(example_round).startswith("llr-2017.yaml: action A4: key 'owner' is not a known key;")


# --- the overdue rule at its edges -------------------------------------------------------------------


def make_action(by_when: dt.date, status: str) -> Action:
    item = (
        auditkit.load_round(REPO / "parameters" / "llr-2017.yaml")
        .instruments["deep_dive"]
        .codebook.item("toolkit_used")
    )
    return Action("A1", "deep_dive", item, "Do it", "Someone", by_when, status)


@pytest.mark.parametrize(
    ("by_when", "status", "overdue"),
    [
        (dt.date(2017, 12, 31), "not_started", False),  # due on the last day of the period: not yet overdue
        (dt.date(2017, 12, 30), "not_started", True),  # due the day before the period ends
        (dt.date(2017, 12, 30), "in_progress", True),
        (dt.date(2017, 12, 30), "done", False),
        (dt.date(2017, 12, 30), "dropped", False),  # a dropped action is closed, not overdue
        (dt.date(2018, 1, 1), "not_started", False),  # due after the period
    ],
)
def test_overdue_means_due_before_the_period_ended_and_still_open(by_when, status, overdue):
    assert is_overdue(make_action(by_when, status), dt.date(2017, 12, 31)) is overdue


# --- the follow-up's briefing and the terminal table --------------------------------------------------


def test_the_followup_briefing_shows_progress_beside_the_change():
    text = html.unescape(re.sub(r"\s+", " ", auditkit.render_section("actions", auditkit.analyse_round(FOLLOWUP)).html))
    assert '<h2 id="actions">Progress on actions from Neglect toolkit survey and deep dive audit</h2>' in text
    assert "2 of 5 actions are done. 1 is overdue: due before 31 December 2017 and neither done nor dropped." in text
    rows = dict(re.findall(r'<th scope="row">(A\d)</th>(.*?)</tr>', text))
    assert "Overdue" in rows["A3"] and "Overdue" not in rows["A2"] and "Overdue" not in rows["A5"]
    assert "31 December 2017" in rows["A2"] and "In progress" in rows["A2"]
    assert "20% → 75%<br>improved" in rows["A1"]
    assert "Replaced by the new conference booking system" in rows["A5"]


def test_a_round_without_actions_has_no_actions_section(example_round: RoundCopy):
    document = yaml.safe_load(example_round.parameters.read_text(encoding="utf-8"))
    document.pop("actions")
    example_round.parameters.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert auditkit.render_section("actions", auditkit.analyse_round(example_round.parameters)).html.strip() == ""


def test_findings_json_lists_the_actions():
    document = auditkit.analysis_to_dict(auditkit.analyse_round(FOLLOWUP))
    a3 = next(action for action in document["actions"] if action["ref"] == "A3")
    assert (a3["status"], a3["overdue"], a3["by_when"], a3["item"]) == (
        "not_started",
        True,
        "2017-10-31",
        "voice_of_child",
    )


def test_actions_command_prints_the_table():
    result = invoke("actions", str(FOLLOWUP))
    assert result.exit_code == 0, result.output
    assert "  A3  Not started, OVERDUE. Audit how the child's voice is recorded" in result.output
    assert "      Since the last round: 20% → 75% (improved)." in result.output
    assert result.output.rstrip().endswith("2 of 5 done; 1 overdue.")


def test_actions_command_reports_bad_actions_as_sentences(example_round: RoundCopy):
    example_round.edit_parameters("status: not_started", "status: finished")
    result = invoke("actions", str(example_round.parameters))
    assert result.exit_code == 1
    assert "Error: llr-2017.yaml: action A1: status 'finished' is not allowed" in result.output
    assert "Traceback" not in result.output


# --- new-round ---------------------------------------------------------------------------------------


def test_period_advances_by_the_same_length():
    assert advance_period(dt.date(2016, 7, 1), dt.date(2017, 4, 30)) == (dt.date(2017, 5, 1), dt.date(2018, 2, 28))
    assert advance_period(dt.date(2017, 7, 1), dt.date(2017, 12, 31)) == (dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    # not whole months: the same number of days
    assert advance_period(dt.date(2017, 1, 15), dt.date(2017, 2, 14)) == (dt.date(2017, 2, 15), dt.date(2017, 3, 17))
    assert suggest_round_id("llr-2017", dt.date(2018, 2, 28)) == "llr-2018"
    assert suggest_round_id("llr-2017-followup", dt.date(2018, 6, 30)) == "llr-2017-followup-next"


def test_new_round_scaffolds_the_next_parameters_file(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.yaml"
    result = invoke("new-round", str(example_round.parameters), "--out", str(target))
    assert result.exit_code == 0, result.output
    assert "Fill in the data paths marked FILL IN" in result.output
    text = target.read_text(encoding="utf-8")
    assert "FILL IN: this round's deep_dive data file" in text and "CHANGE: where does it stand now?" in text
    document = yaml.safe_load(text)
    assert document["baseline"] == "llr-2017.yaml"
    assert document["period"] == {"start": dt.date(2017, 5, 1), "end": dt.date(2018, 2, 28)}
    assert document["round"] == "llr-2018"
    assert [(a["ref"], a["item"], a["status"]) for a in document["actions"]] == [
        ("A1", "deep_dive.toolkit_used", "not_started"),
        ("A2", "deep_dive.drift_evident", "not_started"),
        ("A3", "deep_dive.voice_of_child", "not_started"),
        ("A4", "deep_dive.escalation", "not_started"),
        ("A5", "deep_dive.conference_notice", "not_started"),
    ]
    assert document["instruments"]["survey"] == {"codebook": "../data_templates/toolkit_survey.yaml", "data": ""}
    assert document["briefing"]["recommendations"]
    result = invoke("validate", str(target))
    assert result.exit_code == 1
    assert "llr-2018.yaml: instruments → deep_dive → data is empty; fill in the path" in result.output


def test_new_round_refuses_to_overwrite(example_round: RoundCopy):
    result = invoke("new-round", str(example_round.parameters), "--out", str(example_round.parameters))
    assert result.exit_code == 1
    assert "already exists; choose a new file name for the next round." in result.output


@pytest.mark.slow
def test_the_scaffolded_round_validates_and_runs_once_data_is_added(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.yaml"
    assert invoke("new-round", str(example_round.parameters), "--out", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        'data: ""   # FILL IN: this round\'s deep_dive data file (.csv or .xlsx)',
        "data: ../data_templates/examples/llr-2017-followup-cases.csv",
        1,
    )
    text = text.replace(
        'data: ""   # FILL IN: this round\'s survey data file (.csv or .xlsx)',
        "data: ../data_templates/examples/llr-2017-followup-survey.csv",
        1,
    )
    text = text.replace("status: not_started   # CHANGE: where does it stand now?", "status: done", 1)
    target.write_text(text, encoding="utf-8")
    # The follow-up's audit dates fall in December 2017, inside the scaffolded period.
    assert invoke("validate", str(target)).exit_code == 0
    result = invoke("run", "--quiet", str(target))
    assert result.exit_code == 0, result.output
    page = (example_round.reports / "llr-2018" / "briefing.html").read_text(encoding="utf-8")
    assert "Progress on actions from Neglect toolkit survey and deep dive audit" in page
    assert "Change since Neglect toolkit survey and deep dive audit" in page
