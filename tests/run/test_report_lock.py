"""auditkit.run.report_lock: one run at a time writes a report; a killed run never blocks the next."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.errors import ReportBusyError
from auditkit.run.report_lock import lock_path, report_lock

#: Holds the lock of the folder named by its argument until it reads a line (or is killed).
HOLD = """
import sys
from pathlib import Path
from auditkit.run.report_lock import report_lock
with report_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def hold_in_another_process(target: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "held\n"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.communicate("\n", timeout=30)
    assert holder.returncode == 0


def test_the_lock_file_is_beside_the_report_and_removed_afterwards(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with report_lock(target) as held:
        assert held == lock_path(target) == tmp_path / ".llr-2017.lock"
        assert held.read_text(encoding="ascii") == str(os.getpid())
    assert list(tmp_path.iterdir()) == []


def test_the_lock_file_is_removed_when_the_run_fails(tmp_path: Path):
    with pytest.raises(RuntimeError, match="the PDF failed"), report_lock(tmp_path / "llr-2017"):
        raise RuntimeError("the PDF failed")
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_of_the_same_folder_is_refused_naming_the_first(tmp_path: Path):
    target = tmp_path / "llr-2017"
    holder = hold_in_another_process(target)
    try:
        with pytest.raises(ReportBusyError) as caught, report_lock(target):
            pass
    finally:
        release(holder)
    assert str(caught.value) == (
        f"Another auditkit run (process {holder.pid}) is writing {target} now. Wait for it to finish, then run again."
    )
    assert caught.value.folder == target and caught.value.pid == holder.pid
    assert list(tmp_path.iterdir()) == []  # the first run removed its lock file; the refused one left nothing
    with report_lock(target):  # and the folder is free again
        pass


def test_a_run_in_the_same_process_is_refused_too(tmp_path: Path):
    target = tmp_path / "llr-2017"
    with report_lock(target), pytest.raises(ReportBusyError, match=f"process {os.getpid()}"), report_lock(target):
        pass


def test_a_holder_that_has_not_written_its_process_id_yet_is_another_run(tmp_path: Path):
    target = tmp_path / "llr-2017"
    fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ReportBusyError) as caught, report_lock(target):
            pass
    finally:
        os.close(fd)
    assert str(caught.value) == f"Another auditkit run is writing {target} now. Wait for it to finish, then run again."


def test_other_folders_are_not_locked(tmp_path: Path):
    with report_lock(tmp_path / "llr-2017"), report_lock(tmp_path / "lancashire-2018"):
        assert sorted(path.name for path in tmp_path.iterdir()) == [".lancashire-2018.lock", ".llr-2017.lock"]


def test_the_lock_of_a_killed_run_does_not_block_the_next(tmp_path: Path):
    target = tmp_path / "llr-2017"
    holder = hold_in_another_process(target)
    holder.kill()
    holder.communicate()
    assert holder.returncode == -signal.SIGKILL
    assert lock_path(target).read_text(encoding="ascii") == str(holder.pid)  # left behind, but not held
    with report_lock(target) as held:
        assert held.read_text(encoding="ascii") == str(os.getpid())
    assert list(tmp_path.iterdir()) == []


def test_a_stale_lock_file_naming_a_dead_process_does_not_block(tmp_path: Path):
    target = tmp_path / "llr-2017"
    lock_path(target).write_text("999999999", encoding="ascii")
    with report_lock(target):
        pass
    assert list(tmp_path.iterdir()) == []
