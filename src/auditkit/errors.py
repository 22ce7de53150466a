"""One error hierarchy for everything a user can get wrong.

Every error a user can cause derives from :class:`AuditkitError`. The CLI prints
its message as plain sentences and exits 1; any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AuditkitError(Exception):
    """Base class of every error caused by input, not by a bug."""


class ParametersError(AuditkitError):
    """A round's parameters file is missing, malformed or inconsistent."""


class CodebookError(AuditkitError):
    """An instrument's codebook is missing, malformed or inconsistent."""


class DataError(AuditkitError):
    """A data file cannot be read as a table at all."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


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
    """A data file breaks its codebook's rules; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"The data has {count} {noun}:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class NotebookError(AuditkitError):
    """A notebook failed while it ran; names the notebook and the cell."""

    def __init__(self, notebook: str, cell: str | None, reason: str):
        self.notebook = notebook
        self.cell = cell
        self.reason = reason
        where = f"notebook {notebook}"
        if cell is not None:
            where += f", cell {cell}"
        super().__init__(f"The {where} failed: {reason}")


class RenderError(AuditkitError):
    """The briefing could not be turned into HTML or PDF."""
