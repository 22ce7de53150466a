"""The registry of data formats: names, the unknown-name error, a custom format, and recognising exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPO, RoundCopy

from auditkit.cli import main
from auditkit.config.round import load_round
from auditkit.errors import DataValidationError, ParametersError
from auditkit.read import formats
from auditkit.read.formats import (
    FORMATS,
    FormatRegistry,
    GoogleFormsFormat,
    MicrosoftFormsFormat,
    SurveyFormat,
    SurveyMonkeyFormat,
    TableFormat,
    recognise_format,
    round_formats,
)
from auditkit.read.tables import header_text, read_rows, read_table
from auditkit.read.validation import load_round_records

EXAMPLES = REPO / "data_templates" / "examples"
UNKNOWN = (
    "llr-2017.yaml: instruments → survey → format: 'qualtrics' is not a known data format; "
    "known formats: googleforms, msforms, surveymonkey, table."
)


def header(path: Path) -> list[str]:
    return [header_text(cell) for cell in read_rows(path)[0]]


class ReversedFormat(SurveyFormat):
    """A table read upside down: the last response first, as no survey tool writes it."""

    name = "reversed_table"
    title = "Reversed table"

    def read(self, path, codebook):
        return read_table(path).iloc[::-1]


@pytest.fixture
def registry(monkeypatch) -> FormatRegistry:
    """A copy of FORMATS in its place, so that a test's registrations go no further."""
    copied = FORMATS.copy()
    monkeypatch.setattr(formats, "FORMATS", copied)
    return copied


# --- the registry -----------------------------------------------------------------------------------------


def test_the_shipped_formats_are_registered_by_name():
    assert FORMATS.names() == ("googleforms", "msforms", "surveymonkey", "table")
    assert isinstance(FORMATS.get("googleforms"), GoogleFormsFormat)
    assert FORMATS.get("googleforms").title == "Google Forms"
    assert isinstance(FORMATS.get("table"), TableFormat)
    assert isinstance(FORMATS.get("surveymonkey"), SurveyMonkeyFormat)
    assert isinstance(FORMATS.get("msforms"), MicrosoftFormsFormat)
    assert FORMATS.get("msforms").title == "Microsoft Forms"
    assert FORMATS.get() is FORMATS.get("table")


def test_an_unknown_format_name_lists_the_known_ones():
    with pytest.raises(ParametersError) as caught:
        FORMATS.get("qualtrics")
    assert str(caught.value) == (
        "'qualtrics' is not a known data format; known formats: googleforms, msforms, surveymonkey, table."
    )


def test_register_adds_a_format_and_unregister_removes_it():
    registry = FormatRegistry()
    assert registry.register(ReversedFormat) is ReversedFormat
    assert registry.names() == ("reversed_table",)
    assert isinstance(registry.get("reversed_table"), ReversedFormat)
    assert isinstance(registry.unregister("reversed_table"), ReversedFormat)
    assert registry.names() == ()
    assert FORMATS.names() == ("googleforms", "msforms", "surveymonkey", "table")


def test_register_refuses_a_name_taken_a_bad_name_and_what_is_not_a_format(registry: FormatRegistry):
    class Another(TableFormat):
        pass

    class Shouting(TableFormat):
        name = "Shouting"

    with pytest.raises(ValueError, match="'table' is registered already"):
        registry.register(Another)
    with pytest.raises(ValueError, match="must be lower-case letters"):
        registry.register(Shouting)
    with pytest.raises(ValueError, match="subclass of SurveyFormat"):
        registry.register(str)


def test_a_copy_changes_without_changing_the_registry(registry: FormatRegistry):
    registry.register(ReversedFormat)
    assert "reversed_table" in registry.names()
    assert "reversed_table" not in FORMATS.names()


# --- through a round ------------------------------------------------------------------------------------


def test_an_unknown_format_in_the_parameters_file_is_one_line_naming_file_instrument_and_formats(
    example_round: RoundCopy,
):
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey.csv\n    format: qualtrics",
    )
    round_ = load_round(example_round.parameters)
    with pytest.raises(ParametersError) as caught:
        load_round_records(round_)
    assert str(caught.value) == UNKNOWN
    result = CliRunner().invoke(main, ["validate", str(example_round.parameters)])
    assert result.exit_code == 1
    assert result.output == f"Error: {UNKNOWN}\n"


def test_a_format_name_in_capitals_is_refused_with_the_name_to_write(example_round: RoundCopy):
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey.csv\n    format: SurveyMonkey",
    )
    with pytest.raises(ParametersError) as caught:
        load_round(example_round.parameters)
    assert str(caught.value).splitlines()[1] == (
        "  llr-2017.yaml: key 'instruments → survey → format': 'SurveyMonkey' is not a data format's name; "
        "write it in lower-case letters, as in 'format: surveymonkey'."
    )


def test_a_custom_format_reads_an_instrument_of_a_round(example_round: RoundCopy, registry: FormatRegistry):
    expected = load_round_records(load_round(example_round.parameters))["survey"]
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey.csv\n    format: reversed_table",
    )
    round_ = load_round(example_round.parameters)
    assert round_.instruments["survey"].format == "reversed_table"
    with pytest.raises(ParametersError, match="'reversed_table' is not a known data format"):
        load_round_records(round_)
    registry.register(ReversedFormat)
    survey = load_round_records(round_)["survey"]
    assert list(survey.index) == list(expected.index[::-1])
    pd.testing.assert_frame_equal(survey.sort_index(), expected)


def test_a_survey_export_given_as_a_table_asks_for_that_line_to_go(example_round: RoundCopy):
    # Issue 17: an export with no format is recognised (tests/read/test_surveys.py); one that says it is a table is
    # refused with the line to delete.
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey-msforms.xlsx\n    format: table",
    )
    with pytest.raises(DataValidationError) as caught:
        load_round_records(load_round(example_round.parameters))
    assert [str(problem) for problem in caught.value.problems] == [
        "llr-2017-survey-msforms.xlsx: the file looks like a Microsoft Forms export, but the instrument 'survey' in "
        "the parameters file says 'format: table'; delete that line (auditkit recognises Microsoft Forms exports), "
        "so that its questions are matched to the codebook's items by their source."
    ]


# --- recognising a file's format ------------------------------------------------------------------------------


SHIPPED_EXPORTS = [
    ("llr-2017-survey-surveymonkey.csv", SurveyMonkeyFormat),
    ("llr-2017-survey-msforms.xlsx", MicrosoftFormsFormat),
    ("llr-2017-survey-googleforms.csv", GoogleFormsFormat),
    ("llr-2017-survey-googlesheet.xlsx", GoogleFormsFormat),
    ("llr-2017-survey-googlesheet.csv", GoogleFormsFormat),
]


@pytest.mark.parametrize(("name", "expected"), SHIPPED_EXPORTS)
def test_detect_recognises_the_example_exports(name: str, expected: type[SurveyFormat]):
    path = EXAMPLES / name
    found = FORMATS.detect(path, header(path))
    assert isinstance(found, expected)
    assert [data_format.detect(path, header(path)) for data_format in map(FORMATS.get, FORMATS.names())] == [
        data_format is found for data_format in map(FORMATS.get, FORMATS.names())
    ]


@pytest.mark.parametrize("name", ["llr-2017-survey.csv", "llr-2017-survey-plain.csv"])
def test_detect_finds_no_format_in_a_plain_table(name: str):
    path = EXAMPLES / name
    assert FORMATS.detect(path, header(path)) is None
    assert TableFormat().detect(path, header(path)) is False
    assert isinstance(recognise_format(path)[0], TableFormat)


def test_a_workbook_is_read_once_to_recognise_it_and_a_csv_file_by_its_first_row():
    data_format, data = recognise_format(EXAMPLES / "llr-2017-survey-googlesheet.xlsx")
    assert isinstance(data_format, GoogleFormsFormat)
    assert data.sheet == "Form Responses 1" and data.header[0] == "Timestamp" and len(data.rows) == 62
    data_format, data = recognise_format(EXAMPLES / "llr-2017-survey-googleforms.csv")
    assert isinstance(data_format, GoogleFormsFormat) and data is None


@pytest.mark.parametrize("name", [name for name, _ in SHIPPED_EXPORTS] + ["llr-2017-survey-plain.csv"])
def test_each_example_export_is_read_as_it_comes_with_no_format(example_round: RoundCopy, name: str):
    expected = load_round_records(load_round(example_round.parameters))["survey"]
    example_round.edit_parameters("llr-2017-survey.csv", name)
    result = CliRunner().invoke(main, ["validate", str(example_round.parameters)])
    assert result.exit_code == 0, result.output
    assert f"survey: 61 records in {name}: no problems found." in result.output
    survey = load_round_records(load_round(example_round.parameters))["survey"]
    pd.testing.assert_frame_equal(
        survey.drop(columns="response_id").reset_index(drop=True),
        expected.drop(columns="response_id").reset_index(drop=True),
    )


def test_an_explicit_format_wins_over_the_one_the_file_looks_like(example_round: RoundCopy, registry: FormatRegistry):
    registry.register(ReversedFormat)
    example_round.edit_parameters(
        "data: ../data_templates/examples/llr-2017-survey.csv",
        "data: ../data_templates/examples/llr-2017-survey.csv\n    format: reversed_table",
    )
    round_ = load_round(example_round.parameters)
    assert isinstance(round_formats(round_)["survey"], ReversedFormat)
    assert round_formats(round_)["deep_dive"] is None  # recognised from its file when it is read
    assert list(load_round_records(round_)["survey"].index[:2]) == [62, 61]
