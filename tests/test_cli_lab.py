"""`auditkit lab`: what it says and refuses before JupyterLab starts (tests/end_to_end/test_jupyterlab.py runs it)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from auditkit.cli import main


def test_lab_refuses_a_folder_in_no_workbook_in_a_sentence(tmp_path: Path):
    result = CliRunner().invoke(main, ["lab", str(tmp_path), "--no-browser"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: JupyterLab cannot be opened on {tmp_path}: it is in no auditkit workbook (neither it nor a folder "
        "above it holds auditkit.yaml or parameters/). Name a workbook's folder, or write a workbook with: auditkit "
        "init FOLDER\n"
    )
    assert not (tmp_path / "notebooks").exists()


def test_lab_says_what_it_opens_and_on_which_address():
    result = CliRunner().invoke(main, ["lab", "--help"])
    assert result.exit_code == 0
    assert "Open JupyterLab on a workbook (default: the one you are in)" in result.output
    assert "127.0.0.1" in result.output
    for option in ("--port", "--no-browser", "--allow-root"):
        assert option in result.output
