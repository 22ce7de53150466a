"""Workbooks: the folder a round belongs to, the files auditkit ships, and codebooks named instead of given.

A workbook is a partnership's own folder of rounds, as ``auditkit init`` writes it: an ``auditkit.yaml``
marker, ``parameters/`` (one file per round), ``data_templates/`` (codebooks and data-entry workbooks),
``reports/`` and, if the partnership customises them, ``notebooks/``. This repository's root is the example
workbook. The workbook of a parameters file is the nearest folder above it that holds ``auditkit.yaml`` or
``parameters/``; a round's report goes to ``reports/<round id>`` there.

The standard instruments and the notebooks ship inside the package (``auditkit/instruments/``,
``auditkit/notebooks/``) and are found with :mod:`importlib.resources`, so an editable install and a wheel
find the same files. A round may name a codebook instead of giving its path (``codebook: toolkit_survey``):
the name is looked for in the workbook's ``data_templates/`` first, so a workbook's own copy wins, then
among the packaged instruments.
"""

from __future__ import annotations

import difflib
import os
import re
from importlib.resources import files
from pathlib import Path

from auditkit.config.input_files import resolve_path
from auditkit.errors import UnknownCodebookError, WorkbookPathError

__all__ = [
    "CODEBOOKS_FOLDER",
    "CODEBOOK_NAME_PATTERN",
    "NOTEBOOKS_FOLDER",
    "PARAMETERS_FOLDER",
    "REPORTS_FOLDER",
    "WORKBOOK_MARKER",
    "codebook_names",
    "find_codebook",
    "find_workbook",
    "is_codebook_name",
    "package_folder",
    "resolve_codebook",
    "workbook_file",
    "workbook_of",
    "workbook_relative",
]

#: The file that marks a folder as a workbook.
WORKBOOK_MARKER = "auditkit.yaml"
#: A workbook's folder of parameters files, one per round; holding one also marks a workbook.
PARAMETERS_FOLDER = "parameters"
#: A workbook's folder of codebooks (its own, or copies of the packaged ones) and data-entry workbooks.
CODEBOOKS_FOLDER = "data_templates"
#: A workbook's folder of reports, one folder per round id.
REPORTS_FOLDER = "reports"
#: A workbook's own notebooks, when it customises them; otherwise the packaged ones run.
NOTEBOOKS_FOLDER = "notebooks"
#: What a codebook's name may be: the file's name without ``.yaml``, as the files auditkit ships are named.
CODEBOOK_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_CODEBOOK_SUFFIX = ".yaml"


def package_folder(name: str) -> Path:
    """A folder of files shipped inside the auditkit package: ``instruments``, ``notebooks`` or ``templates``.

    Returns
    -------
    Path
        The folder, found with :mod:`importlib.resources` (the installed package's, or the source tree's).
    """
    folder = files("auditkit") / name
    if not isinstance(folder, Path):  # pragma: no cover - auditkit is installed as files, never zipped
        raise RuntimeError(f"auditkit's {name}/ is not a folder on disk ({folder!r}); install auditkit unzipped.")
    return folder


def _is_workbook(folder: Path) -> bool:
    # os.path, unlike pathlib in Python 3.11, answers False for a folder it may not look into.
    return os.path.isfile(folder / WORKBOOK_MARKER) or os.path.isdir(folder / PARAMETERS_FOLDER)


def find_workbook(start: Path) -> Path | None:
    """The workbook that holds the folder ``start``: the nearest folder at or above it that is one.

    Returns
    -------
    Path or None
        The nearest of ``start`` and its parents that holds ``auditkit.yaml`` or ``parameters/``; None when none does.
    """
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if _is_workbook(folder):
            return folder
    return None


def workbook_of(parameters: Path) -> Path | None:
    """The workbook of a parameters file: the nearest folder above it that holds ``auditkit.yaml`` or ``parameters/``.

    Returns
    -------
    Path or None
        The workbook's folder; None when the file is in no workbook.
    """
    return find_workbook(Path(parameters).parent)


def workbook_file(path: str | Path, start: Path | None = None) -> Path:
    """A path as a notebook names it (``parameters/llr-2017.yaml``), inside the workbook found from ``start``.

    A notebook runs with its own folder as the working directory in JupyterLab and with the folder papermill
    is run from otherwise; both are in the workbook, so a relative path is taken from the workbook's folder.
    An absolute path (what ``auditkit run`` gives) is returned as it is. Raises :class:`WorkbookPathError`
    for a relative path when no workbook holds ``start`` (the working directory by default).

    Returns
    -------
    Path
        The absolute path.
    """
    given = Path(path).expanduser()
    if given.is_absolute():
        return given
    here = Path.cwd() if start is None else Path(start)
    workbook = find_workbook(here)
    if workbook is None:
        raise WorkbookPathError(str(path), here)
    return resolve_path(given, workbook)


def workbook_relative(path: str | Path) -> str:
    """A file as a notebook names it: its path from its workbook's folder (what :func:`workbook_file` takes).

    Returns
    -------
    str
        Such as ``'parameters/llr-2018.yaml'``; the absolute path when the file is in no workbook.
    """
    absolute = Path(os.path.abspath(Path(path).expanduser()))
    workbook = find_workbook(absolute.parent)
    if workbook is None:
        return str(absolute)
    return absolute.relative_to(workbook).as_posix()


def is_codebook_name(value: str) -> bool:
    """Whether a parameters file's ``codebook:`` names a codebook rather than giving its path.

    Returns
    -------
    bool
        True for a value with no ``/`` that does not end in ``.yaml`` or ``.yml`` (``toolkit_survey``).
    """
    return "/" not in value and not value.strip().lower().endswith((".yaml", ".yml"))


def _names_in(folder: Path) -> tuple[str, ...]:
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return ()
    return tuple(
        entry.removesuffix(_CODEBOOK_SUFFIX)
        for entry in entries
        if entry.endswith(_CODEBOOK_SUFFIX)
        and re.fullmatch(CODEBOOK_NAME_PATTERN, entry.removesuffix(_CODEBOOK_SUFFIX))
        and os.path.isfile(folder / entry)
    )


def codebook_names(workbook: Path | None) -> tuple[str, ...]:
    """Every name a round in ``workbook`` may give as its codebook: the workbook's own, then auditkit's.

    Returns
    -------
    tuple of str
        The names of the ``.yaml`` files in the workbook's ``data_templates/`` and among the packaged
        instruments, each once, sorted.
    """
    local = _names_in(workbook / CODEBOOKS_FOLDER) if workbook is not None else ()
    return tuple(sorted({*local, *_names_in(package_folder("instruments"))}))


def find_codebook(value: str, workbook: Path | None, base: Path, where: str) -> Path:
    """The codebook file ``value`` means, by path (taken from ``base``) or by name (looked for in ``workbook``).

    A name (:func:`is_codebook_name`) is looked for in the workbook's ``data_templates/`` first, then among the
    packaged instruments; an unknown name raises :class:`UnknownCodebookError`, which lists the names known and
    begins with ``where``.

    Returns
    -------
    Path
        The codebook's path; whether it is a readable file is for the caller to check.
    """
    if not is_codebook_name(value):
        return resolve_path(value, base)
    name = value.strip()
    if re.fullmatch(CODEBOOK_NAME_PATTERN, name):
        candidates = [package_folder("instruments") / f"{name}{_CODEBOOK_SUFFIX}"]
        if workbook is not None:
            candidates.insert(0, workbook / CODEBOOKS_FOLDER / f"{name}{_CODEBOOK_SUFFIX}")
        for candidate in candidates:
            if os.path.lexists(candidate):
                return resolve_path(candidate)
    known = codebook_names(workbook)
    nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    raise UnknownCodebookError(where, value, workbook, known, nearest[0] if nearest else None)


def resolve_codebook(value: str, parameters: Path, where: str) -> Path:
    """The codebook file a parameters file's ``codebook:`` means: :func:`find_codebook` in its workbook.

    Returns
    -------
    Path
        The codebook's path: a relative path taken from the parameters file's folder, a name found in the
        parameters file's workbook (:func:`workbook_of`) or among the packaged instruments.
    """
    return find_codebook(value, workbook_of(parameters), parameters.parent, where)
