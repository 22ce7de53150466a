"""Data-entry templates: what the workbook offers the person filling it in, and that it reads back as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import EXAMPLE_PARAMETERS, FIXTURES, INSTRUMENTS, RoundCopy, convert_with_libreoffice, fill_template

from auditkit.config.codebook import Codebook, load_codebook
from auditkit.config.round import load_round
from auditkit.read.tables import header_text, read_rows
from auditkit.read.validation import load_round_records
from auditkit.run.data_entry import RoundSettings, TemplateError, round_settings, write_template

DEEP_DIVE = INSTRUMENTS / "neglect_deep_dive.yaml"
SURVEY = INSTRUMENTS / "toolkit_survey.yaml"
#: The deep-dive template (made with the example round's parameters), filled in with the example cases
#: as a person would (labels from the lists, real date cells) and saved again by LibreOffice Calc 7.4.
LIBREOFFICE_FILLED = FIXTURES / "llr-2017-cases-template-libreoffice.xlsx"


def use_data(example_round: RoundCopy, old: str, new: Path) -> None:
    example_round.edit_parameters(old, str(new))


@pytest.fixture
def deep_dive() -> Codebook:
    return load_codebook(DEEP_DIVE)


@pytest.fixture
def settings() -> RoundSettings:
    return round_settings(EXAMPLE_PARAMETERS)


@pytest.fixture
def template(tmp_path: Path, deep_dive: Codebook, settings: RoundSettings) -> Path:
    return write_template(deep_dive, tmp_path / "cases.xlsx", settings)


def validations(sheet) -> dict[str, object]:
    """Each validated column's letter → its data validation."""
    return {
        str(validation.sqref).split(":")[0].rstrip("0123456789"): validation
        for validation in sheet.data_validations.dataValidation
    }


def list_labels(workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    sheet = workbook[sheet_name.strip("'")]
    return [cell.value for (cell,) in sheet[cells.replace("$", "")]]


# --- what the workbook holds ----------------------------------------------------------------------------


def test_the_template_has_a_data_sheet_instructions_the_codebook_and_a_hidden_list_sheet(template):
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == ["Data", "Instructions", "Codebook", "Lists"]
    assert [workbook[name].sheet_state for name in workbook.sheetnames] == ["visible", "visible", "visible", "hidden"]
    assert workbook.active.title == "Data"


def test_each_header_shows_the_item_id_then_the_question(template, deep_dive):
    sheet = openpyxl.load_workbook(template)["Data"]
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(deep_dive.items)
    assert headers[0] == "case_ref\nCase reference (unique within the round; never published)\n(required)"
    assert headers[-1] == "notes\nAuditor's notes (internal; never published)"
    assert [header_text(value) for value in headers] == [item.id for item in deep_dive.items]


def test_the_header_is_frozen_and_columns_have_sensible_widths(template):
    sheet = openpyxl.load_workbook(template)["Data"]
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", "C", "D", "I", "O")}
    assert widths == {"A": 20, "C": 16, "D": 16, "I": 16, "O": 44}
    assert sheet.row_dimensions[1].height >= 45  # room for the wrapped question


def test_every_choice_item_has_a_drop_down_list_of_its_labels(template, deep_dive):
    workbook = openpyxl.load_workbook(template)
    checks = validations(workbook["Data"])
    age = checks["D"]
    assert (age.type, age.showDropDown, age.showErrorMessage) == ("list", False, True)
    assert list_labels(workbook, age.formula1) == ["Unborn", "Under 2", "2 to 4", "5 to 11", "12 to 17"]
    assert list_labels(workbook, checks["J"].formula1) == ["Yes", "No", "Not applicable (no conference held)"]
    choice_columns = {
        openpyxl.utils.get_column_letter(index)
        for index, item in enumerate(deep_dive.items, start=1)
        if item.type == "choice"
    }
    assert choice_columns <= {letter for letter, check in checks.items() if check.type == "list"}


def test_the_area_list_holds_the_rounds_areas_and_any_extra_values(tmp_path, settings):
    path = write_template(load_codebook(SURVEY), tmp_path / "survey.xlsx", settings)
    workbook = openpyxl.load_workbook(path)
    area = validations(workbook["Data"])["C"]
    assert list_labels(workbook, area.formula1) == ["Leicester", "Leicestershire", "Rutland", "Other or several areas"]


def test_without_a_round_the_area_column_has_no_list_and_the_instructions_say_so(tmp_path, deep_dive):
    workbook = openpyxl.load_workbook(write_template(deep_dive, tmp_path / "cases.xlsx"))
    assert "B" not in validations(workbook["Data"])
    text = [cell.value for (cell,) in workbook["Instructions"].iter_rows(max_col=1) if cell.value]
    assert "The area column takes the round's areas as its parameters file names them." in text


def test_dates_are_checked_against_the_rounds_period_and_shown_day_first(template):
    sheet = openpyxl.load_workbook(template)["Data"]
    date = validations(sheet)["C"]
    assert (date.type, date.operator, date.formula1, date.formula2) == (
        "date",
        "between",
        "DATE(2016,7,1)",
        "DATE(2017,4,30)",
    )
    assert date.error == "Enter a date from 1 July 2016 to 30 April 2017, such as 30/04/2017."
    assert sheet.column_dimensions["C"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].number_format == "@"  # text stays text: "2-4" is not a date


def test_unique_items_are_checked_for_repeats(template):
    check = validations(openpyxl.load_workbook(template)["Data"])["A"]
    assert (check.type, check.formula1, check.error) == (
        "custom",
        "COUNTIF($A:$A,A2)=1",
        "Each case_ref must be different.",
    )


def test_the_instructions_explain_each_item_required_answers_and_not_applicable(template):
    sheet = openpyxl.load_workbook(template)["Instructions"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(values_only=False)]
    paragraphs = [row[0] for row in rows if row[0] and all(value is None for value in row[1:])]
    assert paragraphs[0] == "Multi-agency neglect deep dive audit: data entry"
    assert (
        '"Not applicable" answers are for questions that do not apply to a case, not for answers that are '
        "unknown. They are left out of the item's percentage: its denominator counts only the cases to which "
        "the item applies."
    ) in paragraphs
    assert "Every required item must be filled in for every case; an optional item may be left blank." in paragraphs
    table = {row[1]: row for row in rows if row[1]}
    assert table["Item id"] == ["Column", "Item id", "Question", "How to answer", "Required", "Not applicable"]
    assert table["conference_notice"][3:] == [
        "Choose from the list: Yes; No; Not applicable (no conference held).",
        "yes",
        "Not applicable (no conference held): left out of the percentage",
    ]
    assert table["audit_date"][3] == (
        "A date, written 30/04/2017 or 2017-04-30. It must fall within the round's period, 1 July 2016 to 30 April 2017."
    )
    assert table["case_ref"][3] == "Text. Each row's value must be different. Never published."
    assert table["notes"][4] == "no"


def test_the_codebook_sheet_lists_every_item_with_its_values(template, deep_dive):
    sheet = openpyxl.load_workbook(template)["Codebook"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert [cell.value for cell in sheet[1]][:5] == ["Item id", "Question", "Label", "Type", "Values (code = label)"]
    assert rows["toolkit_used"][:8] == (
        "toolkit_used",
        deep_dive.item("toolkit_used").question,
        "Neglect toolkit used",
        "choice",
        "yes = Yes; no = No",
        "yes",
        None,
        "yes",
    )
    assert rows["case_ref"][9] == "yes"  # never published


# --- filled in, it reads back and validates as it is ---------------------------------------------------------


def test_a_template_filled_in_with_labels_and_dates_validates_to_the_csvs_records(example_round, tmp_path):
    expected = load_round_records(load_round(example_round.parameters))["deep_dive"]
    codebook = load_codebook(DEEP_DIVE)
    template = write_template(codebook, tmp_path / "template.xlsx", round_settings(example_round.parameters))
    filled = fill_template(template, codebook, example_round.cases, tmp_path / "filled.xlsx")
    use_data(example_round, "../data_templates/examples/llr-2017-cases.csv", filled)
    records = load_round_records(load_round(example_round.parameters))["deep_dive"]
    pd.testing.assert_frame_equal(records, expected)


def test_a_filled_template_saved_again_by_libreoffice_validates_to_the_csvs_records(example_round):
    expected = load_round_records(load_round(example_round.parameters))["deep_dive"]
    use_data(example_round, "../data_templates/examples/llr-2017-cases.csv", LIBREOFFICE_FILLED)
    records = load_round_records(load_round(example_round.parameters))["deep_dive"]
    pd.testing.assert_frame_equal(records, expected)


@pytest.mark.libreoffice
def test_a_template_filled_in_now_and_saved_by_libreoffice_validates(example_round, tmp_path):
    expected = load_round_records(load_round(example_round.parameters))
    survey_codebook = load_codebook(SURVEY)
    settings = round_settings(example_round.parameters)
    template = write_template(survey_codebook, tmp_path / "survey-template.xlsx", settings)
    filled = fill_template(template, survey_codebook, example_round.survey, tmp_path / "survey.xlsx")
    saved = convert_with_libreoffice(filled, "xlsx", tmp_path / "saved")  # LibreOffice saves it again
    use_data(example_round, "../data_templates/examples/llr-2017-survey.csv", saved)
    records = load_round_records(load_round(example_round.parameters))
    pd.testing.assert_frame_equal(records["survey"], expected["survey"])


def test_the_csv_template_is_a_header_row_of_item_ids_that_reads_back(example_round, tmp_path, deep_dive):
    path = write_template(deep_dive, tmp_path / "cases.csv")
    assert path.read_bytes() == (",".join(item.id for item in deep_dive.items) + "\r\n").encode("ascii")
    body = example_round.cases.read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    expected = load_round_records(load_round(example_round.parameters))["deep_dive"]
    use_data(example_round, "../data_templates/examples/llr-2017-cases.csv", path)
    pd.testing.assert_frame_equal(load_round_records(load_round(example_round.parameters))["deep_dive"], expected)


def test_the_empty_template_reads_as_a_header_of_item_ids(template, deep_dive):
    rows = read_rows(template)
    assert [header_text(cell) for cell in rows[0]] == [item.id for item in deep_dive.items]


def test_formulas_in_a_codebook_reach_the_workbook_as_text_and_the_lists_still_work(tmp_path):
    text = SURVEY.read_text(encoding="utf-8")
    for old, new in (
        ("label: Attended the toolkit launch", 'label: \'=HYPERLINK("https://example.org","Open")\''),
        ("{code: police, label: Police}", "{code: police, label: \"=cmd|' /C calc'!A0\"}"),
        ("question: Did you attend the neglect toolkit launch event?", "question: '@SUM(1+1)'"),
    ):
        assert old in text
        text = text.replace(old, new)
    codebook_path = tmp_path / "toolkit_survey.yaml"
    codebook_path.write_text(text, encoding="utf-8")
    settings = RoundSettings(areas=("+1+1", "Rutland"), period=(dt.date(2016, 7, 1), dt.date(2017, 4, 30)))
    workbook = openpyxl.load_workbook(write_template(load_codebook(codebook_path), tmp_path / "survey.xlsx", settings))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    as_text = {(cell.parent.title, cell.value) for cell in cells if cell.quotePrefix}
    assert as_text == {
        ("Codebook", '=HYPERLINK("https://example.org","Open")'),
        ("Codebook", "@SUM(1+1)"),
        ("Instructions", "@SUM(1+1)"),
        ("Lists", "=cmd|' /C calc'!A0"),
        ("Lists", "+1+1"),
    }
    lists = workbook["Lists"]
    assert all(cell.data_type == "s" for row in lists.iter_rows() for cell in row if cell.value is not None)
    checks = validations(workbook["Data"])
    assert list_labels(workbook, checks["B"].formula1)[4] == "=cmd|' /C calc'!A0"
    assert list_labels(workbook, checks["C"].formula1) == ["+1+1", "Rutland", "Other or several areas"]
    assert checks["B"].type == "list" and checks["B"].formula1.startswith("'Lists'!$")


# --- where it is written ---------------------------------------------------------------------------------


def test_an_existing_file_is_not_replaced_without_force(template, deep_dive):
    before = template.read_bytes()
    with pytest.raises(TemplateError) as caught:
        write_template(deep_dive, template)
    assert str(caught.value) == (
        f"{template} already exists and may hold data; choose another name, or add --force to replace it."
    )
    assert template.read_bytes() == before
    write_template(deep_dive, template, force=True)
    assert openpyxl.load_workbook(template).sheetnames[0] == "Data"


def test_a_template_must_be_xlsx_or_csv(tmp_path, deep_dive):
    with pytest.raises(TemplateError) as caught:
        write_template(deep_dive, tmp_path / "cases.ods")
    assert str(caught.value) == (
        "cases.ods: a template is written as .xlsx (a workbook with drop-down lists) or .csv (a header row of item "
        "ids); end the file name with one of those."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path, deep_dive):
    with pytest.raises(TemplateError) as caught:
        write_template(deep_dive, tmp_path / "nowhere" / "cases.xlsx")
    assert str(caught.value) == (
        f"The folder {tmp_path / 'nowhere'} does not exist; create it first or choose another --out."
    )
