"""auditkit.run.batch: many rounds in one call (`auditkit run A.yaml B.yaml --jobs 2`), each as it would be alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_workbook

from auditkit.cli import main
from auditkit.errors import DuplicateRoundError
from auditkit.run import batch

#: Each example round, and its round id, which names its report's folder.
ROUNDS = {"llr-2017.yaml": "llr-2017", "lancashire-2018.yaml": "lancashire-2018"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workbook(tmp_path_factory.mktemp("batch") / "project")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_rounds_rendered_in_one_batch_give_the_same_findings_as_alone(project: Path, tmp_path: Path):
    parameters = [str(project / "parameters" / name) for name in ROUNDS]
    result = invoke("run", *parameters, "--jobs", "2", "--out", str(tmp_path / "batch"))
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("2 of 2 rounds written; 0 failed.")
    for (name, round_id), path in zip(ROUNDS.items(), parameters):
        alone = tmp_path / "alone" / round_id
        assert invoke("run", path, "--out", str(alone), "--quiet").exit_code == 0
        together = tmp_path / "batch" / round_id
        for output in ("findings.json", "findings.csv"):
            assert (together / output).read_bytes() == (alone / output).read_bytes(), (name, output)


@pytest.mark.slow
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


@pytest.mark.slow
def test_progress_stays_quiet_when_not_attached_to_a_terminal(project: Path, tmp_path: Path):
    result = CliRunner().invoke(
        main, ["run", str(project / "parameters" / "llr-2017.yaml"), "--out", str(tmp_path / "one")]
    )
    assert result.exit_code == 0, result.output
    assert "executing" not in result.output and "validating" not in result.output
    assert result.output.startswith("Briefing written to ")


# --- naming each round's report -------------------------------------------------------------------------


def partnership(root: Path, round_id: str) -> Path:
    """A partnership's ``round.yaml`` in a folder of its own (no workbook), its data named by absolute paths."""
    text = (REPO / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8")
    text = text.replace("../data_templates/", f"{(REPO / 'data_templates').as_posix()}/")
    path = root / "round.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace("round: llr-2017", f"round: {round_id}"), encoding="utf-8")
    return path


@dataclass(frozen=True)
class _Written:
    folder: Path

    @property
    def briefings(self) -> tuple[Path, ...]:
        return (self.folder / "briefing.html",)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, Path | None]]:
    """Each round a batch runs, with the --out folder it is given; nothing is rendered."""
    calls: list[tuple[Path, Path | None]] = []

    def run_round(parameters, output=None, **options):
        calls.append((Path(parameters), output))
        return _Written(Path(output) if output else Path(parameters).parent / "default")

    monkeypatch.setattr(batch, "run_round", run_round)
    return calls


def test_with_out_each_round_is_named_by_its_round_id_not_its_file(tmp_path: Path, runs):
    rounds = [partnership(tmp_path / name, f"{name}-2024") for name in ("leeds", "york", "hull")]
    outcomes = batch.run_rounds(rounds, tmp_path / "all")
    assert [outcome.folder for outcome in outcomes] == [
        tmp_path / "all" / "leeds-2024",
        tmp_path / "all" / "york-2024",
        tmp_path / "all" / "hull-2024",
    ]
    assert [output for _, output in runs] == [outcome.folder for outcome in outcomes]


def test_two_rounds_with_one_id_are_refused_before_any_runs(tmp_path: Path, runs):
    first, second = partnership(tmp_path / "leeds", "neglect-2024"), partnership(tmp_path / "york", "neglect-2024")
    result = invoke("run", str(first), str(second), "--out", str(tmp_path / "all"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {first} and {second} both have the round id 'neglect-2024', so they would write the same report, "
        f"{tmp_path / 'all' / 'neglect-2024'}. Give each round its own id (the round: key); no round was run.\n"
    )
    assert runs == []
    assert not (tmp_path / "all").exists()


def test_rounds_of_one_workbook_with_one_id_are_refused_without_out(project: Path, tmp_path: Path, runs):
    copy = project / "parameters" / "llr-2017-copy.yaml"
    copy.write_text((project / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        with pytest.raises(DuplicateRoundError) as caught:
            batch.run_rounds(
                [project / "parameters" / "llr-2017.yaml", copy, project / "parameters" / "lancashire-2018.yaml"]
            )
    finally:
        copy.unlink()
    assert str(caught.value) == (
        f"llr-2017.yaml and llr-2017-copy.yaml both have the round id 'llr-2017', so they would write the same "
        f"report, {project / 'reports' / 'llr-2017'}. Give each round its own id (the round: key); no round was run."
    )
    assert runs == []


def test_one_id_in_two_workbooks_writes_two_reports_without_out(tmp_path: Path, runs):
    first, second = copy_workbook(tmp_path / "leeds"), copy_workbook(tmp_path / "york")
    rounds = [first / "parameters" / "llr-2017.yaml", second / "parameters" / "llr-2017.yaml"]
    outcomes = batch.run_rounds(rounds)
    assert all(outcome.succeeded for outcome in outcomes)
    assert [output for _, output in runs] == [None, None]  # each to reports/llr-2017 in its own workbook


def test_a_round_whose_parameters_cannot_be_read_fails_alone(tmp_path: Path, runs):
    good = partnership(tmp_path / "leeds", "leeds-2024")
    broken = tmp_path / "york" / "round.yaml"
    broken.parent.mkdir()
    broken.write_text("round: york 2024!\n", encoding="utf-8")
    outcomes = batch.run_rounds([broken, good], tmp_path / "all")
    assert not outcomes[0].succeeded and outcomes[1].succeeded
    assert "is not a round id" in outcomes[0].error
    assert outcomes[0].error.endswith("Nothing was written for this round.")
    assert runs == [(good, tmp_path / "all" / "leeds-2024")]
