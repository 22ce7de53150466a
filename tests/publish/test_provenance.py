"""Runs that lose nothing and can be traced: --force, manifest.json, auditkit verify, a killed kernel."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import RoundCopy, copy_workbook

from auditkit.cli import main
from auditkit.publish.provenance import verify_report, write_manifest
from auditkit.publish.safe_text import INVISIBLE_CHARACTERS
from auditkit.read.fingerprints import fingerprint

pytestmark = pytest.mark.slow

AUDITKIT = Path(sys.executable).with_name("auditkit")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> RoundCopy:
    """A copy of the example project, rendered once."""
    root = copy_workbook(tmp_path_factory.mktemp("provenance") / "project")
    (root / "reports").mkdir()
    copy = RoundCopy(root)
    copy.own_notebooks()  # the tests below edit the briefing notebook; the run then uses the workbook's own
    result = invoke("run", "--quiet", str(copy.parameters))
    assert result.exit_code == 0, result.output
    return copy


def test_manifest_records_every_input_with_its_sha256(project: RoundCopy):
    manifest = json.loads((project.reports / "llr-2017" / "manifest.json").read_text(encoding="utf-8"))
    inputs = {Path(item["path"]).name: item for item in manifest["inputs"]}
    assert set(inputs) == {
        "llr-2017.yaml",
        "neglect_deep_dive.yaml",
        "llr-2017-cases.csv",
        "toolkit_survey.yaml",
        "llr-2017-survey.csv",
    }
    for item in manifest["inputs"]:
        assert item["sha256"] == hashlib.sha256(Path(item["path"]).read_bytes()).hexdigest()
    assert manifest["fingerprint"] == fingerprint(manifest["inputs"])
    assert manifest["parameters"][0]["areas"] == ["Leicester", "Leicestershire", "Rutland"]
    assert set(manifest["software"]["packages"]) >= {"neglect-auditkit", "pandas", "papermill", "weasyprint"}
    assert manifest["started"] <= manifest["finished"]
    outputs = {item["path"]: item["sha256"] for item in manifest["outputs"]}
    html = project.reports / "llr-2017" / "briefing.html"
    assert outputs["briefing.html"] == hashlib.sha256(html.read_bytes()).hexdigest()


def test_briefing_footer_carries_the_short_provenance(project: RoundCopy):
    manifest = json.loads((project.reports / "llr-2017" / "manifest.json").read_text(encoding="utf-8"))
    html = (project.reports / "llr-2017" / "briefing.html").read_text(encoding="utf-8")
    assert f"Round llr-2017 · data fingerprint {manifest['fingerprint']} · auditkit " in html


def test_an_existing_report_is_not_replaced_without_force(project: RoundCopy):
    before = folder_state(project.reports)
    result = invoke("run", "--quiet", str(project.parameters))
    assert result.exit_code == 1
    assert "already exists. Run again with --force to replace it" in result.output
    assert folder_state(project.reports) == before


def test_verify_says_the_report_matches_then_names_a_changed_file(project: RoundCopy, tmp_path: Path):
    report = project.reports / "llr-2017"
    result = invoke("verify", str(report))
    assert result.exit_code == 0, result.output
    assert "matches its data: every input file is unchanged." in result.output
    original = project.cases.read_bytes()
    try:
        project.edit_cases("DD17-L02,Leicester,04/04/2017,2-4,yes", "DD17-L02,Leicester,04/04/2017,2-4,no")
        result = invoke("verify", str(report))
        assert result.exit_code == 1
        assert f"changed   {project.cases}" in result.output
        assert "no longer matches its data: 1 input file(s) changed or missing" in result.output
        assert "(llr-2017-cases.csv)" in result.output
    finally:
        project.cases.write_bytes(original)


def test_the_manifest_lists_every_published_file_but_itself(project: RoundCopy):
    report = project.reports / "llr-2017"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    outputs = {item["path"]: item["sha256"] for item in manifest["outputs"]}
    assert list(outputs) == [
        "briefing.html",
        "briefing.pdf",
        "briefing.docx",
        "briefing.ipynb",
        "findings.json",
        "findings.csv",
    ]
    published = {path.name for path in report.iterdir() if path.is_file()} - {"manifest.json"}
    assert set(outputs) == published
    for name, sha256 in outputs.items():
        assert sha256 == hashlib.sha256((report / name).read_bytes()).hexdigest(), name


def test_verify_names_each_file_of_the_report_that_changed_or_is_missing(project: RoundCopy):
    report = project.reports / "llr-2017"
    result = invoke("verify", str(report))
    assert result.exit_code == 0, result.output
    for name in ("briefing.html", "briefing.pdf", "briefing.docx", "briefing.ipynb", "findings.json", "findings.csv"):
        assert f"  unchanged {report / name}\n" in result.output
    assert result.output.endswith(
        f"{report} matches its data: every input file is unchanged. Its 6 published file(s) listed in manifest.json "
        "are as auditkit wrote them.\n"
    )
    findings, pdf = report / "findings.json", report / "briefing.pdf"
    originals = findings.read_bytes(), pdf.read_bytes()
    try:
        findings.write_text(findings.read_text(encoding="utf-8").replace('"records": 61', '"records": 62', 1))
        pdf.unlink()
        result = invoke("verify", str(report))
    finally:
        findings.write_bytes(originals[0])
        pdf.write_bytes(originals[1])
    assert result.exit_code == 1
    assert f"  changed   {findings}\n" in result.output and f"  missing   {pdf}\n" in result.output
    assert result.output.endswith(
        f"Error: {report} is not as auditkit wrote it: 2 of its own file(s) changed or missing since it was written "
        "(briefing.pdf, findings.json). Rerun it with --force to bring it up to date.\n"
    )
    assert invoke("verify", str(report)).exit_code == 0


def test_verify_names_changed_inputs_and_changed_files_of_the_report_together(project: RoundCopy):
    report = project.reports / "llr-2017"
    findings = report / "findings.csv"
    originals = project.cases.read_bytes(), findings.read_bytes()
    try:
        project.edit_cases("DD17-L02,Leicester,04/04/2017,2-4,yes", "DD17-L02,Leicester,04/04/2017,2-4,no")
        findings.write_bytes(originals[1] + b"\n")
        result = invoke("verify", str(report))
    finally:
        project.cases.write_bytes(originals[0])
        findings.write_bytes(originals[1])
    assert result.exit_code == 1
    assert result.output.endswith(
        f"Error: {report} no longer matches its data: 1 input file(s) changed or missing since it was produced "
        "(llr-2017-cases.csv) and 1 of its own file(s) changed or missing since it was written (findings.csv). "
        "Rerun it with --force to bring it up to date.\n"
    )


@pytest.mark.parametrize("name", ["../elsewhere.txt", "/etc/hostname", ""])
def test_verify_refuses_a_manifest_naming_a_file_outside_the_report(tmp_path: Path, name: str):
    (tmp_path / "manifest.json").write_text(json.dumps({"inputs": [], "outputs": [{"path": name, "sha256": "0"}]}))
    result = invoke("verify", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path} has a manifest.json that is not a readable auditkit manifest.\n"


def test_verify_refuses_a_folder_that_is_not_a_report(tmp_path: Path):
    result = invoke("verify", str(tmp_path))
    assert result.exit_code == 1
    assert "has no manifest.json" in result.output
    assert "Traceback" not in result.output


def test_the_manifest_writes_invisible_characters_as_escapes_and_verify_still_finds_the_file(tmp_path: Path):
    data = tmp_path / "sur\u202evey\u200b.csv"
    data.write_text("response_id\n", encoding="utf-8")
    manifest = {"inputs": [{"path": str(data), "sha256": hashlib.sha256(data.read_bytes()).hexdigest()}], "outputs": []}
    manifest["parameters"] = [{"title": "Neglect toolkit \u202esurvey"}]
    text = write_manifest(manifest, tmp_path).read_text(encoding="utf-8")
    assert not set(text) & set(INVISIBLE_CHARACTERS)
    assert "Neglect toolkit \\u202esurvey" in text and "sur\\u202evey\\u200b.csv" in text
    assert json.loads(text) == manifest
    assert verify_report(tmp_path).statuses == ((str(data), "unchanged"),)


def test_force_replaces_the_report_once_the_new_one_is_complete(project: RoundCopy):
    report = project.reports / "llr-2017"
    (report / "stale.txt").write_text("from an older run")
    result = invoke("run", "--quiet", "--force", str(project.parameters))
    assert result.exit_code == 0, result.output
    assert not (report / "stale.txt").exists()
    assert (report / "briefing.pdf").is_file()
    assert sorted(path.name for path in project.reports.iterdir()) == ["llr-2017"]


def _insert_kill_cell(briefing: Path) -> bytes:
    original = briefing.read_bytes()
    notebook = nbformat.read(briefing, as_version=4)
    notebook.cells.insert(5, nbformat.v4.new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    nbformat.write(notebook, briefing)
    return original


def test_a_kernel_killed_mid_notebook_leaves_the_earlier_report_intact(project: RoundCopy):
    briefing = project.root / "notebooks" / "briefing.ipynb"  # the workbook's own copy (see project)
    original = _insert_kill_cell(briefing)
    before = folder_state(project.reports)
    try:
        result = invoke("run", "--quiet", "--force", "--engine", "kernel", str(project.parameters))
    finally:
        briefing.write_bytes(original)
    assert result.exit_code == 1
    assert "The notebook briefing.ipynb failed: its kernel stopped while running" in result.output
    assert "Nothing was written." in result.output
    assert folder_state(project.reports) == before
    assert sorted(path.name for path in project.reports.iterdir()) == ["llr-2017"]


def test_a_run_killed_outright_loses_nothing_and_the_next_run_clears_its_leftovers(project: RoundCopy):
    # In-process, the notebook's kill stops auditkit itself: nothing can clean up at that moment.
    briefing = project.root / "notebooks" / "briefing.ipynb"  # the workbook's own copy (see project)
    original = _insert_kill_cell(briefing)
    before = folder_state(project.reports / "llr-2017")
    try:
        killed = subprocess.run(
            [str(AUDITKIT), "run", "--quiet", "--force", str(project.parameters)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        briefing.write_bytes(original)
    assert killed.returncode == -signal.SIGKILL
    assert folder_state(project.reports / "llr-2017") == before
    leftovers = [path.name for path in project.reports.iterdir() if path.name.startswith(".llr-2017.partial-")]
    assert len(leftovers) == 1
    result = invoke("run", "--quiet", "--force", str(project.parameters))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in project.reports.iterdir()) == ["llr-2017"]
