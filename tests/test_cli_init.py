"""`auditkit init` as a user meets it, and a workbook of one's own taken from init to a briefing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, fill_template

from auditkit.cli import main
from auditkit.config.codebook import load_codebook
from auditkit.run.new_workbook import first_round_id, last_financial_year

EXAMPLES = REPO / "data_templates" / "examples"


def invoke(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def first_round(folder: Path) -> str:
    return f"parameters/{first_round_id(folder, last_financial_year(dt.date.today())[1].year)}.yaml"


def test_init_writes_a_workbook_and_says_what_comes_next(tmp_path: Path):
    folder = tmp_path / "leeds"
    result = invoke("init", folder, "--partnership", "Leeds Safeguarding Children Partnership")
    assert result.exit_code == 0, result.output
    first = first_round(folder)
    assert result.output == (
        f"Wrote the workbook {folder} for Leeds Safeguarding Children Partnership: 10 files.\n"
        f"  {first}: the first round; change the lines marked CHANGE and fill in those marked FILL IN\n"
        "  data_templates/: the codebooks, to change here if you need to, and a data-entry workbook for each\n"
        "  README.md: what to do next\n"
        "Then, from the workbook's folder:\n"
        f"  auditkit validate {first}\n"
        f"  auditkit run {first}\n"
    )
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Leeds Safeguarding Children Partnership: neglect audit workbook")
    assert f"auditkit validate {first}" in readme and f"auditkit run {first}" in readme


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    result = invoke("init", tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The workbook cannot be written to {tmp_path}: it is not empty. Choose a new or empty folder, or run "
        f"again with --force to add the workbook's files to it (files already there are kept as they are).\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_init_with_force_adds_the_notebooks_and_keeps_the_rest(tmp_path: Path):
    assert invoke("init", tmp_path / "leeds").exit_code == 0
    result = invoke("init", tmp_path / "leeds", "--notebooks", "--force")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote the workbook {tmp_path / 'leeds'} for leeds: 2 files.\nKept 10 file(s)")
    assert sorted(path.name for path in (tmp_path / "leeds" / "notebooks").iterdir()) == [
        "analysis.ipynb",
        "briefing.ipynb",
    ]


def test_a_round_outside_any_workbook_needs_out_and_says_so_in_one_sentence(tmp_path: Path):
    parameters = tmp_path / "round.yaml"
    text = (REPO / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8")
    parameters.write_text(text.replace("../data_templates/", f"{(REPO / 'data_templates').as_posix()}/"), "utf-8")
    for command in ("run", "findings"):
        result = invoke(command, parameters)
        assert result.exit_code == 1
        assert result.output == (
            f"Error: {parameters} is in no auditkit workbook (no folder above it holds auditkit.yaml or parameters/), "
            f"so its report has no reports/ folder to go to; choose the folder to write to with --out.\n"
            "Nothing was written.\n"
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["round.yaml"]
    assert not (REPO / "src" / "auditkit" / "reports").exists()  # never auditkit's own folder


@pytest.mark.slow
def test_a_new_workbook_filled_in_with_the_example_data_validates_and_runs(tmp_path: Path, monkeypatch):
    folder = tmp_path / "llr"
    assert invoke("init", folder, "--partnership", "Leicester, Leicestershire and Rutland").exit_code == 0
    monkeypatch.chdir(folder)  # as the README says: the commands run from the workbook's folder
    parameters = folder / first_round(folder)
    # What the auditor changes (the lines marked CHANGE): the areas and the period the example data covers.
    text = parameters.read_text(encoding="utf-8")
    text = text.replace("areas: [First area, Second area]", "areas: [Leicester, Leicestershire, Rutland]")
    period = yaml.safe_load(text)["period"]
    text = text.replace(f"start: {period['start']}", "start: 2016-07-01").replace(
        f"end: {period['end']}", "end: 2017-04-30"
    )
    parameters.write_text(text, encoding="utf-8")
    # The data-entry workbooks, made with the round's areas, filled in with the example data as a person would.
    for name, data, out in (
        ("neglect_deep_dive", "llr-2017-cases.csv", "data/deep-dive.xlsx"),
        ("toolkit_survey", "llr-2017-survey.csv", "data/survey.xlsx"),
    ):
        made = invoke("template", name, "--params", parameters.relative_to(folder), "--out", out)
        assert made.exit_code == 0, made.output
        codebook = load_codebook(folder / "data_templates" / f"{name}.yaml")
        fill_template(folder / out, codebook, EXAMPLES / data, folder / out)
    text = parameters.read_text(encoding="utf-8")
    text = text.replace('data: ""   # FILL IN: this round\'s case audit', "data: ../data/deep-dive.xlsx   #", 1)
    text = text.replace('data: ""   # FILL IN: this round\'s survey', "data: ../data/survey.xlsx   #", 1)
    parameters.write_text(text, encoding="utf-8")
    checked = invoke("validate", parameters.relative_to(folder))
    assert checked.exit_code == 0, checked.output
    assert "deep_dive: 10 records in deep-dive.xlsx: no problems found." in checked.output
    assert "survey: 61 records in survey.xlsx: no problems found." in checked.output
    result = invoke("run", parameters.relative_to(folder), "--quiet")
    assert result.exit_code == 0, result.output
    report = folder / "reports" / parameters.stem
    for name in ("briefing.html", "briefing.pdf", "findings.json", "findings.csv", "manifest.json"):
        assert (report / name).is_file(), name
    page = (report / "briefing.html").read_text(encoding="utf-8")
    assert "Leicester, Leicestershire and Rutland" in page
    assert "DD17-L01" not in page  # case references never leave the building
    assert 'id="background"' not in page  # the first round has no background yet: no empty heading
