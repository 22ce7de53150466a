"""Survey exports as SurveyMonkey and Microsoft Forms write them: matched to the codebook, personal data left behind."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import REPO, RoundCopy

from auditkit.analysis.findings import compute_findings, count_records
from auditkit.analysis.quotes import select_quotes
from auditkit.config.codebook import load_codebook
from auditkit.config.round import load_round
from auditkit.errors import DataError, DataValidationError, ParametersError
from auditkit.read.csv_files import read_csv_grid
from auditkit.read.formats import recognise_format
from auditkit.read.surveys import READ_PROBLEMS, read_export, read_export_rows
from auditkit.read.tables import read_rows
from auditkit.read.validation import load_round_records

EXAMPLES = REPO / "data_templates" / "examples"
SM_PARAMETERS = REPO / "parameters" / "llr-2017-surveymonkey.yaml"
PERSONAL = ("ann@example.org", "192.0.2.10", "Ann", "Smith", "team A", "07700 900123", "bo@example.org", "Bo Jones")

MINI_CODEBOOK = """\
codebook: mini_survey
title: Mini survey
record: response
records: responses
partial_records: true
items:
  - id: response_id
    question: Response number
    source: Respondent ID
    type: text
    required: true
    unique: true
  - id: agency
    question: Which agency do you work for?
    source: "Which agency do you work for?"
    type: choice
    required: true
    values:
      - {code: health, label: Health}
      - {code: social_care, label: Children's social care}
  - id: used_home
    question: Have you used the home conditions section?
    source: "Which parts of the toolkit have you used? | Home conditions"
    type: choice
    values: [yes, no]
  - id: used_health
    question: Have you used the health section?
    source: "which parts of the toolkit   have you used? | HEALTH"
    type: choice
    values: [yes, no]
"""

MATRIX_ITEM = """\
  - id: confident
    question: I feel confident recognising neglect
    source: "How far do you agree? | I feel confident recognising neglect"
    type: choice
    values:
      - {code: agree, label: Agree}
      - {code: disagree, label: Disagree}
"""

SM_TOP = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
    "Which agency do you work for?",
    "Which parts of the toolkit have you used?",
    "",
    "",
    "How far do you agree?",
    "Your contact details",
    "",
    "",
]
SM_SUB = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "Response",
    "Home conditions",
    "Health",
    "Emotional care",
    "I feel confident recognising neglect",
    "Name",
    "Email Address",
    "Phone Number",
]
SM_ROWS = [
    [
        "111",
        "9",
        "10/03/2016 09:00:00 AM",
        "10/03/2016 09:05:00 AM",
        "192.0.2.10",
        "ann@example.org",
        "Ann",
        "Smith",
        "team A",
        "Health",
        "Home conditions",
        "",
        "Emotional care",
        "Agree",
        "Ann Smith",
        "ann@example.org",
        "07700 900123",
    ],
    [
        "112",
        "9",
        "10/04/2016 10:00:00 AM",
        "10/04/2016 10:07:00 AM",
        "192.0.2.11",
        "",
        "",
        "",
        "",
        "Children's social care",
        "",
        "",
        "",
        "Disagree",
        "",
        "",
        "",
    ],
    [
        "113",
        "9",
        "10/05/2016 11:00:00 AM",
        "10/05/2016 11:02:00 AM",
        "192.0.2.12",
        "bo@example.org",
        "Bo",
        "Jones",
        "",
        "Health",
        "",
        "Health",
        "",
        "",
        "Bo Jones",
        "bo@example.org",
        "",
    ],
]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append([None if value == "" else value for value in row])
    workbook.save(path)
    return path


@pytest.fixture
def mini(tmp_path: Path):
    path = tmp_path / "mini_survey.yaml"
    path.write_text(MINI_CODEBOOK + MATRIX_ITEM, encoding="utf-8")
    return load_codebook(path)


@pytest.fixture
def mini_forms(tmp_path: Path):
    path = tmp_path / "mini_forms.yaml"
    path.write_text(MINI_CODEBOOK.replace("source: Respondent ID", "source: ID"), encoding="utf-8")
    return load_codebook(path)


def export_error(path: Path, codebook, export_format: str) -> str:
    with pytest.raises(DataError) as caught:
        read_export(path, codebook, export_format)
    return str(caught.value)


class DataFrameSpy(pd.DataFrame):
    """Records every DataFrame built while it is in place, so a test can look for personal data in any of them."""

    built: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        DataFrameSpy.built.append(f"{list(self.columns)} {self.to_numpy().tolist()}")


# --- SurveyMonkey ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_surveymonkey_export_is_read_into_item_columns(tmp_path, mini, writer):
    path = writer(tmp_path / f"export{'.csv' if writer is write_csv else '.xlsx'}", [SM_TOP, SM_SUB, *SM_ROWS])
    table = read_export(path, mini, "surveymonkey")
    assert list(table.columns) == ["response_id", "agency", "used_home", "used_health", "confident"]
    assert list(table.index) == [3, 4, 5]  # responses start in row 3, under the two header rows
    assert table["response_id"].tolist() == ["111", "112", "113"]
    assert table["agency"].tolist() == ["Health", "Children's social care", "Health"]


def test_a_question_header_merged_over_its_options_is_read_but_merged_answers_are_not(tmp_path, mini):
    path = write_xlsx(tmp_path / "export.xlsx", [SM_TOP, SM_SUB, *SM_ROWS])
    workbook = openpyxl.load_workbook(path)
    workbook.active.merge_cells("K1:M1")  # how a spreadsheet shows a multi-select question over its options
    workbook.save(path)
    assert read_export(path, mini, "surveymonkey")["used_home"].tolist() == ["yes", "", "no"]
    workbook.active.merge_cells("J3:J4")
    workbook.save(path)
    assert export_error(path, mini, "surveymonkey") == (
        "export.xlsx: the sheet 'Sheet' has merged cells (J3:J4). Unmerge them and fill in every cell: each row "
        "needs its own value in each column, and each column its own header."
    )


def test_a_ticked_option_of_a_multi_select_question_reads_yes_and_an_unticked_one_no(tmp_path, mini):
    table = read_export(write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB, *SM_ROWS]), mini, "surveymonkey")
    assert table["used_home"].tolist() == ["yes", "", "no"]
    assert table["used_health"].tolist() == ["no", "", "yes"]  # row 4 ticked nothing: not answered


def test_a_matrix_row_keeps_the_answer_chosen(tmp_path, mini):
    table = read_export(write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB, *SM_ROWS]), mini, "surveymonkey")
    assert table["confident"].tolist() == ["Agree", "Disagree", ""]


def test_personal_data_of_a_surveymonkey_export_never_reaches_a_dataframe(tmp_path, mini, monkeypatch):
    path = write_xlsx(tmp_path / "export.xlsx", [SM_TOP, SM_SUB, *SM_ROWS])
    DataFrameSpy.built = []
    monkeypatch.setattr(pd, "DataFrame", DataFrameSpy)
    table = read_export(path, mini, "surveymonkey")
    monkeypatch.undo()
    assert any("Children's social care" in text for text in DataFrameSpy.built), "the spy saw no answers"
    for text in DataFrameSpy.built + [table.to_csv()]:
        assert not [value for value in PERSONAL if value in text]


def test_an_item_may_not_name_a_personal_data_column(tmp_path, mini):
    codebook_path = tmp_path / "nosy.yaml"
    codebook_path.write_text(
        MINI_CODEBOOK + "  - id: email\n    question: Email\n    source: Email Address\n    type: text\n",
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB, *SM_ROWS])
    assert export_error(path, load_codebook(codebook_path), "surveymonkey") == (
        "export.csv: the export's questions do not match the codebook nosy.yaml.\n"
        "    Items whose source is not a question in the export:\n"
        "      email: 'Email Address' (names personal data, which auditkit never reads)\n"
        "    Questions in the export that no item names:\n"
        "      'How far do you agree?'\n"
        "    An item's source must be its question as the export writes it; case, spacing, quotes and dashes may "
        "differ. For one option of a multi-select question, write 'Question | Option'. auditkit draft-codebook writes "
        "a codebook whose sources are the export's questions."
    )


def test_questions_that_do_not_match_are_listed_on_both_sides_with_the_nearest_match(tmp_path, mini):
    top = [text.replace("Which agency do you work for?", "Which agency do you work for mainly?") for text in SM_TOP]
    path = write_csv(tmp_path / "export.csv", [top, SM_SUB, *SM_ROWS])
    assert export_error(path, mini, "surveymonkey") == (
        "export.csv: the export's questions do not match the codebook mini_survey.yaml.\n"
        "    Items whose source is not a question in the export:\n"
        "      agency: 'Which agency do you work for?'\n"
        "        nearest in the export: 'Which agency do you work for «mainly»?'\n"
        "    Questions in the export that no item names:\n"
        "      'Which agency do you work for mainly?' (nearest to item agency)\n"
        "    Words marked «so» are where an item's source and the question differ.\n"
        "    An item's source must be its question as the export writes it; case, spacing, quotes and dashes may "
        "differ. For one option of a multi-select question, write 'Question | Option'. auditkit draft-codebook writes "
        "a codebook whose sources are the export's questions."
    )


def test_a_required_item_without_a_source_is_named(tmp_path):
    codebook_path = tmp_path / "unsourced.yaml"
    codebook_path.write_text(MINI_CODEBOOK.replace("    source: Respondent ID\n", ""), encoding="utf-8")
    path = write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB, *SM_ROWS])
    message = export_error(path, load_codebook(codebook_path), "surveymonkey")
    assert message.splitlines()[:2] == [
        "export.csv: the export's questions do not match the codebook unsourced.yaml.",
        "    Required items with no source: response_id.",
    ]


def test_a_table_given_as_a_surveymonkey_export_is_refused(tmp_path, mini):
    path = write_csv(tmp_path / "export.csv", [["response_id", "agency"], ["R1", "health"]])
    assert export_error(path, mini, "surveymonkey") == (
        "export.csv: the file does not look like a SurveyMonkey export: row 1 has no 'Respondent ID' column. Export "
        '"All individual responses" with expanded columns, or change the instrument\'s format.'
    )


def test_an_export_without_the_second_header_row_is_refused(tmp_path, mini):
    path = write_csv(tmp_path / "export.csv", [SM_TOP, *SM_ROWS])
    assert export_error(path, mini, "surveymonkey") == (
        'export.csv: row 2 of a SurveyMonkey export must be its second header row ("Response" or each option\'s '
        'text), but it holds a response (Respondent ID 111). Export "All individual responses" with expanded columns.'
    )


def test_an_export_with_no_responses_is_reported(tmp_path, mini):
    path = write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB])
    assert export_error(path, mini, "surveymonkey") == "export.csv: the file has a header row but no data rows."


# --- Microsoft Forms ------------------------------------------------------------------------------------

FORMS_ROWS = [
    [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Which agency do you work for?",
        "Which parts of the toolkit have you used?",
    ],
    [
        1,
        dt.datetime(2016, 10, 3, 9, 0),
        dt.datetime(2016, 10, 3, 9, 5),
        "ann@example.org",
        "Ann Smith",
        None,
        "Health",
        "Home conditions;Emotional care;",
    ],
    [
        2,
        dt.datetime(2016, 10, 4, 9, 0),
        dt.datetime(2016, 10, 4, 9, 5),
        "anonymous",
        None,
        None,
        "Children's social care",
        None,
    ],
    [
        3,
        dt.datetime(2016, 10, 5, 9, 0),
        dt.datetime(2016, 10, 5, 9, 5),
        "bo@example.org",
        "Bo Jones",
        None,
        "health",
        "Health;",
    ],
]


def test_a_forms_export_is_read_into_item_columns(tmp_path, mini_forms):
    table = read_export(write_xlsx(tmp_path / "forms.xlsx", FORMS_ROWS), mini_forms, "msforms")
    assert list(table.columns) == ["response_id", "agency", "used_home", "used_health"]
    assert list(table.index) == [2, 3, 4]
    assert table["response_id"].tolist() == ["1", "2", "3"]
    assert table["used_home"].tolist() == ["yes", "", "no"]
    assert table["used_health"].tolist() == ["no", "", "yes"]


def test_personal_data_of_a_forms_export_never_reaches_a_dataframe(tmp_path, mini_forms, monkeypatch):
    path = write_xlsx(tmp_path / "forms.xlsx", FORMS_ROWS)
    DataFrameSpy.built = []
    monkeypatch.setattr(pd, "DataFrame", DataFrameSpy)
    table = read_export(path, mini_forms, "msforms")
    monkeypatch.undo()
    assert any("Children's social care" in text for text in DataFrameSpy.built), "the spy saw no answers"
    for text in DataFrameSpy.built + [table.to_csv()]:
        assert not [value for value in PERSONAL if value in text]


def test_a_file_that_is_not_a_forms_export_is_refused(tmp_path, mini_forms):
    path = write_xlsx(tmp_path / "forms.xlsx", [["ID", "Email", "Which agency do you work for?"], [1, "x", "Health"]])
    assert export_error(path, mini_forms, "msforms") == (
        "forms.xlsx: the file does not look like a Microsoft Forms export: row 1 has no 'Start time', "
        "'Completion time' column. Download the responses from Forms (Responses → Open in Excel), or change the "
        "instrument's format."
    )


# --- the example exports, through a round -------------------------------------------------------------------


def survey_answers(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="response_id").reset_index(drop=True)


def test_the_surveymonkey_example_round_gives_the_csv_rounds_records_and_counts():
    csv_round, sm_round = load_round(REPO / "parameters" / "llr-2017.yaml"), load_round(SM_PARAMETERS)
    assert sm_round.id == "llr-2017-sm"
    assert sm_round.instruments["survey"].format is None  # issue 17: recognised from the file
    assert recognise_format(sm_round.instruments["survey"].data)[0].name == "surveymonkey"
    expected = load_round_records(csv_round)["survey"]
    survey = load_round_records(sm_round)["survey"]
    pd.testing.assert_frame_equal(survey_answers(survey), survey_answers(expected))
    counts = count_records(survey, sm_round.instruments["survey"].codebook, sm_round)
    assert (counts.records, counts.complete) == (61, 39)
    assert list(survey.index[:2]) == [3, 4]
    assert survey["response_id"].iloc[0] == "10598230000"


def test_the_surveymonkey_example_round_gives_the_csv_rounds_survey_findings_and_quotes():
    rounds = [load_round(REPO / "parameters" / "llr-2017.yaml"), load_round(SM_PARAMETERS)]
    records = [load_round_records(round_) for round_ in rounds]
    findings = [compute_findings(round_, found) for round_, found in zip(rounds, records)]
    assert findings[0].counts["survey"] == findings[1].counts["survey"]
    for table in ("indicators", "distributions"):
        survey = [getattr(found, table).query("instrument == 'survey'").reset_index(drop=True) for found in findings]
        assert len(survey[0]) > 0
        pd.testing.assert_frame_equal(survey[1], survey[0])
    quotes = [select_quotes(round_, found) for round_, found in zip(rounds, records)]
    assert quotes[1].quotes == quotes[0].quotes and len(quotes[0].quotes) > 0


def test_the_surveymonkey_example_as_xlsx_gives_the_same_records(tmp_path):
    rows = list(
        csv.reader(io.StringIO((EXAMPLES / "llr-2017-survey-surveymonkey.csv").read_text(encoding="utf-8-sig")))
    )
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    codebook = load_round(SM_PARAMETERS).instruments["survey"].codebook
    pd.testing.assert_frame_equal(
        read_export(path, codebook, "surveymonkey"),
        read_export(EXAMPLES / "llr-2017-survey-surveymonkey.csv", codebook, "surveymonkey"),
    )


def test_the_forms_example_gives_the_csv_rounds_records(example_round: RoundCopy):
    expected = load_round_records(load_round(example_round.parameters))["survey"]
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey-msforms.xlsx\n    format: msforms",
    )
    survey = load_round_records(load_round(example_round.parameters))["survey"]
    pd.testing.assert_frame_equal(survey_answers(survey), survey_answers(expected))
    assert survey["response_id"].tolist()[:3] == ["1", "2", "3"]


def test_a_value_problem_in_an_export_names_the_row_excel_shows(example_round: RoundCopy):
    export = example_round.root / "data_templates" / "examples" / "llr-2017-survey-surveymonkey.csv"
    text = export.read_text(encoding="utf-8-sig")
    export.write_text(text.replace("Health,,Leicestershire,Yes,", "Health,,Leicestershire,Maybe,", 1), encoding="utf-8")
    parameters = example_round.root / "parameters" / "llr-2017-surveymonkey.yaml"
    with pytest.raises(DataValidationError) as caught:
        load_round_records(load_round(parameters))
    assert [str(problem) for problem in caught.value.problems] == [
        "llr-2017-survey-surveymonkey.csv, row 4, column 'attended_launch': 'Maybe' is not an allowed value; "
        "allowed: yes, no."
    ]


def test_an_export_given_with_no_format_is_recognised(example_round: RoundCopy):
    # Issue 17: this export once needed 'format: surveymonkey' (the reader asked for it); it is now recognised.
    expected = load_round_records(load_round(example_round.parameters))["survey"]
    example_round.edit_parameters("llr-2017-survey.csv", "llr-2017-survey-surveymonkey.csv")
    round_ = load_round(example_round.parameters)
    assert round_.instruments["survey"].format is None
    survey = load_round_records(round_)["survey"]
    pd.testing.assert_frame_equal(survey_answers(survey), survey_answers(expected))


def test_an_unknown_format_is_named_in_the_parameters_error(example_round: RoundCopy):
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey.csv\n    format: qualtrics",
    )
    with pytest.raises(ParametersError) as caught:
        load_round_records(load_round(example_round.parameters))
    assert str(caught.value) == (
        "llr-2017.yaml: instruments → survey → format: 'qualtrics' is not a known data format; "
        "known formats: googleforms, msforms, surveymonkey, table."
    )


# --- Google Forms ---------------------------------------------------------------------------------------

GOOGLE_CODEBOOK = """\
codebook: google_mini
title: Google mini survey
record: response
records: responses
partial_records: true
items:
  - id: response_id
    question: Response number
    source: ID
    type: text
    required: true
    unique: true
    identifying: true
  - id: agency
    question: Which agency do you work for?
    source: "Which agency do you work for?"
    type: choice
    values:
      - {code: health, label: Health}
      - {code: social_care, label: Children's social care}
  - id: worked_housing
    question: Worked with housing
    source: "Who did you work with? | Housing, benefits and debt"
    type: choice
    values: [yes, no]
  - id: worked_health
    question: Worked with health
    source: "Who did you work with? | Health"
    type: choice
    values: [yes, no]
  - id: worked_health_visiting
    question: Worked with health visiting
    source: "Who did you work with? | Health visiting"
    type: choice
    values: [yes, no]
"""

GOOGLE_ROWS = [
    ["Timestamp", "Email address", "Which agency do you work for?", "Who did you work with?"],
    ["2024/01/15 10:23:45 am GMT", "ann@example.org", "Health", "Health visiting, Housing, benefits and debt"],
    ["2024/01/16 9:01:02 am GMT", "bo@example.org", "Children’s social care", ""],
    ["2024/01/17 4:45:00 pm GMT", "cy@example.org", "health", "Health, Health visiting"],
]


@pytest.fixture
def google(tmp_path: Path):
    path = tmp_path / "google_mini.yaml"
    path.write_text(GOOGLE_CODEBOOK, encoding="utf-8")
    return load_codebook(path)


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_google_forms_multi_select_answer_is_split_on_the_codebooks_options_longest_first(tmp_path, google, writer):
    path = writer(tmp_path / f"form{'.csv' if writer is write_csv else '.xlsx'}", GOOGLE_ROWS)
    table = read_export(path, google, "googleforms")
    assert list(table.index) == [2, 3, 4]
    assert table["worked_housing"].tolist() == ["yes", "", "no"]
    assert table["worked_health"].tolist() == ["no", "", "yes"]  # "Health visiting" is not "Health"
    assert table["worked_health_visiting"].tolist() == ["yes", "", "yes"]
    assert table.attrs[READ_PROBLEMS] == []


def test_google_forms_numbers_no_response_so_its_row_is_the_response_number(tmp_path, google):
    table = read_export(write_csv(tmp_path / "form.csv", GOOGLE_ROWS), google, "googleforms")
    assert table["response_id"].tolist() == ["2", "3", "4"]
    blank = [[""] * 4] * 3  # a Sheet's grid below its last response
    table = read_export(
        write_csv(tmp_path / "form.csv", [*GOOGLE_ROWS[:2], *blank, GOOGLE_ROWS[2], *blank]), google, "googleforms"
    )
    assert list(table.index) == [2, 6] and table["response_id"].tolist() == ["2", "6"]


def test_many_responses_read_their_ids_as_the_careful_reader_reads_them(tmp_path, mini, google):
    """More responses than the grid samples to tell an id (each id read as the parser read it, unhashed): the same
    table as the careful reader's rows give, blank rows and a totals row after the data left out."""
    answers = [row[1:] for row in SM_ROWS]
    rows = [[str(9000 + number), *answers[number % len(answers)]] for number in range(5000)]
    rows[17] = [""] * len(SM_TOP)
    rows[4100][0] = " \u2003"  # blank beyond ASCII: the row still holds answers
    ended = [*rows, ["Total", *[""] * (len(SM_TOP) - 1)]]
    path = write_csv(tmp_path / "export.csv", [SM_TOP, SM_SUB, *ended])
    table = read_export(path, mini, "surveymonkey")
    careful = read_export_rows(path, list(read_csv_grid(path)), mini, "surveymonkey")
    assert table.equals(careful) and table.index.equals(careful.index)
    assert read_rows(path, 2).distinct_texts(0) is not None, "the ids were not read as the parser read them"
    assert len(table) == 4999 and 20 not in table.index and table.loc[4103, "response_id"] == " \u2003"
    assert table.loc[3, "response_id"] == "9000" and type(table.loc[5002, "response_id"]) is str
    write_csv(path, [SM_TOP, SM_SUB, *ended[:40], ended[-1], *ended[40:-1]])
    assert "row 43 looks like a totals row ('Total'), but rows below it hold data" in export_error(
        path, mini, "surveymonkey"
    )
    responses = [GOOGLE_ROWS[1 + number % 3] for number in range(5000)]
    responses[4500] = [*GOOGLE_ROWS[1][:3], "Police, Health"]
    path = write_csv(tmp_path / "form.csv", [GOOGLE_ROWS[0], *responses[:9], [""] * 4, *responses[9:]])
    table = read_export(path, google, "googleforms")
    careful = read_export_rows(path, list(read_csv_grid(path)), google, "googleforms")
    assert table.equals(careful) and table.attrs[READ_PROBLEMS] == careful.attrs[READ_PROBLEMS]
    assert [(problem.row, problem.value) for problem in table.attrs[READ_PROBLEMS]] == [(4503, "Police")]
    assert table.loc[4503, "worked_health"] == "yes" and table.loc[3, "worked_health"] == ""
    assert table["response_id"].tolist() == [str(row) for row in [*range(2, 11), *range(12, 5003)]]


def test_personal_data_of_a_google_forms_export_never_reaches_a_dataframe(tmp_path, google, monkeypatch):
    path = write_xlsx(tmp_path / "form.xlsx", GOOGLE_ROWS)
    DataFrameSpy.built = []
    monkeypatch.setattr(pd, "DataFrame", DataFrameSpy)
    table = read_export(path, google, "googleforms")
    monkeypatch.undo()
    assert any("Children’s social care" in text for text in DataFrameSpy.built), "the spy saw no answers"
    for text in DataFrameSpy.built + [table.to_csv()]:
        assert not [value for value in PERSONAL if value in text]


GOOGLE_ROUND = """\
round: google-mini
title: Google mini survey
partnership: Example partnership
period: {start: 2024-01-01, end: 2024-03-31}
instruments:
  survey:
    codebook: google_mini
    data: ../data_templates/examples/form.csv
"""


def google_round(example_round: RoundCopy, rows: list[list[object]]) -> Path:
    """A round of the Google mini survey, its export written from ``rows``, with no areas and no format."""
    write_csv(example_round.root / "data_templates" / "examples" / "form.csv", rows)
    (example_round.root / "data_templates" / "google_mini.yaml").write_text(GOOGLE_CODEBOOK, encoding="utf-8")
    parameters = example_round.root / "parameters" / "google.yaml"
    parameters.write_text(GOOGLE_ROUND, encoding="utf-8")
    return parameters


def test_a_google_forms_round_reads_its_export_with_no_format_and_no_areas(example_round: RoundCopy):
    round_ = load_round(google_round(example_round, GOOGLE_ROWS))
    assert round_.areas == () and round_.instruments["survey"].format is None
    survey = load_round_records(round_)["survey"]
    assert survey["worked_health_visiting"].astype("string").fillna("").tolist() == ["yes", "", "yes"]
    assert survey["agency"].tolist() == ["health", "social_care", "health"]  # "Children’s" is "Children's"


def test_a_multi_select_answer_that_is_none_of_the_codebooks_options_is_a_problem_naming_its_cell(
    example_round: RoundCopy,
):
    rows = [list(row) for row in GOOGLE_ROWS]
    rows[2][3] = "Health, Parenting classes"
    with pytest.raises(DataValidationError) as caught:
        load_round_records(load_round(google_round(example_round, rows)))
    assert [str(problem) for problem in caught.value.problems] == [
        "form.csv, row 3, column 'Who did you work with?': 'Parenting classes' is not one of the options the codebook "
        "names for this question; allowed: 'Housing, benefits and debt', 'Health', 'Health visiting'."
    ]


def test_a_source_matches_its_question_whatever_its_quotes_dashes_and_spaces(tmp_path):
    rows = [list(row) for row in GOOGLE_ROWS]
    rows[0][2] = "Which agency do you work for?\u00a0 "  # a non-breaking and a trailing space
    rows[0][3] = "Who’s on your team – and who did you work with?"
    rows[1][3] = "Health visiting, Housing - benefits and debt"
    codebook_path = tmp_path / "typed.yaml"
    codebook_path.write_text(
        GOOGLE_CODEBOOK.replace("Who did you work with?", "Who's on your team - and who did you work with?").replace(
            "Housing, benefits and debt", "Housing – benefits and debt"
        ),
        encoding="utf-8",
    )
    table = read_export(write_csv(tmp_path / "form.csv", rows), load_codebook(codebook_path), "googleforms")
    assert table["agency"].tolist() == ["Health", "Children’s social care", "health"]
    assert table["worked_housing"].tolist() == ["yes", "", "no"]
    assert table["worked_health"].tolist() == ["no", "", "yes"]


def test_an_unmatched_question_shows_at_most_five_of_each_with_how_many_more(tmp_path):
    questions = [f"Question number {number} about the toolkit and its use in practice" for number in range(1, 9)]
    rows = [["Timestamp", *questions], ["2024/01/15 10:23:45 am GMT", *["x"] * 8]]
    codebook_path = tmp_path / "long.yaml"
    items = "".join(
        f'  - id: q{number}\n    question: Q{number}\n    source: "Question {number} about the toolkit"\n'
        f"    type: text\n"
        for number in range(1, 8)
    )
    codebook_path.write_text(GOOGLE_CODEBOOK.split("items:")[0] + "items:\n" + items, encoding="utf-8")
    path = write_csv(tmp_path / "form.csv", rows)
    item_lines = [
        line
        for number in range(1, 6)
        for line in (
            f"      q{number}: 'Question {number} about the toolkit'",
            f"        nearest in the export: 'Question «number» {number} about the toolkit «and its use in practice»'",
        )
    ]
    question_lines = [
        f"      'Question number {number} about the toolkit and its use in practice' (nearest to item q{number})"
        for number in range(1, 6)
    ]
    assert export_error(path, load_codebook(codebook_path), "googleforms") == "\n".join(
        [
            "form.csv: the export's questions do not match the codebook long.yaml.",
            "    Items whose source is not a question in the export:",
            *item_lines,
            "      and 2 more items.",
            "    Questions in the export that no item names:",
            *question_lines,
            "      and 3 more questions.",
            "    Words marked «so» are where an item's source and the question differ.",
            "    An item's source must be its question as the export writes it; case, spacing, quotes and dashes may "
            "differ. For one option of a multi-select question, write 'Question | Option'. auditkit draft-codebook "
            "writes a codebook whose sources are the export's questions.",
        ]
    )


# --- a plain export: a table of questions ------------------------------------------------------------------


def test_a_plain_export_of_questions_is_read_by_each_items_source(example_round: RoundCopy):
    expected = load_round_records(load_round(example_round.parameters))["survey"]
    example_round.edit_parameters("llr-2017-survey.csv", "llr-2017-survey-plain.csv")
    survey = load_round_records(load_round(example_round.parameters))["survey"]
    pd.testing.assert_frame_equal(survey_answers(survey), survey_answers(expected))
    assert survey["response_id"].tolist()[:3] == ["1", "2", "3"]
