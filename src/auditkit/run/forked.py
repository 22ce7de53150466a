"""Doing pieces of a run in other processes while this one does the rest.

A run starts its PDF writer and its chart drawer first, so that WeasyPrint, matplotlib and seaborn are
imported in them while it analyses the round, then hands them the analysis and the HTML
(:func:`prepared_alongside`); it executes the analyst's workbook, which nothing else waits for, while it
executes the briefing and renders it (:func:`alongside`). On Linux the other processes are forked from this
one, so they start with everything it has imported. Where fork is not available the work is done in turn.
"""

from __future__ import annotations

import copyreg
import io
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from auditkit.errors import AuditkitError, WorkerError

__all__ = ["WORKBOOK", "Handover", "alongside", "prepared_alongside"]

#: What :func:`alongside` does in a run, as its errors name it.
WORKBOOK = "the analyst's workbook"


def _mapping_proxy(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


#: pickle cannot send a read-only mapping (a round's instruments, a protected analysis's counts): it goes as a
#: dict and comes back read-only.
_DISPATCH = {**copyreg.dispatch_table, MappingProxyType: lambda mapping: (_mapping_proxy, (dict(mapping),))}


def _pickled(item: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(item)
    return buffer.getvalue()


def _child(work: Callable[[], Any], sender: Any) -> None:
    try:
        outcome = ("done", work())
    except AuditkitError as exc:
        outcome = ("user", exc)
    except BaseException:  # noqa: BLE001 - every failure is reported to the parent
        outcome = ("bug", traceback.format_exc())
    try:
        sender.send_bytes(_pickled(outcome))
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
        outcome = pickle.loads(receiver.recv_bytes()) if receiver.poll(None) else None
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


def _receive(inbox: Any, received: list[Any]) -> None:
    try:
        received.append(pickle.loads(inbox.recv_bytes()))
    except (EOFError, OSError):  # the parent is gone, or handed nothing over
        received.append(None)
    except BaseException as error:  # noqa: BLE001 - raised again in the process's main thread, and reported
        received.append(error)


def _prepare_then_work(
    prepare: Callable[[], Any], work: Callable[[Any], Any], inbox: Any, outbox: Any, parent: int
) -> Any:
    # The fork copied the parent's end of the pipe: closed here, so that the pipe ends when the parent does. A
    # parent killed outright (SIGKILL) runs no clean-up, and processes forked after this one hold that end too,
    # so the parent's process id is checked as well: a waiting process never outlives the run it waits for.
    outbox.close()
    # The item is read as soon as it comes, while this process prepares: an item larger than the pipe holds
    # (64 KiB) would otherwise keep the parent waiting until the preparation was done.
    received: list[Any] = []
    reader = threading.Thread(target=_receive, args=(inbox, received), daemon=True)
    reader.start()
    prepare()
    reader.join(_PARENT_CHECK_SECONDS)
    while reader.is_alive():
        if os.getppid() != parent:
            return None
        reader.join(_PARENT_CHECK_SECONDS)
    item = received[0]
    if isinstance(item, BaseException):
        raise item
    return None if item is None else work(item)


def _send(outbox: Any, item: Any) -> None:
    try:
        outbox.send_bytes(_pickled(item))
    except (BrokenPipeError, ConnectionResetError):  # the process has ended: its outcome is reported at the end
        pass


def _start_waiting(prepare: Callable[[], Any], work: Callable[[Any], Any]) -> tuple[Any, Any, Any]:
    """A forked process that prepares, then waits for an item: the process, the item's pipe and the outcome's."""
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
    return process, outbox, receiver


class Handover:
    """What :func:`prepared_alongside` gives: call it with the item to hand it over; ``stop()`` stops the process."""

    def __init__(self, hand: Callable[[Any], Callable[[], Any]], stop: Callable[[], None]) -> None:
        self._hand = hand
        self.stop = stop

    def __call__(self, item: Any) -> Callable[[], Any]:
        """Hand ``item`` over (once; None is not an item).

        Returns
        -------
        callable
            A function that waits for ``work(item)`` and returns its result, or raises its error.
        """
        return self._hand(item)

    @contextmanager
    def stopped_on_failure(self) -> Iterator[None]:
        """Stop the process if the ``with`` block fails, before the block's error goes on: a run's PDF writer must
        not write into a staging folder that the failure is about to remove."""
        try:
            yield
        except BaseException:
            self.stop()
            raise


@contextmanager
def prepared_alongside(
    prepare: Callable[[], Any], work: Callable[[Any], Any], what: str, parallel: bool = True
) -> Iterator[Handover]:
    """Fork a process that runs ``prepare()`` at once, then ``work(item)`` once the block hands it ``item``.

    The ``with`` statement gives a :class:`Handover`, ``hand``: ``hand(item)`` hands the item over (pickled across;
    once, and ``None`` is not an item) and returns a function that waits for ``work(item)`` and returns its result,
    or raises its error. A run forks its PDF writer and its chart drawer so before it imports pandas and analyses
    the round: WeasyPrint, matplotlib and seaborn are imported there meanwhile.

    The block's end waits for work handed over and not yet waited for. A block that hands nothing over stops the
    process, whatever its preparation came to (a run starts the PDF writer before it knows the round's formats);
    a block that fails stops it too, and its error is raised. With ``parallel`` False (or no fork on this system)
    nothing is forked: ``hand(item)`` does ``prepare()`` and ``work(item)`` there and then, in this process.
    """
    if not _can_fork(parallel):

        def work_now(item: Any) -> Callable[[], Any]:
            prepare()
            result = work(item)
            return lambda: result

        yield Handover(work_now, lambda: None)
        return
    process, outbox, receiver = _start_waiting(prepare, work)
    results: list[Any] = []
    handed: list[bool] = []

    def result() -> Any:
        if not results:
            results.append(_finish(process, receiver, what))
        return results[0]

    def hand(item: Any) -> Callable[[], Any]:
        if item is None or handed:
            raise ValueError("hand over one item, once")
        handed.append(True)
        _send(outbox, item)
        return result

    try:
        yield Handover(hand, lambda: _stop(process))
    except BaseException:
        _stop(process)
        raise
    finally:
        outbox.close()
    if handed:
        result()
    else:
        _stop(process)
