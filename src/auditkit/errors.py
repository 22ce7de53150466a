"""One error hierarchy for everything a user can get wrong.

Every error a user can cause derives from :class:`AuditkitError`. Each class carries the fields a
caller may want (the file, the row, the reason…) and formats them into plain sentences in
``__str__``, as papermill's ``PapermillExecutionError`` does. The CLI prints that text and exits 1;
any other exception is a bug and keeps its traceback.

Internal signals that never reach a user (:class:`ExactTestTooLarge`) live here too, so that
every exception auditkit defines is in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.problem_lines import problem_lines

__all__ = [
    "AuditkitError",
    "CodebookDraftError",
    "CodebookError",
    "CommandError",
    "DataError",
    "DataValidationError",
    "DuplicateRoundError",
    "DocxTemplateError",
    "ExactTestTooLarge",
    "ExportReadAsTableError",
    "LabError",
    "NotebookError",
    "NoWorkbookError",
    "NothingWrittenError",
    "OutputError",
    "ParametersError",
    "PreviewError",
    "Problem",
    "RenderError",
    "ReportBusyError",
    "ReportChangedError",
    "ReportError",
    "ScreenshotError",
    "TemplateError",
    "UnknownCodebookError",
    "WorkbookError",
    "WorkbookPathError",
    "WorkerError",
]


class AuditkitError(Exception):
    """Base class of every error caused by input, not by a bug.

    Subclasses keep their fields as attributes and build their message in ``__str__``.
    """


class _MessageError(AuditkitError):
    """An error whose fields are a finished sentence and, where known, the file it is about."""

    def __init__(self, message: str, path: Path | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class ParametersError(_MessageError):
    """A round's parameters file is missing, malformed or inconsistent (``message``, ``path``)."""


class CodebookError(_MessageError):
    """An instrument's codebook is missing, malformed or inconsistent (``message``, ``path``)."""


class CodebookDraftError(_MessageError):
    """A draft codebook cannot be written where the user asked (``message``, ``path``)."""


class TemplateError(_MessageError):
    """A data-entry template cannot be written where the user asked (``message``, ``path``)."""


class ScreenshotError(_MessageError):
    """The browser that takes the screenshot is missing or failed (``message``)."""


class RenderError(_MessageError):
    """The briefing could not be turned into HTML or PDF (``message``)."""


class CommandError(_MessageError):
    """A command's options do not fit together (``message``)."""


class DocxTemplateError(AuditkitError):
    """A round's Word template (``briefing → docx_template``) cannot make the Word briefing.

    Fields: the template's ``path``; the ``reason`` it cannot be used, as the end of a sentence about it (empty
    when the problem is styles); the ``styles`` it lacks; and ``default``, auditkit's own template, to start from.
    """

    def __init__(self, path: Path, reason: str = "", styles: Sequence[str] = (), default: Path | None = None):
        self.path = Path(path)
        self.reason = reason
        self.styles = tuple(styles)
        self.default = default
        super().__init__(path, reason, self.styles, default)

    def __str__(self) -> str:
        start = f"The Word template {self.path}"
        fallback = f" Or start from auditkit's own template, {self.default}." if self.default else ""
        if not self.styles:
            return f"{start} {self.reason}.{fallback}"
        names = ", ".join(f"'{name}'" for name in self.styles[:-1])
        names = f"{names} and '{self.styles[-1]}'" if names else f"'{self.styles[-1]}'"
        noun, pronoun = ("styles", "each of them") if len(self.styles) > 1 else ("style", "it")
        return (
            f"{start} has no {noun} {names}, which the Word briefing uses. In Word, apply {pronoun} to a paragraph "
            f"of the template (Home → Styles) and save it again: Word then saves the {noun} with it.{fallback}"
        )


class DataError(AuditkitError):
    """A data file cannot be read as a table at all: its ``path`` and the ``reason``."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(path, reason)

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


class ExportReadAsTableError(DataError):
    """A file given as a plain table looks like a survey tool's export: ``path``, ``format_name``, ``format_title``."""

    def __init__(self, path: Path, format_name: str, format_title: str):
        self.format_name = format_name
        self.format_title = format_title
        super().__init__(
            path,
            f"the file looks like a {format_title} export; read it with the format '{format_name}', so that its "
            f"questions are matched to the codebook's items by their source.",
        )
        self.args = (path, format_name, format_title)


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file, located as the user sees it in Excel."""

    file: Path
    row: int | None
    column: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = [self.file.name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        if self.value is None:
            return f"{prefix}: {self.message}"
        return f"{prefix}: '{self.value}' {self.message}"


class DataValidationError(AuditkitError):
    """A data file breaks its codebook's rules; carries every :class:`Problem` found (``problems``)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return "\n".join([f"The data has {count} {noun}:", *(f"  {line}" for line in problem_lines(self.problems))])


class NotebookError(AuditkitError):
    """A notebook failed while it ran: the ``notebook``, the ``cell`` (when known) and the ``reason``."""

    def __init__(self, notebook: str, cell: str | int | None, reason: str):
        self.notebook = notebook
        self.cell = cell
        self.reason = reason
        super().__init__(notebook, cell, reason)

    def __str__(self) -> str:
        where = f"notebook {self.notebook}"
        if self.cell is not None:
            where += f", cell {self.cell}"
        return f"The {where} failed: {self.reason}"


class WorkerError(AuditkitError):
    """A second process of a run stopped without reporting: its ``exitcode`` and ``what`` it was doing."""

    def __init__(self, exitcode: int | None, what: str = "the analyst's workbook"):
        self.exitcode = exitcode
        self.what = what
        super().__init__(exitcode, what)

    def __str__(self) -> str:
        return f"The process running {self.what} stopped unexpectedly (exit code {self.exitcode})."


class ReportError(AuditkitError):
    """A folder is not a report that can be verified: the ``folder`` and the ``reason``."""

    def __init__(self, folder: Path, reason: str):
        self.folder = Path(folder)
        self.reason = reason
        super().__init__(folder, reason)

    def __str__(self) -> str:
        return f"{self.folder} {self.reason}"


class ReportChangedError(AuditkitError):
    """A report no longer matches its data or its own manifest.

    Fields: the ``report`` folder, the ``changed`` (or missing) input paths, and the ``outputs``: the report's
    own files, named as its manifest names them, that changed or are missing.
    """

    def __init__(self, report: Path, changed: Sequence[str], outputs: Sequence[str] = ()):
        self.report = Path(report)
        self.changed = tuple(changed)
        self.outputs = tuple(outputs)
        super().__init__(report, self.changed, self.outputs)

    def __str__(self) -> str:
        what = []
        if self.changed:
            names = ", ".join(Path(path).name for path in self.changed)
            what.append(f"{len(self.changed)} input file(s) changed or missing since it was produced ({names})")
        if self.outputs:
            names = ", ".join(self.outputs)
            what.append(f"{len(self.outputs)} of its own file(s) changed or missing since it was written ({names})")
        verdict = "no longer matches its data" if self.changed else "is not as auditkit wrote it"
        return f"{self.report} {verdict}: {' and '.join(what)}. Rerun it with --force to bring it up to date."


class OutputError(AuditkitError):
    """A report cannot be written where it should go: the ``folder`` and the ``reason`` (what to do included)."""

    def __init__(self, folder: Path, reason: str):
        self.folder = Path(folder)
        self.reason = reason
        super().__init__(folder, reason)

    def __str__(self) -> str:
        return f"The report cannot be written to {self.folder}: {self.reason}"


class ReportBusyError(AuditkitError):
    """Another run is writing the same report now: the report's ``folder`` and that run's ``pid`` when known."""

    def __init__(self, folder: Path, pid: int | None):
        self.folder = Path(folder)
        self.pid = pid
        super().__init__(folder, pid)

    def __str__(self) -> str:
        who = "Another auditkit run" + (f" (process {self.pid})" if self.pid is not None else "")
        return f"{who} is writing {self.folder} now. Wait for it to finish, then run again."


class NothingWrittenError(AuditkitError):
    """A command stopped before writing anything: the ``cause`` (another :class:`AuditkitError`)."""

    def __init__(self, cause: AuditkitError):
        self.cause = cause
        super().__init__(cause)

    def __str__(self) -> str:
        return f"{self.cause}\nNothing was written."


def _shown(text: object) -> str:
    """Text as a sentence may show it: a NUL character written ``\\0``, so that the terminal shows it."""
    return str(text).replace("\0", "\\0")


class UnknownCodebookError(AuditkitError):
    """A round names a codebook that is neither in its workbook nor among auditkit's own.

    Fields: ``where`` (the parameters file and key), the ``name`` given, the ``workbook`` (None outside one),
    the names ``known`` and the nearest of them, ``suggestion`` (None when none is near).
    """

    def __init__(self, where: str, name: str, workbook: Path | None, known: Sequence[str], suggestion: str | None):
        self.where = where
        self.name = name
        self.workbook = Path(workbook) if workbook is not None else None
        self.known = tuple(known)
        self.suggestion = suggestion
        super().__init__(where, name, workbook, self.known, suggestion)

    def __str__(self) -> str:
        if self.workbook is not None:
            looked = f"is not in {self.workbook / 'data_templates'}/ nor among auditkit's own instruments"
        else:
            looked = "is not among auditkit's own instruments (outside a workbook, no data_templates/ is looked in)"
        hint = f" Did you mean '{self.suggestion}'?" if self.suggestion else ""
        known = ", ".join(self.known)
        return f"{self.where} names the codebook '{_shown(self.name)}', which {looked}; known: {known}.{hint}"


class NoWorkbookError(AuditkitError):
    """A round's report has no default folder: its ``parameters`` file is in no workbook, and no --out was given."""

    def __init__(self, parameters: Path):
        self.parameters = Path(parameters)
        super().__init__(parameters)

    def __str__(self) -> str:
        return (
            f"{_shown(self.parameters)} is in no auditkit workbook (no folder above it holds auditkit.yaml or "
            f"parameters/), so its report has no reports/ folder to go to; choose the folder to write to with --out."
        )


class WorkbookPathError(AuditkitError):
    """A notebook names a ``path`` inside a workbook, but no workbook holds the folder it runs in (``start``)."""

    def __init__(self, path: str, start: Path):
        self.path = path
        self.start = Path(start)
        super().__init__(path, start)

    def __str__(self) -> str:
        return (
            f"'{_shown(self.path)}' is a path inside an auditkit workbook, but no folder at or above {self.start} "
            f"holds auditkit.yaml or parameters/; open the notebook inside a workbook, or give the parameters "
            f"file's full path."
        )


class WorkbookError(AuditkitError):
    """``auditkit init`` cannot write a workbook: the ``folder`` and the ``reason`` (what to do included)."""

    def __init__(self, folder: Path, reason: str):
        self.folder = Path(folder)
        self.reason = reason
        super().__init__(folder, reason)

    def __str__(self) -> str:
        return f"The workbook cannot be written to {self.folder}: {self.reason}"


class LabError(AuditkitError):
    """``auditkit lab`` cannot open JupyterLab on ``folder``: the ``reason`` (what to do included)."""

    def __init__(self, folder: Path, reason: str):
        self.folder = Path(folder)
        self.reason = reason
        super().__init__(folder, reason)

    def __str__(self) -> str:
        return f"JupyterLab cannot be opened on {self.folder}: {self.reason}"


class PreviewError(AuditkitError):
    """``auditkit preview`` cannot start or go on: ``what`` (port, parameters, folder), its ``subject``, ``reason``."""

    def __init__(self, what: str, subject: int | Path, reason: str = ""):
        self.what, self.subject, self.reason = what, subject, reason
        super().__init__(what, subject, reason)

    def __str__(self) -> str:
        subject = _shown(self.subject)
        if self.what == "port":
            return f"auditkit preview cannot listen on 127.0.0.1:{subject}: {self.reason}; choose another --port."
        if self.what == "parameters":
            return f"The parameters file {subject} does not exist: auditkit preview needs a round's parameters file."
        return f"auditkit preview cannot watch the folder {subject} for saved changes: {self.reason}."


class DuplicateRoundError(AuditkitError):
    """Rounds of one batch would write the same report: ``clashes``, each a round id, its parameters files and
    the folder they would all write. Found before any round runs."""

    def __init__(self, clashes: Sequence[tuple[str, Sequence[Path], Path]]):
        self.clashes = tuple(
            (round_id, tuple(Path(p) for p in files), Path(folder)) for round_id, files, folder in clashes
        )
        super().__init__(self.clashes)

    def __str__(self) -> str:
        sentences = []
        for round_id, files, folder in self.clashes:
            names = [path.name for path in files]
            shown = names if len(set(names)) == len(names) else [str(path) for path in files]
            both = "both" if len(shown) == 2 else "all"
            listed = ", ".join(shown[:-1]) + " and " + shown[-1]
            sentences.append(
                f"{listed} {both} have the round id '{round_id}', so they would write the same report, {folder}."
            )
        return " ".join(sentences) + " Give each round its own id (the round: key); no round was run."


class ExactTestTooLarge(ValueError):
    """An exact test's enumeration would take too long; the caller falls back to another test.

    Not a user's error: it never leaves auditkit.
    """
