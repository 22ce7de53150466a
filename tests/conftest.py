"""Shared fixtures: the example round, and copies of it that a test may change."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PARAMETERS = REPO / "parameters" / "llr-2017.yaml"
SHARED_STATS = REPO.parent / "shared" / "reference" / "stats"
#: The Lancashire example: an indicator codebook and its tables by year and by district.
LANCASHIRE_CODEBOOK = REPO / "data_templates" / "lancashire_cp_plans.yaml"
LANCASHIRE_BY_YEAR = REPO / "data_templates" / "examples" / "lancashire-cp-plans-by-year.csv"
LANCASHIRE_BY_DISTRICT = REPO / "data_templates" / "examples" / "lancashire-cp-plans-by-district-2018.csv"
#: Files the tests read as they are (tests/fixtures/), shared by every test folder.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class RoundCopy:
    """A copy of the example round laid out as a project: parameters/, data_templates/, notebooks/."""

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
    """A private copy of the example round, its codebooks and notebooks, safe to edit."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "parameters", root / "parameters")
    shutil.copytree(REPO / "data_templates", root / "data_templates")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "reports").mkdir()
    return RoundCopy(root)


@pytest.fixture(scope="session")
def earlier_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of the example round rendered once per test session, to stand as an earlier round's output."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("earlier")
    for folder in ("parameters", "data_templates", "notebooks"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    auditkit = Path(sys.executable).with_name("auditkit")
    subprocess.run([auditkit, "run", str(root / "parameters" / "llr-2017.yaml"), "--quiet"], check=True, cwd=root)
    return root / "reports" / "llr-2017"
