"""auditkit.run.new_workbook: the workbook `auditkit init` writes, whole or not at all, and what it holds."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import nbformat
import openpyxl
import pytest
import yaml
from conftest import INSTRUMENTS, NOTEBOOKS

from auditkit.config.workbook import workbook_of
from auditkit.errors import WorkbookError
from auditkit.run import new_workbook
from auditkit.run.new_workbook import first_round_id, last_financial_year, write_workbook

TODAY = dt.date(2025, 6, 12)


def files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_a_workbook_holds_its_marker_a_first_round_the_codebooks_and_their_workbooks(tmp_path: Path):
    written = write_workbook(tmp_path / "LSCP neglect", "Leeds Safeguarding Children Partnership", today=TODAY)
    folder = tmp_path / "LSCP neglect"
    assert written.folder == folder
    assert written.first_round == folder / "parameters" / "lscp-neglect-2025.yaml"
    assert files(folder) == [
        ".gitignore",
        "README.md",
        "auditkit.yaml",
        "data",
        "data_templates",
        "data_templates/cp_plans_neglect.yaml",
        "data_templates/neglect_deep_dive.xlsx",
        "data_templates/neglect_deep_dive.yaml",
        "data_templates/toolkit_survey.xlsx",
        "data_templates/toolkit_survey.yaml",
        "parameters",
        "parameters/lscp-neglect-2025.yaml",
        "reports",
        "reports/README.md",
    ]
    assert sorted(str(path) for path in written.written) == [name for name in files(folder) if "." in name]
    assert workbook_of(written.first_round) == folder
    for name in ("neglect_deep_dive", "toolkit_survey", "cp_plans_neglect"):  # copies, to change locally
        assert (folder / "data_templates" / f"{name}.yaml").read_bytes() == (INSTRUMENTS / f"{name}.yaml").read_bytes()
    workbook = openpyxl.load_workbook(folder / "data_templates" / "toolkit_survey.xlsx")
    assert workbook.sheetnames == ["Data", "Instructions", "Codebook", "Lists"]


def test_the_first_round_names_the_partnership_the_codebooks_by_name_and_the_last_financial_year(tmp_path: Path):
    written = write_workbook(tmp_path / "leeds", "Leeds Safeguarding Children Partnership", today=TODAY)
    text = written.first_round.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert document["round"] == "leeds-2025"
    assert document["partnership"] == "Leeds Safeguarding Children Partnership"
    assert document["period"] == {"start": dt.date(2024, 4, 1), "end": dt.date(2025, 3, 31)}
    assert document["instruments"] == {
        "deep_dive": {"codebook": "neglect_deep_dive", "data": ""},
        "survey": {"codebook": "toolkit_survey", "data": ""},
    }
    assert "disclosure" not in document  # the DfE rule applies until the auditor decides otherwise
    assert text.count("# CHANGE") >= 5 and text.count("# FILL IN") == 2


def test_the_partnership_defaults_to_the_folders_name(tmp_path: Path):
    written = write_workbook(tmp_path / "York neglect audit", today=TODAY)
    assert written.partnership == "York neglect audit"
    assert yaml.safe_load(written.first_round.read_text(encoding="utf-8"))["partnership"] == "York neglect audit"


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (dt.date(2025, 3, 31), (dt.date(2023, 4, 1), dt.date(2024, 3, 31))),
        (dt.date(2025, 4, 1), (dt.date(2024, 4, 1), dt.date(2025, 3, 31))),
        (dt.date(2025, 12, 31), (dt.date(2024, 4, 1), dt.date(2025, 3, 31))),
    ],
)
def test_the_first_period_is_the_last_whole_financial_year(today: dt.date, period: tuple[dt.date, dt.date]):
    assert last_financial_year(today) == period


@pytest.mark.parametrize(
    ("name", "round_id"),
    [("LSCP neglect", "lscp-neglect-2025"), ("!!!", "neglect-2025"), ("a" * 80, "a" * 40 + "-2025")],
)
def test_the_first_round_id_comes_from_the_folders_name(name: str, round_id: str):
    assert first_round_id(Path("/somewhere") / name, 2025) == round_id


def test_reports_and_data_are_kept_out_of_git(tmp_path: Path):
    folder = write_workbook(tmp_path / "leeds", today=TODAY).folder
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    for path, ignored in [
        ("reports/leeds-2025/briefing.html", True),
        ("data/deep-dive.xlsx", True),
        ("reports/README.md", False),
        ("parameters/leeds-2025.yaml", False),
        ("data_templates/toolkit_survey.yaml", False),
    ]:
        result = subprocess.run(["git", "-C", str(folder), "check-ignore", "-q", path], check=False)
        assert (result.returncode == 0) is ignored, path


def test_with_notebooks_the_workbook_gets_copies_naming_its_first_round(tmp_path: Path):
    written = write_workbook(tmp_path / "leeds", notebooks=True, today=TODAY)
    copies = sorted((written.folder / "notebooks").glob("*.ipynb"))
    assert [path.name for path in copies] == ["analysis.ipynb", "briefing.ipynb"]
    for copy in copies:
        notebook = nbformat.read(copy, as_version=4)
        tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
        assert tagged[0].source == 'parameters_path = "parameters/leeds-2025.yaml"'
        shipped = nbformat.read(NOTEBOOKS / copy.name, as_version=4)
        assert [cell.source for cell in notebook.cells if cell not in tagged] == [
            cell.source for cell in shipped.cells if "parameters" not in cell.metadata.get("tags", [])
        ]
        assert all(cell.outputs == [] for cell in notebook.cells if cell.cell_type == "code")


def test_an_empty_folder_is_filled(tmp_path: Path):
    (tmp_path / "leeds").mkdir()
    assert (write_workbook(tmp_path / "leeds", today=TODAY).folder / "auditkit.yaml").is_file()


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path: Path):
    (tmp_path / "leeds").mkdir()
    (tmp_path / "leeds" / "minutes.docx").write_text("minutes", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        write_workbook(tmp_path / "leeds", today=TODAY)
    assert str(caught.value) == (
        f"The workbook cannot be written to {tmp_path / 'leeds'}: it is not empty. Choose a new or empty folder, or "
        f"run again with --force to add the workbook's files to it (files already there are kept as they are)."
    )
    assert files(tmp_path) == ["leeds", "leeds/minutes.docx"]


def test_with_force_what_is_missing_is_added_and_every_file_there_is_kept(tmp_path: Path):
    first = write_workbook(tmp_path / "leeds", today=TODAY)
    first.first_round.write_text("round: edited by the auditor\n", encoding="utf-8")
    (first.folder / "data_templates" / "toolkit_survey.xlsx").unlink()
    again = write_workbook(tmp_path / "leeds", notebooks=True, force=True, today=TODAY)
    assert first.first_round.read_text(encoding="utf-8") == "round: edited by the auditor\n"
    assert sorted(str(path) for path in again.written) == [
        "data_templates/toolkit_survey.xlsx",
        "notebooks/analysis.ipynb",
        "notebooks/briefing.ipynb",
    ]
    assert Path("parameters/leeds-2025.yaml") in again.kept
    assert [path.name for path in tmp_path.iterdir()] == ["leeds"]  # no staging folder is left


def test_a_file_is_no_workbook_folder(tmp_path: Path):
    (tmp_path / "leeds").write_text("x", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        write_workbook(tmp_path / "leeds", force=True, today=TODAY)
    assert str(caught.value) == (
        f"The workbook cannot be written to {tmp_path / 'leeds'}: it is a file, not a folder; choose a new folder."
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_is_named_in_a_sentence(tmp_path: Path):  # pragma: no cover - not as root
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(WorkbookError, match="permission denied; choose another folder."):
            write_workbook(tmp_path / "leeds", today=TODAY)
    finally:
        tmp_path.chmod(0o700)


def test_a_failure_part_way_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(new_workbook, "write_template", full_disk)
    with pytest.raises(WorkbookError) as caught:
        write_workbook(tmp_path / "leeds", today=TODAY)
    assert str(caught.value) == (
        f"The workbook cannot be written to {tmp_path / 'leeds'}: no space left on device; choose another folder."
    )
    assert list(tmp_path.iterdir()) == []
