"""One round from parameters to published files, in stages.

validate → compute findings → execute notebooks → render HTML, PDF, Word → (screenshot) → publish.

Everything is built in a staging folder beside the target and moved into place only
when every stage has succeeded: bad input or a failing notebook leaves no partial
folder, and an earlier report stays untouched until its replacement is complete.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from auditkit.briefing.pdf_writer import load_pdf_writer, render_briefing_pdf
from auditkit.config.briefing_output import BRIEFING_FORMATS, check_formats
from auditkit.config.build_time import run_time
from auditkit.config.workbook import workbook_of
from auditkit.errors import CommandError
from auditkit.run.engines import execute_notebook, load_engine
from auditkit.run.forked import alongside, prepared_alongside
from auditkit.run.notebook_files import BRIEFING_NOTEBOOK, PARAMETER_NAME, notebook_source
from auditkit.run.screenshot import screenshot_browser, take_screenshot
from auditkit.run.staging import (
    INTERNAL,
    check_report_folder_known,
    default_output_folder,
    output_errors,
    staged_folder,
)

if TYPE_CHECKING:
    from auditkit.analysis.round_analysis import Analysis
    from auditkit.config.round import Round

# Light on imports: this module's imports leave out pandas, the analysis and the briefing, which each function
# imports when it runs. A run forks its PDF writer and its chart drawer before importing them (see run_round).

__all__ = [
    "INTERNAL",
    "NOTEBOOKS",
    "PARAMETER_NAME",
    "SCREENSHOT",
    "FindingsResult",
    "Progress",
    "RunResult",
    "parse_formats",
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
_PUBLISHED = (
    *(f"briefing.{name}" for name in BRIEFING_FORMATS),
    SCREENSHOT,
    BRIEFING_NOTEBOOK,
    "findings.json",
    "findings.csv",
)

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
    #: The formats the briefing was written in (:data:`~auditkit.config.briefing_output.BRIEFING_FORMATS`).
    formats: tuple[str, ...] = BRIEFING_FORMATS

    @property
    def briefing_html(self) -> Path:
        """The published briefing as a web page."""
        return self.folder / "briefing.html"

    @property
    def briefing_pdf(self) -> Path:
        """The published briefing as a PDF."""
        return self.folder / "briefing.pdf"

    @property
    def briefings(self) -> tuple[Path, ...]:
        """The published briefing in each format the run wrote: ``briefing.html``, ``.pdf``, ``.docx``."""
        return tuple(self.folder / f"briefing.{name}" for name in self.formats)


def parse_formats(text: str) -> tuple[str, ...]:
    """``--formats``: the briefing formats a comma-separated list names, or a :class:`CommandError` saying why not.

    Returns
    -------
    tuple of str
        The formats, in the order of :data:`~auditkit.config.briefing_output.BRIEFING_FORMATS`: ``'docx,html'`` →
        ``('html', 'docx')``.
    """
    try:
        return check_formats(name for name in text.split(",") if name.strip())
    except ValueError as exc:
        raise CommandError(f"--formats: {exc}.") from None


def _write_pdf(item: tuple[str, Path]) -> None:
    html, path = item
    render_briefing_pdf(html, path)


def _draw_sections(analysis: Analysis) -> dict:
    from auditkit.briefing.html import draw_sections

    return draw_sections(analysis)


def _load_chart_libraries() -> None:
    from auditkit.briefing.chart_style import load_chart_libraries

    load_chart_libraries(densities=False)  # the chart drawer draws auditkit's charts and nothing else


def _without_records(analysis: Analysis) -> Analysis:
    """The analysis as the chart drawer needs it: without the case-level records (its own and its baselines'),
    which no section shows and which, for a round of a million responses, would be pickled across whole."""
    history = tuple(dataclasses.replace(earlier, records=MappingProxyType({})) for earlier in analysis.history)
    return dataclasses.replace(analysis, records=MappingProxyType({}), history=history)


def run_round(
    parameters: str | Path,
    output: str | Path | None = None,
    progress: Progress = _silent,
    force: bool = False,
    screenshot: bool = False,
    engine: str = "inprocess",
    parallel: bool = True,
    formats: Sequence[str] | None = None,
) -> RunResult:
    """Validate a round, execute its notebooks and publish the briefing as HTML, PDF and Word.

    An existing report is replaced only with ``force``, and only once the new one is complete.
    With ``screenshot``, ``briefing.png`` shows the briefing's first screen in Chromium; a missing
    browser stops the run before anything is written. ``engine`` says how the notebooks run
    (:data:`auditkit.run.engines.ENGINES`): in this process (the default) or each in a kernel of its own.
    With ``parallel`` the PDF writer, the charts and the analyst's workbook each have a process of their own
    (forked from this one); a batch, which already keeps every core busy, turns that off. ``formats`` chooses
    the briefing's formats (``html``, ``pdf``, ``docx``); the round's ``formats`` when None. The Word briefing's
    template is checked before anything is written.

    Returns
    -------
    RunResult
        The round, the report's folder (``briefings``: the briefing in each format written), the analysis and any
        screenshot.
    """
    started = run_time()
    chosen = None if formats is None else check_formats(formats)
    if screenshot and chosen is not None and "html" not in chosen:
        raise CommandError("--screenshot shows briefing.html; add html to --formats, or leave --screenshot out.")
    chromium = screenshot_browser() if screenshot else None
    check_report_folder_known(parameters, output)
    # Forked first, before this process imports pandas: WeasyPrint is imported there while this one imports the
    # analysis and analyses the round. Given no HTML (the round's formats leave the PDF out) it is stopped.
    pdf_wanted = parallel and (chosen is None or "pdf" in chosen)
    with prepared_alongside(load_pdf_writer, _write_pdf, "the PDF writer", parallel=pdf_wanted) as hand_html:
        from auditkit.analysis.round_analysis import analyse_round
        from auditkit.briefing.docx_document import notebook_sections, render_briefing_docx
        from auditkit.briefing.docx_template import load_reference
        from auditkit.briefing.html import remember_sections
        from auditkit.briefing.page import render_briefing_html
        from auditkit.publish.findings_files import write_findings
        from auditkit.publish.provenance import build_manifest, write_manifest

        # The charts are drawn in a process forked now, which imports matplotlib and seaborn while this one
        # analyses the round, and is then handed the analysis. The kernel engine draws them in each kernel.
        charts_wanted = parallel and engine == "inprocess"
        with prepared_alongside(_load_chart_libraries, _draw_sections, "the charts", parallel=charts_wanted) as hand:
            progress("validating the data")
            analysis = analyse_round(parameters)
            round_ = analysis.round
            formats = round_.formats if chosen is None else chosen
            if chromium is not None and "html" not in formats:
                raise CommandError(
                    f"--screenshot shows briefing.html, which {round_.path.name}'s formats leave out; add html to "
                    "them, or leave --screenshot out."
                )
            reference = load_reference(round_.docx_template) if "docx" in formats else None
            drawn = hand(_without_records(analysis)) if engine == "inprocess" else None
            workbook = workbook_of(round_.path)
            target = Path(output).expanduser().resolve() if output else default_output_folder(round_)
            # A failure stops the PDF writer before the staging folder it writes into is removed.
            with staged_folder(target, force) as staging, hand_html.stopped_on_failure():
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
                            execute_notebook(
                                notebook_source(name, workbook), staging / NOTEBOOKS[name] / name, parameters, engine
                            )

                if drawn is not None:
                    # Both notebooks show these: drawn once, before the workbook's fork, while this process
                    # imports what executing notebooks needs.
                    progress("drawing the charts")
                    load_engine(engine)
                    remember_sections(analysis, drawn())
                with alongside(execute_workbooks, parallel=parallel):
                    progress(
                        f"executing {BRIEFING_NOTEBOOK}"
                        + (f" (and {', '.join(workbooks)} alongside)" if parallel else "")
                    )
                    briefing = execute_notebook(
                        notebook_source(BRIEFING_NOTEBOOK, workbook), staging / BRIEFING_NOTEBOOK, parameters, engine
                    )
                    pdf_written = None
                    if "html" in formats or "pdf" in formats:
                        progress("rendering briefing.html")
                        html = render_briefing_html(briefing, round_)
                        if "html" in formats:
                            (staging / "briefing.html").write_text(html, encoding="utf-8")
                    if "pdf" in formats:
                        progress("rendering briefing.pdf" + (" (alongside)" if pdf_wanted else ""))
                        pdf_written = hand_html((html, staging / "briefing.pdf"))
                    if "docx" in formats:
                        progress("writing briefing.docx")
                        render_briefing_docx(
                            analysis, staging / "briefing.docx", notebook_sections(briefing), reference
                        )
                    if pdf_written is not None:
                        pdf_written()
                if chromium is not None:
                    progress("taking briefing.png in Chromium")
                    take_screenshot(staging / "briefing.html", staging / SCREENSHOT, chromium)
                outputs = [staging / name for name in _PUBLISHED if (staging / name).is_file()]
                # git finds the commit from any folder inside the workbook; a round given with --out may be in none.
                project = workbook or round_.path.parent
                manifest = build_manifest(analysis.rounds, project, outputs, started, run_time(), analysis.inputs)
                write_manifest(manifest, staging)
    return RunResult(
        round=round_,
        folder=target,
        analysis=analysis,
        screenshot=target / SCREENSHOT if chromium is not None else None,
        formats=formats,
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
    from auditkit.analysis.round_analysis import analyse_round
    from auditkit.publish.findings_files import write_findings
    from auditkit.publish.provenance import build_manifest, write_manifest

    started = run_time()
    check_report_folder_known(parameters, output)
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
