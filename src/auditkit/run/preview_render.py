"""What ``auditkit preview`` shows: the briefing rendered in this warm process, or the errors of the last save.

:func:`render_briefing_preview` renders a round's briefing page as ``auditkit run`` writes ``briefing.html``, the
same sections in the same order as the round's briefing notebook shows them
(:func:`auditkit.briefing.section_page.render_sections_page`), without papermill, a kernel, the PDF or the Word
document, so that a save is on the screen in well under a second once the process is warm. :class:`PreviewPages`
keeps the last render and the last good one, and makes the pages the server shows: each with the reload script,
which only the preview's pages ever hold.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader, StrictUndefined

from auditkit.analysis.round_analysis import Analysis, analyse_round
from auditkit.briefing.section_page import render_sections_page, section_cells
from auditkit.config.workbook import workbook_of
from auditkit.errors import AuditkitError
from auditkit.run.notebook_files import BRIEFING_NOTEBOOK, notebook_source

__all__ = ["BriefingPreview", "PreviewPages", "RenderOutcome", "inject_reload", "render_briefing_preview"]


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("auditkit", "templates/preview"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class BriefingPreview:
    """A round's briefing page rendered in this process: its ``html`` (no script), the ``analysis``, the
    ``notebook`` whose sections it shows, the first lines of the notebook's ``left_out`` cells that only an
    executed notebook shows, and the ``files`` a change to which changes the page."""

    html: str
    analysis: Analysis
    notebook: Path
    left_out: tuple[str, ...]
    files: frozenset[Path]


def render_briefing_preview(parameters: str | Path) -> BriefingPreview:
    """Validate and analyse a round, and render its briefing page as ``auditkit run`` writes ``briefing.html``.

    The sections are those the round's briefing notebook shows (the workbook's own, else auditkit's), in its
    order, rendered in this process from the same functions the notebook calls. Writes nothing. Raises an
    :class:`~auditkit.errors.AuditkitError` saying what is wrong with the round, as ``auditkit validate`` does.

    Returns
    -------
    BriefingPreview
        ``html`` (the page, without a script), ``analysis``, ``notebook``, ``left_out`` and ``files``: every input
        file of the round and its baselines (parameters, codebooks, data, Word template) and the notebook.
    """
    analysis = analyse_round(parameters)
    notebook = notebook_source(BRIEFING_NOTEBOOK, workbook_of(analysis.round.path))
    cells = section_cells(nbformat.read(notebook, as_version=4))
    files = frozenset({*(Path(item["path"]) for item in analysis.inputs), notebook})
    html = render_sections_page(analysis, cells.names)
    return BriefingPreview(html=html, analysis=analysis, notebook=notebook, left_out=cells.other, files=files)


def inject_reload(html: str, version: int) -> str:
    """A page with the preview's reload script, which asks for a render newer than ``version``, before ``</body>``.

    Returns
    -------
    str
        ``html`` with the script inserted before its last ``</body>`` (at its end when it has none).
    """
    script = _templates().get_template("reload.html.j2").render(version=version)
    head, marker, tail = html.rpartition("</body>")
    return f"{head}{script}\n{marker}{tail}" if marker else f"{html}{script}"


@dataclass(frozen=True)
class RenderOutcome:
    """One render of the preview: the ``preview`` when it rendered, else the ``error`` as the command line prints
    it (``Error: …``), and how many ``seconds`` it took."""

    preview: BriefingPreview | None
    error: str | None
    seconds: float


class PreviewPages:
    """The last render of a round and the last good one, and the pages made from them; renders one at a time."""

    def __init__(self, parameters: Path):
        self.parameters = Path(parameters)
        self._lock = threading.Lock()
        self.last: RenderOutcome | None = None
        self.last_good: BriefingPreview | None = None
        self._good_at: str | None = None
        self._files: frozenset[Path] = frozenset({self.parameters})

    def files(self) -> frozenset[Path]:
        """The files to watch: the last good render's, with the parameters file (a failed render keeps them).

        Returns
        -------
        frozenset of Path
            Absolute paths.
        """
        return self._files

    def loaded(self) -> bool:
        """Whether the last render succeeded.

        Returns
        -------
        bool
            False before the first render, or after one that failed.
        """
        return self.last is not None and self.last.preview is not None

    def render(self) -> RenderOutcome:
        """Render the round again, in this process; keep it as the last good render when it succeeds.

        Returns
        -------
        RenderOutcome
            The render: its preview, or the error as the command line prints it.
        """
        with self._lock:
            started = time.perf_counter()
            try:
                preview, error = render_briefing_preview(self.parameters), None
            except AuditkitError as exc:
                preview, error = None, f"Error: {exc}"
            outcome = RenderOutcome(preview=preview, error=error, seconds=time.perf_counter() - started)
            self.last = outcome
            if preview is not None:
                self.last_good = preview
                self._good_at = dt.datetime.now().strftime("rendered at %H:%M:%S")
                self._files = frozenset({self.parameters, *preview.files})
            return outcome

    def pages(self, version: int) -> dict[str, bytes]:
        """The pages to serve for ``version``: ``/`` (the briefing, or the errors of the last render) and, when
        a render has succeeded, ``/last-good``; each with the reload script.

        Returns
        -------
        dict of str to bytes
            By address, UTF-8 HTML.
        """
        pages = {}
        if self.last_good is not None:
            pages["/last-good"] = self._briefing(self.last_good, version)
        if self.last is not None and self.last.preview is not None:
            pages["/"] = pages["/last-good"]
        else:
            error = self.last.error if self.last is not None else "Error: the briefing has not been rendered yet."
            page = (
                _templates()
                .get_template("error.html.j2")
                .render(
                    parameters=self.parameters.name, error=error, last_good=self._good_at if self.last_good else None
                )
            )
            pages["/"] = inject_reload(page, version).encode("utf-8")
        return pages

    @staticmethod
    def _briefing(preview: BriefingPreview, version: int) -> bytes:
        html = preview.html
        if preview.left_out:
            note = (
                _templates()
                .get_template("left_out.html.j2")
                .render(notebook=preview.notebook.name, cells=preview.left_out)
            )
            head, marker, tail = html.partition('<main class="briefing">')
            html = f"{head}{marker}\n{note}{tail}" if marker else html
        return inject_reload(html, version).encode("utf-8")
