"""One round from parameters to published files, in stages.

validate → compute findings → execute notebooks → render HTML → render PDF → publish.

Everything is built in a staging folder beside the target and moved into place only
when every stage has succeeded: bad input or a failing notebook leaves no partial
folder, and an earlier report stays untouched until its replacement is complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

import pandas as pd

from auditkit.errors import ParametersError
from auditkit.execute import execute_notebook
from auditkit.analysis import Analysis, analyse_round
from auditkit.parameters import Round, load_round
from auditkit.render import render_briefing_html, render_briefing_pdf
from auditkit.serialise import write_findings
from auditkit.validation import load_round_records

#: The notebooks a run executes, in order; the last one is the briefing.
NOTEBOOKS = ("analysis.ipynb", "briefing.ipynb")
BRIEFING_NOTEBOOK = "briefing.ipynb"

#: The parameter every notebook takes: the path of the round's parameters file.
PARAMETER_NAME = "parameters_path"

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    """A progress callback that says nothing."""


@dataclass(frozen=True)
class RunResult:
    """Where a run wrote its output, and what it found."""

    round: Round
    folder: Path
    analysis: Analysis

    @property
    def briefing_html(self) -> Path:
        return self.folder / "briefing.html"

    @property
    def briefing_pdf(self) -> Path:
        return self.folder / "briefing.pdf"


def find_project_folder(round_: Round) -> Path:
    """The folder holding ``notebooks/``: the nearest one above the parameters file, else auditkit's own."""
    candidates = [*round_.path.parents, Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if (folder / "notebooks" / BRIEFING_NOTEBOOK).is_file():
            return folder
    raise ParametersError(
        f"No notebooks/{BRIEFING_NOTEBOOK} was found in any folder above {round_.path}; keep the parameters "
        f"file inside an auditkit project folder."
    )


def default_output_folder(round_: Round) -> Path:
    """``reports/<round id>`` in the project folder."""
    return find_project_folder(round_) / "reports" / round_.id


def check_round(parameters: str | Path) -> tuple[Round, Mapping[str, pd.DataFrame]]:
    """Load a round and validate all its data; raises on the first file-level or any data problem."""
    round_ = load_round(parameters)
    return round_, load_round_records(round_)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target``.

    On any error the staging folder is removed and ``target`` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is read like any other
    try:
        yield staging
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


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a folder that is not an earlier auditkit report."""
    if target.exists() and not target.is_dir():
        raise ParametersError(f"The output {target} is a file, not a folder; choose another output folder.")
    if target.is_dir() and any(target.iterdir()) and not (target / "findings.json").is_file():
        raise ParametersError(
            f"The output folder {target} already holds files that are not an auditkit report; "
            f"choose an empty or new folder so that nothing in it is lost."
        )


def run_round(parameters: str | Path, output: str | Path | None = None, progress: Progress = _silent) -> RunResult:
    """Validate a round, execute its notebooks and publish the briefing as HTML and PDF."""
    progress("validating the data")
    analysis = analyse_round(parameters)
    round_ = analysis.round
    notebooks = find_project_folder(round_) / "notebooks"
    target = Path(output).expanduser().resolve() if output else default_output_folder(round_)
    _check_replaceable(target)
    with staged_folder(target) as staging:
        write_findings(analysis, staging)
        executed = {}
        for name in NOTEBOOKS:
            progress(f"executing {name}")
            executed[name] = execute_notebook(
                notebooks / name, staging / name, {PARAMETER_NAME: str(round_.path)}
            )
        progress("rendering briefing.html")
        html = render_briefing_html(executed[BRIEFING_NOTEBOOK], round_)
        (staging / "briefing.html").write_text(html, encoding="utf-8")
        progress("rendering briefing.pdf")
        render_briefing_pdf(html, staging / "briefing.pdf")
    return RunResult(round=round_, folder=target, analysis=analysis)
