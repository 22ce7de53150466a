"""auditkit.config.history: a round's chain of baselines, and the errors a bad chain gives.

The errors are checked as the library raises them and as `auditkit run` and `auditkit validate` report them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, RoundCopy, copy_as, edit_text, examples_of, followup_of

import auditkit
from auditkit.cli import main
from auditkit.config.history import load_history
from auditkit.config.round import load_round
from auditkit.errors import DataValidationError, ParametersError

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


# ---------------------------------------------------------------- helpers


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def history_error(parameters: Path) -> str:
    with pytest.raises(ParametersError) as caught:
        load_history(load_round(parameters))
    return str(caught.value)


# ---------------------------------------------------------------- the shipped history


def test_the_followups_history_is_the_baseline_then_the_followup():
    history = load_history(load_round(FOLLOWUP))
    assert [round_.id for round_ in history] == ["llr-2017", "llr-2017-followup"]
    assert history[0].path == (REPO / "parameters" / "llr-2017.yaml").resolve()
    assert history[1].path == FOLLOWUP.resolve()


def test_a_round_without_a_baseline_is_its_own_history():
    history = load_history(load_round(REPO / "parameters" / "llr-2017.yaml"))
    assert [round_.id for round_ in history] == ["llr-2017"]


# ---------------------------------------------------------------- a bad chain is a clear error


def test_a_missing_baseline_is_named(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: llr-2016.yaml")
    message = history_error(followup)
    assert message.startswith("llr-2017-followup.yaml: baseline names ")
    assert "llr-2016.yaml" in message
    assert "which does not exist" in message
    with pytest.raises(ParametersError, match="which does not exist"):
        auditkit.analyse_round(followup)


def test_a_baseline_that_is_a_folder_is_named_as_a_folder(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: ../parameters")
    assert history_error(followup) == (
        f"llr-2017-followup.yaml: baseline names {example_round.root / 'parameters'}, which is a folder, "
        f"not a regular file."
    )


def test_a_baseline_that_is_a_device_is_named_without_being_read(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: /dev/zero")
    assert history_error(followup) == (
        "llr-2017-followup.yaml: baseline names /dev/zero, which is a device, not a regular file."
    )


def test_a_baseline_that_is_a_symbolic_link_loop_is_named(example_round: RoundCopy):
    followup = followup_of(example_round)
    loop = followup.with_name("loop.yaml")
    loop.symlink_to(loop)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: loop.yaml")
    assert history_error(followup) == (
        f"llr-2017-followup.yaml: baseline names {loop}, which is a symbolic link that loops back on itself, "
        f"not a regular file."
    )


def test_a_baseline_naming_the_round_itself_is_refused(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: llr-2017-followup.yaml")
    message = history_error(followup)
    assert "llr-2017-followup.yaml" in message
    assert "baseline names this same file" in message
    assert "previous round" in message


def test_the_same_file_by_another_spelling_is_still_the_round_itself(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: ../parameters/./llr-2017-followup.yaml")
    assert "baseline names this same file" in history_error(followup)


def test_baselines_that_form_a_loop_are_refused(example_round: RoundCopy):
    first = copy_as(followup_of(example_round), "loop-a.yaml")
    second = copy_as(followup_of(example_round), "loop-b.yaml")
    edit_text(first, "round: llr-2017-followup", "round: loop-a")
    edit_text(first, "baseline: llr-2017.yaml", "baseline: loop-b.yaml")
    edit_text(second, "round: llr-2017-followup", "round: loop-b")
    edit_text(second, "baseline: llr-2017.yaml", "baseline: loop-a.yaml")
    message = history_error(first)
    assert "form a loop" in message
    assert "loop-a.yaml → loop-b.yaml → loop-a.yaml" in message
    with pytest.raises(ParametersError, match="form a loop"):
        auditkit.analyse_round(second)


def test_a_loop_further_back_names_the_rounds_in_the_loop(example_round: RoundCopy):
    # start → b → c → b: the loop is b → c → b, and the round we started from is not part of it
    start, b, c = (copy_as(followup_of(example_round), name) for name in ("start.yaml", "b.yaml", "c.yaml"))
    for path, baseline in ((start, "b.yaml"), (b, "c.yaml"), (c, "b.yaml")):
        edit_text(path, "round: llr-2017-followup", f"round: {path.stem}")
        edit_text(path, "baseline: llr-2017.yaml", f"baseline: {baseline}")
    message = history_error(start)
    assert "form a loop (b.yaml → c.yaml → b.yaml)" in message


def test_a_baseline_with_the_same_round_id_is_refused(example_round: RoundCopy):
    twin = copy_as(example_round.parameters, "llr-2017-again.yaml")
    edit_text(twin, "round: llr-2017", "round: llr-2017-followup")
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: llr-2017-again.yaml")
    message = history_error(followup)
    assert "llr-2017-again.yaml" in message
    assert "same round id 'llr-2017-followup'" in message
    assert "each round needs its own id" in message


def test_a_round_id_repeated_further_back_is_refused(example_round: RoundCopy):
    # llr-2018 (id llr-2017) → llr-2017-followup → llr-2017 (id llr-2017)
    latest = copy_as(followup_of(example_round), "llr-2018.yaml")
    edit_text(latest, "round: llr-2017-followup", "round: llr-2017")
    edit_text(latest, "baseline: llr-2017.yaml", "baseline: llr-2017-followup.yaml")
    message = history_error(latest)
    assert "same round id 'llr-2017'" in message


def test_a_baseline_using_another_codebook_for_an_instrument_is_refused(example_round: RoundCopy):
    other = copy_as(example_round.own_codebook("toolkit_survey"), "toolkit_survey_v2.yaml")
    edit_text(other, "codebook: toolkit_survey", "codebook: toolkit_survey_v2")
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: toolkit_survey_v2")
    message = history_error(followup_of(example_round))
    assert message.startswith("llr-2017-followup.yaml: the instrument 'survey' uses the codebook 'toolkit_survey'")
    assert "its baseline llr-2017.yaml uses 'toolkit_survey_v2'" in message
    assert "rounds can only be compared on the same instrument" in message
    with pytest.raises(ParametersError, match="toolkit_survey_v2"):
        auditkit.analyse_round(followup_of(example_round))


def test_the_same_codebook_in_another_file_is_accepted(example_round: RoundCopy):
    copy_as(example_round.own_codebook("toolkit_survey"), "toolkit_survey_copy.yaml")  # same codebook id
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: ../data_templates/toolkit_survey_copy.yaml")
    history = load_history(load_round(followup_of(example_round)))
    assert [round_.id for round_ in history] == ["llr-2017", "llr-2017-followup"]


def test_a_baseline_that_cannot_be_read_is_reported_as_the_baselines(example_round: RoundCopy):
    example_round.edit_parameters("partnership:", "partnersip:")
    message = history_error(followup_of(example_round))
    assert message.startswith("llr-2017-followup.yaml: its baseline could not be read.")
    assert "partnersip" in message


def test_a_baseline_with_invalid_data_is_reported_with_its_file_and_row(example_round: RoundCopy):
    example_round.edit_cases("DD17-L02,Leicester,04/04/2017,2-4,yes,", "DD17-L02,Leicester,04/04/2017,2-4,maybe,")
    load_history(load_round(followup_of(example_round)))  # the chain itself is fine
    with pytest.raises(DataValidationError) as caught:
        auditkit.analyse_round(followup_of(example_round))
    message = str(caught.value)
    assert "llr-2017-cases.csv, row 3, column 'toolkit_used': 'maybe' is not an allowed value" in message
    assert "followup" not in message
    assert [problem.file.name for problem in caught.value.problems] == ["llr-2017-cases.csv"]


# ---------------------------------------------------------------- three rounds


def make_third_round(copy: RoundCopy) -> Path:
    """llr-2018: the follow-up's parameters with the follow-up as baseline, its own cases, the follow-up survey."""
    examples = examples_of(copy)
    rows = read_rows(examples / "llr-2017-followup-cases.csv")
    for row in rows:  # every case uses the toolkit, none drifts
        row["toolkit_used"], row["drift_evident"] = "yes", "no"
    write_rows(examples / "llr-2018-cases.csv", rows)
    latest = copy_as(followup_of(copy), "llr-2018.yaml")
    edit_text(latest, "round: llr-2017-followup", "round: llr-2018")
    edit_text(latest, "title: Neglect toolkit follow-up survey", "title: Neglect toolkit second follow-up survey")
    edit_text(latest, "baseline: llr-2017.yaml", "baseline: llr-2017-followup.yaml")
    edit_text(latest, "examples/llr-2017-followup-cases.csv", "examples/llr-2018-cases.csv")
    return latest


def test_three_rounds_form_a_history_oldest_first(example_round: RoundCopy):
    latest = make_third_round(example_round)
    assert [round_.id for round_ in load_history(load_round(latest))] == ["llr-2017", "llr-2017-followup", "llr-2018"]
    analysis = auditkit.analyse_round(latest)
    assert [round_.id for round_ in analysis.rounds] == ["llr-2017", "llr-2017-followup", "llr-2018"]
    assert analysis.comparison.baseline_id == "llr-2017-followup"  # compared with the round just before


# ---------------------------------------------------------------- the command


def test_run_with_a_missing_baseline_exits_1_and_writes_nothing(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: llr-2016.yaml")
    before = folder_state(example_round.root)
    result = CliRunner().invoke(main, ["run", str(followup)])
    assert result.exit_code == 1, result.output
    assert "llr-2017-followup.yaml: baseline names" in result.output
    assert "llr-2016.yaml, which does not exist." in result.output
    assert "Nothing was written." in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert folder_state(example_round.root) == before
    assert list(example_round.reports.iterdir()) == []


def test_run_with_a_baseline_loop_exits_1_and_writes_nothing(example_round: RoundCopy, tmp_path: Path):
    first = copy_as(followup_of(example_round), "loop-a.yaml")
    second = copy_as(followup_of(example_round), "loop-b.yaml")
    edit_text(first, "round: llr-2017-followup", "round: loop-a")
    edit_text(first, "baseline: llr-2017.yaml", "baseline: loop-b.yaml")
    edit_text(second, "round: llr-2017-followup", "round: loop-b")
    edit_text(second, "baseline: llr-2017.yaml", "baseline: loop-a.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(first), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "the baselines form a loop (loop-a.yaml → loop-b.yaml → loop-a.yaml)" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_validate_reports_a_missing_baseline(example_round: RoundCopy):
    followup = followup_of(example_round)
    edit_text(followup, "baseline: llr-2017.yaml", "baseline: llr-2016.yaml")
    result = CliRunner().invoke(main, ["validate", str(followup)])
    assert result.exit_code == 1, result.output
    assert "which does not exist" in result.output
