"""Output folders: where a round's report goes, and building it beside its target.

A report is built in a hidden staging folder beside its target and moved into place only
when it is complete, so a failure leaves no half-written folder and an earlier report stays
as it was until its replacement is whole. An existing report is replaced only when asked.

One run at a time writes a given folder (:mod:`auditkit.run.report_lock`). The staging folder
holds unsuppressed figures, so it is its owner's only (0700) until the report is in place;
then the report's folders become 0755 and its files 0644, but ``internal/`` stays 0700. The
final move is two renames (the earlier report aside, the new one in): a run killed between
them leaves the earlier report in ``.<name>.old-*``, and the next run into that folder puts it
back before anything else (and removes the unpublished new one), so nothing published is lost.
A killed run's staging folder is removed by the next run into that folder.
Light on imports: ``auditkit findings`` uses it without loading the briefing machinery.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.config.input_files import file_problem, resolve_path
from auditkit.config.workbook import REPORTS_FOLDER, workbook_of
from auditkit.errors import NoWorkbookError, OutputError, ParametersError
from auditkit.run.report_lock import report_lock

if TYPE_CHECKING:
    from auditkit.config.round import Round

__all__ = [
    "INTERNAL",
    "check_replaceable",
    "check_report_folder_known",
    "default_output_folder",
    "output_errors",
    "remove_abandoned_folders",
    "staged_folder",
]

#: The report's folder for files that must not be published: it stays its owner's only (0700).
INTERNAL = "internal"


#: The longest round id that names a report's folder: file systems allow 255 bytes in a name, and the
#: staging folder beside it adds 18 (``.<id>.partial-`` and eight random characters).
_LONGEST_ID = 255 - 18


def check_report_folder_known(parameters: str | Path, output: str | Path | None) -> None:
    """Refuse a round with no ``--out`` whose parameters file is in no workbook, before anything is read.

    Raises :class:`NoWorkbookError`: such a round's report has no ``reports/`` folder to go to.
    """
    path = resolve_path(parameters)
    # A parameters file that cannot be read is named as such when the round is loaded.
    if output is None and file_problem(path) is None and workbook_of(path) is None:
        raise NoWorkbookError(path)


def default_output_folder(round_: Round) -> Path:
    """Where a round's report goes when no ``--out`` is given: ``reports/<round id>`` in the round's workbook.

    Raises :class:`NoWorkbookError` when the parameters file is in no workbook (auditkit never writes into
    its own install folder), and :class:`ParametersError` when the round id is too long to name a folder.

    Returns
    -------
    Path
        ``reports/<round id>`` in the workbook of the parameters file (:func:`auditkit.config.workbook.workbook_of`).
    """
    workbook = workbook_of(round_.path)
    if workbook is None:
        raise NoWorkbookError(round_.path)
    if len(round_.id) > _LONGEST_ID:
        raise ParametersError(
            f"The round id in {round_.path.name} is {len(round_.id)} characters long, too long to name its report's "
            f"folder (at most {_LONGEST_ID}); shorten it, or choose a folder with --out.",
            round_.path,
        )
    return workbook / REPORTS_FOLDER / round_.id


#: A staging folder holds this file, naming the process that builds it, until it is complete.
_OWNER = ".auditkit-run"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_abandoned_folders(target: Path, locked: bool = False) -> list[Path]:
    """Remove staging folders left beside ``target`` by runs that were killed outright.

    A run killed with SIGKILL (or a power cut) cannot clean up after itself; its half-built
    folder, never moved into place, is removed by the next run. Folders of a run still
    going are left alone: those naming a live process, or, when the caller holds ``target``'s lock
    (``locked``), none, since every run building beside ``target`` holds that lock. That also clears
    a folder naming a process id that has since been reused (in a container, after every restart).

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for folder in sorted(target.parent.glob(f".{glob.escape(target.name)}.partial-*")):
        owner = folder / _OWNER
        try:
            pid = int(owner.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = None
        if locked or pid is None or not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


#: What each error number means for a report that cannot be written, and what to do about it.
_CANNOT_WRITE = {
    errno.EACCES: "you are not allowed to write there; choose another folder with --out.",
    errno.EPERM: "you are not allowed to write there; choose another folder with --out.",
    errno.EROFS: "the file system there is read-only; choose another folder with --out.",
    errno.ENOSPC: "the disk is full; free some space or choose another folder with --out.",
    errno.EDQUOT: "your disk quota is used up; free some space or choose another folder with --out.",
    errno.EFBIG: "a file is larger than the file system there allows; choose another folder with --out.",
    errno.ENOENT: "no folder can be made there; choose another folder with --out.",
    errno.ENOTDIR: "part of that path is a file, not a folder; choose another folder with --out.",
    errno.EEXIST: "part of that path is a file, not a folder; choose another folder with --out.",
    errno.ENAMETOOLONG: "a name in that path is too long for the file system; choose a shorter one with --out.",
    errno.ELOOP: "a symbolic link in that path points back to itself; choose another folder with --out.",
    errno.EBUSY: "it is in use (a mount point, say) and cannot be replaced; choose a folder inside it with --out.",
}
#: Errors that only writing can cause: wherever they arise during a run, the report could not be written.
_WRITE_ONLY = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    reason = _CANNOT_WRITE.get(exc.errno)
    if reason is None:
        reason = f"{exc.strerror or exc}; choose another folder with --out."
    return OutputError(target, reason[0].lower() + reason[1:])


@contextmanager
def output_errors(target: Path, staging: Path | None = None) -> Iterator[None]:
    """Turn an error of writing the report into :class:`OutputError` naming ``target``; other errors pass through.

    Without ``staging`` every :class:`OSError` is about the report (creating and moving its folders);
    with it, a full disk, a read-only file system or a file too large is, wherever it arose, and a
    refused permission is when it names a file in ``staging``.

    Yields
    ------
    None
    """
    try:
        yield
    except OSError as exc:
        inside = staging is not None and exc.filename is not None and Path(str(exc.filename)).is_relative_to(staging)
        if staging is None or exc.errno in _WRITE_ONLY or (inside and exc.errno in (errno.EACCES, errno.EPERM)):
            raise _cannot_write(target, exc) from None
        raise


def _recover_interrupted_move(target: Path) -> None:
    """Put back an earlier report that a run killed between the two renames of its final move left aside.

    A run moves the earlier report into ``.<name>.old-*`` and then its new one into place. Killed between
    the two, ``target`` is missing: the earlier report is restored (the new one, never published, is
    removed with the other leftovers). Killed after both, only the retired folder is left: it is removed.
    """
    for retired in sorted(target.parent.glob(f".{glob.escape(target.name)}.old-*")):
        earlier = retired / target.name
        if earlier.is_dir() and not os.path.lexists(target):
            os.replace(earlier, target)
        shutil.rmtree(retired, ignore_errors=True)


def _make_readable(target: Path) -> None:
    """Open a finished report to its readers: folders 0755 and files 0644, but ``internal/`` stays its owner's."""
    for root, _, names in os.walk(target):
        private = INTERNAL in Path(root).relative_to(target).parts
        os.chmod(root, 0o700 if private else 0o755)
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600 if private else 0o644)


def _move_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` by two renames; an error between them puts the earlier report back."""
    if not os.path.lexists(target):
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.replace(target, retired / target.name)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired / target.name, target)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def staged_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target``.

    The run holds ``target``'s lock throughout (:func:`~auditkit.run.report_lock.report_lock`: a second
    run is refused); under it, an earlier report left aside by a run killed mid-move is restored, the
    leftovers of killed runs are removed, and ``target`` is checked (:func:`check_replaceable` with
    ``force``). The staging folder is its owner's only (0700) while it holds unsuppressed figures; the
    report is opened to readers (:func:`_make_readable`) only once it is in place. On any error the
    staging folder is removed and ``target`` is left as it was; an error of writing (a read-only folder,
    a full disk) becomes an :class:`OutputError` naming ``target``.

    Yields
    ------
    Path
        The staging folder, to write the report into.
    """
    with ExitStack() as stack:
        with output_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(report_lock(target))
            _recover_interrupted_move(target)
            remove_abandoned_folders(target, locked=True)
            check_replaceable(target, force)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        owner = staging / _OWNER
        try:
            with output_errors(target, staging):
                owner.write_text(str(os.getpid()), encoding="ascii")
                yield staging
                owner.unlink()
            with output_errors(target):
                _move_into_place(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with output_errors(target):
            _make_readable(target)


def check_replaceable(target: Path, force: bool) -> None:
    """Refuse to replace anything but an earlier auditkit report, and that only with ``force``."""
    if target.exists() and not target.is_dir():
        raise ParametersError(f"The output {target} is a file, not a folder; choose another output folder.")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not (target / "findings.json").is_file():
        raise ParametersError(
            f"The output folder {target} already holds files that are not an auditkit report; "
            f"choose an empty or new folder so that nothing in it is lost."
        )
    if not force:
        raise ParametersError(
            f"The report {target} already exists. Run again with --force to replace it (the old report is kept "
            f"until the new one is complete), or choose another folder with --out."
        )
