"""auditkit.run.staging: where a report goes, and a report built beside its target and moved in only when whole."""

from __future__ import annotations

import dataclasses
import errno
import os
import pickle
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, RoundCopy

from auditkit.config.round import load_round
from auditkit.errors import NoWorkbookError, OutputError, ParametersError, ReportBusyError
from auditkit.run import staging
from auditkit.run.staging import (
    check_replaceable,
    check_report_folder_known,
    default_output_folder,
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
    """The example parameters file alone in a folder of its own, its data named by absolute paths."""
    text = (REPO / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("../data_templates/", f"{(REPO / 'data_templates').as_posix()}/")
    path = tmp_path / "elsewhere" / "llr-2017.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


# --- where a round's report goes ------------------------------------------------------------------------


def test_the_default_output_is_reports_and_the_round_id_in_the_workbook(example_round: RoundCopy):
    assert default_output_folder(load_round(example_round.parameters)) == example_round.root / "reports" / "llr-2017"


def test_the_nearest_workbook_above_the_parameters_file_takes_the_report(example_round: RoundCopy):
    (example_round.root / "parameters" / "auditkit.yaml").write_text("", encoding="utf-8")
    assert default_output_folder(load_round(example_round.parameters)) == (
        example_round.root / "parameters" / "reports" / "llr-2017"
    )


def test_a_round_outside_any_workbook_has_no_default_output_and_says_to_use_out(tmp_path: Path):
    parameters = round_outside_any_project(tmp_path)
    round_ = load_round(parameters)  # its codebooks are auditkit's own, found by name outside any workbook
    with pytest.raises(NoWorkbookError) as caught:
        default_output_folder(round_)
    assert str(caught.value) == (
        f"{parameters} is in no auditkit workbook (no folder above it holds auditkit.yaml or parameters/), so its "
        f"report has no reports/ folder to go to; choose the folder to write to with --out."
    )
    with pytest.raises(NoWorkbookError):
        check_report_folder_known(parameters, None)
    check_report_folder_known(parameters, tmp_path / "out")  # with --out there is nothing to refuse


def test_a_parameters_file_that_cannot_be_read_is_left_for_the_loader_to_name(tmp_path: Path):
    check_report_folder_known(tmp_path / "missing.yaml", None)


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
    with staged_folder(target, force=True) as folder:
        (folder / "findings.json").write_text("new")
    assert files(target) == {"findings.json": "new"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_failure_leaves_the_earlier_report_as_it_was_and_no_partial_folder(tmp_path: Path):
    target = tmp_path / "llr-2017"
    target.mkdir()
    (target / "findings.json").write_text("old")
    with pytest.raises(RuntimeError, match="the PDF failed"), staged_folder(target, force=True) as folder:
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


# --- one run at a time ----------------------------------------------------------------------------------


def test_a_second_run_into_the_same_folder_is_refused_and_the_first_finishes(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with staged_folder(target) as first:
        (first / "findings.json").write_text("first")
        with pytest.raises(ReportBusyError) as caught, staged_folder(target, force=True):
            pass
        assert str(caught.value) == (
            f"Another auditkit run (process {os.getpid()}) is writing {target} now. Wait for it to finish, "
            "then run again."
        )
    assert files(target) == {"findings.json": "first"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_run_that_waited_for_the_lock_still_needs_force(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with staged_folder(target) as first:
        (first / "findings.json").write_text("first")
    with pytest.raises(ParametersError, match="already exists. Run again with --force"), staged_folder(target):
        pass
    assert files(target) == {"findings.json": "first"}


# --- who may read what, and when -------------------------------------------------------------------------


@pytest.fixture
def private_umask():
    """A umask that would make every new file its owner's only: the report's modes must not depend on it."""
    before = os.umask(0o077)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_staging_folder_is_its_owners_only_and_the_report_readable_once_in_place(tmp_path: Path, private_umask):
    target = tmp_path / "llr-2017"
    with staged_folder(target) as folder:
        assert mode(folder) == 0o700
        (folder / "findings.json").write_text("{}")
        (folder / "charts").mkdir()
        (folder / "charts" / "a.png").write_bytes(b"png")
        (folder / "internal").mkdir(mode=0o700)
        (folder / "internal" / "findings-unsuppressed.json").write_text("{}")
    assert mode(target) == 0o755
    assert mode(target / "findings.json") == 0o644
    assert mode(target / "charts") == 0o755 and mode(target / "charts" / "a.png") == 0o644
    assert mode(target / "internal") == 0o700
    assert mode(target / "internal" / "findings-unsuppressed.json") == 0o600


# --- a run killed while moving its report into place -----------------------------------------------------

#: Runs staged_folder(argv[1], force=True) and kills itself at argv[2]: "between" the two renames of the
#: final move, or "after" both, before the earlier report it set aside is removed.
KILL_MID_MOVE = """
import os, shutil, signal, sys
from pathlib import Path
from auditkit.run import staging

def kill(real, when):
    def wrapped(*args, **kwargs):
        if when():
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapped

renames = []
os.replace = kill(os.replace, lambda: renames.append(1) or (sys.argv[2] == "between" and len(renames) == 2))
staging.shutil.rmtree = kill(shutil.rmtree, lambda: sys.argv[2] == "after")
with staging.staged_folder(Path(sys.argv[1]), force=True) as folder:
    (folder / "findings.json").write_text("new")
"""


def kill_mid_move(target: Path, moment: str) -> None:
    killed = subprocess.run([sys.executable, "-c", KILL_MID_MOVE, str(target), moment], check=False)
    assert killed.returncode == -signal.SIGKILL


def earlier_report(tmp_path: Path) -> Path:
    target = tmp_path / "llr-2017"
    target.mkdir()
    (target / "findings.json").write_text("old")
    (target / "briefing.html").write_text("<p>old</p>")
    return target


def test_a_run_killed_between_the_two_renames_leaves_the_earlier_report_restorable(tmp_path: Path):
    target = earlier_report(tmp_path)
    kill_mid_move(target, "between")
    assert not target.exists()
    (retired,) = tmp_path.glob(".llr-2017.old-*")
    assert files(retired / "llr-2017") == {"briefing.html": "<p>old</p>", "findings.json": "old"}
    (staged,) = tmp_path.glob(".llr-2017.partial-*")
    assert mode(staged) == 0o700  # the new report, never published, is its owner's only


def test_the_next_run_restores_the_earlier_report_before_anything_else(tmp_path: Path):
    target = earlier_report(tmp_path)
    kill_mid_move(target, "between")
    # Restored before the check: without --force the next run is refused, as it would have been before the kill.
    with pytest.raises(ParametersError, match="already exists. Run again with --force"), staged_folder(target):
        pass
    assert files(target) == {"briefing.html": "<p>old</p>", "findings.json": "old"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_the_next_run_restores_the_earlier_report_even_when_it_then_fails(tmp_path: Path):
    target = earlier_report(tmp_path)
    kill_mid_move(target, "between")
    with pytest.raises(RuntimeError, match="the PDF failed"), staged_folder(target, force=True):
        raise RuntimeError("the PDF failed")
    assert files(target) == {"briefing.html": "<p>old</p>", "findings.json": "old"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_run_killed_after_both_renames_leaves_its_report_and_the_next_run_clears_the_old_one(tmp_path: Path):
    target = earlier_report(tmp_path)
    kill_mid_move(target, "after")
    assert files(target) == {"findings.json": "new"}
    assert len(list(tmp_path.glob(".llr-2017.old-*"))) == 1
    with staged_folder(target, force=True) as folder:
        (folder / "findings.json").write_text("newer")
    assert files(target) == {"findings.json": "newer"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_failed_second_rename_puts_the_earlier_report_back(tmp_path: Path, monkeypatch):
    target = earlier_report(tmp_path)
    real = os.replace

    def replace(source, destination):
        if Path(source).name.startswith(".llr-2017.partial-"):
            raise OSError(errno.EIO, "Input/output error", str(source))
        return real(source, destination)

    monkeypatch.setattr(staging.os, "replace", replace)
    with pytest.raises(OutputError), staged_folder(target, force=True) as folder:
        (folder / "findings.json").write_text("new")
    assert files(target) == {"briefing.html": "<p>old</p>", "findings.json": "old"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


# --- a folder that cannot be written --------------------------------------------------------------------


def test_a_full_disk_is_a_sentence_and_leaves_the_earlier_report_and_nothing_else(tmp_path: Path):
    target = earlier_report(tmp_path)
    with pytest.raises(OutputError) as caught, staged_folder(target, force=True) as folder:
        (folder / "findings.json").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(caught.value) == (
        f"The report cannot be written to {target}: the disk is full; free some space or choose another folder "
        "with --out."
    )
    assert files(target) == {"briefing.html": "<p>old</p>", "findings.json": "old"}
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]


def test_a_read_only_folder_is_a_sentence(tmp_path: Path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".llr-2017.partial-x"))

    monkeypatch.setattr(staging.tempfile, "mkdtemp", read_only)
    with pytest.raises(OutputError) as caught, staged_folder(tmp_path / "llr-2017"):
        pass
    assert str(caught.value) == (
        f"The report cannot be written to {tmp_path / 'llr-2017'}: the file system there is read-only; choose "
        "another folder with --out."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_one_may_not_write_is_a_sentence(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with pytest.raises(OutputError) as caught, staged_folder(target) as folder:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / "briefing.pdf"))
    assert str(caught.value) == (
        f"The report cannot be written to {target}: you are not allowed to write there; choose another folder "
        "with --out."
    )


def test_a_refused_permission_on_another_file_is_not_blamed_on_the_output(tmp_path: Path):
    with pytest.raises(PermissionError), staged_folder(tmp_path / "llr-2017"):
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/else/llr-2017-cases.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_path_through_a_file_is_a_sentence(tmp_path: Path):
    (tmp_path / "a-file").write_text("x")
    target = tmp_path / "a-file" / "llr-2017"
    with pytest.raises(OutputError) as caught, staged_folder(target):
        pass
    assert str(caught.value) == (
        f"The report cannot be written to {target}: part of that path is a file, not a folder; choose another "
        "folder with --out."
    )
    assert [path.name for path in tmp_path.iterdir()] == ["a-file"]


def test_an_output_error_crosses_to_the_process_that_reports_it(tmp_path: Path):
    error = OutputError(tmp_path, "the disk is full; free some space or choose another folder with --out.")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_a_round_id_too_long_to_name_a_folder_is_refused_before_anything_is_written(example_round: RoundCopy):
    # A parameters file cannot give so long an id (at most 64 characters); a Round made in code still can.
    round_ = dataclasses.replace(load_round(example_round.parameters), id="r" * 300)
    with pytest.raises(ParametersError) as caught:
        default_output_folder(round_)
    assert str(caught.value) == (
        "The round id in llr-2017.yaml is 300 characters long, too long to name its report's folder (at most 237); "
        "shorten it, or choose a folder with --out."
    )


def test_the_longest_round_id_still_names_a_folder(example_round: RoundCopy):
    round_ = dataclasses.replace(load_round(example_round.parameters), id="r" * 237)
    with staged_folder(default_output_folder(round_)) as folder:
        (folder / "findings.json").write_text("{}")
    assert [path.name for path in example_round.reports.iterdir()] == ["r" * 237]


def test_under_the_lock_every_leftover_is_cleared_even_one_naming_a_live_process(tmp_path: Path):
    # A killed run's process id may name a live process later (in a container, the same id after a restart).
    target = tmp_path / "llr-2017"
    leftover = tmp_path / ".llr-2017.partial-reused"
    leftover.mkdir(mode=0o700)
    (leftover / ".auditkit-run").write_text(str(os.getpid()))
    (leftover / "findings-unsuppressed.json").write_text("{}")
    assert remove_abandoned_folders(target, locked=True) == [leftover]
    leftover.mkdir(mode=0o700)
    (leftover / ".auditkit-run").write_text(str(os.getpid()))
    with staged_folder(target) as folder:
        (folder / "findings.json").write_text("{}")
    assert [path.name for path in tmp_path.iterdir()] == ["llr-2017"]
