"""The notebooks a run executes: a workbook's own when it has them, else the ones auditkit ships.

auditkit ships its notebooks inside the package (``auditkit/notebooks/``), so a wheel runs a round as a
clone of the repository does. A workbook that customises a notebook keeps its copy in its ``notebooks/``
folder (``auditkit init --notebooks`` puts copies there); a run then executes that copy, and the packaged
one for any notebook the workbook does not have.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditkit.config.workbook import NOTEBOOKS_FOLDER, package_folder

__all__ = ["BRIEFING_NOTEBOOK", "PARAMETER_NAME", "notebook_source", "packaged_notebooks"]

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
