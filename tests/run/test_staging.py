"""auditkit.run.staging: where a report goes, and a report built beside its target and moved in only when whole."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, RoundCopy

from auditkit.config.round import load_round
from auditkit.errors import ParametersError
from auditkit.run import staging
from auditkit.run.staging import (
    check_replaceable,
    default_output_folder,
    find_project_folder,
    remove_abandoned_folders,
    staged_folder,
)


def files(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*")) if path.is_file()}


def dead_pid() -> int:
    """The id of a process that has finished (and been waited for)."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(finished.stdout)


def round_outside_any_project(tmp_path: Path) -> Path:
    """The example parameters file alone in a folder of its own, its codebooks and data named by absolute paths."""
    text = (REPO / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("../data_templates/", f"{(REPO / 'data_templates').as_posix()}/")
    path = tmp_path / "elsewhere" / "llr-2017.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


# --- where a round's report goes ------------------------------------------------------------------------


def test_the_project_folder_is_the_one_holding_the_notebooks(example_round: RoundCopy):
    assert find_project_folder(load_round(example_round.parameters)) == example_round.root


def test_the_nearest_folder_with_notebooks_wins(example_round: RoundCopy):
    inner = example_round.root / "parameters"
    (inner / "notebooks").mkdir()
    shutil.copy(example_round.root / "notebooks" / "briefing.ipynb", inner / "notebooks" / "briefing.ipynb")
    assert find_project_folder(load_round(example_round.parameters)) == inner


def test_a_notebooks_folder_without_the_briefing_does_not_count(example_round: RoundCopy):
    (example_round.root / "parameters" / "notebooks").mkdir()
    assert find_project_folder(load_round(example_round.parameters)) == example_round.root


def test_a_round_outside_any_project_uses_auditkits_own_notebooks(tmp_path: Path):
    assert find_project_folder(load_round(round_outside_any_project(tmp_path))) == REPO


def test_without_any_notebooks_the_error_says_where_to_keep_the_parameters_file(tmp_path: Path, monkeypatch):
    parameters = round_outside_any_project(tmp_path)
    monkeypatch.setattr(staging, "__file__", str(tmp_path / "site-packages" / "auditkit" / "run" / "staging.py"))
    with pytest.raises(ParametersError) as caught:
        find_project_folder(load_round(parameters))
    assert str(caught.value) == (
        f"No notebooks/briefing.ipynb was found in any folder above {parameters}; keep the parameters file inside "
        "an auditkit project folder."
    )


def test_the_default_output_is_reports_and_the_round_id_in_the_project(example_round: RoundCopy):
    assert default_output_folder(load_round(example_round.parameters)) == example_round.root / "reports" / "llr-2017"


# --- what may be replaced -------------------------------------------------------------------------------


def test_a_new_or_empty_folder_may_be_written(tmp_path: Path):
    check_replaceable(tmp_path / "new", force=False)
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty", force=False)


def test_a_file_is_not_an_output_folder(tmp_path: Path):
    (tmp_path / "report").write_text("a file")
    with pytest.raises(ParametersError) as caught:
        check_replaceable(tmp_path / "report", force=True)
    assert (
        str(caught.value) == f"The output {tmp_path / 'report'} is a file, not a folder; choose another output folder."
    )


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path, force: bool):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "letter.docx").write_text("keep me")
    with pytest.raises(ParametersError) as caught:
        check_replaceable(tmp_path / "letters", force=force)
    assert str(caught.value) == (
        f"The output folder {tmp_path / 'letters'} already holds files that are not an auditkit report; "
        "choose an empty or new folder so that nothing in it is lost."
    )


def test_an_earlier_report_is_replaced_only_with_force(tmp_path: Path):
    report = tmp_path / "llr-2017"
    report.mkdir()
    (report / "findings.json").write_text("{}")
    with pytest.raises(ParametersError) as caught:
        check_replaceable(report, force=False)
    assert str(caught.value) == (
        f"The report {report} already exists. Run again with --force to replace it (the old report is kept until "
        "the new one is complete), or choose another folder with --out."
    )
    check_replaceable(report, force=True)


# --- building beside the target --------------------------------------------------------------------------


def test_a_complete_staging_folder_becomes_the_target_and_leaves_nothing_beside_it(tmp_path: Path):
    target = tmp_path / "reports" / "llr-2017"
    with staged_folder(target) as folder:
        assert folder.parent == target.parent and folder.name.startswith(".llr-2017.partial-")
        assert not target.exists()
        (folder / "briefing.html").write_text("<p>new</p>")
    assert files(target) == {"briefing.html": "<p>new</p>"}
    assert [path.name for path in target.parent.iterdir()] == ["llr-2017"]


def test_the_report_folder_can_be_read_by_others_like_any_folder(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with staged_folder(target) as folder:
        (folder / "findings.json").write_text("{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_an_earlier_report_is_replaced_whole(tmp_path: Path):
    target = tmp_path / "llr-2017"
    target.mkdir()
    (target / "findings.json").write_text("old")
    (target / "stale.txt").write_text("from an older run")
    with staged_folder(target) as folder:
        (folder / "findings.json").write_text("new")
    assert files(target) == {"findings.json": "new"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_failure_leaves_the_earlier_report_as_it_was_and_no_partial_folder(tmp_path: Path):
    target = tmp_path / "llr-2017"
    target.mkdir()
    (target / "findings.json").write_text("old")
    with pytest.raises(RuntimeError, match="the PDF failed"), staged_folder(target) as folder:
        (folder / "findings.json").write_text("half-written")
        raise RuntimeError("the PDF failed")
    assert files(target) == {"findings.json": "old"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


# --- leftovers of runs that were killed -----------------------------------------------------------------


def test_folders_of_killed_runs_are_removed_and_those_of_running_ones_kept(tmp_path: Path):
    target = tmp_path / "llr-2017"
    killed, running, unowned = (tmp_path / f".llr-2017.partial-{name}" for name in ("killed", "running", "unowned"))
    for folder in (killed, running, unowned):
        folder.mkdir()
    (killed / ".auditkit-run").write_text(str(dead_pid()))
    (running / ".auditkit-run").write_text(str(os.getpid()))
    (unowned / ".auditkit-run").write_text("not a process id")
    other = tmp_path / ".llr-2018.partial-killed"
    other.mkdir()
    (other / ".auditkit-run").write_text(str(dead_pid()))
    assert sorted(remove_abandoned_folders(target)) == sorted([killed, unowned])
    assert sorted(path.name for path in tmp_path.iterdir()) == [".llr-2017.partial-running", ".llr-2018.partial-killed"]


def test_the_next_run_clears_a_killed_runs_folder(tmp_path: Path):
    target = tmp_path / "llr-2017"
    leftover = tmp_path / ".llr-2017.partial-abc123"
    leftover.mkdir()
    (leftover / ".auditkit-run").write_text(str(dead_pid()))
    (leftover / "briefing.html").write_text("half")
    with staged_folder(target) as folder:
        (folder / "findings.json").write_text("{}")
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]
