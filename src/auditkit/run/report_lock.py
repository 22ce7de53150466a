"""One run at a time writes a report: a lock file beside the report's folder.

Two runs of the same round (or any two runs into the same folder) would otherwise both build a
report and the second would silently replace the first. A run holds ``fcntl.flock`` on
``.<name>.lock`` beside the report while it checks, builds and moves the report into place; a
second run finds the lock held and is refused at once, naming the process that holds it (waiting
would only make it replace a report its user has not seen). The kernel drops the lock when its
process ends, however it ends, so a killed run never blocks the next one; its lock file is taken
over and removed by the next run. Batch runs lock each round's own folder, so ``--jobs`` is not slowed.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditkit.errors import ReportBusyError

__all__ = ["lock_path", "report_lock"]

#: How often a run tries again when the lock file it locked was removed by the run before it.
_ATTEMPTS = 5


def lock_path(target: Path) -> Path:
    """The lock file of a report's folder.

    Returns
    -------
    Path
        ``.<name>.lock`` beside ``target``.
    """
    return target.parent / f".{target.name}.lock"


def _holder(path: Path) -> int | None:
    """The process id the holder wrote into the lock file, when it has written it yet."""
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextmanager
def report_lock(target: Path) -> Iterator[Path]:
    """Hold the lock of ``target`` for the ``with`` block; raises :class:`ReportBusyError` if another run holds it.

    The lock file is removed when the block ends. filelock and the like leave it behind on Unix; removing
    it safely needs the check written here: a run that locked a file which the run before it had just
    removed checks that its file is still the one the path names, and tries again if not.

    Yields
    ------
    Path
        The lock file held.
    """
    path = lock_path(target)
    for _ in range(_ATTEMPTS):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise ReportBusyError(target, _holder(path)) from None
            raise
        if _same_file(fd, path):
            break
        os.close(fd)  # the run before removed this file after we opened it: lock the new one
    else:  # pragma: no cover - only if runs keep racing on the same folder
        raise ReportBusyError(target, _holder(path))
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield path
    finally:
        try:
            path.unlink(missing_ok=True)  # while still held, so no other run can be holding this file
        finally:
            os.close(fd)
