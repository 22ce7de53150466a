"""The notebooks a run executes: a workbook's own when it has them, else the ones auditkit ships.

auditkit ships its notebooks inside the package (``auditkit/notebooks/``), so a wheel runs a round as a
clone of the repository does. A workbook that customises a notebook keeps its copy in its ``notebooks/``
folder (``auditkit init --notebooks`` puts copies there); a run then executes that copy, and the packaged
one for any notebook the workbook does not have.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat

from auditkit.config.workbook import NOTEBOOKS_FOLDER, package_folder, workbook_relative

__all__ = [
    "BRIEFING_NOTEBOOK",
    "PARAMETER_NAME",
    "notebook_for_round",
    "notebook_parameter",
    "notebook_source",
    "packaged_notebooks",
]

#: The notebook whose output is the published briefing.
BRIEFING_NOTEBOOK = "briefing.ipynb"
#: The parameter every notebook takes: the path of the round's parameters file (its cell tagged ``parameters``).
PARAMETER_NAME = "parameters_path"


def packaged_notebooks() -> tuple[Path, ...]:
    """The notebooks auditkit ships.

    Returns
    -------
    tuple of Path
        Each ``.ipynb`` file in the package's ``notebooks/`` folder, sorted by name.
    """
    return tuple(sorted(package_folder("notebooks").glob("*.ipynb")))


def notebook_source(name: str, workbook: Path | None) -> Path:
    """The notebook ``name`` a run of a round in ``workbook`` executes.

    Returns
    -------
    Path
        The workbook's ``notebooks/<name>`` when it has one; otherwise the packaged notebook.
    """
    if workbook is not None:
        own = workbook / NOTEBOOKS_FOLDER / name
        if os.path.isfile(own):
            return own
    return package_folder("notebooks") / name


def notebook_for_round(source: Path, parameters: str) -> str:
    """A notebook's text with its parameters cell naming ``parameters``, a path in the workbook.

    Returns
    -------
    str
        The notebook as nbformat writes it, with ``parameters_path = "<parameters>"`` in its cell tagged
        ``parameters``; the rest as it is.
    """
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = f"{PARAMETER_NAME} = {json.dumps(parameters)}"
    return nbformat.writes(notebook) + "\n"


def notebook_parameter(parameters: str | Path) -> str:
    """What a notebook's ``parameters_path`` says for a round's parameters file: its path in its workbook.

    Returns
    -------
    str
        Such as ``'parameters/llr-2018.yaml'``, which the notebooks find from the workbook they run in; the
        absolute path for a file in no workbook.
    """
    return workbook_relative(parameters)
