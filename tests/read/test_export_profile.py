"""Profiling an export for a draft codebook: each question's kind of answers, the personal data left out, and the
files refused, with what was seen."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import REPO

from auditkit.errors import DataError
from auditkit.read.export_profile import MIN_REPEATS, ColumnProfile, profile_export

EXAMPLES = REPO / "data_templates" / "examples"
PARTS = "Which parts of the toolkit have you used? (Tick all that apply.)"


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def kinds(columns: tuple[ColumnProfile, ...]) -> list[tuple[str, str]]:
    return [(column.source, column.kind) for column in columns]


def profile_error(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        profile_export(path)
    return str(caught.value)


# --- the example exports ---------------------------------------------------------------------------------


def test_a_google_forms_export_is_profiled_question_by_question():
    profile = profile_export(EXAMPLES / "llr-2017-survey-googleforms.csv")
    assert (profile.format_name, profile.described, profile.responses) == (
        "googleforms",
        "the Google Forms export",
        61,
    )
    assert profile.metadata == ("Timestamp",)
    assert [(left.question, left.reason) for left in profile.left_out] == [
        ("Email address", "the tool's column of personal data"),
        ("What is your name? (optional)", "its question asks for personal data"),
    ]
    assert kinds(profile.columns) == [
        ("ID", "row_number"),
        ("Which agency do you work for? (If more than one, choose the main one.)", "choice"),
        ("Which local authority area do you mainly work in?", "choice"),
        ("Did you attend the launch event for the neglect toolkit on 7 July 2016?", "scale"),
        ("Before today, were you aware of the neglect toolkit?", "scale"),
        ("Have you used the neglect toolkit with a child or family?", "scale"),
        (f"{PARTS} | Home conditions", "ticked"),
        (f"{PARTS} | Health, growth and development", "ticked"),  # an option holding a comma
        (f"{PARTS} | Supervision and safety", "ticked"),
        (f"{PARTS} | Emotional care", "ticked"),
        ("If you have used the toolkit: it helped my assessment", "scale"),
        ("I feel confident recognising neglect", "scale"),
        ("Do you know the procedure for escalating concerns about a child?", "scale"),
        ("I feel confident challenging decisions about a child's safety", "scale"),
        ("How have you used the toolkit, and what difference has it made?", "text"),
        ("May we quote your comment in our briefing, without your name?", "scale"),
    ]
    agency = profile.columns[1]
    assert [label for _, label in agency.values] == [
        "Health",
        "Early help",
        "Voluntary sector",
        "Children's social care",
        "Education",
        "Other",
        "Police",
    ]


def test_a_surveymonkey_export_takes_its_options_from_its_second_header_row():
    profile = profile_export(EXAMPLES / "llr-2017-survey-surveymonkey.csv")
    assert profile.metadata == ("Collector ID", "Start Date", "End Date")
    assert [left.question for left in profile.left_out] == [
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    assert kinds(profile.columns)[:3] == [
        ("Respondent ID", "response_id"),
        ("Which agency do you work for? (If more than one, choose the main one.)", "choice"),
        ("Which agency do you work for? (If more than one, choose the main one.) | Other (please specify)", "text"),
    ]
    assert [column.option for column in profile.columns if column.kind == "ticked"] == [
        "Home conditions",
        "Health and development",
        "Emotional care",
        "Supervision and safety",
    ]


def test_scales_are_written_whole_with_met_values_proposed():
    profile = profile_export(EXAMPLES / "llr-2017-survey-msforms.xlsx")
    helpful = next(column for column in profile.columns if column.question.startswith("If you have used"))
    assert (helpful.scale, helpful.met, helpful.ordinal) == ("agreement", ("agree", "strongly_agree"), True)
    assert [code for code, _ in helpful.values] == [
        "strongly_disagree",
        "disagree",
        "neutral",
        "agree",
        "strongly_agree",
    ]
    consent = profile.columns[-1]
    assert (consent.scale, consent.values) == ("yes/no", (("yes", "Yes"), ("no", "No")))


# --- what a column's answers are ---------------------------------------------------------------------------

HEADER = ["ID", "Which team?", "How many cases?", "Date of the visit", "Rate it from 1 to 5", "Anything else?"]


def small_export(tmp_path: Path, rows: list[list[object]]) -> Path:
    return write_csv(tmp_path / "export.csv", [HEADER, *rows])


def test_numbers_dates_numbered_scales_and_rare_answers_are_told_apart(tmp_path: Path):
    rows = [
        [1, "Team A", 12, "2024-01-15", 1, "Fine"],
        [2, "Team A", 3, "15/01/2024", 5, "Nothing"],
        [3, "Team A", 40, "2024-01-16", 2, "ZQXRARE answer"],
        [4, "Team B", 7, "2024-01-17", 4, ""],
    ]
    profile = profile_export(small_export(tmp_path, rows))
    assert kinds(profile.columns) == [
        ("ID", "response_id"),
        ("Which team?", "text"),  # Team B was given once: not copied, so free text
        ("How many cases?", "numbers"),
        ("Date of the visit", "date"),
        ("Rate it from 1 to 5", "numbered_scale"),
        ("Anything else?", "text"),
    ]
    assert profile.columns[1].left_out == 1
    assert [code for code, _ in profile.columns[4].values] == ["1", "2", "3", "4", "5"]


def test_an_answer_given_three_times_is_a_value_but_not_one_that_looks_like_personal_data_or_a_formula(
    tmp_path: Path,
):
    rows = [[number, "Team A" if number % 2 else "Team B", 1, "2024-01-15", 1, "x"] for number in range(1, 7)]
    assert [label for _, label in profile_export(small_export(tmp_path, rows)).columns[1].values] == [
        "Team A",
        "Team B",
    ]
    rows = [[number, "=ZQX(1)" if number % 2 else "Team B", 1, "2024-01-15", 1, "x"] for number in range(1, 7)]
    column = profile_export(small_export(tmp_path, rows)).columns[1]
    assert (column.kind, column.values, column.left_out) == ("text", (), 1)


def test_a_column_whose_answers_look_like_contact_details_is_left_out(tmp_path: Path):
    rows = [[number, "Team A", 1, "2024-01-15", 1, f"call 0{number}"] for number in range(1, 5)]
    rows[2][5] = "07700 900123"
    profile = profile_export(small_export(tmp_path, rows))
    assert [(left.question, left.reason) for left in profile.left_out] == [
        ("Anything else?", "some answers look like email addresses, phone numbers, postcodes or IP addresses")
    ]


def test_a_microsoft_forms_list_leaves_out_an_option_ticked_fewer_than_three_times(tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", "Who did you work with?"])
    for number, cell in enumerate(["Health;Police;", "Health;", "Police;Health;", "Police;ZQXRARE;", "Health;"]):
        book.active.append([number + 1, "2024-01-15", "2024-01-15", "anonymous", "", cell])
    book.save(tmp_path / "forms.xlsx")
    columns = profile_export(tmp_path / "forms.xlsx").columns
    assert [(column.option, column.kind) for column in columns[1:]] == [("Health", "ticked"), ("Police", "ticked")]
    assert columns[1].left_out == 1


def test_a_google_forms_list_with_an_answer_given_once_is_free_text(tmp_path: Path):
    rows = [["Timestamp", "Who did you work with?"]]
    rows += [["2024/01/15 10:23:45 am GMT", cell] for cell in ["Health, Police", "Health", "Police, Health"] * 2]
    rows.append(["2024/01/15 10:23:45 am GMT", "Health, ZQXOTHER my aunt"])
    column = profile_export(write_csv(tmp_path / "form.csv", rows)).columns[1]
    assert (column.kind, column.values) == ("text", ())
    assert MIN_REPEATS == 3


# --- files refused -----------------------------------------------------------------------------------------


def test_a_file_of_one_column_is_refused_saying_so(tmp_path: Path):
    path = tmp_path / "letter.csv"
    path.write_text("Dear colleague\nPlease find the survey attached\nThanks\n", encoding="utf-8")
    assert profile_error(path) == (
        "letter.csv: the file has one column ('Dear colleague'), so it is not a survey export, which has a column for "
        "each question. If it is CSV separated by something other than commas, semicolons or tabs, save it again as "
        "CSV."
    )


def test_a_file_whose_first_row_is_a_response_is_refused_without_showing_it(tmp_path: Path):
    path = tmp_path / "headless.csv"
    path.write_text(
        "\n".join(
            (EXAMPLES / "llr-2017-survey-plain.csv")
            .read_text(encoding="utf-8-sig")
            .replace("\r\n", "\n")
            .split("\n")[1:]
        ),
        encoding="utf-8",
    )
    message = profile_error(path)
    assert message == (
        "headless.csv: row 1 does not look like a header: of its 9 cells, 8 are also answers in the rows below and 1 "
        "is a number, a date or contact details. A survey export's first row holds its questions; export the file "
        "again with its header row."
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "survey.txt",
            b"Which team?,Why?\nA,B\n",
            "the file is neither CSV (.csv) nor Excel (.xlsx); save it as one of those.",
        ),
        (
            "survey.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "the file holds binary data, not CSV text; save it as CSV or XLSX.",
        ),
        ("survey.csv", b"", "the file is empty: it has no header row and no data."),
        ("survey.csv", b",,\nA,B,C\n", "row 1 is blank: a survey export's first row holds its questions."),
        (
            "survey.csv",
            b"Which team?,Why?\r\n",
            "the file has its header but no responses below it; draft-codebook tells each question's type from its "
            "answers, so export the responses once some are in.",
        ),
    ],
)
def test_a_file_that_is_no_export_is_refused_with_what_was_seen(
    tmp_path: Path, name: str, content: bytes, message: str
):
    path = tmp_path / name
    path.write_bytes(content)
    assert profile_error(path) == f"{name}: {message}"


def test_a_file_too_big_to_draft_from_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"Which team?,Why?\r\n")
        handle.truncate(21 << 20)
    assert profile_error(path) == (
        "huge.csv: the file is 21 MB; draft-codebook reads CSV exports of up to 20 MB and workbooks of up to 5 MB. "
        "Draft the codebook from an export of the first few thousand responses, then validate the whole export with "
        "it."
    )
