"""auditkit.run.engines: a notebook run on either engine, and the notebook and cell named when one fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from auditkit.cli import main


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("engines") / "project"
    for folder in ("parameters", "data_templates", "notebooks"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_the_kernel_engine_gives_the_same_findings(project: Path, tmp_path: Path):
    parameters = str(project / "parameters" / "llr-2017.yaml")
    assert invoke("run", parameters, "--out", str(tmp_path / "inprocess"), "--quiet").exit_code == 0
    assert invoke("run", parameters, "--out", str(tmp_path / "kernel"), "--quiet", "--engine", "kernel").exit_code == 0
    for output in ("findings.json", "findings.csv", "briefing.html"):
        assert (tmp_path / "inprocess" / output).read_bytes() == (tmp_path / "kernel" / output).read_bytes(), output
