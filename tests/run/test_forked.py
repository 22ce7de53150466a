"""auditkit.run.forked: one piece of a run done in a forked process while this one does the rest.

The work in these tests leaves files behind (its process id, a mark that it finished) so that what ran
where, and when, is read from the file system rather than from the module under test.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from types import MappingProxyType

import pytest

from auditkit.errors import AuditkitError, ParametersError, RenderError
from auditkit.run.forked import alongside, prepared_alongside

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="this system cannot fork a process"
)


def wait_for(path: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} did not appear")
        time.sleep(0.01)


def test_the_work_runs_in_another_process_while_the_block_runs(tmp_path: Path):
    started, go, finished = tmp_path / "started", tmp_path / "go", tmp_path / "finished"

    def work():
        started.write_text(str(os.getpid()))
        wait_for(go)  # only the block creates it: the work must be running at the same time
        finished.write_text("done")

    with alongside(work):
        wait_for(started)
        go.touch()
    assert int(started.read_text()) != os.getpid()
    assert finished.read_text() == "done"  # the block's end waits for the work


def test_a_users_mistake_in_the_work_is_raised_as_itself_at_the_end_of_the_block(tmp_path: Path):
    block_ran = []

    def work():
        raise ParametersError("llr-2017.yaml: key 'areas' has 5; it must be a list.")

    with pytest.raises(ParametersError) as caught, alongside(work):
        block_ran.append(True)
    assert str(caught.value) == "llr-2017.yaml: key 'areas' has 5; it must be a list."
    assert block_ran == [True]


def test_a_bug_in_the_work_is_raised_with_its_traceback():
    def work():
        raise KeyError("deep_dive")

    with pytest.raises(RuntimeError) as caught, alongside(work):
        pass
    message = str(caught.value)
    assert message.startswith("The analyst's workbook failed in its own process:\n")
    assert "Traceback (most recent call last)" in message and "KeyError: 'deep_dive'" in message


def test_a_process_that_dies_without_a_word_is_reported_with_its_exit_code():
    def work():
        os._exit(3)

    with pytest.raises(AuditkitError) as caught, alongside(work):
        pass
    assert str(caught.value) == "The process running the analyst's workbook stopped unexpectedly (exit code 3)."


def test_when_the_block_fails_the_work_is_stopped_and_the_blocks_error_raised(tmp_path: Path):
    started, never = tmp_path / "started", tmp_path / "never"

    def work():
        started.write_text(str(os.getpid()))
        wait_for(never, seconds=60)

    began = time.monotonic()
    with pytest.raises(ValueError, match="the briefing failed"), alongside(work):
        wait_for(started)
        raise ValueError("the briefing failed")
    assert time.monotonic() - began < 30  # not left to wait for its minute
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)


def test_without_parallel_the_work_is_done_first_in_this_process():
    order = []

    def work():
        order.append(("work", os.getpid()))

    with alongside(work, parallel=False):
        order.append(("block", os.getpid()))
    assert order == [("work", os.getpid()), ("block", os.getpid())]


def test_without_parallel_a_failing_work_stops_before_the_block():
    block_ran = []

    def work():
        raise ParametersError("llr-2017.yaml does not exist.")

    with pytest.raises(ParametersError, match="does not exist"), alongside(work, parallel=False):
        block_ran.append(True)
    assert block_ran == []


def test_a_prepared_process_prepares_at_once_and_works_on_what_the_block_hands_it(tmp_path: Path):
    prepared, result = tmp_path / "prepared", tmp_path / "result"

    def prepare():
        prepared.write_text(str(os.getpid()))

    def work(item):
        result.write_text(f"{os.getpid()}:{item}")
        return f"wrote {item}"

    with prepared_alongside(prepare, work, "the PDF writer") as hand:
        wait_for(prepared)  # prepared before anything is handed over
        time.sleep(1.5)  # and still waiting, however long the block takes
        assert not result.exists()
        written = hand("<html>briefing</html>")
        assert written() == "wrote <html>briefing</html>"  # the work's result, pickled across
    child = int(prepared.read_text())
    assert child != os.getpid()
    assert result.read_text() == f"{child}:<html>briefing</html>"


def test_the_blocks_end_waits_for_work_handed_over_and_not_waited_for(tmp_path: Path):
    result = tmp_path / "result"

    def work(item):
        time.sleep(1)
        result.write_text(item)

    with prepared_alongside(lambda: None, work, "the PDF writer") as hand:
        hand("html")
    assert result.read_text() == "html"


def test_a_read_only_mapping_is_handed_over_and_back_read_only():
    # A round holds its instruments in a MappingProxyType, which pickle alone cannot send.
    item = {"round": MappingProxyType({"survey": MappingProxyType({"rows": 61})})}

    def work(got):
        return isinstance(got["round"]["survey"], MappingProxyType), got["round"]

    with prepared_alongside(lambda: None, work, "x") as hand:
        read_only, back = hand(item)()
    assert read_only and isinstance(back, MappingProxyType) and back["survey"]["rows"] == 61


def test_a_prepared_process_given_nothing_is_stopped_whatever_its_preparation_came_to(tmp_path: Path):
    prepared, result = tmp_path / "prepared", tmp_path / "result"

    def prepare():  # a run whose round leaves out the PDF: a missing Pango must not fail it
        prepared.write_text(str(os.getpid()))
        raise RenderError("The PDF could not be written: no Pango.")

    with prepared_alongside(prepare, lambda item: result.write_text(item), "the PDF writer"):
        wait_for(prepared)
    assert not result.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(int(prepared.read_text()), 0)


def test_a_prepared_processs_mistake_and_bug_are_raised_naming_the_work():
    def mistake(item):
        raise ParametersError(f"{item}: the PDF could not be written.")

    with pytest.raises(ParametersError, match="^html: the PDF could not be written.$"):
        with prepared_alongside(lambda: None, mistake, "the PDF writer") as hand:
            hand("html")()

    def bug(item):
        raise KeyError(item)

    with pytest.raises(RuntimeError) as caught:
        with prepared_alongside(lambda: None, bug, "the PDF writer") as hand:
            hand("html")
    assert str(caught.value).startswith("The PDF writer failed in its own process:\n")
    assert "KeyError: 'html'" in str(caught.value)


def test_a_prepared_process_that_dies_is_reported_with_what_it_was_doing():
    with pytest.raises(AuditkitError) as caught:
        with prepared_alongside(lambda: os._exit(4), lambda item: None, "the PDF writer") as hand:
            hand("html")
    assert str(caught.value) == "The process running the PDF writer stopped unexpectedly (exit code 4)."


def test_when_the_block_fails_the_prepared_process_is_stopped(tmp_path: Path):
    prepared = tmp_path / "prepared"
    began = time.monotonic()
    with pytest.raises(ValueError, match="the briefing failed"):
        with prepared_alongside(lambda: prepared.write_text(str(os.getpid())), lambda item: None, "the PDF writer"):
            wait_for(prepared)
            raise ValueError("the briefing failed")
    assert time.monotonic() - began < 30
    with pytest.raises(ProcessLookupError):
        os.kill(int(prepared.read_text()), 0)


def test_without_parallel_the_prepared_work_is_done_when_handed_over_in_this_process():
    order = []
    with prepared_alongside(
        lambda: order.append("prepare"),
        lambda item: order.append(("work", item, os.getpid())) or 7,
        "x",
        parallel=False,
    ) as hand:
        order.append("block")
        result = hand("html")
        order.append("after")
    assert order == ["block", "prepare", ("work", "html", os.getpid()), "after"]
    assert result() == 7


def test_an_item_is_handed_over_once_and_none_is_no_item():
    with prepared_alongside(lambda: None, lambda item: None, "the PDF writer") as hand:
        with pytest.raises(ValueError, match="once"):
            hand(None)
        hand("html")
        with pytest.raises(ValueError, match="once"):
            hand("again")


def test_a_waiting_process_ends_when_the_process_it_waits_for_is_killed(tmp_path: Path):
    # A run killed outright (SIGKILL) cleans nothing up; its PDF writer must not wait for the HTML for ever
    # (it would hold the run's output open, and whoever waits for that).
    import signal
    import subprocess
    import sys

    mark = tmp_path / "writer"
    script = (
        "import os, time\n"
        "from pathlib import Path\n"
        "from auditkit.run.forked import prepared_alongside\n"
        f"mark = Path({str(mark)!r})\n"
        "with prepared_alongside(lambda: mark.write_text(str(os.getpid())), lambda item: None, 'the PDF writer'):\n"
        "    time.sleep(600)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(mark)
    run.send_signal(signal.SIGKILL)
    began = time.monotonic()
    stdout, _ = run.communicate(timeout=30)  # ends only when the writer, which shares the pipe, has gone too
    assert run.returncode == -signal.SIGKILL
    assert time.monotonic() - began < 10
    stat = Path(f"/proc/{mark.read_text()}/stat")  # gone, or a zombie left for a container's init to reap
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"


def test_a_failure_in_a_stopped_on_failure_block_stops_the_process_at_once(tmp_path: Path):
    prepared, after = tmp_path / "prepared", []
    with pytest.raises(ValueError, match="the Word briefing failed"):
        with prepared_alongside(
            lambda: prepared.write_text(str(os.getpid())), lambda item: None, "the PDF writer"
        ) as hand:
            wait_for(prepared)
            with pytest.raises(ValueError), hand.stopped_on_failure():
                raise ValueError("the Word briefing failed")
            with pytest.raises(ProcessLookupError):  # already stopped, before the outer block goes on
                os.kill(int(prepared.read_text()), 0)
            after.append("checked")
            raise ValueError("the Word briefing failed")
    assert after == ["checked"]


def test_an_item_larger_than_the_pipe_is_taken_while_the_process_still_prepares(tmp_path: Path):
    # A pipe holds 64 KiB: the parent must not wait for the preparation to hand a larger item over.
    go, item = tmp_path / "go", "x" * (1 << 20)
    with prepared_alongside(lambda: wait_for(go), len, "the charts") as hand:
        began = time.monotonic()
        result = hand(item)
        handed_in = time.monotonic() - began
        go.write_text("go")
        assert result() == 1 << 20
    assert handed_in < 5  # the preparation waits for "go", which is written only after hand() returned
