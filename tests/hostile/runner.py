"""Run one hostile case as a user would (the ``auditkit`` command in a fresh process) and judge the outcome.

The outcome is one of:

- ``refused``: exit 1 with plain sentences (no traceback) that contain the case's expected words;
- ``published``: exit 0, and the case's planted token appears in no published file;
- ``leak``: a published file (anything in the report outside ``internal/``) holds the token, or a CSV or
  workbook cell anywhere in the report (``internal/`` too: staff open those) is a live formula
  (:func:`find_formulas`);
- ``traceback``: any other exit, or a traceback printed for bad input;
- ``wrong-words``: a refusal that does not say what the case expects;
- ``hang``: still running after the time limit (60 s), so it was killed;
- ``memory``: its peak resident memory passed the limit (1 GiB);
- ``lost``: the earlier report was changed or removed by a run that failed, or a half-built folder was left.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from corpus import Case
from workspace import Workspace

AUDITKIT = Path(sys.executable).with_name("auditkit")
#: A run of the example takes about 6 s on a quiet 2-core machine and 25 s when four other jobs share it;
#: a case still running after a minute hangs.
TIME_LIMIT = 60.0
MEMORY_LIMIT_MIB = 1024.0
#: Runs the command and writes its peak resident memory (KiB, the largest process of the tree) to a file.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Outcome:
    """What one case did."""

    case: str
    kind: str
    exit_code: int | None
    seconds: float
    peak_mib: float
    detail: str

    @property
    def ok(self) -> bool:
        return self.kind in ("refused", "published")


def _state(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _published_text(path: Path) -> str:
    if path.suffix == ".pdf":
        result = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=False)
        return result.stdout
    if path.suffix == ".docx":
        return _docx_parts_text(path) + "\n" + _docx_text(path)
    if path.suffix == ".png":
        return ""
    return path.read_text(encoding="utf-8", errors="replace")


def _docx_parts_text(path: Path) -> str:
    """Every text and attribute value of a Word document's XML parts (alt text, link targets, properties…).

    Not the markup, whose element names could spell a token ("tblStyleRowBandSize" holds "Tyler"), and not its
    pictures, whose bytes can spell anything, even a zero-width space, by chance.
    """
    from lxml import etree

    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False))
            except etree.XMLSyntaxError:
                texts.append(archive.read(name).decode("utf-8", "replace"))
                continue
            for node in root.iter():
                texts += [node.text or "", node.tail or "", *node.attrib.values()]
    return "\n".join(text for text in texts if text.strip())


def _docx_text(path: Path) -> str:
    """A Word document's text as Word shows it (runs joined, so that a token split over two runs is found): the
    paragraphs of its body, tables, headers and footers, its pictures' alt text and its properties."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception:  # not a Word document: its raw parts are searched all the same
        return ""
    stories = [document.element.body]
    stories += [story._element for section in document.sections for story in (section.header, section.footer)]
    texts = [Paragraph(paragraph, document).text for story in stories for paragraph in story.iter(qn("w:p"))]
    texts += [drawing.get("descr", "") for drawing in document.element.body.iter(qn("wp:docPr"))]
    properties = document.core_properties
    texts += [properties.title or "", properties.author or "", properties.subject or ""]
    return "\n".join(texts)


def find_leaks(report: Path, token: str) -> list[str]:
    """The published files of ``report`` (everything outside ``internal/``) whose text holds ``token``."""
    leaks = []
    wanted = token.casefold()
    for path in sorted(report.rglob("*")):
        if not path.is_file() or "internal" in path.relative_to(report).parts:
            continue
        text = _published_text(path)
        if wanted in text.casefold() or wanted in html.unescape(text).casefold():
            leaks.append(str(path.relative_to(report)))
    return leaks


#: What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def find_formulas(report: Path) -> list[str]:
    """Cells of the CSV files and workbooks in ``report`` that a spreadsheet would run as formulas.

    A CSV cell is one when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a
    number; a workbook cell when openpyxl reads it as a formula (``data_type == 'f'``).
    """
    from openpyxl import load_workbook

    found = []
    for path in sorted(report.rglob("*")):
        name = str(path.relative_to(report))
        if path.suffix == ".csv" and path.is_file():
            rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8", errors="replace")))
            found += [
                f"{name} row {number} {cell!r}"
                for number, row in enumerate(rows, start=1)
                for cell in row
                if cell.startswith(_FORMULA_STARTS) and not _is_number(cell)
            ]
        elif path.suffix == ".xlsx" and path.is_file():
            sheets = load_workbook(path).worksheets
            found += [
                f"{name} {sheet.title}!{cell.coordinate} {cell.value!r}"
                for sheet in sheets
                for row in sheet.iter_rows()
                for cell in row
                if cell.data_type == "f"
            ]
    return found


def run_case(case: Case, workspace: Workspace) -> Outcome:
    """Plant the case in ``workspace``, run its command, and judge what happened."""
    case.plant(workspace)
    try:
        return _run_planted(case, workspace)
    finally:
        workspace.stop_background()


def _run_planted(case: Case, workspace: Workspace) -> Outcome:
    before = _state(workspace.report)
    arguments = [part.format(parameters=workspace.parameters, root=workspace.root) for part in case.command]
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as measured:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, measured.name, str(AUDITKIT), *arguments],
            cwd=workspace.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Outcome(case.id, "hang", None, time.monotonic() - started, 0.0, f"killed after {TIME_LIMIT:.0f} s")
        seconds = time.monotonic() - started
        peak = float(measured.read() or 0) / 1024
    output = stdout + stderr
    code = process.returncode
    if peak > MEMORY_LIMIT_MIB:
        return Outcome(case.id, "memory", code, seconds, peak, f"peak {peak:.0f} MiB")
    # A lock file another run holds is not a leftover of this one.
    leftovers = [
        path.name
        for path in (workspace.root / "reports").iterdir()
        if path.name.startswith(".") and not path.name.endswith(".lock")
    ]
    if code != 0 and (_state(workspace.report) != before or leftovers):
        return Outcome(case.id, "lost", code, seconds, peak, f"earlier report changed or left {leftovers}")
    if "Traceback (most recent call last)" in output or code not in (0, 1):
        return Outcome(case.id, "traceback", code, seconds, peak, output.strip().splitlines()[-1] if output else "")
    if code == 1:
        if case.refusal is not None and case.refusal.casefold() not in output.casefold():
            return Outcome(case.id, "wrong-words", code, seconds, peak, stderr.strip()[:300])
        return Outcome(case.id, "refused", code, seconds, peak, stderr.strip()[:300])
    if case.refusal is not None:
        leaks = find_leaks(workspace.report, case.token) if case.token else []
        detail = f"ran, but should refuse ({case.refusal!r})" + (f"; published in {leaks}" if leaks else "")
        return Outcome(case.id, "leak" if leaks else "wrong-words", code, seconds, peak, detail)
    formulas = find_formulas(workspace.report)
    if formulas:
        return Outcome(case.id, "leak", code, seconds, peak, f"live formula in {', '.join(formulas[:3])}")
    leaks = find_leaks(workspace.report, case.token) if case.token else []
    if leaks:
        return Outcome(case.id, "leak", code, seconds, peak, f"{case.token!r} published in {', '.join(leaks)}")
    return Outcome(case.id, "published", code, seconds, peak, "")
