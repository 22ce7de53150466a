"""auditkit.config.actions: actions checked in the parameters file, mistakes named by file and ref; the overdue rule."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REPO, RoundCopy

import auditkit
from auditkit.config.actions import Action, is_overdue
from auditkit.errors import ParametersError


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
