"""The shipped codebooks hold what the product spec requires, and a broken codebook is explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import INSTRUMENTS

from auditkit.config.codebook import load_codebook
from auditkit.errors import CodebookError

TEMPLATES = INSTRUMENTS

YES_NO = ["yes", "no"]
AGREEMENT = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]

# item id: (type, values, met, not_applicable)
DEEP_DIVE = {
    "case_ref": ("text", [], [], []),
    "area": ("area", [], [], []),
    "audit_date": ("date", [], [], []),
    "child_age_band": ("choice", ["unborn", "0-1", "2-4", "5-11", "12-17"], [], []),
    "toolkit_used": ("choice", YES_NO, ["yes"], []),
    "drift_evident": ("choice", YES_NO, ["yes"], []),
    "voice_of_child": ("choice", ["yes", "partly", "no"], ["yes"], []),
    "seen_alone": ("choice", ["yes", "observed", "no"], ["yes", "observed"], []),
    "info_sharing": ("choice", ["good", "adequate", "poor"], ["good"], []),
    "conference_notice": ("choice", ["yes", "no", "not_applicable"], ["yes"], ["not_applicable"]),
    "plan_shared": ("choice", ["yes", "no", "not_applicable"], ["yes"], ["not_applicable"]),
    "escalation": ("choice", ["timely", "delayed", "needed_not_done", "not_needed"], ["timely"], ["not_needed"]),
    "supervision": ("choice", ["regular", "irregular", "none"], ["regular"], []),
    "overall_grade": (
        "choice",
        ["outstanding", "good", "requires_improvement", "inadequate"],
        ["outstanding", "good"],
        [],
    ),
    "notes": ("text", [], [], []),
}

SURVEY = {
    "response_id": ("text", [], [], []),
    "agency": (
        "choice",
        ["social_care", "early_help", "health", "education", "police", "voluntary", "other"],
        [],
        [],
    ),
    "area": ("area", [], [], []),
    "attended_launch": ("choice", YES_NO, ["yes"], []),
    "aware_of_toolkit": ("choice", YES_NO, ["yes"], []),
    "used_toolkit": ("choice", YES_NO, ["yes"], []),
    "toolkit_helpful": ("choice", AGREEMENT, ["agree", "strongly_agree"], []),
    "confident_recognising": ("choice", AGREEMENT, ["agree", "strongly_agree"], []),
    "aware_of_escalation": ("choice", YES_NO, ["yes"], []),
    "confident_challenging": ("choice", AGREEMENT, ["agree", "strongly_agree"], []),
    "comment": ("text", [], [], []),
    "quote_consent": ("choice", YES_NO, [], []),
}


@pytest.fixture(scope="module")
def deep_dive():
    return load_codebook(TEMPLATES / "neglect_deep_dive.yaml")


@pytest.fixture(scope="module")
def survey():
    return load_codebook(TEMPLATES / "toolkit_survey.yaml")


# --- the shipped codebooks ------------------------------------------------------------------------------


def test_the_deep_dive_has_exactly_the_spec_items_in_order(deep_dive):
    assert deep_dive.codebook == "neglect_deep_dive"
    assert [item.id for item in deep_dive.items] == list(DEEP_DIVE)


def test_the_survey_has_exactly_the_spec_items_in_order(survey):
    assert survey.codebook == "toolkit_survey"
    assert [item.id for item in survey.items] == list(SURVEY)


@pytest.mark.parametrize("item_id", list(DEEP_DIVE))
def test_deep_dive_item_matches_the_spec(deep_dive, item_id):
    item = deep_dive.item(item_id)
    kind, values, met, not_applicable = DEEP_DIVE[item_id]
    assert (item.type, list(item.codes), list(item.met), list(item.not_applicable)) == (
        kind,
        values,
        met,
        not_applicable,
    )


@pytest.mark.parametrize("item_id", list(SURVEY))
def test_survey_item_matches_the_spec(survey, item_id):
    item = survey.item(item_id)
    kind, values, met, not_applicable = SURVEY[item_id]
    assert (item.type, list(item.codes), list(item.met), list(item.not_applicable)) == (
        kind,
        values,
        met,
        not_applicable,
    )


def test_only_drift_is_lower_is_better(deep_dive, survey):
    lower = [item.id for codebook in (deep_dive, survey) for item in codebook.items if item.lower_is_better]
    assert lower == ["drift_evident"]


def test_the_survey_area_allows_other_as_an_extra_value(survey):
    area = survey.item("area")
    assert [value.code for value in area.extra_values] == ["other"]
    assert area.label_of("other") == "Other or several areas"


def test_the_deep_dive_area_has_no_extra_values(deep_dive):
    assert deep_dive.item("area").extra_values == ()


def test_case_audit_requires_complete_records_and_the_survey_allows_partial_ones(deep_dive, survey):
    assert deep_dive.partial_records is False
    assert survey.partial_records is True


def test_the_survey_quotes_comments_with_consent(survey):
    assert (survey.quotes.text, survey.quotes.consent, survey.quotes.consent_value) == (
        "comment",
        "quote_consent",
        "yes",
    )


def test_record_references_are_identifying_and_unique(deep_dive, survey):
    for item in (deep_dive.item("case_ref"), survey.item("response_id")):
        assert item.identifying and item.unique and item.required


def test_notes_are_internal(deep_dive):
    assert deep_dive.item("notes").internal


@pytest.mark.parametrize(
    ("codebook", "item_id"), [("deep_dive", "case_ref"), ("deep_dive", "notes"), ("survey", "response_id")]
)
def test_identifying_and_internal_items_are_never_published(request, codebook, item_id):
    assert request.getfixturevalue(codebook).item(item_id).is_published is False


def test_every_other_item_may_be_published(deep_dive, survey):
    published = {item.id for codebook in (deep_dive, survey) for item in codebook.items if item.is_published}
    assert published == (set(DEEP_DIVE) | set(SURVEY)) - {"case_ref", "notes", "response_id"}


def test_every_indicator_has_a_statement(deep_dive, survey):
    for codebook in (deep_dive, survey):
        assert codebook.indicators, codebook.codebook
        for item in codebook.indicators:
            assert "{numerator}" in item.statement and "{denominator}" in item.statement, item.id


def test_value_labels_read_as_the_codebook_says(deep_dive, survey):
    assert deep_dive.item("seen_alone").label_of("observed") == "Observed (too young to talk)"
    assert deep_dive.item("toolkit_used").label_of("yes") == "Yes"  # default label from a bare code
    assert survey.item("toolkit_helpful").label_of("neutral") == "Neither agree nor disagree"


def test_asking_for_an_item_the_codebook_lacks_names_the_codebook(deep_dive):
    with pytest.raises(CodebookError, match="The codebook neglect_deep_dive.yaml has no item 'toolkit'"):
        deep_dive.item("toolkit")


# --- broken codebooks -----------------------------------------------------------------------------------

TINY = """\
codebook: tiny
title: Tiny audit
record: case
records: cases audited
items:
  - id: case_ref
    question: Case reference
    type: text
    required: true
  - id: toolkit_used
    question: Was the toolkit used?
    type: choice
    values: [yes, no, not_applicable]
    met: [yes]
    statement: Used in {numerator} of the {denominator} cases
"""


def write_tiny(tmp_path: Path, old: str = "", new: str = "") -> Path:
    assert old in TINY
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.replace(old, new, 1), encoding="utf-8")
    return path


def codebook_error(path: Path) -> str:
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert "tiny.yaml" in message, "every codebook error names the file"
    return message


def test_the_tiny_codebook_loads(tmp_path):
    codebook = load_codebook(write_tiny(tmp_path))
    assert codebook.item("toolkit_used").codes == ("yes", "no", "not_applicable")
    assert codebook.path == (tmp_path / "tiny.yaml").resolve()


def test_an_unknown_item_key_is_named_with_its_item(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "    required: true\n", "    requird: true\n"))
    assert "key 'items → item 1 → requird' is not a known key; check its spelling." in message


def test_an_unknown_top_level_key_is_named(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "title: Tiny audit", "title: Tiny audit\nversion: 2"))
    assert "key 'version' is not a known key; check its spelling." in message


def test_a_met_value_not_among_the_values_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "met: [yes]", "met: [maybe]"))
    assert (
        "item 'toolkit_used' lists maybe under met, which is not among its values (yes, no, not_applicable)" in message
    )


def test_a_not_applicable_value_not_among_the_values_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "met: [yes]", "met: [yes]\n    not_applicable: [n/a]"))
    assert "item 'toolkit_used' lists n/a under not_applicable, which is not among its values" in message


def test_a_value_both_met_and_not_applicable_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "met: [yes]", "met: [yes]\n    not_applicable: [yes]"))
    assert "item 'toolkit_used' has a value that is both met and not applicable" in message


def test_a_duplicate_item_id_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "  - id: toolkit_used", "  - id: case_ref"))
    assert "item id case_ref appears more than once" in message


def test_a_duplicate_value_code_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "values: [yes, no, not_applicable]", "values: [yes, no, yes]"))
    assert "item 'toolkit_used' lists a value code twice" in message


def test_a_statement_with_an_unknown_placeholder_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "Used in {numerator}", "Used in {count}"))
    assert "item 'toolkit_used' statement uses {count}, which is not a placeholder" in message
    assert "allowed: {label}, {numerator}, {denominator}, {percent}, {ci_low}, {ci_high}" in message


def test_a_summary_with_an_unknown_placeholder_is_refused(tmp_path):
    path = write_tiny(tmp_path, "records: cases audited", "records: cases audited\nsummary: '{total} cases'")
    message = codebook_error(path)
    assert "summary uses {total}, which is not a placeholder" in message


STATEMENT_ALLOWED = "{label}, {numerator}, {denominator}, {percent}, {ci_low}, {ci_high}"


@pytest.mark.parametrize(
    "placeholder", ["{numerator:>999999999}", "{numerator!r}", "{numerator[0]}", "{numerator.real}", "{numerator!s:,}"]
)
def test_a_statement_with_a_format_or_conversion_is_refused(tmp_path, placeholder):
    message = codebook_error(write_tiny(tmp_path, "Used in {numerator}", f"Used in {placeholder}"))
    assert message.splitlines() == [
        f"The codebook file {(tmp_path / 'tiny.yaml').resolve()} has 1 problem(s):",
        f"  tiny.yaml: key 'items → item 2': item 'toolkit_used' statement uses {placeholder}, which is not a plain "
        f"placeholder: a placeholder takes no format, conversion, index or attribute; allowed: {STATEMENT_ALLOWED}.",
    ]


def test_a_summary_with_a_format_is_refused(tmp_path):
    path = write_tiny(tmp_path, "records: cases audited", "records: cases audited\nsummary: '{records:>99999} cases'")
    assert codebook_error(path).splitlines()[1:] == [
        "  tiny.yaml: key 'the top level': summary uses {records:>99999}, which is not a plain placeholder: a "
        "placeholder takes no format, conversion, index or attribute; allowed: {records}, {complete}, {by_area}, "
        "{noun}."
    ]


def test_a_key_given_twice_in_a_codebook_names_both_lines(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "    type: choice\n", "    type: choice\n    type: text\n"))
    assert message == (
        "The codebook file tiny.yaml gives the key 'type' twice, at lines 12 and 13; keep the one you mean and "
        "delete the other."
    )


def test_an_item_id_with_capitals_says_what_an_id_may_hold(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "  - id: toolkit_used", "  - id: Toolkit-Used"))
    assert message.splitlines()[1:] == [
        "  tiny.yaml: key 'items → item 2 → id' has 'Toolkit-Used'; it must be a name of lower-case letters a-z, "
        "digits and '_', starting with a letter, with no spaces."
    ]


def test_a_folder_given_as_a_codebook_is_named_as_a_folder(tmp_path):
    with pytest.raises(CodebookError) as caught:
        load_codebook(tmp_path)
    assert str(caught.value) == f"The codebook file {tmp_path.resolve()} is a folder, not a regular file."


def test_a_choice_item_with_no_values_is_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "    values: [yes, no, not_applicable]\n    met: [yes]\n", ""))
    assert "item 'toolkit_used' is a choice item but lists no values" in message


def test_met_values_on_a_text_item_are_refused(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "    required: true\n", "    required: true\n    met: [x]\n"))
    assert "item 'case_ref' has met or not_applicable values but is not a choice item" in message


def test_quotes_naming_a_missing_item_are_refused(tmp_path):
    message = codebook_error(
        write_tiny(
            tmp_path, "records: cases audited", "records: cases audited\nquotes: {text: comment, consent: case_ref}"
        )
    )
    assert "quotes → text names 'comment', which is not an item" in message


@pytest.mark.parametrize(
    ("quotes", "role", "item", "marks"),
    [
        ("{text: case_ref, consent: toolkit_used}", "text", "case_ref", "identifying"),
        ("{text: notes, consent: toolkit_used}", "text", "notes", "internal"),
        ("{text: comment, consent: case_ref}", "consent", "case_ref", "identifying"),
        ("{text: both, consent: toolkit_used}", "text", "both", "identifying and internal"),
    ],
)
def test_quotes_from_an_identifying_or_internal_item_are_refused(tmp_path, quotes, role, item, marks):
    extra = (
        "    required: true\n    identifying: true\n"
        "  - id: notes\n    question: Notes\n    type: text\n    internal: true\n"
        "  - id: comment\n    question: Comment\n    type: text\n"
        "  - id: both\n    question: Both\n    type: text\n    identifying: true\n    internal: true\n"
    )
    path = write_tiny(tmp_path, "    required: true\n", extra)
    path.write_text(
        path.read_text(encoding="utf-8").replace("records: cases audited", f"records: cases audited\nquotes: {quotes}"),
        encoding="utf-8",
    )
    assert codebook_error(path) == (
        f"The codebook file {path.resolve()} has 1 problem(s):\n"
        f"  tiny.yaml: key 'the top level': quotes → {role} names '{item}', which is marked {marks} and so is never "
        f"published; a quote's text and consent must be items that are neither identifying nor internal."
    )


def test_a_codebook_may_not_set_its_own_path(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "codebook: tiny", "codebook: tiny\npath: elsewhere.yaml"))
    assert message == "The codebook file tiny.yaml may not set 'path'."


def test_a_missing_codebook_file_is_reported(tmp_path):
    with pytest.raises(CodebookError) as caught:
        load_codebook(tmp_path / "tiny.yaml")
    assert str(caught.value) == f"The codebook file {(tmp_path / 'tiny.yaml').resolve()} does not exist."


def test_invalid_codebook_yaml_names_the_line(tmp_path):
    message = codebook_error(write_tiny(tmp_path, "title: Tiny audit", "title: Tiny: audit"))
    assert message.startswith("The codebook file tiny.yaml is not valid YAML at line 2")


def test_a_codebook_is_checked_once_per_content_and_read_again_when_it_changes(tmp_path: Path):
    path = tmp_path / "toolkit_survey.yaml"
    path.write_bytes((INSTRUMENTS / "toolkit_survey.yaml").read_bytes())
    first = load_codebook(path)
    assert load_codebook(path) is first  # unchanged: not parsed and checked again
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: {first.title}", "title: Renamed survey", 1), encoding="utf-8")
    assert load_codebook(path).title == "Renamed survey"
    assert first.title != "Renamed survey"
