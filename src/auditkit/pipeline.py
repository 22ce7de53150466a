"""One round from parameters to published files, in stages.

validate → compute findings → execute notebooks → render HTML → render PDF → (screenshot) → publish.

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
from typing import Callable, Iterator

from auditkit.errors import ParametersError
from auditkit.execute import execute_notebook
from auditkit.alongside import alongside
from auditkit.analysis import Analysis, analyse_round
from auditkit.briefing import prepare_sections
from auditkit.parameters import Round
from auditkit.provenance import build_manifest, run_time, write_manifest
from auditkit.render import render_briefing_html, render_briefing_pdf
from auditkit.screenshot import screenshot_browser, take_screenshot
from auditkit.serialise import write_findings

#: The notebooks a run executes, in order, each with the folder of the report it is saved in.
#: The analyst's workbook shows unsuppressed figures, so it goes to ``internal/``.
NOTEBOOKS = {"analysis.ipynb": "internal", "briefing.ipynb": "."}
BRIEFING_NOTEBOOK = "briefing.ipynb"
#: The screenshot ``--screenshot`` writes beside the briefing.
SCREENSHOT = "briefing.png"
#: The report's folder for files that must not be published.
INTERNAL = "internal"
_INTERNAL_README = (
    "INTERNAL: do not publish anything in this folder.\n\n"
    "analysis.ipynb is the analyst's workbook and findings-unsuppressed.* hold every figure before disclosure\n"
    "control. They may show small counts that could identify a child. Publish only the files one folder up.\n"
)

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
    #: ``briefing.png``, the first screen of the briefing in Chromium, when the run took one.
    screenshot: Path | None = None

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


def check_round(parameters: str | Path) -> Analysis:
    """Load a round and its baselines and check all their data; raises listing every problem found."""
    return analyse_round(parameters)


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


def _check_replaceable(target: Path, force: bool) -> None:
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


def run_round(
    parameters: str | Path,
    output: str | Path | None = None,
    progress: Progress = _silent,
    force: bool = False,
    screenshot: bool = False,
    engine: str = "inprocess",
    parallel: bool = True,
) -> RunResult:
    """Validate a round, execute its notebooks and publish the briefing as HTML and PDF.

    An existing report is replaced only with ``force``, and only once the new one is complete.
    With ``screenshot``, ``briefing.png`` shows the briefing's first screen in Chromium; a missing
    browser stops the run before anything is written. ``engine`` says how the notebooks run
    (:data:`auditkit.execute.ENGINES`): in this process (the default) or each in a kernel of its own.
    With ``parallel`` the analyst's workbook runs in a second process while the briefing is made;
    a batch, which already keeps every core busy, turns that off.
    """
    started = run_time()
    chromium = screenshot_browser() if screenshot else None
    progress("validating the data")
    analysis = analyse_round(parameters)
    round_ = analysis.round
    project = find_project_folder(round_)
    target = Path(output).expanduser().resolve() if output else default_output_folder(round_)
    _check_replaceable(target, force)
    with staged_folder(target) as staging:
        internal = staging / INTERNAL
        internal.mkdir()
        (internal / "README.txt").write_text(_INTERNAL_README, encoding="utf-8")
        write_findings(analysis, staging)
        write_findings(analysis, internal, published=False)
        parameters = {PARAMETER_NAME: str(round_.path)}
        workbooks = [name for name in NOTEBOOKS if name != BRIEFING_NOTEBOOK]
        if engine == "inprocess":
            progress("drawing the charts")
            prepare_sections(analysis)  # both notebooks show these; drawn once, before any fork
        with alongside(
            lambda: [execute_notebook(project / "notebooks" / name, staging / NOTEBOOKS[name] / name, parameters,
                                      engine) for name in workbooks],
            parallel=parallel,
        ):
            progress(f"executing {BRIEFING_NOTEBOOK}" + (f" (and {', '.join(workbooks)} alongside)" if parallel else ""))
            briefing = execute_notebook(
                project / "notebooks" / BRIEFING_NOTEBOOK, staging / BRIEFING_NOTEBOOK, parameters, engine
            )
            progress("rendering briefing.html")
            html = render_briefing_html(briefing, round_)
            (staging / "briefing.html").write_text(html, encoding="utf-8")
            progress("rendering briefing.pdf")
            render_briefing_pdf(html, staging / "briefing.pdf")
        if chromium is not None:
            progress("taking briefing.png in Chromium")
            take_screenshot(staging / "briefing.html", staging / SCREENSHOT, chromium)
        outputs = [staging / name for name in ("briefing.html", "briefing.pdf", "findings.json", "findings.csv")]
        write_manifest(build_manifest(analysis.rounds, project, outputs, started, run_time()), staging)
    return RunResult(round=round_, folder=target, analysis=analysis,
                     screenshot=target / SCREENSHOT if chromium is not None else None)
