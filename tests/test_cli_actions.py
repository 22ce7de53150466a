"""`auditkit actions`: a round's actions as a table in the terminal, and bad actions as sentences."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import REPO, RoundCopy

from auditkit.cli import main

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_actions_command_prints_the_table():
    result = invoke("actions", str(FOLLOWUP))
    assert result.exit_code == 0, result.output
    assert "  A3  Not started, OVERDUE. Audit how the child's voice is recorded" in result.output
    # issue 18: 55 points up, but one of 17 comparisons (adjusted p = 0.087), so not a clear change
    assert "      Since the last round: 20% → 75% (no clear change)." in result.output
    assert result.output.rstrip().endswith("2 of 5 done; 1 overdue.")


def test_actions_command_reports_bad_actions_as_sentences(example_round: RoundCopy):
    example_round.edit_parameters("status: not_started", "status: finished")
    result = invoke("actions", str(example_round.parameters))
    assert result.exit_code == 1
    assert "Error: llr-2017.yaml: action A1: status 'finished' is not allowed" in result.output
    assert "Traceback" not in result.output
