"""One round from parameters to published files, in stages.

validate → compute findings → execute notebooks → render HTML → render PDF → (screenshot) → publish.

Everything is built in a staging folder beside the target and moved into place only
when every stage has succeeded: bad input or a failing notebook leaves no partial
folder, and an earlier report stays untouched until its replacement is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditkit.analysis.round_analysis import Analysis, analyse_round
from auditkit.briefing.page import render_briefing_html, render_briefing_pdf
from auditkit.config.build_time import run_time
from auditkit.config.round import Round
from auditkit.publish.findings_files import write_findings
from auditkit.publish.provenance import build_manifest, write_manifest
from auditkit.run.engines import execute_notebook
from auditkit.run.forked import alongside
from auditkit.run.screenshot import screenshot_browser, take_screenshot
from auditkit.run.staging import (
    BRIEFING_NOTEBOOK,
    INTERNAL,
    default_output_folder,
    find_project_folder,
    output_errors,
    staged_folder,
)

__all__ = [
    "INTERNAL",
    "NOTEBOOKS",
    "PARAMETER_NAME",
    "SCREENSHOT",
    "FindingsResult",
    "Progress",
    "RunResult",
    "check_round",
    "run_round",
    "write_round_findings",
]

#: The notebooks a run executes, in order, each with the folder of the report it is saved in.
#: The analyst's workbook shows unsuppressed figures, so it goes to ``internal/``.
NOTEBOOKS = {"analysis.ipynb": "internal", "briefing.ipynb": "."}
#: The screenshot ``--screenshot`` writes beside the briefing.
SCREENSHOT = "briefing.png"
_INTERNAL_README = (
    "INTERNAL: do not publish anything in this folder.\n\n"
    "analysis.ipynb is the analyst's workbook and findings-unsuppressed.* hold every figure before disclosure\n"
    "control. They may show small counts that could identify a child. Publish only the files one folder up.\n"
)

#: The published files a run's manifest lists (and ``auditkit verify`` re-hashes), when the run wrote them.
_PUBLISHED = ("briefing.html", "briefing.pdf", SCREENSHOT, BRIEFING_NOTEBOOK, "findings.json", "findings.csv")

#: The parameter every notebook takes: the path of the round's parameters file.
PARAMETER_NAME = "parameters_path"

#: A progress callback: called with a short description of each stage as a run starts it.
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
        """The published briefing as a web page."""
        return self.folder / "briefing.html"

    @property
    def briefing_pdf(self) -> Path:
        """The published briefing as a PDF."""
        return self.folder / "briefing.pdf"


def check_round(parameters: str | Path) -> Analysis:
    """Load a round and its baselines and check all their data; raises listing every problem found.

    The tests of areas and groups against each other are left out: a check does not need them.

    Returns
    -------
    Analysis
        The round analysed (:func:`auditkit.analyse_round` with ``tests=False``), with its baselines in ``history``.
    """
    return analyse_round(parameters, tests=False)


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
    (:data:`auditkit.run.engines.ENGINES`): in this process (the default) or each in a kernel of its own.
    With ``parallel`` the analyst's workbook runs in a second process while the briefing is made;
    a batch, which already keeps every core busy, turns that off.

    Returns
    -------
    RunResult
        The round, the report's folder (``briefing_html``, ``briefing_pdf``), the analysis and any screenshot.
    """
    # The briefing's sections draw charts (matplotlib, seaborn): imported only by a run that renders them,
    # so that validate and findings start light.
    from auditkit.briefing.html import prepare_sections

    started = run_time()
    chromium = screenshot_browser() if screenshot else None
    progress("validating the data")
    analysis = analyse_round(parameters)
    round_ = analysis.round
    project = find_project_folder(round_)
    target = Path(output).expanduser().resolve() if output else default_output_folder(round_)
    with staged_folder(target, force) as staging:
        internal = staging / INTERNAL
        internal.mkdir(mode=0o700)
        (internal / "README.txt").write_text(_INTERNAL_README, encoding="utf-8")
        write_findings(analysis, staging)
        write_findings(analysis, internal, published=False)
        parameters = {PARAMETER_NAME: str(round_.path)}
        workbooks = [name for name in NOTEBOOKS if name != BRIEFING_NOTEBOOK]

        def execute_workbooks() -> None:
            # In a second process: an error of writing must reach this one as a sentence, not a traceback.
            with output_errors(target, staging):
                for name in workbooks:
                    execute_notebook(project / "notebooks" / name, staging / NOTEBOOKS[name] / name, parameters, engine)

        if engine == "inprocess":
            progress("drawing the charts")
            prepare_sections(analysis)  # both notebooks show these; drawn once, before any fork
        with alongside(execute_workbooks, parallel=parallel):
            progress(
                f"executing {BRIEFING_NOTEBOOK}" + (f" (and {', '.join(workbooks)} alongside)" if parallel else "")
            )
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
        outputs = [staging / name for name in _PUBLISHED if (staging / name).is_file()]
        manifest = build_manifest(analysis.rounds, project, outputs, started, run_time(), analysis.inputs)
        write_manifest(manifest, staging)
    return RunResult(
        round=round_, folder=target, analysis=analysis, screenshot=target / SCREENSHOT if chromium is not None else None
    )


@dataclass(frozen=True)
class FindingsResult:
    """Where ``auditkit findings`` wrote a round's published findings and their manifest."""

    round: Round
    folder: Path

    @property
    def findings_json(self) -> Path:
        """The published findings as JSON."""
        return self.folder / "findings.json"

    @property
    def findings_csv(self) -> Path:
        """The published findings as CSV."""
        return self.folder / "findings.csv"


def write_round_findings(
    parameters: str | Path, output: str | Path | None = None, force: bool = False
) -> FindingsResult:
    """Validate a round and write only its published findings, with a manifest: no notebook, no briefing.

    The same ``findings.json`` and ``findings.csv`` as :func:`run_round` writes, under the round's
    disclosure rule, and a ``manifest.json`` that lists them, so ``auditkit verify`` covers them.
    Built in a staging folder and moved into place as :func:`run_round` does.

    Returns
    -------
    FindingsResult
        The round and the folder written (``findings_json``, ``findings_csv``).
    """
    started = run_time()
    analysis = analyse_round(parameters, reuse=False)  # analysed once here: nothing to keep in the memo
    round_ = analysis.round
    target = Path(output).expanduser().resolve() if output else default_output_folder(round_)
    with staged_folder(target, force) as staging:
        outputs = list(write_findings(analysis, staging))
        # git finds the commit from any folder inside the project, and a parameters file given with
        # --out need not be inside a project folder at all.
        manifest = build_manifest(analysis.rounds, round_.path.parent, outputs, started, run_time(), analysis.inputs)
        write_manifest(manifest, staging)
    return FindingsResult(round=round_, folder=target)
