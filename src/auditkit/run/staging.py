"""Output folders: where a round's report goes, and building it beside its target.

A report is built in a hidden staging folder beside its target and moved into place only
when it is complete, so a failure leaves no half-written folder and an earlier report stays
as it was until its replacement is whole. An existing report is replaced only when asked.
Light on imports: ``auditkit findings`` uses it without loading the briefing machinery.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditkit.config.round import Round
from auditkit.errors import ParametersError

__all__ = [
    "BRIEFING_NOTEBOOK",
    "check_replaceable",
    "default_output_folder",
    "find_project_folder",
    "remove_abandoned_folders",
    "staged_folder",
]

#: The notebook whose folder marks a project folder.
BRIEFING_NOTEBOOK = "briefing.ipynb"


def find_project_folder(round_: Round) -> Path:
    """Find the project folder a round's report belongs to; raises :class:`ParametersError` when there is none.

    Returns
    -------
    Path
        The nearest folder above the parameters file that holds ``notebooks/briefing.ipynb``, else auditkit's own.
    """
    candidates = [*round_.path.parents, Path(__file__).resolve().parents[3]]
    for folder in candidates:
        if (folder / "notebooks" / BRIEFING_NOTEBOOK).is_file():
            return folder
    raise ParametersError(
        f"No notebooks/{BRIEFING_NOTEBOOK} was found in any folder above {round_.path}; keep the parameters "
        f"file inside an auditkit project folder."
    )


def default_output_folder(round_: Round) -> Path:
    """Where a round's report goes when no ``--out`` is given.

    Returns
    -------
    Path
        ``reports/<round id>`` in the project folder (:func:`find_project_folder`).
    """
    return find_project_folder(round_) / "reports" / round_.id


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


def remove_abandoned_folders(target: Path) -> list[Path]:
    """Remove staging folders left beside ``target`` by runs that were killed outright.

    A run killed with SIGKILL (or a power cut) cannot clean up after itself; its half-built
    folder, never moved into place, is removed by the next run. Folders of a run still
    going are left alone.

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for folder in sorted(target.parent.glob(f".{target.name}.partial-*")):
        owner = folder / _OWNER
        try:
            pid = int(owner.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = None
        if pid is None or not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target``.

    On any error the staging folder is removed and ``target`` is left as it was.

    Yields
    ------
    Path
        The staging folder, to write the report into.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_folders(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is read like any other
    owner = staging / _OWNER
    owner.write_text(str(os.getpid()), encoding="ascii")
    try:
        yield staging
        owner.unlink()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, retired / target.name)
    os.replace(staging, target)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


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
