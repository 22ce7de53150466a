"""auditkit.run.batch: many rounds in one call (`auditkit run A.yaml B.yaml --jobs 2`), each as it would be alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from auditkit.cli import main

pytestmark = pytest.mark.slow


ROUNDS = ("llr-2017.yaml", "lancashire-2018.yaml")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch") / "project"
    for folder in ("parameters", "data_templates", "notebooks"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rounds_rendered_in_one_batch_give_the_same_findings_as_alone(project: Path, tmp_path: Path):
    parameters = [str(project / "parameters" / name) for name in ROUNDS]
    result = invoke("run", *parameters, "--jobs", "2", "--out", str(tmp_path / "batch"))
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("2 of 2 rounds written; 0 failed.")
    for name, path in zip(ROUNDS, parameters):
        alone = tmp_path / "alone" / Path(name).stem
        assert invoke("run", path, "--out", str(alone), "--quiet").exit_code == 0
        together = tmp_path / "batch" / Path(name).stem
        for output in ("findings.json", "findings.csv"):
            assert (together / output).read_bytes() == (alone / output).read_bytes(), (name, output)


def test_a_failing_round_is_reported_and_the_others_are_written(project: Path, tmp_path: Path):
    broken = project / "parameters" / "broken.yaml"
    broken.write_text(
        (project / "parameters" / "llr-2017.yaml")
        .read_text(encoding="utf-8")
        .replace("round: llr-2017", "round: broken")
        .replace("areas: [Leicester,", "areas: [Leicster,"),
        encoding="utf-8",
    )
    result = invoke(
        "run", str(broken), str(project / "parameters" / "llr-2017.yaml"), "--jobs", "2", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 1
    assert "broken.yaml failed:" in result.output
    assert "is not one of the round's areas" in result.output
    assert "1 of 2 rounds written; 1 failed." in result.output
    assert (tmp_path / "out" / "llr-2017" / "briefing.pdf").is_file()
    assert not (tmp_path / "out" / "broken").exists()
    assert "Traceback" not in result.output


def test_progress_stays_quiet_when_not_attached_to_a_terminal(project: Path, tmp_path: Path):
    result = CliRunner().invoke(
        main, ["run", str(project / "parameters" / "llr-2017.yaml"), "--out", str(tmp_path / "one")]
    )
    assert result.exit_code == 0, result.output
    assert "executing" not in result.output and "validating" not in result.output
    assert result.output.startswith("Briefing written to ")
