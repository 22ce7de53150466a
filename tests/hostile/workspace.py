"""A private copy of the example project that a hostile case edits, and the edits cases use.

Each case gets its own copy of the example workbook (``auditkit.yaml``, ``parameters/``, ``data_templates/``,
with copies of auditkit's codebooks there, as ``auditkit init`` makes them, for a case to edit) with an earlier
report of the example round already in ``reports/llr-2017/``, so that a case can check that a refused
run leaves that report as it was.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROUND = "llr-2017"


@dataclass
class Workspace:
    """A copy of the example project in ``root``, and any process a case leaves running beside its command."""

    root: Path
    background: list[subprocess.Popen] = field(default_factory=list)

    @property
    def parameters(self) -> Path:
        return self.root / "parameters" / f"{ROUND}.yaml"

    @property
    def followup(self) -> Path:
        return self.root / "parameters" / "llr-2017-followup.yaml"

    @property
    def examples(self) -> Path:
        return self.root / "data_templates" / "examples"

    @property
    def cases(self) -> Path:
        return self.examples / "llr-2017-cases.csv"

    @property
    def survey(self) -> Path:
        return self.examples / "llr-2017-survey.csv"

    @property
    def survey_codebook(self) -> Path:
        return self.root / "data_templates" / "toolkit_survey.yaml"

    @property
    def cases_codebook(self) -> Path:
        return self.root / "data_templates" / "neglect_deep_dive.yaml"

    @property
    def report(self) -> Path:
        return self.root / "reports" / ROUND

    def replace(self, path: Path, old: str, new: str) -> None:
        """Replace the first ``old`` in a text file; the case is wrong if ``old`` is not there."""
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"{old!r} is not in {path.name}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, path: Path, text: str) -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)

    def set_cell(self, path: Path, key: str, column: str, value: str) -> None:
        """Set one cell of a CSV file, found by the value of its first column."""
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = rows[0]
        for row in rows[1:]:
            if row and row[0] == key:
                row[header.index(column)] = value
                break
        else:
            raise AssertionError(f"no row {key!r} in {path.name}")
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    def hold_lock(self) -> None:
        """Start a process that holds the report's lock, as a run of the same round in progress does."""
        lock = self.report.parent / f".{self.report.name}.lock"
        holder = (
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "os.write(fd, str(os.getpid()).encode())\n"
            "print('held', flush=True)\n"
            "time.sleep(120)\n"
        )
        process = subprocess.Popen([sys.executable, "-c", holder, str(lock)], stdout=subprocess.PIPE, text=True)
        self.background.append(process)
        deadline = time.monotonic() + 20
        while process.stdout.readline().strip() != "held" and time.monotonic() < deadline:
            pass

    def stop_background(self) -> None:
        for process in self.background:
            process.kill()
            process.wait()

    def quote(self, text: str, response: str = "R1014") -> None:
        """Make ``text`` a consented comment of the survey response ``response``."""
        self.set_cell(self.survey, response, "comment", text)
        self.set_cell(self.survey, response, "quote_consent", "yes")


def make_workspace(root: Path, earlier_report: Path | None) -> Workspace:
    """Copy the example workbook into ``root``, with ``earlier_report`` as its existing report."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "auditkit.yaml", root / "auditkit.yaml")
    for folder in ("parameters", "data_templates"):
        shutil.copytree(REPO / folder, root / folder)
    for codebook in (REPO / "src" / "auditkit" / "instruments").glob("*.yaml"):
        shutil.copyfile(codebook, root / "data_templates" / codebook.name)  # the rounds name them: these copies win
    (root / "reports").mkdir()
    if earlier_report is not None:
        shutil.copytree(earlier_report, root / "reports" / ROUND)
    return Workspace(root)
