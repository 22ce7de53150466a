"""`auditkit draft-codebook` as a user meets it: what it writes, what it says, what it refuses, and exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import REPO

from auditkit.cli import main

EXAMPLES = REPO / "data_templates" / "examples"


def invoke(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_draft_codebook_writes_the_draft_and_says_what_to_do_next(tmp_path: Path):
    out = tmp_path / "toolkit.yaml"
    result = invoke("draft-codebook", EXAMPLES / "llr-2017-survey-googlesheet.xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {out}: 16 items from the Google Forms export llr-2017-survey-googlesheet.xlsx (61 responses).\n"
        "Left out 2 columns, listed at its top with why: personal data is never read.\n"
        "Check it (its first lines say what; lines marked CHECK need your decision), name it as an instrument's "
        "codebook with llr-2017-survey-googlesheet.xlsx as its data, then check the round with: auditkit validate "
        "PARAMETERS\n"
    )


def test_draft_codebook_refuses_to_replace_a_file_without_force(tmp_path: Path):
    out = tmp_path / "toolkit.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke("draft-codebook", EXAMPLES / "llr-2017-survey-plain.csv", "--out", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {out} already exists; choose another name, or add --force to replace it.\n"
    assert out.read_text(encoding="utf-8") == "mine\n"
    result = invoke("draft-codebook", EXAMPLES / "llr-2017-survey-plain.csv", "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: 16 items from the plain table llr-2017-survey-plain.csv ")


def test_draft_codebook_refuses_a_file_it_cannot_read_with_a_sentence(tmp_path: Path):
    export = tmp_path / "notes.csv"
    export.write_text("Just one line of notes\nand another\n", encoding="utf-8")
    result = invoke("draft-codebook", export, "--out", tmp_path / "notes.yaml")
    assert result.exit_code == 1
    assert result.output == (
        "Error: notes.csv: the file has one column ('Just one line of notes'), so it is not a survey export, which "
        "has a column for each question. If it is CSV separated by something other than commas, semicolons or tabs, "
        "save it again as CSV.\n"
    )
    assert not (tmp_path / "notes.yaml").exists()
    assert "Traceback" not in result.output


def test_draft_codebook_needs_out(tmp_path: Path):
    result = invoke("draft-codebook", EXAMPLES / "llr-2017-survey-plain.csv")
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.output


def test_draft_codebook_names_what_it_was_given_instead_of_a_file(tmp_path: Path):
    (tmp_path / "export.csv").mkdir()
    result = invoke("draft-codebook", tmp_path / "export.csv", "--out", tmp_path / "toolkit.yaml")
    assert (result.exit_code, result.output) == (
        1,
        f"Error: The export {tmp_path / 'export.csv'} is a folder, not a regular file.\n",
    )
    result = invoke("draft-codebook", "/dev/zero", "--out", tmp_path / "toolkit.yaml")
    assert (result.exit_code, result.output) == (1, "Error: The export /dev/zero is a device, not a regular file.\n")
    result = invoke("draft-codebook", EXAMPLES / "llr-2017-survey-plain.csv", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path} is a folder; give --out the codebook file to write, ending in .yaml.\n"
