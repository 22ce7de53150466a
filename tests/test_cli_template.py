"""`auditkit template` as a user meets it: what it writes, what it says, and exit codes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import EXAMPLE_PARAMETERS, INSTRUMENTS

from auditkit.cli import main

DEEP_DIVE = INSTRUMENTS / "neglect_deep_dive.yaml"
NEXT_STEP = (
    "Fill it in, name it as an instrument's data in a round's parameters file, then check it with: "
    "auditkit validate PARAMETERS\n"
)


def invoke(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_template_writes_the_workbook_and_says_what_it_holds(tmp_path: Path):
    out = tmp_path / "cases.xlsx"
    result = invoke("template", DEEP_DIVE, "--out", out, "--params", EXAMPLE_PARAMETERS)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {out}: a Multi-agency neglect deep dive audit workbook with 15 columns on its Data sheet, "
        "instructions and the codebook.\n" + NEXT_STEP
    )
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Data", "Instructions", "Codebook", "Lists"]
    areas = [row[0] for row in workbook["Lists"].iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    assert areas == ["Leicester", "Leicestershire", "Rutland"]  # the area column's list: the round's areas


def test_template_writes_a_csv_header_row(tmp_path: Path):
    out = tmp_path / "cases.csv"
    result = invoke("template", DEEP_DIVE, "--out", out)
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"Wrote {out}: the header row of Multi-agency neglect deep dive audit (15 item ids).\n" + NEXT_STEP
    )
    assert out.read_text(encoding="utf-8").startswith("case_ref,area,audit_date,")


def test_template_will_not_replace_a_file_without_force(tmp_path: Path):
    out = tmp_path / "cases.xlsx"
    out.write_bytes(b"a filled-in workbook")
    result = invoke("template", DEEP_DIVE, "--out", out)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} already exists and may hold data; choose another name, or add --force to replace it.\n"
    )
    assert out.read_bytes() == b"a filled-in workbook"
    replaced = invoke("template", DEEP_DIVE, "--out", out, "--force")
    assert replaced.exit_code == 0, replaced.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Data"


def test_template_names_a_missing_codebook(tmp_path: Path):
    result = invoke("template", tmp_path / "survey.yaml", "--out", tmp_path / "survey.xlsx")
    assert result.exit_code == 1
    assert result.output == f"Error: The codebook file {tmp_path / 'survey.yaml'} does not exist.\n"
    assert not (tmp_path / "survey.xlsx").exists()


def test_template_refuses_another_file_type(tmp_path: Path):
    result = invoke("template", DEEP_DIVE, "--out", tmp_path / "cases.ods")
    assert result.exit_code == 1
    assert result.output == (
        "Error: cases.ods: a template is written as .xlsx (a workbook with drop-down lists) or .csv (a header row "
        "of item ids); end the file name with one of those.\n"
    )


def test_template_reports_a_broken_parameters_file_without_a_traceback(tmp_path: Path):
    parameters = tmp_path / "round.yaml"
    parameters.write_text(
        "round: r1\ntitle: T\npartnership: P\nareas: [A]\ninstruments: {x: {codebook: a, data: b}}\n", encoding="utf-8"
    )
    result = invoke("template", DEEP_DIVE, "--out", tmp_path / "cases.xlsx", "--params", parameters)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The parameters file {parameters} has 1 problem(s):\n  round.yaml: key 'period' is required but missing.\n"
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "cases.xlsx").exists()


def test_template_needs_somewhere_to_write(tmp_path: Path):
    result = invoke("template", DEEP_DIVE)
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.output


def test_a_codebook_may_be_named_the_workbooks_own_copy_first(example_round, tmp_path: Path, monkeypatch):
    own = example_round.own_codebook("toolkit_survey")
    own.write_text(own.read_text(encoding="utf-8").replace("id: agency", "id: agency_type"), encoding="utf-8")
    monkeypatch.chdir(example_round.root / "parameters")  # the workbook is found from the working directory
    result = invoke("template", "toolkit_survey", "--out", tmp_path / "survey.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "survey.csv").read_text(encoding="utf-8").startswith("response_id,agency_type,area,")
    elsewhere = invoke(
        "template", "toolkit_survey", "--out", tmp_path / "elsewhere.csv", "--params", EXAMPLE_PARAMETERS
    )
    assert elsewhere.exit_code == 0, elsewhere.output  # with --params, that round's workbook: auditkit's own codebook
    assert (tmp_path / "elsewhere.csv").read_text(encoding="utf-8").startswith("response_id,agency,area,")


def test_an_unknown_codebook_name_lists_the_names_known(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("template", "toolkit_surveys", "--out", tmp_path / "survey.xlsx")
    assert result.exit_code == 1
    assert result.output == (
        "Error: auditkit template names the codebook 'toolkit_surveys', which is not among auditkit's own instruments "
        "(outside a workbook, no data_templates/ is looked in); known: cp_plans_neglect, neglect_deep_dive, "
        "toolkit_survey. Did you mean 'toolkit_survey'?\n"
    )
    assert not (tmp_path / "survey.xlsx").exists()
