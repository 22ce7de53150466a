"""Doing one piece of a run in a second process while this one does the rest.

A run executes the analyst's workbook, which nothing else waits for, while it executes the
briefing and renders it. On Linux the second process is forked from this one, so it starts
with everything already imported. Where fork is not available the work is done in turn.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from auditkit.errors import AuditkitError, WorkerError

__all__ = ["alongside"]


def _child(work: Callable[[], Any], sender: Any) -> None:
    try:
        work()
    except AuditkitError as exc:
        sender.send(("user", exc))
    except BaseException:  # noqa: BLE001 - every failure is reported to the parent
        sender.send(("bug", traceback.format_exc()))
    else:
        sender.send(("done", None))
    finally:
        sender.close()


def _report(outcome: tuple[str, Any] | None, exitcode: int | None) -> None:
    if outcome is None:
        raise WorkerError(exitcode)
    kind, detail = outcome
    if kind == "user":
        raise detail
    if kind == "bug":
        raise RuntimeError(f"The analyst's workbook failed in its own process:\n{detail}")


@contextmanager
def alongside(work: Callable[[], Any], parallel: bool = True) -> Iterator[None]:
    """Run ``work`` in a forked process during the ``with`` block; its errors are raised at the end.

    If the block fails, the second process is stopped and the block's error is raised. With
    ``parallel`` False (or no fork on this system) ``work`` is done first, in this process.
    """
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
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
        process.terminate()
        process.join()
        raise
    try:
        outcome = receiver.recv() if receiver.poll(None) else None
    except (EOFError, pickle.UnpicklingError):
        outcome = None
    process.join()
    _report(outcome, process.exitcode)
