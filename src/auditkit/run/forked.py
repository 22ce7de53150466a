"""Doing pieces of a run in other processes while this one does the rest.

A run executes the analyst's workbook, which nothing else waits for, while it executes the
briefing and renders it (:func:`alongside`); and it starts the PDF writer as soon as the data is
checked, so that WeasyPrint is imported while the notebooks run, and hands it the HTML when the
HTML is ready (:func:`waiting_alongside`). On Linux the other processes are forked from this one,
so they start with everything already imported. Where fork is not available the work is done in turn.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from auditkit.errors import AuditkitError, WorkerError

__all__ = ["WORKBOOK", "alongside", "computed_alongside", "waiting_alongside"]

#: What :func:`alongside` does in a run, as its errors name it.
WORKBOOK = "the analyst's workbook"


def _child(work: Callable[[], Any], sender: Any) -> None:
    try:
        outcome = ("done", work())
    except AuditkitError as exc:
        outcome = ("user", exc)
    except BaseException:  # noqa: BLE001 - every failure is reported to the parent
        outcome = ("bug", traceback.format_exc())
    try:
        sender.send(outcome)
    except (BrokenPipeError, ConnectionResetError):  # the parent is gone: there is no one to tell
        pass
    finally:
        sender.close()


def _report(outcome: tuple[str, Any] | None, exitcode: int | None, what: str) -> Any:
    """The work's result, or its error raised here."""
    if outcome is None:
        raise WorkerError(exitcode, what)
    kind, detail = outcome
    if kind == "user":
        raise detail
    if kind == "bug":
        raise RuntimeError(f"{what[0].upper()}{what[1:]} failed in its own process:\n{detail}")
    return detail


def _can_fork(parallel: bool) -> bool:
    return parallel and "fork" in multiprocessing.get_all_start_methods()


def _finish(process: Any, receiver: Any, what: str) -> Any:
    try:
        outcome = receiver.recv() if receiver.poll(None) else None
    except (EOFError, pickle.UnpicklingError):
        outcome = None
    process.join()
    return _report(outcome, process.exitcode, what)


def _stop(process: Any) -> None:
    process.terminate()
    process.join()


@contextmanager
def alongside(work: Callable[[], Any], parallel: bool = True, what: str = WORKBOOK) -> Iterator[None]:
    """Run ``work`` in a forked process during the ``with`` block; its errors are raised at the end.

    If the block fails, the second process is stopped and the block's error is raised. With
    ``parallel`` False (or no fork on this system) ``work`` is done first, in this process. ``what``
    names the work in the errors.
    """
    if not _can_fork(parallel):
        work()
        yield
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, sender), daemon=True)
    process.start()
    sender.close()
    try:
        yield
    except BaseException:
        _stop(process)
        raise
    _finish(process, receiver, what)


#: How often a waiting process checks that the process it waits for is still there, in seconds.
_PARENT_CHECK_SECONDS = 0.5


def _prepare_then_work(
    prepare: Callable[[], Any], work: Callable[[Any], Any], inbox: Any, outbox: Any, parent: int
) -> None:
    # The fork copied the parent's end of the pipe: closed here, so that the pipe ends when the parent does. A
    # parent killed outright (SIGKILL) runs no clean-up, and processes forked after this one hold that end too,
    # so the parent's process id is checked as well: a waiting process never outlives the run it waits for.
    outbox.close()
    prepare()
    while not inbox.poll(_PARENT_CHECK_SECONDS):
        if os.getppid() != parent:
            return
    try:
        item = inbox.recv()
    except EOFError:
        return
    if item is not None:
        work(item)


def _send(outbox: Any, item: Any) -> None:
    try:
        outbox.send(item)
    except (BrokenPipeError, ConnectionResetError):  # the process has ended: its outcome is reported at the end
        pass


@contextmanager
def waiting_alongside(
    prepare: Callable[[], Any], work: Callable[[Any], Any], what: str, parallel: bool = True
) -> Iterator[Callable[[Any], None]]:
    """Fork a process that runs ``prepare()`` at once, then ``work(item)`` once the block hands it ``item``.

    The ``with`` statement gives the function that hands the item over (once; ``None`` is not an item).
    The block's end waits for the work and raises its errors; a block that hands nothing over lets the
    process go without working. If the block fails, the process is stopped and the block's error is raised.
    With ``parallel`` False (or no fork on this system) nothing is forked: handing the item over does
    ``prepare()`` and ``work(item)`` there and then, in this process.
    """
    if not _can_fork(parallel):

        def work_now(item: Any) -> None:
            prepare()
            work(item)

        yield work_now
        return
    context = multiprocessing.get_context("fork")
    parent = os.getpid()  # this process, which the forked one waits for
    inbox, outbox = context.Pipe(duplex=False)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(lambda: _prepare_then_work(prepare, work, inbox, outbox, parent), sender),
        daemon=True,
    )
    process.start()
    sender.close()
    inbox.close()
    handed: list[bool] = []

    def hand(item: Any) -> None:
        if item is None or handed:
            raise ValueError("hand over one item, once")
        handed.append(True)
        _send(outbox, item)

    try:
        yield hand
        if not handed:
            _send(outbox, None)
    except BaseException:
        _stop(process)
        raise
    finally:
        outbox.close()
    _finish(process, receiver, what)


@contextmanager
def computed_alongside(work: Callable[[], Any], what: str, parallel: bool = True) -> Iterator[Callable[[], Any]]:
    """Fork a process that computes ``work()`` at once; the ``with`` statement gives a function that waits for it.

    That function returns the work's result (pickled across), or raises its error. If the block fails, or
    ends without asking, the process is stopped. With ``parallel`` False (or no fork on this system) the
    function computes ``work()`` in this process when it is called.
    """
    if not _can_fork(parallel):
        yield work
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, sender), daemon=True)
    process.start()
    sender.close()
    results: list[Any] = []

    def result() -> Any:
        if not results:
            results.append(_finish(process, receiver, what))
        return results[0]

    try:
        yield result
    finally:
        if process.is_alive():
            _stop(process)
