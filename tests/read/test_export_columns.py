"""The columns of each tool's export: questions, options, the tool's own columns and the personal data left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from auditkit.errors import DataError
from auditkit.read.export_columns import (
    ExportColumn,
    export_columns,
    is_forms_header,
    is_google_header,
    is_surveymonkey_header,
)
from auditkit.read.tables import read_rows

EXAMPLES = REPO / "data_templates" / "examples"


def columns_of(name: str, export_format: str) -> list[ExportColumn]:
    path = EXAMPLES / name
    return export_columns(path, read_rows(path, header_rows=2 if export_format == "surveymonkey" else 1), export_format)


@pytest.mark.parametrize(
    "name", ["llr-2017-survey-googleforms.csv", "llr-2017-survey-googlesheet.xlsx", "llr-2017-survey-googlesheet.csv"]
)
def test_a_google_forms_export_has_its_timestamp_as_metadata_and_its_email_as_personal_data(name: str):
    columns = columns_of(name, "googleforms")
    assert [(column.question, column.metadata, column.personal) for column in columns[:3]] == [
        ("Timestamp", True, False),
        ("Email address", True, True),
        ("What is your name? (optional)", False, False),  # a question: draft-codebook leaves it out by its words
    ]
    assert columns[3].question == "Which agency do you work for? (If more than one, choose the main one.)"
    assert all(not column.option for column in columns)


def test_a_username_column_is_personal_data(tmp_path: Path):
    path = tmp_path / "form.csv"
    path.write_text('"Timestamp","Username","Score","Which agency?"\n"2024/01/15 10:23:45 am GMT","ann","3","Health"\n')
    columns = export_columns(path, read_rows(path), "googleforms")
    assert [(column.question, column.metadata, column.personal) for column in columns] == [
        ("Timestamp", True, False),
        ("Username", True, True),
        ("Score", True, False),
        ("Which agency?", False, False),
    ]


def test_a_file_whose_first_column_is_not_timestamp_is_not_a_google_forms_export(tmp_path: Path):
    path = tmp_path / "form.csv"
    path.write_text("When,Which agency?\n2024-01-15,Health\n")
    with pytest.raises(DataError) as caught:
        export_columns(path, read_rows(path), "googleforms")
    assert str(caught.value) == (
        "form.csv: the file does not look like a Google Forms export: its first column is not headed 'Timestamp'. "
        "Download the responses from Forms (Responses → Download responses (.csv)) or from the linked Sheet "
        "(File → Download), or change the instrument's format."
    )


def test_a_surveymonkey_export_has_options_under_its_questions_and_its_contact_details_as_personal_data():
    columns = columns_of("llr-2017-survey-surveymonkey.csv", "surveymonkey")
    personal = [column.question for column in columns if column.personal]
    assert personal == ["IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"]
    parts = [column.option for column in columns if column.question.startswith("Which parts of the toolkit")]
    assert parts == ["Home conditions", "Health and development", "Emotional care", "Supervision and safety"]
    assert [column.shown for column in columns if column.option == "Other (please specify)"] == [
        "Which agency do you work for? (If more than one, choose the main one.) | Other (please specify)"
    ]


def test_a_plain_export_has_every_header_as_a_question():
    columns = columns_of("llr-2017-survey-plain.csv", "table")
    assert [column.question for column in columns[:2]] == [
        "ID",
        "Which agency do you work for? (If more than one, choose the main one.)",
    ]
    assert not any(column.personal or column.metadata for column in columns)


def test_each_tool_is_recognised_by_its_first_row_only():
    assert is_surveymonkey_header(["Respondent ID", "Collector ID"])
    assert is_forms_header(["ID", "Start time", "Completion time", "Email"])
    assert is_google_header(["Timestamp", "Email address"])
    assert not is_google_header(["timestamp", "agency"])  # a table's item id, not Google's column
    assert not is_google_header(["Email address", "Timestamp"])
    assert not is_google_header([])
