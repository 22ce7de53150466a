"""The auditkit command as a user meets it: exit codes, messages, and nothing written on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_PARAMETERS, RoundCopy

from auditkit.cli import main

AUDITKIT = Path(sys.executable).with_name("auditkit")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_validate_accepts_the_example_round():
    result = invoke("validate", str(EXAMPLE_PARAMETERS))
    assert result.exit_code == 0, result.output
    assert "deep_dive: 10 records in llr-2017-cases.csv: no problems found." in result.output
    assert "survey: 61 records in llr-2017-survey.csv: no problems found." in result.output
    assert "llr-2017.yaml is ready to run." in result.output


def test_validate_lists_every_problem_with_file_row_column_value_and_what_is_allowed(example_round: RoundCopy):
    example_round.edit_cases("DD17-L02,Leicester", "DD17-L02,Leicster")
    example_round.edit_cases("no,yes,partly,observed", "maybe,yes,partly,observed")
    result = invoke("validate", str(example_round.parameters))
    assert result.exit_code == 1
    assert "The data has 2 problems:" in result.output
    assert (
        "llr-2017-cases.csv, row 2, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no."
        in result.output
    )
    assert (
        "llr-2017-cases.csv, row 3, column 'area': 'Leicster' is not one of the round's areas; "
        "allowed: Leicester, Leicestershire, Rutland. Did you mean 'Leicester'?" in result.output
    )
    assert "Traceback" not in result.output


def test_validate_names_an_unknown_key_in_the_parameters_file(example_round: RoundCopy):
    example_round.edit_parameters("instruments:", "instrumets:")
    result = invoke("validate", str(example_round.parameters))
    assert result.exit_code == 1
    assert "llr-2017.yaml: key 'instrumets' is not a known key; check its spelling." in result.output
    assert "Traceback" not in result.output


def test_validate_names_an_unknown_codebook_name_and_the_names_known(example_round: RoundCopy):
    example_round.edit_parameters("codebook: neglect_deep_dive", "codebook: neglect_deepdive")
    result = invoke("validate", str(example_round.parameters))
    assert result.exit_code == 1
    assert result.output == (
        "Error: llr-2017.yaml: instruments → deep_dive → codebook names the codebook 'neglect_deepdive', which is not "
        f"in {example_round.root / 'data_templates'}/ nor among auditkit's own instruments; known: cp_plans_neglect, "
        "lancashire_cp_plans, neglect_deep_dive, toolkit_survey. Did you mean 'neglect_deep_dive'?\n"
    )


def test_validate_says_when_the_parameters_file_does_not_exist(tmp_path: Path):
    result = invoke("validate", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 1
    assert "nowhere.yaml does not exist" in result.output


def test_bad_input_through_the_installed_command_prints_sentences_not_a_traceback(example_round: RoundCopy):
    example_round.edit_cases("2017-04-03", "2017-06-03")
    completed = subprocess.run(
        [str(AUDITKIT), "run", str(example_round.parameters)],
        capture_output=True,
        text=True,
        cwd=example_round.root.parent,
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert (
        "llr-2017-cases.csv, row 2, column 'audit_date': '2017-06-03' is outside the round's period "
        "(1 July 2016 to 30 April 2017)." in completed.stderr
    )
    assert completed.stderr.rstrip().endswith("Nothing was written.")
    assert list(example_round.reports.iterdir()) == []


def test_run_with_bad_data_leaves_an_earlier_report_untouched(example_round: RoundCopy):
    earlier = example_round.reports / "llr-2017"
    earlier.mkdir()
    (earlier / "findings.json").write_text(json.dumps({"earlier": True}))
    (earlier / "briefing.html").write_text("<p>the earlier briefing</p>")
    before = folder_state(example_round.reports)
    example_round.edit_cases("DD17-L02", "DD17-L01")
    result = invoke("run", str(example_round.parameters))
    assert result.exit_code == 1
    assert "'DD17-L01' appears more than once" in result.output
    assert folder_state(example_round.reports) == before
    assert sorted(path.name for path in example_round.reports.iterdir()) == ["llr-2017"]


@pytest.mark.slow
def test_a_failing_notebook_is_named_with_its_cell_and_nothing_is_written(example_round: RoundCopy):
    briefing = example_round.own_notebooks() / "briefing.ipynb"
    notebook = nbformat.read(briefing, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('auditkit.render_section("summary_table", analysis)'))
    nbformat.write(notebook, briefing)
    earlier = example_round.reports / "llr-2017"
    earlier.mkdir()
    (earlier / "findings.json").write_text("{}")
    before = folder_state(example_round.reports)
    result = invoke("run", "--quiet", "--force", str(example_round.parameters))
    assert result.exit_code == 1
    assert "The notebook briefing.ipynb, cell [" in result.output
    assert "There is no briefing section 'summary_table'" in result.output
    assert 'auditkit.render_section("summary_table", analysis)' in result.output
    assert "Nothing was written." in result.output
    assert folder_state(example_round.reports) == before
    assert sorted(path.name for path in example_round.reports.iterdir()) == ["llr-2017"]


def test_run_refuses_to_replace_a_folder_that_is_not_a_report(example_round: RoundCopy, tmp_path: Path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "letter.docx").write_bytes(b"keep me")
    result = invoke("run", str(example_round.parameters), "--out", str(precious))
    assert result.exit_code == 1
    assert "already holds files that are not an auditkit report" in result.output
    assert (precious / "letter.docx").read_bytes() == b"keep me"
    assert sorted(path.name for path in precious.iterdir()) == ["letter.docx"]


def test_run_refuses_an_out_that_is_a_file_with_a_sentence_and_exit_1(tmp_path: Path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    result = invoke("run", "--quiet", str(EXAMPLE_PARAMETERS), "--out", str(a_file))
    assert result.exit_code == 1  # as `auditkit findings --out FILE`, not click's usage error (2)
    assert result.output == (
        f"Error: The output {a_file} is a file, not a folder; choose another output folder.\nNothing was written.\n"
    )
    assert a_file.read_text() == "x"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


def test_a_batch_with_an_out_that_is_a_file_names_it_for_each_round(tmp_path: Path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    # Two rounds of their own ids: one round given twice would write one report, and is refused before running.
    followup = EXAMPLE_PARAMETERS.with_name("llr-2017-followup.yaml")
    result = invoke("run", "--quiet", str(EXAMPLE_PARAMETERS), str(followup), "--out", str(a_file))
    assert result.exit_code == 1
    for round_id in ("llr-2017", "llr-2017-followup"):
        refusal = (
            f"The report cannot be written to {a_file / round_id}: part of that path is a file, not a folder; "
            "choose another folder with --out."
        )
        assert result.output.count(refusal) == 1
    assert result.output.rstrip().endswith("0 of 2 rounds written; 2 failed.")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


def test_a_bug_is_not_disguised_as_a_user_error(monkeypatch: pytest.MonkeyPatch):
    def broken(parameters):
        raise RuntimeError("a bug in auditkit")

    monkeypatch.setattr("auditkit.run.round_check.check_round", broken)
    result = invoke("validate", str(EXAMPLE_PARAMETERS))
    assert isinstance(result.exception, RuntimeError)
    assert "Error: a bug" not in result.output


def test_version_and_help_answer():
    assert invoke("--version").output.startswith("auditkit, version ")
    help_text = invoke("--help").output
    assert "validate" in help_text and "run" in help_text


def test_run_refuses_an_unknown_format_listing_the_allowed(example_round: RoundCopy):
    result = invoke("run", str(example_round.parameters), "--formats", "html,odt")
    assert result.exit_code == 1
    assert result.output == "Error: --formats: 'odt' is not a briefing format; allowed: html, pdf, docx.\n"
    assert list(example_round.reports.iterdir()) == []


def test_run_refuses_formats_that_name_nothing(example_round: RoundCopy):
    result = invoke("run", str(example_round.parameters), "--formats", " , ")
    assert result.exit_code == 1
    assert result.output == ("Error: --formats: no briefing format is named; name one or more of: html, pdf, docx.\n")


def test_a_screenshot_needs_the_html(example_round: RoundCopy):
    result = invoke("run", str(example_round.parameters), "--formats", "docx", "--screenshot")
    assert result.exit_code == 1
    assert result.output == (
        "Error: --screenshot shows briefing.html; add html to --formats, or leave --screenshot out.\n"
        "Nothing was written.\n"
    )


def test_run_refuses_a_word_template_without_the_briefings_styles_before_writing(example_round: RoundCopy):
    import docx

    from auditkit.briefing.docx_template import DEFAULT_TEMPLATE

    template = docx.Document(str(DEFAULT_TEMPLATE))
    quote = template.styles["Quote"].element
    quote.getparent().remove(quote)
    template.save(str(example_round.root / "parameters" / "partnership.docx"))
    example_round.edit_parameters("briefing:\n", "briefing:\n  docx_template: partnership.docx\n")
    path = example_round.root / "parameters" / "partnership.docx"
    expected = (
        f"Error: The Word template {path} has no style 'Quote', which the Word briefing uses. In Word, apply it to a "
        "paragraph of the template (Home → Styles) and save it again: Word then saves the style with it. Or start "
        f"from auditkit's own template, {DEFAULT_TEMPLATE}.\n"
    )
    assert invoke("validate", str(example_round.parameters)).output == expected
    result = invoke("run", str(example_round.parameters))
    assert result.exit_code == 1
    assert result.output == expected + "Nothing was written.\n"
    assert list(example_round.reports.iterdir()) == []
