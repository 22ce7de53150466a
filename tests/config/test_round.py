"""Loading a round's parameters file: paths, and a clear sentence for every mistake a user can make."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import INSTRUMENTS

from auditkit.config.round import load_round
from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import ParametersError

SECOND_DEEP_DIVE = """  deep_dive_2:
    codebook: neglect_deep_dive
    data: ../data_templates/examples/llr-2017-cases.csv
  survey:
"""


def parameters_error(example_round) -> str:
    with pytest.raises(ParametersError) as caught:
        load_round(example_round.parameters)
    message = str(caught.value)
    assert "llr-2017.yaml" in message, "every parameters error names the file"
    return message


# --- loading --------------------------------------------------------------------------------------------


def test_the_example_round_loads(example_round):
    round_ = load_round(example_round.parameters)
    assert round_.id == "llr-2017"
    assert round_.partnership == "Leicester, Leicestershire and Rutland Safeguarding Children Boards"
    assert (round_.period_start, round_.period_end) == (dt.date(2016, 7, 1), dt.date(2017, 4, 30))
    assert round_.published == dt.date(2017, 6, 30)
    assert round_.areas == ("Leicester", "Leicestershire", "Rutland")
    assert list(round_.instruments) == ["deep_dive", "survey"]
    assert round_.instruments["survey"].codebook.codebook == "toolkit_survey"


def test_the_example_recommendations_become_key_findings_in_order(example_round):
    round_ = load_round(example_round.parameters)
    assert [(finding.instrument, finding.item.id) for finding in round_.key_findings] == [
        ("deep_dive", "toolkit_used"),
        ("deep_dive", "drift_evident"),
        ("deep_dive", "voice_of_child"),
        ("deep_dive", "info_sharing"),
        ("deep_dive", "escalation"),
    ]
    escalation = round_.key_findings[4]
    assert [(name, item.id) for name, item in escalation.also] == [
        ("survey", "aware_of_escalation"),
        ("survey", "confident_challenging"),
    ]


def test_relative_paths_resolve_against_the_parameters_folder_not_the_working_directory(
    example_round, tmp_path, monkeypatch
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    round_ = load_round(example_round.parameters)
    deep_dive = round_.instruments["deep_dive"]
    assert deep_dive.data == example_round.cases.resolve()
    assert deep_dive.codebook.path == (INSTRUMENTS / "neglect_deep_dive.yaml").resolve()  # named: auditkit's own
    assert round_.instruments["survey"].data == example_round.survey.resolve()


def test_a_relative_parameters_path_is_taken_from_the_working_directory(example_round, monkeypatch):
    monkeypatch.chdir(example_round.root / "data_templates")
    round_ = load_round(Path("..") / "parameters" / "llr-2017.yaml")
    assert round_.path == example_round.parameters.resolve()
    assert round_.instruments["deep_dive"].data == example_round.cases.resolve()


def test_absolute_paths_are_used_as_they_are(example_round, tmp_path, monkeypatch):
    elsewhere = tmp_path / "shared drive"
    elsewhere.mkdir()
    cases = shutil.copy(example_round.cases, elsewhere / "cases 2017.csv")
    codebook = shutil.copy(INSTRUMENTS / "neglect_deep_dive.yaml", elsewhere / "dd.yaml")
    example_round.edit_parameters("codebook: neglect_deep_dive", f"codebook: '{Path(codebook).resolve()}'")
    example_round.edit_parameters("../data_templates/examples/llr-2017-cases.csv", f"'{Path(cases).resolve()}'")
    monkeypatch.chdir(example_round.root)
    round_ = load_round(example_round.parameters)
    assert round_.instruments["deep_dive"].data == Path(cases).resolve()
    assert round_.instruments["deep_dive"].codebook.path == Path(codebook).resolve()


def test_inputs_list_the_parameters_codebooks_and_data(example_round):
    round_ = load_round(example_round.parameters)
    assert {path.name for path in round_.inputs} == {
        "llr-2017.yaml",
        "neglect_deep_dive.yaml",
        "llr-2017-cases.csv",
        "toolkit_survey.yaml",
        "llr-2017-survey.csv",
    }


# --- keys -----------------------------------------------------------------------------------------------


def test_a_misspelt_top_level_key_is_named(example_round):
    example_round.edit_parameters("partnership:", "partnershp:")
    message = parameters_error(example_round)
    assert "key 'partnershp' is not a known key; check its spelling." in message


def test_a_misspelt_nested_key_is_named_with_its_parent(example_round):
    example_round.edit_parameters("max_quotes: 8", "max_quote: 8")
    message = parameters_error(example_round)
    assert "key 'briefing → max_quote' is not a known key; check its spelling." in message


def test_a_missing_required_key_is_named(example_round):
    example_round.edit_parameters("title: Neglect toolkit survey and deep dive audit\n", "")
    message = parameters_error(example_round)
    assert "llr-2017.yaml: key 'title' is required but missing." in message
    assert "1 problem(s)" in message


def test_a_missing_nested_key_is_named_with_its_parent(example_round):
    example_round.edit_parameters("    data: ../data_templates/examples/llr-2017-survey.csv\n", "")
    assert "key 'instruments → survey → data' is required but missing." in parameters_error(example_round)


def test_areas_that_are_not_a_list_are_a_wrong_type(example_round):
    example_round.edit_parameters("areas: [Leicester, Leicestershire, Rutland]", "areas: 5")
    assert "key 'areas' has 5; it must be a list." in parameters_error(example_round)


def test_a_period_start_that_is_not_a_date_is_a_wrong_type(example_round):
    example_round.edit_parameters("start: 2016-07-01", "start: July 2016")
    message = parameters_error(example_round)
    assert "key 'period → start' has 'July 2016'; it must be a date such as 2017-04-30." in message


def test_an_impossible_date_in_the_period_is_a_parameters_error(example_round):
    example_round.edit_parameters("end: 2017-04-30", "end: 2017-02-30")
    line = next(
        number
        for number, text in enumerate(example_round.parameters.read_text(encoding="utf-8").splitlines(), start=1)
        if "2017-02-30" in text
    )
    message = parameters_error(example_round)
    assert f"is not valid YAML at line {line}: '2017-02-30' is not a real date" in message


def test_a_period_that_ends_before_it_starts_is_refused(example_round):
    example_round.edit_parameters("end: 2017-04-30", "end: 2016-04-30")
    message = parameters_error(example_round)
    assert "key 'period'" in message
    assert "period → end (2016-04-30) is before period → start (2016-07-01)" in message


def test_a_round_id_with_spaces_is_refused(example_round):
    example_round.edit_parameters("round: llr-2017", "round: llr 2017")
    assert "key 'round'" in parameters_error(example_round)


ROUND_ID_RULE = (
    "a round id is at most 64 characters long and holds only letters (a-z, A-Z), digits, '-', '_' and '.', "
    "starting with a letter or digit (no spaces)."
)


def test_a_round_id_with_spaces_and_punctuation_lists_every_character_allowed(example_round):
    example_round.edit_parameters("round: llr-2017", "round: llr 2017!")
    assert parameters_error(example_round).splitlines()[1:] == [
        f"  llr-2017.yaml: key 'round': 'llr 2017!' is not a round id; {ROUND_ID_RULE}"
    ]


def test_a_round_id_may_not_start_with_a_dot(example_round):
    example_round.edit_parameters("round: llr-2017", "round: .llr-2017")
    assert parameters_error(example_round).splitlines()[1:] == [
        f"  llr-2017.yaml: key 'round': '.llr-2017' is not a round id; {ROUND_ID_RULE}"
    ]


def test_a_300_character_round_id_is_too_long(example_round):
    example_round.edit_parameters("round: llr-2017", "round: " + "r" * 300)
    assert parameters_error(example_round).splitlines()[1:] == [
        f"  llr-2017.yaml: key 'round': the round id is 300 characters long; {ROUND_ID_RULE}"
    ]


def test_a_round_id_of_64_characters_with_every_allowed_character_is_accepted(example_round):
    round_id = "Llr_2017.v2-" + "x" * 52
    example_round.edit_parameters("round: llr-2017", f"round: {round_id}")
    assert load_round(example_round.parameters).id == round_id


def test_duplicate_areas_are_refused(example_round):
    example_round.edit_parameters(
        "areas: [Leicester, Leicestershire, Rutland]", "areas: [Leicester, Leicestershire, Rutland, Leicester]"
    )
    assert parameters_error(example_round) == "llr-2017.yaml: areas lists Leicester more than once."


def test_methodology_for_an_unknown_instrument_is_refused(example_round):
    example_round.edit_parameters("    survey: >-\n      Practitioners who", "    surveys: >-\n      Practitioners who")
    message = parameters_error(example_round)
    assert "briefing → methodology names 'surveys', which is not an instrument" in message
    assert "allowed: deep_dive, survey." in message


def test_a_javascript_link_is_refused_naming_the_file_the_title_and_the_scheme(example_round):
    example_round.edit_parameters('url: "https://example.org/llr/audits"', 'url: " Java\tScript:alert(1)"')
    assert parameters_error(example_round) == (
        f"The parameters file {example_round.parameters} has 1 problem(s):\n"
        "  llr-2017.yaml: key 'briefing → further_information → item 4 → url': the link 'Multi-agency audit "
        "summaries' uses the scheme javascript:, which a briefing may not publish; a link must start with one of "
        "https:, http:, mailto:."
    )


def test_a_link_without_a_scheme_is_refused(example_round):
    example_round.edit_parameters('url: "https://example.org/llr/audits"', 'url: "example.org/llr/audits"')
    assert parameters_error(example_round).endswith(
        "  llr-2017.yaml: key 'briefing → further_information → item 4 → url': the link 'Multi-agency audit "
        "summaries' has the address 'example.org/llr/audits', which does not start with a scheme; a link must "
        "start with one of https:, http:, mailto:."
    )


def test_links_are_kept_as_checked(example_round):
    example_round.edit_parameters('url: "https://example.org/llr/audits"', 'url: " HTTPS://example.org/llr/audits"')
    links = load_round(example_round.parameters).briefing.further_information
    assert links[3].url == "https://example.org/llr/audits"


@pytest.mark.parametrize("symbol", ["5", "0", "1.5", "\u0663", "c1"])
def test_a_disclosure_symbol_that_is_a_number_is_refused(example_round, symbol):
    example_round.edit_parameters("  min_count: 0", f'  min_count: 5\n  symbol: "{symbol}"')
    assert parameters_error(example_round).endswith(
        f"  llr-2017.yaml: key 'disclosure → symbol': the symbol {symbol!r} is or holds a number, which a reader "
        "would take for a count; choose a letter or a sign, such as c, x or *."
    )


def test_a_blank_disclosure_symbol_is_refused_with_a_sentence(example_round):
    example_round.edit_parameters("  min_count: 0", '  min_count: 5\n  symbol: " "')
    assert parameters_error(example_round).endswith(
        "  llr-2017.yaml: key 'disclosure → symbol': the symbol ' ' is blank; choose a letter or a sign, such as "
        "c, x or *."
    )


# --- files ----------------------------------------------------------------------------------------------


def test_a_missing_parameters_file_is_reported(tmp_path):
    with pytest.raises(ParametersError) as caught:
        load_round(tmp_path / "llr-2018.yaml")
    assert "The parameters file" in str(caught.value)
    assert "llr-2018.yaml does not exist." in str(caught.value)


def test_a_data_file_that_does_not_exist_is_named(example_round):
    example_round.edit_parameters("llr-2017-cases.csv", "llr-2017-casez.csv")
    message = parameters_error(example_round)
    assert "instruments → deep_dive → data names" in message
    assert "llr-2017-casez.csv, which does not exist." in message


def test_a_codebook_that_does_not_exist_is_named(example_round):
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: ../data_templates/toolkit_surveys.yaml")
    message = parameters_error(example_round)
    assert "instruments → survey → codebook names" in message
    assert "toolkit_surveys.yaml, which does not exist." in message


SURVEY_DATA = "../data_templates/examples/llr-2017-survey.csv"


def test_a_folder_given_as_data_is_named_as_a_folder(example_round):
    example_round.edit_parameters(SURVEY_DATA, "../data_templates/examples")
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → data names {example_round.root / 'data_templates' / 'examples'}, "
        f"which is a folder, not a regular file."
    )


def test_a_named_pipe_given_as_data_is_named_without_being_opened(example_round):
    os.mkfifo(example_round.root / "data_templates" / "examples" / "pipe.csv")
    example_round.edit_parameters(SURVEY_DATA, "../data_templates/examples/pipe.csv")
    started = time.monotonic()
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → data names "
        f"{example_round.root / 'data_templates' / 'examples' / 'pipe.csv'}, which is a named pipe (FIFO), "
        f"not a regular file."
    )
    assert time.monotonic() - started < 5


def test_dev_zero_given_as_data_is_named_as_a_device(example_round):
    example_round.edit_parameters(SURVEY_DATA, "/dev/zero")
    assert parameters_error(example_round) == (
        "llr-2017.yaml: instruments → survey → data names /dev/zero, which is a device, not a regular file."
    )


def test_a_data_file_that_is_a_symbolic_link_to_itself_is_named(example_round):
    loop = example_round.root / "data_templates" / "examples" / "loop.csv"
    loop.symlink_to(loop)
    example_round.edit_parameters(SURVEY_DATA, "../data_templates/examples/loop.csv")
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → data names {loop}, which is a symbolic link that loops back on "
        f"itself, not a regular file."
    )


def test_a_nul_character_in_a_data_path_is_named(example_round):
    example_round.edit_parameters(SURVEY_DATA, '"../data_templates/examples/a\\0b.csv"')
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → data names {example_round.root / 'data_templates' / 'examples'}"
        f"/a\\0b.csv, which holds a NUL character (\\0), not allowed in a file name."
    )


def test_a_folder_given_as_a_codebook_is_named_as_a_folder(example_round):
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: ../data_templates")
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → codebook names {example_round.root / 'data_templates'}, "
        f"which is a folder, not a regular file."
    )


def test_a_codebook_that_is_a_symbolic_link_loop_is_named(example_round):
    loop = example_round.root / "data_templates" / "loop.yaml"
    loop.symlink_to(loop)
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: ../data_templates/loop.yaml")
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: instruments → survey → codebook names {loop}, which is a symbolic link that loops back "
        f"on itself, not a regular file."
    )


def test_a_parameters_file_that_is_a_symbolic_link_loop_is_named(tmp_path):
    loop = tmp_path / "llr-2017.yaml"
    loop.symlink_to(loop)
    with pytest.raises(ParametersError) as caught:
        load_round(loop)
    assert str(caught.value) == (
        f"The parameters file {loop} is a symbolic link that loops back on itself, not a regular file."
    )


def test_a_parameters_path_with_a_nul_character_is_named(tmp_path):
    with pytest.raises(ParametersError) as caught:
        load_round(tmp_path / "llr\x00.yaml")
    assert str(caught.value) == (
        f"The parameters file {tmp_path}/llr\\0.yaml holds a NUL character (\\0), not allowed in a file name."
    )


def test_an_indicator_table_given_a_device_as_data_names_it(example_round):
    parameters = example_round.root / "parameters" / "lancashire-2018.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(
        text.replace("../data_templates/examples/lancashire-cp-plans-by-year.csv", "/dev/zero"), "utf-8"
    )
    with pytest.raises(ParametersError) as caught:
        load_round(parameters)
    assert str(caught.value) == (
        "lancashire-2018.yaml: indicator_tables → cp_plans_neglect → data names /dev/zero, which is a device, "
        "not a regular file."
    )


def test_a_data_file_with_a_txt_suffix_is_refused(example_round):
    shutil.copy(example_round.cases, example_round.cases.with_suffix(".txt"))
    example_round.edit_parameters("llr-2017-cases.csv", "llr-2017-cases.txt")
    message = parameters_error(example_round)
    assert message == (
        "llr-2017.yaml: instruments → deep_dive → data names llr-2017-cases.txt; "
        "data files must be CSV (.csv) or Excel (.xlsx)."
    )


def test_an_xlsx_data_file_is_accepted(example_round):
    shutil.copy(example_round.cases, example_round.cases.with_suffix(".xlsx"))
    example_round.edit_parameters("llr-2017-cases.csv", "llr-2017-cases.xlsx")
    assert load_round(example_round.parameters).instruments["deep_dive"].data.suffix == ".xlsx"


def test_a_broken_codebook_is_reported_through_the_parameters_file(example_round):
    codebook = example_round.own_codebook("neglect_deep_dive")
    codebook.write_text(codebook.read_text(encoding="utf-8").replace("partial_records:", "partial_record:"), "utf-8")
    message = parameters_error(example_round)
    assert "instruments → deep_dive → codebook" in message
    assert "neglect_deep_dive.yaml: key 'partial_record' is not a known key" in message


# --- recommendations ------------------------------------------------------------------------------------


def test_a_recommendation_for_an_unknown_item_lists_the_allowed_items(example_round):
    example_round.edit_parameters("deep_dive.toolkit_used:", "deep_dive.toolkit_usd:")
    message = parameters_error(example_round)
    assert "briefing → recommendations names 'deep_dive.toolkit_usd', which is not an item with met values" in message
    allowed = message.split("allowed: ", 1)[1]
    for item in ("deep_dive.toolkit_used", "deep_dive.overall_grade", "survey.used_toolkit"):
        assert item in allowed
    assert "deep_dive.notes" not in allowed  # not an indicator
    assert "deep_dive.case_ref" not in allowed


def test_a_recommendation_for_an_item_without_met_values_is_refused(example_round):
    example_round.edit_parameters("deep_dive.toolkit_used:", "deep_dive.notes:")
    assert "names 'deep_dive.notes', which is not an item with met values" in parameters_error(example_round)


def test_an_unknown_item_under_also_is_refused(example_round):
    example_round.edit_parameters("also: [deep_dive.seen_alone]", "also: [deep_dive.seen_alon]")
    assert "names 'deep_dive.seen_alon', which is not an item with met values" in parameters_error(example_round)


def test_a_recommendation_with_an_unknown_placeholder_is_refused(example_round):
    example_round.edit_parameters("Every partner agency should", "In {area} every partner agency should")
    message = parameters_error(example_round)
    assert "briefing → recommendations → deep_dive.toolkit_used uses {area}, which is not a placeholder" in message
    assert "allowed: {label}, {numerator}, {denominator}, {percent}, {ci_low}, {ci_high}" in message


PLAIN_PLACEHOLDERS = "{label}, {numerator}, {denominator}, {percent}, {ci_low}, {ci_high}"


@pytest.mark.parametrize("placeholder", ["{percent:>999999999}", "{percent!r}", "{percent[0]}", "{percent.real}"])
def test_a_recommendation_with_a_format_or_conversion_is_refused(example_round, placeholder):
    example_round.edit_parameters("Every partner agency should", f"{placeholder} Every partner agency should")
    assert parameters_error(example_round) == (
        f"llr-2017.yaml: briefing → recommendations → deep_dive.toolkit_used uses {placeholder}, which is not a "
        f"plain placeholder: a placeholder takes no format, conversion, index or attribute; allowed: "
        f"{PLAIN_PLACEHOLDERS}."
    )


def test_a_format_on_an_unknown_placeholder_names_it_as_written(example_round):
    example_round.edit_parameters("Every partner agency should", "{area:>9} Every partner agency should")
    assert parameters_error(example_round) == (
        "llr-2017.yaml: briefing → recommendations → deep_dive.toolkit_used uses {area:>9}, which is not a "
        f"placeholder; allowed: {PLAIN_PLACEHOLDERS}."
    )


def test_a_bare_item_id_is_accepted_when_only_one_instrument_has_it(example_round):
    example_round.edit_parameters("deep_dive.toolkit_used:", "toolkit_used:")
    finding = load_round(example_round.parameters).key_findings[0]
    assert (finding.instrument, finding.item.id) == ("deep_dive", "toolkit_used")


def test_a_bare_item_id_in_two_instruments_is_ambiguous(example_round):
    example_round.edit_parameters("  survey:\n", SECOND_DEEP_DIVE)
    example_round.edit_parameters("deep_dive.toolkit_used:", "toolkit_used:")
    message = parameters_error(example_round)
    assert "names 'toolkit_used', which is in more than one instrument" in message
    assert "write it as deep_dive.toolkit_used or deep_dive_2.toolkit_used." in message


def test_a_qualified_item_id_is_not_ambiguous(example_round):
    example_round.edit_parameters("  survey:\n", SECOND_DEEP_DIVE)
    round_ = load_round(example_round.parameters)
    assert round_.key_findings[0].instrument == "deep_dive"


# --- YAML -----------------------------------------------------------------------------------------------


def test_invalid_yaml_names_the_file_and_the_line(example_round):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect: toolkit survey and deep dive audit"
    )
    message = parameters_error(example_round)
    assert message.startswith("The parameters file llr-2017.yaml is not valid YAML at line 4")


def test_a_parameters_file_that_is_not_a_mapping_is_refused(example_round):
    example_round.parameters.write_text("- llr-2017\n- Leicester\n", encoding="utf-8")
    assert parameters_error(example_round) == "The parameters file llr-2017.yaml must hold a mapping of keys to values."


def test_yaml_yes_and_no_stay_strings(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("values: [yes, no, Yes, NO, on, off]\nmet: yes\nrequired: true\nunique: false\n", encoding="utf-8")
    data = read_yaml(path, ParametersError, "test")
    assert data == {
        "values": ["yes", "no", "Yes", "NO", "on", "off"],
        "met": "yes",
        "required": True,
        "unique": False,
    }


def test_read_yaml_raises_the_error_it_is_given(tmp_path):
    with pytest.raises(ParametersError, match="The answers file .*missing.yaml does not exist."):
        read_yaml(tmp_path / "missing.yaml", ParametersError, "answers")


# --- areas (issue 17: needed only for an area item) --------------------------------------------------------


def test_areas_are_needed_when_an_instrument_has_an_area_item(example_round):
    example_round.edit_parameters("areas: [Leicester, Leicestershire, Rutland]\n", "")
    assert parameters_error(example_round) == (
        "llr-2017.yaml: the round lists no areas, but the instrument 'deep_dive' has an area item ('area'), whose "
        "answers must be one of them; list them as the data writes them, as in "
        "'areas: [Leicester, Leicestershire, Rutland]'."
    )


def test_areas_may_be_left_out_when_no_instrument_has_an_area_item(example_round):
    codebook = example_round.root / "data_templates" / "no_area.yaml"
    codebook.write_text(
        "codebook: no_area\ntitle: No area\nrecord: response\nrecords: responses\n"
        "items:\n  - {id: agency, question: Agency, type: choice, values: [health, police]}\n",
        encoding="utf-8",
    )
    example_round.parameters.write_text(
        "round: no-areas\ntitle: A round without areas\npartnership: Example\n"
        "period: {start: 2024-01-01, end: 2024-03-31}\n"
        "instruments:\n  survey: {codebook: no_area, data: ../data_templates/examples/llr-2017-survey.csv}\n",
        encoding="utf-8",
    )
    round_ = load_round(example_round.parameters)
    assert round_.areas == ()
    assert round_.instruments["survey"].format is None  # recognised from the file when it is read


# --- breakdowns and the funnel's target (issue 18) ---------------------------------------------------------


def test_breakdowns_name_categorical_items_of_the_instruments(example_round):
    example_round.edit_parameters("\ninstruments:", "\nbreakdowns: [agency, deep_dive.child_age_band]\ninstruments:")
    round_ = load_round(example_round.parameters)
    assert [(breakdown.instrument, breakdown.item.id) for breakdown in round_.breakdowns] == [
        ("survey", "agency"),
        ("deep_dive", "child_age_band"),
    ]
    assert round_.breakdowns[0].groups[:2] == ("social_care", "early_help")
    assert round_.funnel_target == "pooled_areas"


def test_a_breakdown_that_is_not_a_categorical_item_is_refused(example_round):
    example_round.edit_parameters("\ninstruments:", "\nbreakdowns: [case_ref]\ninstruments:")
    message = parameters_error(example_round)
    assert message.startswith(
        "llr-2017.yaml: breakdowns names 'case_ref', which is not a categorical item (type: choice) of any "
        "instrument; allowed: agency, attended_launch, aware_of_escalation, aware_of_toolkit, child_age_band, "
    )
    assert message.endswith(", toolkit_used, used_toolkit, voice_of_child.")


def test_a_breakdown_in_the_wrong_instrument_is_refused_naming_it(example_round):
    example_round.edit_parameters("\ninstruments:", "\nbreakdowns: [deep_dive.agency]\ninstruments:")
    message = parameters_error(example_round)
    assert message.startswith(
        "llr-2017.yaml: breakdowns names 'deep_dive.agency', which is not a categorical item (type: choice) of the "
        "instrument deep_dive; allowed: deep_dive.child_age_band, deep_dive.conference_notice, "
    )


def test_the_funnel_target_may_be_the_stated_total(example_round):
    example_round.edit_parameters("\ninstruments:", "\nfunnel: {target: stated_total}\ninstruments:")
    assert load_round(example_round.parameters).funnel_target == "stated_total"


def test_an_unknown_funnel_target_names_the_allowed_ones(example_round):
    example_round.edit_parameters("\ninstruments:", "\nfunnel: {target: county}\ninstruments:")
    assert parameters_error(example_round) == (
        f"The parameters file {example_round.parameters} has 1 problem(s):\n"
        "  llr-2017.yaml: key 'funnel → target': 'county' is not a funnel target; allowed: pooled_areas, "
        "stated_total."
    )
