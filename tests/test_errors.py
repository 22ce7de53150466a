"""auditkit.errors: every error a user can cause, and the sentence each prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.errors import (
    AuditkitError,
    CodebookError,
    DataError,
    DataValidationError,
    DocxTemplateError,
    NotebookError,
    ParametersError,
    PreviewError,
    Problem,
    RenderError,
)

CASES = Path("/shared drive/audits/llr-2017-cases.csv")
SURVEY = Path("/shared drive/audits/llr-2017-survey.csv")


@pytest.mark.parametrize(
    "error",
    [
        ParametersError,
        CodebookError,
        DataError,
        DataValidationError,
        NotebookError,
        RenderError,
        DocxTemplateError,
        PreviewError,
    ],
)
def test_every_user_error_is_an_auditkit_error_which_the_command_prints_as_a_sentence(error):
    assert issubclass(error, AuditkitError)


def test_a_data_error_names_the_file_not_its_whole_path():
    error = DataError(CASES, "the file is empty.")
    assert str(error) == "llr-2017-cases.csv: the file is empty."
    assert error.path == CASES and error.reason == "the file is empty."


def test_a_data_error_takes_a_path_as_text():
    assert DataError("data/survey.xlsx", "no sheet is named Data.").path == Path("data/survey.xlsx")


def test_a_problem_is_located_as_excel_shows_it_with_the_value_quoted():
    problem = Problem(CASES, 3, "toolkit_used", "maybe", "is not an allowed value; allowed: yes, no.")
    assert (
        str(problem)
        == "llr-2017-cases.csv, row 3, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no."
    )


def test_a_problem_leaves_out_what_it_does_not_know():
    assert str(Problem(CASES, None, None, None, "the file has no rows.")) == "llr-2017-cases.csv: the file has no rows."
    assert (
        str(Problem(CASES, 1, None, None, "the header is blank.")) == "llr-2017-cases.csv, row 1: the header is blank."
    )
    assert (
        str(Problem(CASES, None, "area", None, "is missing from the header."))
        == "llr-2017-cases.csv, column 'area': is missing from the header."
    )


def test_a_blank_value_is_still_shown_as_the_user_typed_it():
    assert str(Problem(CASES, 4, "area", "", "is blank; every record needs one.")) == (
        "llr-2017-cases.csv, row 4, column 'area': '' is blank; every record needs one."
    )


def test_a_validation_error_lists_every_problem_under_a_count():
    problems = [
        Problem(CASES, 2, "area", "Leicster", "is not one of the round's areas."),
        Problem(CASES, 5, "audit_date", "2017-06-03", "is outside the round's period."),
    ]
    error = DataValidationError(problems)
    assert str(error) == (
        "The data has 2 problems:\n"
        "  llr-2017-cases.csv, row 2, column 'area': 'Leicster' is not one of the round's areas.\n"
        "  llr-2017-cases.csv, row 5, column 'audit_date': '2017-06-03' is outside the round's period."
    )
    assert error.problems == problems


def test_a_problem_repeated_in_many_rows_is_one_line_naming_the_rows():
    repeated = [Problem(SURVEY, row, "area", "Leics", "is not one of the round's areas.") for row in range(2, 14)]
    twice = [Problem(CASES, row, "area", "Leicster", "is not one of the round's areas.") for row in (3, 9)]
    other = Problem(SURVEY, 7, "agency", "Police", "is not an allowed value.")
    error = DataValidationError([repeated[0], other, *repeated[1:], *twice])
    assert str(error) == (
        "The data has 15 problems:\n"
        "  llr-2017-survey.csv, column 'area', 12 rows (2, 3, 4, 5, 6, 7, 8, 9 and 4 more): 'Leics' is not one of "
        "the round's areas.\n"
        "  llr-2017-survey.csv, row 7, column 'agency': 'Police' is not an allowed value.\n"
        "  llr-2017-cases.csv, row 3, column 'area': 'Leicster' is not one of the round's areas.\n"
        "  llr-2017-cases.csv, row 9, column 'area': 'Leicster' is not one of the round's areas."
    )


def test_one_problem_is_one_problem_not_one_problems():
    error = DataValidationError([Problem(CASES, None, None, None, "the file has no rows.")])
    assert str(error) == "The data has 1 problem:\n  llr-2017-cases.csv: the file has no rows."


def test_a_validation_error_keeps_its_own_list_of_problems():
    problems = [Problem(CASES, 2, "area", "Leicster", "is not one of the round's areas.")]
    error = DataValidationError(problems)
    problems.clear()
    assert len(error.problems) == 1


def test_a_notebook_error_names_the_notebook_and_the_cell():
    error = NotebookError("briefing.ipynb", "[4]", "NameError: name 'analysis' is not defined")
    assert str(error) == "The notebook briefing.ipynb, cell [4] failed: NameError: name 'analysis' is not defined"
    assert (error.notebook, error.cell) == ("briefing.ipynb", "[4]")


def test_a_notebook_error_without_a_cell_names_the_notebook():
    error = NotebookError("analysis.ipynb", None, "its kernel stopped while running")
    assert str(error) == "The notebook analysis.ipynb failed: its kernel stopped while running"


TEMPLATE = Path("/shared drive/brand/partnership.docx")
OWN = Path("/opt/auditkit/templates/docx/reference.docx")


def test_a_word_template_error_names_the_file_the_reason_and_where_to_start_again():
    error = DocxTemplateError(TEMPLATE, "is not a Word document (.docx): it is not a zip archive", default=OWN)
    assert str(error) == (
        "The Word template /shared drive/brand/partnership.docx is not a Word document (.docx): it is not a zip "
        "archive. Or start from auditkit's own template, /opt/auditkit/templates/docx/reference.docx."
    )
    assert (error.path, error.styles, error.default) == (TEMPLATE, (), OWN)


def test_a_word_template_error_names_each_style_it_lacks():
    one = DocxTemplateError(TEMPLATE, styles=["Quote"])
    assert str(one) == (
        "The Word template /shared drive/brand/partnership.docx has no style 'Quote', which the Word briefing uses. "
        "In Word, apply it to a paragraph of the template (Home → Styles) and save it again: Word then saves the "
        "style with it."
    )
    three = DocxTemplateError(TEMPLATE, styles=["Title", "Quote", "Caption"])
    assert "has no styles 'Title', 'Quote' and 'Caption', which" in str(three)
    assert "apply each of them to a paragraph" in str(three) and "saves the styles with it." in str(three)


def test_a_preview_error_says_what_the_preview_cannot_use_in_one_sentence():
    assert str(PreviewError("port", 4848, "another program is listening on that port")) == (
        "auditkit preview cannot listen on 127.0.0.1:4848: another program is listening on that port; choose "
        "another --port."
    )
    assert str(PreviewError("parameters", Path("parameters/llr-2099.yaml"))) == (
        "The parameters file parameters/llr-2099.yaml does not exist: auditkit preview needs a round's parameters file."
    )
    assert str(PreviewError("folder", CASES.parent, "you may not read it")) == (
        "auditkit preview cannot watch the folder /shared drive/audits for saved changes: you may not read it."
    )
    assert PreviewError("folder", CASES.parent, "you may not read it").subject == CASES.parent
