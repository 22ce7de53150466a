"""Data validation: every rule, and the sentence a user reads when their data breaks it.

Rows are numbered as Excel shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from auditkit.analysis.findings import count_records
from auditkit.config.round import load_round
from auditkit.errors import DataError, DataValidationError, Problem
from auditkit.read.tables import read_table
from auditkit.read.validation import load_round_records

CASES = "llr-2017-cases.csv"
SURVEY = "llr-2017-survey.csv"


def load_records(example_round) -> dict[str, pd.DataFrame]:
    return load_round_records(load_round(example_round.parameters))


def validation_problems(example_round) -> list[Problem]:
    with pytest.raises(DataValidationError) as caught:
        load_records(example_round)
    return caught.value.problems


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_column(path: Path, name: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rows[0].index(name)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([row[:index] + row[index + 1 :] for row in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def write_xlsx_from_csv(csv_path: Path, xlsx_path: Path, date_column: str | None = None) -> None:
    """Write the CSV's rows to a sheet named Data (after a notes sheet); dates become real date cells."""
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes["A1"] = "The data is on the Data sheet."
    sheet = workbook.create_sheet("Data")
    sheet.append(rows[0])
    date_index = rows[0].index(date_column) if date_column else None
    for row in rows[1:]:
        cells: list[object] = list(row)
        if date_index is not None:
            text = row[date_index]
            fmt = "%Y-%m-%d" if "-" in text else "%d/%m/%Y"
            cells[date_index] = dt.datetime.strptime(text, fmt).date()
        sheet.append(cells)
    workbook.save(xlsx_path)


# --- the example, and what the typed records look like ------------------------------------------------


def test_the_example_round_validates(example_round):
    records = load_records(example_round)
    assert sorted(records) == ["deep_dive", "survey"]
    assert len(records["deep_dive"]) == 10
    assert len(records["survey"]) == 61


def test_records_are_indexed_by_excel_row_number(example_round):
    records = load_records(example_round)
    assert list(records["deep_dive"].index) == list(range(2, 12))
    assert records["deep_dive"].loc[2, "case_ref"] == "DD17-L01"


def test_choice_and_area_columns_are_categories_of_their_codes(example_round):
    cases = load_records(example_round)["deep_dive"]
    assert isinstance(cases["toolkit_used"].dtype, pd.CategoricalDtype)
    assert list(cases["toolkit_used"].cat.categories) == ["yes", "no"]
    assert list(cases["child_age_band"].cat.categories) == ["unborn", "0-1", "2-4", "5-11", "12-17"]
    assert list(cases["area"].cat.categories) == ["Leicester", "Leicestershire", "Rutland"]


def test_survey_area_categories_include_its_extra_value(example_round):
    survey = load_records(example_round)["survey"]
    assert list(survey["area"].cat.categories) == ["Leicester", "Leicestershire", "Rutland", "other"]


def test_date_columns_are_datetimes(example_round):
    cases = load_records(example_round)["deep_dive"]
    assert pd.api.types.is_datetime64_any_dtype(cases["audit_date"])
    assert cases.loc[2, "audit_date"] == pd.Timestamp("2017-04-03")


def test_iso_and_day_first_dates_are_both_accepted(example_round):
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03", "DD17-L01,Leicester,04/03/2017")
    cases = load_records(example_round)["deep_dive"]
    # dd/mm/yyyy is read day first: 04/03/2017 is 4 March, not 3 April.
    assert cases.loc[2, "audit_date"] == pd.Timestamp("2017-03-04")
    assert cases.loc[7, "audit_date"] == pd.Timestamp("2017-04-11")  # written 11/04/2017
    assert cases.loc[8, "audit_date"] == pd.Timestamp("2017-04-12")  # written 2017-04-12


def test_validation_leaves_the_data_files_unchanged(example_round):
    example_round.edit_cases("DD17-L03,Leicester,2017-04-05,5-11,no", "DD17-L03,Leicester,2017-04-05,5-11,  YES ")
    before = {path: path.read_bytes() for path in (example_round.cases, example_round.survey)}
    load_records(example_round)
    assert {path: path.read_bytes() for path in before} == before


def test_a_failed_validation_leaves_the_data_file_unchanged(example_round):
    example_round.edit_cases("DD17-L02,", "DD17-L01,")
    before = example_round.cases.read_bytes()
    validation_problems(example_round)
    assert example_round.cases.read_bytes() == before


# --- one rule at a time -------------------------------------------------------------------------------


def test_a_value_not_in_the_list_names_file_row_column_value_and_allowed_values(example_round):
    example_round.edit_cases("DD17-L03,Leicester,2017-04-05,5-11,no", "DD17-L03,Leicester,2017-04-05,5-11,maybe")
    problems = validation_problems(example_round)
    assert messages(problems) == [
        "llr-2017-cases.csv, row 4, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no."
    ]
    assert (problems[0].row, problems[0].column, problems[0].value) == (4, "toolkit_used", "maybe")


def test_a_near_miss_value_suggests_the_allowed_value(example_round):
    example_round.edit_cases("requires_improvement,Home conditions", "requires_improvment,Home conditions")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 2, column 'overall_grade': 'requires_improvment' is not an allowed value; "
        "allowed: outstanding, good, requires_improvement, inadequate. Did you mean 'requires_improvement'?"
    ]


def test_duplicate_case_ref_reports_both_rows(example_round):
    example_round.edit_cases("DD17-L02,", "DD17-L01,")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 2, column 'case_ref': 'DD17-L01' appears more than once; "
        "each case_ref must be unique in a round.",
        "llr-2017-cases.csv, row 3, column 'case_ref': 'DD17-L01' appears more than once; "
        "each case_ref must be unique in a round.",
    ]


def test_duplicate_response_id_in_the_survey_is_an_error(example_round):
    edit_file(example_round.survey, "R1007,", "R1000,")
    problems = validation_problems(example_round)
    assert [(p.file.name, p.row, p.column) for p in problems] == [
        (SURVEY, 2, "response_id"),
        (SURVEY, 3, "response_id"),
    ]
    assert all("appears more than once; each response_id must be unique" in str(p) for p in problems)


def test_response_ids_that_differ_only_by_spaces_are_the_same_response(example_round):
    # Every written id differs (" R1000" is not "R1000"), yet once trimmed two are the same.
    edit_file(example_round.survey, "R1007,", " R1000 ,")
    problems = validation_problems(example_round)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "response_id", "R1000"), (3, "response_id", "R1000")]


def test_an_area_not_in_the_round_suggests_the_nearest_area(example_round):
    example_round.edit_cases("DD17-L02,Leicester,", "DD17-L02,Leicestor,")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 3, column 'area': 'Leicestor' is not one of the round's areas; "
        "allowed: Leicester, Leicestershire, Rutland. Did you mean 'Leicester'?"
    ]


def test_an_area_far_from_any_says_where_the_rounds_areas_are_named(example_round):
    example_round.edit_cases("DD17-L02,Leicester,", "DD17-L02,Nottingham,")
    (message,) = messages(validation_problems(example_round))
    assert message == (
        "llr-2017-cases.csv, row 3, column 'area': 'Nottingham' is not one of the round's areas; "
        "allowed: Leicester, Leicestershire, Rutland. If it is an area of this round, add it to 'areas' in "
        "llr-2017.yaml."
    )
    assert "Did you mean" not in message


def test_a_date_after_the_period_is_reported_with_the_period(example_round):
    example_round.edit_cases("2017-04-03", "2017-05-03")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 2, column 'audit_date': '2017-05-03' is outside the round's period "
        "(1 July 2016 to 30 April 2017)."
    ]


def test_a_date_before_the_period_is_reported(example_round):
    example_round.edit_cases("2017-04-03", "2016-06-30")
    (problem,) = validation_problems(example_round)
    assert (problem.row, problem.column) == (2, "audit_date")
    assert "is outside the round's period (1 July 2016 to 30 April 2017)." in str(problem)


def test_the_first_and_last_days_of_the_period_are_inside_it(example_round):
    example_round.edit_cases("2017-04-03", "2016-07-01")
    example_round.edit_cases("04/04/2017", "30/04/2017")
    cases = load_records(example_round)["deep_dive"]
    assert cases.loc[2, "audit_date"] == pd.Timestamp("2016-07-01")
    assert cases.loc[3, "audit_date"] == pd.Timestamp("2017-04-30")


def test_an_impossible_date_is_not_a_date(example_round):
    example_round.edit_cases("04/04/2017", "31/02/2017")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 3, column 'audit_date': '31/02/2017' is not a date; "
        "write dates as 2017-04-30 or 30/04/2017."
    ]


@pytest.mark.parametrize("text", ["April 2017", "2017/04/03", "3/4/17"])
def test_other_date_spellings_are_not_dates(example_round, text):
    example_round.edit_cases("2017-04-03", text)
    assert messages(validation_problems(example_round)) == [
        f"llr-2017-cases.csv, row 2, column 'audit_date': '{text}' is not a date; "
        "write dates as 2017-04-30 or 30/04/2017."
    ]


NUMBER_NOT_DATE = (
    "'42829' is a number, not a date; if it is an Excel date serial, format the column as a date, or write dates as "
    "2017-04-30 or 30/04/2017."
)


@pytest.mark.parametrize("number", ["42829", "42829.5"])
def test_a_number_in_a_csv_date_column_is_named_as_a_possible_excel_date_serial(example_round, number):
    example_round.edit_cases("2017-04-03", number)
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 2, column 'audit_date': " + NUMBER_NOT_DATE.replace("42829", number, 1)
    ]


def test_a_number_in_an_xlsx_date_column_not_formatted_as_a_date_is_named_likewise(example_round):
    xlsx = example_round.cases.with_suffix(".xlsx")
    write_xlsx_from_csv(example_round.cases, xlsx, date_column="audit_date")
    workbook = openpyxl.load_workbook(xlsx)
    workbook["Data"]["C2"] = 42829  # a number cell, as a date pasted as a value shows
    workbook["Data"]["C2"].number_format = "General"
    workbook.save(xlsx)
    example_round.edit_parameters(CASES, "llr-2017-cases.xlsx")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.xlsx, row 2, column 'audit_date': " + NUMBER_NOT_DATE
    ]


def test_a_date_serial_in_an_xlsx_cell_formatted_as_a_date_is_that_date(example_round):
    xlsx = example_round.cases.with_suffix(".xlsx")
    write_xlsx_from_csv(example_round.cases, xlsx, date_column="audit_date")
    workbook = openpyxl.load_workbook(xlsx)
    workbook["Data"]["C2"] = 42828  # 3 April 2017, as Excel counts days
    workbook["Data"]["C2"].number_format = "dd/mm/yyyy"
    workbook.save(xlsx)
    example_round.edit_parameters(CASES, "llr-2017-cases.xlsx")
    assert load_records(example_round)["deep_dive"].loc[2, "audit_date"] == pd.Timestamp("2017-04-03")


def test_values_in_another_case_or_spacing_are_accepted_as_codes(example_round):
    example_round.edit_cases("DD17-L03,Leicester,2017-04-05,5-11,no", "DD17-L03, leicester ,2017-04-05,5-11,  YES ")
    cases = load_records(example_round)["deep_dive"]
    assert cases.loc[4, "toolkit_used"] == "yes"
    assert cases.loc[4, "area"] == "Leicester"


def test_values_given_by_their_label_are_accepted_as_codes(example_round):
    example_round.edit_cases(
        "DD17-L02,Leicester,04/04/2017,2-4,yes,no,yes,yes,",
        "DD17-L02,Leicester,04/04/2017,Under 2,yes,no,yes,Spoken to  alone,",
    )
    edit_file(
        example_round.survey,
        "R1000,health,Leicester,no,yes,no,,agree",
        "R1000,Children's social care,Other or several areas,no,yes,no,,Strongly agree",
    )
    records = load_records(example_round)
    assert records["deep_dive"].loc[3, "child_age_band"] == "0-1"
    assert records["deep_dive"].loc[3, "seen_alone"] == "yes"
    survey = records["survey"]
    assert (survey.loc[2, "agency"], survey.loc[2, "area"], survey.loc[2, "confident_recognising"]) == (
        "social_care",
        "other",
        "strongly_agree",
    )


def test_a_missing_required_column_is_reported_at_row_1(example_round):
    drop_column(example_round.cases, "toolkit_used")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 1, column 'toolkit_used': is a required column but the header row does not have it."
    ]


def test_a_missing_optional_column_is_allowed(example_round):
    drop_column(example_round.cases, "notes")
    cases = load_records(example_round)["deep_dive"]
    assert cases["notes"].isna().all()


def test_an_unknown_column_suggests_the_nearest_item(example_round):
    example_round.edit_cases("overall_grade,notes", "overall_grade,note")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 1, column 'note': is not an item of the codebook neglect_deep_dive.yaml. "
        "Did you mean 'notes'?"
    ]


def test_an_unknown_column_unlike_any_item_gets_no_suggestion(example_round):
    lines = example_round.cases.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",reviewer"] + [line + ",AB" for line in lines[1:]]
    example_round.cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 1, column 'reviewer': is not an item of the codebook neglect_deep_dive.yaml."
    ]


def test_a_column_repeated_in_the_csv_header_is_reported(example_round):
    lines = example_round.cases.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",toolkit_used"] + [line + "," + line.split(",")[4] for line in lines[1:]]
    example_round.cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 1, column 'toolkit_used': appears more than once in the header row."
    ]


def test_an_empty_file_is_reported(example_round):
    example_round.cases.write_text("", encoding="utf-8")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv: the file is empty: it has no header row and no data."
    ]


def test_a_header_only_file_is_reported(example_round):
    header = example_round.cases.read_text(encoding="utf-8").splitlines()[0]
    example_round.cases.write_text(header + "\n", encoding="utf-8")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv: the file has a header row but no data rows."
    ]


@pytest.mark.parametrize("name", ["cases.txt", "cases.xls", "cases"])
def test_read_table_refuses_a_file_that_is_neither_csv_nor_xlsx(tmp_path, name):
    path = tmp_path / name
    path.write_text("case_ref,area\nDD17-L01,Leicester\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert str(caught.value) == (f"{name}: the file is neither CSV (.csv) nor Excel (.xlsx); save it as one of those.")


def test_read_table_reports_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "missing.csv")


def test_a_csv_holding_binary_data_is_reported(example_round):
    example_round.cases.write_bytes(b"case_ref,area\x00\x00\x00\x01\x02binary\x00\n")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv: the file holds binary data, not CSV text; save it as CSV or XLSX."
    ]


def test_an_excel_workbook_saved_with_a_csv_name_is_reported(example_round, tmp_path):
    workbook = tmp_path / "book.xlsx"
    write_xlsx_from_csv(example_round.cases, workbook)
    example_round.cases.write_bytes(workbook.read_bytes())
    (problem,) = validation_problems(example_round)
    assert (problem.file.name, problem.row) == (CASES, None)
    assert str(problem) == "llr-2017-cases.csv: the file is an Excel workbook with a .csv name; rename it to .xlsx."


def test_an_xlsx_that_is_not_a_workbook_is_reported(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_text("case_ref,area\n", encoding="utf-8")
    with pytest.raises(DataError, match="could not be opened as an Excel workbook"):
        read_table(path)


# --- several problems at once ---------------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_at_once_sorted_by_row(example_round):
    example_round.edit_cases("DD17-L02,Leicester,04/04/2017", "DD17-L02,Leicestor,31/02/2017")
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no", "DD17-L01,Leicester,2017-04-03,0-1,maybe")
    example_round.edit_cases("DD17-S04,", "DD17-S03,")
    with pytest.raises(DataValidationError) as caught:
        load_records(example_round)
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "toolkit_used"),
        (3, "area"),
        (3, "audit_date"),
        (8, "case_ref"),
        (9, "case_ref"),
    ]
    text = str(caught.value)
    assert text.startswith("The data has 5 problems:\n")
    for problem in problems:
        assert f"  {problem}" in text.splitlines()


def test_a_single_problem_is_announced_in_the_singular(example_round):
    example_round.edit_cases("2017-04-03", "2017-05-03")
    with pytest.raises(DataValidationError) as caught:
        load_records(example_round)
    assert str(caught.value).startswith("The data has 1 problem:\n")


def test_problems_in_both_files_are_reported_together(example_round):
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no", "DD17-L01,Leicester,2017-04-03,0-1,maybe")
    edit_file(example_round.survey, "R1000,health,", "R1000,fire_service,")
    problems = validation_problems(example_round)
    assert [(p.file.name, p.row, p.column) for p in problems] == [
        (CASES, 2, "toolkit_used"),
        (SURVEY, 2, "agency"),
    ]


# --- blank answers and blank rows -----------------------------------------------------------------------


def test_a_blank_required_answer_is_an_error_in_the_case_audit(example_round):
    example_round.edit_cases("DD17-L03,Leicester,2017-04-05,5-11,no", "DD17-L03,Leicester,2017-04-05,5-11,")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 4, column 'toolkit_used': is blank, but this item is required."
    ]


def test_a_blank_required_answer_in_the_survey_only_makes_the_response_incomplete(example_round):
    round_ = load_round(example_round.parameters)
    codebook = round_.instruments["survey"].codebook
    before = count_records(load_round_records(round_)["survey"], codebook, round_)
    edit_file(example_round.survey, "R1007,health,Leicestershire,yes,", "R1007,health,Leicestershire,,")
    survey = load_records(example_round)["survey"]
    after = count_records(survey, codebook, round_)
    assert pd.isna(survey.loc[3, "attended_launch"])
    assert after.records == before.records
    assert after.complete == before.complete - 1


def test_a_blank_response_id_is_still_an_error_in_the_survey(example_round):
    edit_file(example_round.survey, "R1007,", ",")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-survey.csv, row 3, column 'response_id': is blank, but this item is required."
    ]


def test_blank_rows_are_skipped_and_row_numbers_still_match_excel(example_round):
    lines = example_round.cases.read_text(encoding="utf-8").splitlines()
    blank_with_commas = "," * 14
    # header=1, L01=2, blank=3, L02=4, commas=5, spaces=6, L03=7 ...
    lines[2:2] = [""]
    lines[4:4] = [blank_with_commas, "  ,  " + "," * 12]
    example_round.cases.write_text("\n".join(lines) + "\n\n\n", encoding="utf-8")
    cases = load_records(example_round)["deep_dive"]
    assert list(cases.index[:4]) == [2, 4, 7, 8]
    assert cases.loc[7, "case_ref"] == "DD17-L03"
    assert len(cases) == 10


def test_a_problem_after_blank_rows_names_the_excel_row(example_round):
    lines = example_round.cases.read_text(encoding="utf-8").splitlines()
    lines[2:2] = ["", "," * 14]
    example_round.cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    example_round.edit_cases("DD17-L02,Leicester,04/04/2017,2-4,yes", "DD17-L02,Leicester,04/04/2017,2-4,maybe")
    (problem,) = validation_problems(example_round)
    assert (problem.row, problem.column, problem.value) == (5, "toolkit_used", "maybe")


# --- encodings, separators and Excel --------------------------------------------------------------------


def test_a_windows_1252_csv_is_read_correctly(example_round):
    note = "Toolkit scores – “shared” at core group; café, £5."
    text = example_round.cases.read_text(encoding="utf-8")
    text = text.replace("Toolkit scores shared at core group.", f'"{note}"')
    example_round.cases.write_bytes(text.encode("cp1252"))
    cases = load_records(example_round)["deep_dive"]
    assert cases.loc[3, "notes"] == note


def test_a_utf8_csv_with_a_byte_order_mark_is_read_correctly(example_round):
    example_round.cases.write_bytes(b"\xef\xbb\xbf" + example_round.cases.read_bytes())
    cases = load_records(example_round)["deep_dive"]
    assert cases.loc[2, "case_ref"] == "DD17-L01"


def test_a_semicolon_separated_csv_gives_the_same_records(example_round):
    expected = load_records(example_round)["survey"]
    rows = list(csv.reader(io.StringIO(example_round.survey.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    example_round.survey.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert example_round.survey.read_text(encoding="utf-8").startswith("response_id;agency;area;")
    pd.testing.assert_frame_equal(load_records(example_round)["survey"], expected)


def test_an_xlsx_file_with_real_date_cells_gives_the_same_records_as_the_csv(example_round):
    expected = load_records(example_round)["deep_dive"]
    xlsx = example_round.cases.with_suffix(".xlsx")
    write_xlsx_from_csv(example_round.cases, xlsx, date_column="audit_date")
    assert isinstance(openpyxl.load_workbook(xlsx)["Data"]["C2"].value, dt.datetime)  # a real date cell
    example_round.edit_parameters(CASES, "llr-2017-cases.xlsx")
    records = load_records(example_round)["deep_dive"]
    pd.testing.assert_frame_equal(records, expected)


def test_a_problem_in_an_xlsx_file_names_the_workbook_and_excel_row(example_round):
    example_round.edit_cases("DD17-L03,Leicester,2017-04-05,5-11,no", "DD17-L03,Leicester,2017-04-05,5-11,maybe")
    xlsx = example_round.cases.with_suffix(".xlsx")
    write_xlsx_from_csv(example_round.cases, xlsx, date_column="audit_date")
    example_round.edit_parameters(CASES, "llr-2017-cases.xlsx")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.xlsx, row 4, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no."
    ]


# --- problems found together, and values shown as the user typed them ---------------------------------------


def test_an_unknown_column_does_not_hide_problems_in_the_values(example_round):
    example_round.edit_cases("overall_grade,notes", "overall_grade,note")
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no", "DD17-L01,Leicester,2017-04-03,0-1,maybe")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 1, column 'note': is not an item of the codebook neglect_deep_dive.yaml. "
        "Did you mean 'notes'?",
        "llr-2017-cases.csv, row 2, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no.",
    ]


def test_a_date_outside_the_period_is_quoted_as_the_user_typed_it(example_round):
    example_round.edit_cases("04/04/2017", "03/05/2017")
    assert messages(validation_problems(example_round)) == [
        "llr-2017-cases.csv, row 3, column 'audit_date': '03/05/2017' is outside the round's period "
        "(1 July 2016 to 30 April 2017)."
    ]


def test_an_xlsx_date_cell_with_a_time_of_day_is_a_date(example_round, tmp_path):
    workbook_path = tmp_path / "cases.xlsx"
    write_xlsx_from_csv(example_round.cases, workbook_path, date_column="audit_date")
    workbook = openpyxl.load_workbook(workbook_path)
    workbook["Data"]["C2"] = dt.datetime(2017, 4, 3, 10, 30)
    workbook.save(workbook_path)
    example_round.edit_parameters("llr-2017-cases.csv", "../../cases.xlsx")
    (workbook_path.parent / "cases.xlsx").replace(example_round.root / "cases.xlsx")
    records = load_records(example_round)
    assert records["deep_dive"].loc[2, "audit_date"] == pd.Timestamp("2017-04-03")


def test_distinct_values_of_very_different_lengths_are_trimmed_without_a_text_array_of_the_longest_width():
    from auditkit.read.validation import _stripped_values

    values = pd.Index([f" value {number} " for number in range(2000)] + ["x" * 10_000_000])
    stripped, unchanged = _stripped_values(values)  # as one numpy text array: 2,001 values of 40 MB each
    assert (stripped[0], len(stripped[-1]), unchanged) == ("value 0", 10_000_000, False)
