"""A partnership's own workbook, as ``auditkit init FOLDER`` writes it.

The workbook holds an ``auditkit.yaml`` marker; ``parameters/`` with the first round to fill in, rendered
from ``templates/workbook/first_round.yaml.j2`` and commented for the auditor; ``data_templates/`` with
copies of the packaged codebooks, to change locally (a round that names one uses the copy), and a
data-entry workbook for each instrument; an empty ``data/`` and ``reports/``, which its ``.gitignore`` keeps
out of version control; a short ``README.md`` with the next commands; and, when asked, ``notebooks/`` with
copies of the packaged notebooks, which ``auditkit run`` then uses instead.

Everything is written into a hidden folder beside the target and moved into place once complete, so a
failure leaves nothing half-written. A folder that is not empty is refused unless ``force``; then only what
it lacks is added, and every file already there is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from auditkit.config.codebook import load_codebook
from auditkit.config.workbook import (
    CODEBOOKS_FOLDER,
    NOTEBOOKS_FOLDER,
    PARAMETERS_FOLDER,
    REPORTS_FOLDER,
    WORKBOOK_MARKER,
    package_folder,
)
from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import CodebookError, WorkbookError
from auditkit.run.data_entry import write_template
from auditkit.run.notebook_files import notebook_for_round, packaged_notebooks
from auditkit.run.yaml_templates import yaml_templates

__all__ = ["DATA_FOLDER", "NewWorkbook", "first_round_id", "last_financial_year", "write_workbook"]

#: The workbook's folder for filled-in data; its .gitignore keeps it out of version control.
DATA_FOLDER = "data"

_ENVIRONMENT = yaml_templates("workbook")


@dataclass(frozen=True)
class NewWorkbook:
    """A workbook ``auditkit init`` wrote: its folder, its first round, and the files written and kept."""

    folder: Path
    partnership: str
    first_round: Path
    #: Files written, relative to ``folder``.
    written: tuple[Path, ...]
    #: Files that were already there and were left as they were (with ``force``), relative to ``folder``.
    kept: tuple[Path, ...] = ()


def last_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole financial year (April to March) before ``today``: a first round's period until changed.

    Returns
    -------
    tuple of (datetime.date, datetime.date)
        Its first day (1 April) and last day (31 March).
    """
    end_year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    return dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31)


def first_round_id(folder: Path, year: int) -> str:
    """The first round's id: the workbook folder's name as a round id, and the year its period ends.

    Returns
    -------
    str
        Such as ``lscp-neglect-2025`` for a folder ``LSCP neglect``; ``neglect-2025`` when the name has no letter
        or digit. Ids name report folders, so partnerships that name their folders apart never share one.
    """
    stem = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")[:40].strip("-")
    return f"{stem or 'neglect'}-{year}"


def _build(staging: Path, partnership: str, round_id: str, notebooks: bool, today: dt.date) -> None:
    """Write every file of the workbook into ``staging``."""
    import auditkit

    start, end = last_financial_year(today)
    context = {
        "partnership": partnership,
        "round_id": round_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "published": (end + dt.timedelta(days=91)).isoformat(),
        "notebooks": notebooks,
        "version": auditkit.__version__,
    }
    texts = {
        WORKBOOK_MARKER: "auditkit.yaml.j2",
        f"{PARAMETERS_FOLDER}/{round_id}.yaml": "first_round.yaml.j2",
        "README.md": "README.md.j2",
        ".gitignore": "gitignore.j2",
        f"{REPORTS_FOLDER}/README.md": "reports_readme.md.j2",
    }
    for name in (PARAMETERS_FOLDER, CODEBOOKS_FOLDER, REPORTS_FOLDER, DATA_FOLDER):
        (staging / name).mkdir()
    for name, template in texts.items():
        (staging / name).write_text(_ENVIRONMENT.get_template(template).render(**context), encoding="utf-8")
    for codebook in sorted(package_folder("instruments").glob("*.yaml")):
        shutil.copyfile(codebook, staging / CODEBOOKS_FOLDER / codebook.name)
        # An instrument's codebook (not an indicator table's) gets a data-entry workbook.
        if "codebook" in read_yaml(codebook, CodebookError, "codebook"):
            write_template(load_codebook(codebook), staging / CODEBOOKS_FOLDER / f"{codebook.stem}.xlsx")
    if notebooks:
        (staging / NOTEBOOKS_FOLDER).mkdir()
        for source in packaged_notebooks():
            copy = notebook_for_round(source, f"{PARAMETERS_FOLDER}/{round_id}.yaml")
            (staging / NOTEBOOKS_FOLDER / source.name).write_text(copy, encoding="utf-8")


def _files(folder: Path) -> list[Path]:
    """Every file and folder under ``folder``, relative to it, parents before their contents."""
    found = []
    for root, folders, names in os.walk(folder):
        folders.sort()
        found += [(Path(root) / name).relative_to(folder) for name in sorted(folders) + sorted(names)]
    return found


def _add_missing(staging: Path, target: Path) -> tuple[list[Path], list[Path]]:
    """Move what ``target`` lacks from ``staging`` into it; keep every file ``target`` already has."""
    written, kept = [], []
    for relative in _files(staging):
        source, destination = staging / relative, target / relative
        if source.is_dir():
            if not os.path.lexists(destination):
                destination.mkdir()
            continue
        if os.path.lexists(destination) or not destination.parent.is_dir():
            kept.append(relative)
        else:
            os.replace(source, destination)
            written.append(relative)
    return written, kept


def _check_target(target: Path, force: bool) -> bool:
    """Whether ``target`` holds anything; refuses a file, or a folder that is not empty without ``force``."""
    if os.path.lexists(target) and not target.is_dir():
        raise WorkbookError(target, "it is a file, not a folder; choose a new folder.")
    if not target.is_dir() or not any(target.iterdir()):
        return False
    if not force:
        raise WorkbookError(
            target,
            "it is not empty. Choose a new or empty folder, or run again with --force to add the workbook's files "
            "to it (files already there are kept as they are).",
        )
    return True


def write_workbook(
    folder: str | Path,
    partnership: str | None = None,
    notebooks: bool = False,
    force: bool = False,
    today: dt.date | None = None,
) -> NewWorkbook:
    """Write a new workbook into ``folder``; refuses a folder that is not empty unless ``force``.

    ``partnership`` defaults to the folder's name. The first round's period is the last whole financial year
    before ``today`` until the auditor changes it. Raises :class:`WorkbookError` when the folder cannot be written.

    Returns
    -------
    NewWorkbook
        The workbook's folder, its first round's parameters file, and the files written and kept.
    """
    target = Path(os.path.abspath(Path(folder).expanduser()))
    partnership = (partnership or "").strip() or target.name
    today = today or dt.date.today()
    round_id = first_round_id(target, last_financial_year(today)[1].year)
    staging = None
    try:
        occupied = _check_target(target, force)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.parent / f".{target.name}.init-{secrets.token_hex(4)}"
        staging.mkdir()
        _build(staging, partnership, round_id, notebooks, today)
        if occupied:
            written, kept = _add_missing(staging, target)
        else:
            written, kept = [path for path in _files(staging) if not (staging / path).is_dir()], []
            os.replace(staging, target)  # the complete workbook takes the place of an empty folder in one rename
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise WorkbookError(target, f"{reason}; choose another folder.") from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return NewWorkbook(
        folder=target,
        partnership=partnership,
        first_round=target / PARAMETERS_FOLDER / f"{round_id}.yaml",
        written=tuple(written),
        kept=tuple(kept),
    )
