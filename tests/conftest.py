"""Shared fixtures: the example round, and copies of it that a test may change; LibreOffice for the tests that
need a real office suite, and the rule that CI runs them all."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from auditkit.config.codebook import Codebook

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PARAMETERS = REPO / "parameters" / "llr-2017.yaml"
#: What auditkit ships inside its package: the standard instruments and the notebooks.
INSTRUMENTS = REPO / "src" / "auditkit" / "instruments"
NOTEBOOKS = REPO / "src" / "auditkit" / "notebooks"
DEEP_DIVE_CODEBOOK = INSTRUMENTS / "neglect_deep_dive.yaml"
SURVEY_CODEBOOK = INSTRUMENTS / "toolkit_survey.yaml"
SHARED_STATS = REPO.parent / "shared" / "reference" / "stats"
#: The Lancashire example: an indicator codebook and its tables by year and by district.
LANCASHIRE_CODEBOOK = REPO / "data_templates" / "lancashire_cp_plans.yaml"
LANCASHIRE_BY_YEAR = REPO / "data_templates" / "examples" / "lancashire-cp-plans-by-year.csv"
LANCASHIRE_BY_DISTRICT = REPO / "data_templates" / "examples" / "lancashire-cp-plans-by-district-2018.csv"
#: Files the tests read as they are (tests/fixtures/), shared by every test folder.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: LibreOffice's command, or None. Tests that open a file in a real office suite are marked ``libreoffice``.
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: The Debian packages that bring LibreOffice headless (scripts/setup.sh installs them, as README.md says).
LIBREOFFICE_PACKAGES = ("libreoffice-writer-nogui", "libreoffice-calc-nogui")
#: Why a test marked ``libreoffice`` is skipped on a machine without it.
LIBREOFFICE_MISSING = (
    f"LibreOffice is not installed; install it with: sudo apt-get install {' '.join(LIBREOFFICE_PACKAGES)} "
    "(bash scripts/setup.sh does it)"
)
#: The longest a LibreOffice conversion may take, in seconds; its first start in a new profile is the slow part.
LIBREOFFICE_TIMEOUT = 180


def convert_with_libreoffice(source: Path, to: str, folder: Path) -> Path:
    """``source`` converted by headless LibreOffice (``to`` is ``pdf``, ``xlsx``, …) into ``folder``.

    LibreOffice runs with a profile of its own inside ``folder`` (``-env:UserInstallation``), so that it never
    meets another LibreOffice, the user's or another test's, and is killed after :data:`LIBREOFFICE_TIMEOUT`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=LIBREOFFICE_TIMEOUT,
        check=False,
    )
    converted = folder / f"{source.stem}.{to.split(':')[0]}"
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    return converted


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``libreoffice`` on a machine without it, saying how to install it."""
    if SOFFICE is None:
        for item in items:
            if item.get_closest_marker("libreoffice") is not None:
                item.add_marker(pytest.mark.skip(reason=LIBREOFFICE_MISSING))


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``, which .ci/run and CI services set)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, a test marked ``libreoffice`` that was skipped fails the run: CI must run them all."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not in_ci() or reporter is None:
        return
    skipped = [report.nodeid for report in reporter.stats.get("skipped", ()) if "libreoffice" in report.keywords]
    if skipped:
        reporter.write_sep("=", f"CI needs LibreOffice: {len(skipped)} test(s) that need it were skipped", red=True)
        for nodeid in skipped:
            reporter.write_line(f"  {nodeid}")
        reporter.write_line(f"  {LIBREOFFICE_MISSING}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


#: The example workbook's own files (the repository's root): its marker, its rounds and its data.
WORKBOOK_FILES = ("auditkit.yaml", "parameters", "data_templates")


def run_auditkit_run(
    parameters: Path, *extra: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """``auditkit run PARAMETERS *extra`` in a new process, from the workbook's folder unless ``cwd`` is given, with a
    fixed SOURCE_DATE_EPOCH (the run date printed in the footer, as reproducible builds fix it)."""
    import sys

    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    return subprocess.run(
        [str(Path(sys.executable).with_name("auditkit")), "run", str(parameters), *extra],
        capture_output=True,
        text=True,
        cwd=cwd or parameters.parent.parent,
        env=environment,
        check=False,
    )


def copy_workbook(root: Path) -> Path:
    """A copy of the example workbook in ``root``: ``auditkit.yaml``, ``parameters/``, ``data_templates/``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "auditkit.yaml", root / "auditkit.yaml")
    for folder in WORKBOOK_FILES[1:]:
        shutil.copytree(REPO / folder, root / folder)
    return root


@dataclass
class RoundCopy:
    """A copy of the example workbook: auditkit.yaml, parameters/, data_templates/ (its notebooks are auditkit's)."""

    root: Path

    @property
    def parameters(self) -> Path:
        return self.root / "parameters" / "llr-2017.yaml"

    @property
    def cases(self) -> Path:
        return self.root / "data_templates" / "examples" / "llr-2017-cases.csv"

    @property
    def survey(self) -> Path:
        return self.root / "data_templates" / "examples" / "llr-2017-survey.csv"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def edit_parameters(self, old: str, new: str) -> None:
        text = self.parameters.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the example parameters"
        self.parameters.write_text(text.replace(old, new, 1), encoding="utf-8")

    def edit_cases(self, old: str, new: str) -> None:
        text = self.cases.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the example cases"
        self.cases.write_text(text.replace(old, new, 1), encoding="utf-8")

    def own_codebook(self, name: str) -> Path:
        """The workbook's own copy of a packaged codebook (``toolkit_survey``), which the rounds naming it then use."""
        path = self.root / "data_templates" / f"{name}.yaml"
        if not path.exists():
            shutil.copyfile(INSTRUMENTS / f"{name}.yaml", path)
        return path

    def own_notebooks(self) -> Path:
        """The workbook's own copies of the notebooks, which ``auditkit run`` then executes instead of auditkit's."""
        folder = self.root / "notebooks"
        if not folder.exists():
            shutil.copytree(NOTEBOOKS, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        return folder


def fill_template(template: Path, codebook: Codebook, data_csv: Path, out: Path) -> Path:
    """Fill a template's Data sheet from a CSV of codes as a person would: labels, and dates as date cells."""
    import openpyxl

    records = list(csv.DictReader(io.StringIO(data_csv.read_text(encoding="utf-8"))))
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Data"]
    for row, record in enumerate(records, start=2):
        for column, item in enumerate(codebook.items, start=1):
            value: object = record.get(item.id, "")
            if value and item.type == "date":
                value = dt.datetime.strptime(str(value), "%Y-%m-%d" if "-" in str(value) else "%d/%m/%Y")
            elif value and item.type == "choice":
                value = item.label_of(str(value))
            sheet.cell(row=row, column=column, value=value or None)
    workbook.save(out)
    return out


def followup_of(copy: RoundCopy) -> Path:
    """The follow-up round's parameters file in a copy of the example project."""
    return copy.root / "parameters" / "llr-2017-followup.yaml"


def examples_of(copy: RoundCopy) -> Path:
    """The example data folder in a copy of the example project."""
    return copy.root / "data_templates" / "examples"


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file; the test is wrong if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_as(source: Path, name: str) -> Path:
    """A copy of ``source`` beside it, named ``name``."""
    target = source.with_name(name)
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def example_round(tmp_path: Path) -> RoundCopy:
    """A private copy of the example workbook, safe to edit; its codebooks and notebooks are auditkit's own until
    :meth:`RoundCopy.own_codebook` or :meth:`RoundCopy.own_notebooks` copies them in."""
    root = copy_workbook(tmp_path / "project")
    (root / "reports").mkdir()
    return RoundCopy(root)


@pytest.fixture(scope="session")
def earlier_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of the example round rendered once per test session, to stand as an earlier round's output."""
    import subprocess
    import sys

    root = copy_workbook(tmp_path_factory.mktemp("earlier"))
    auditkit = Path(sys.executable).with_name("auditkit")
    subprocess.run([auditkit, "run", str(root / "parameters" / "llr-2017.yaml"), "--quiet"], check=True, cwd=root)
    return root / "reports" / "llr-2017"


def docx_plain_text(source) -> str:
    """The text of a Word document's body as a reader meets it: paragraphs and table cells in order, its spaces
    and line breaks as single spaces (a ``.docx`` path or a python-docx document)."""
    import docx
    from docx.table import Table

    document = docx.Document(str(source)) if isinstance(source, str | Path) else source
    texts = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            texts += [paragraph.text for row in block.rows for cell in row.cells for paragraph in cell.paragraphs]
        else:
            texts.append(block.text)
    return " ".join(" ".join(texts).split())
