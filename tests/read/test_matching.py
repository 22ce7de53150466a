"""Text compared as people see it: one normal form, the nearest text, the part that differs, a list in one cell."""

from __future__ import annotations

import pytest

from auditkit.read.matching import mark_difference, nearest, normalise, split_choices


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("Children's social care", "Children’s social care"),  # a typographic apostrophe
        ('The "toolkit" helped', "The “toolkit” helped"),  # typographic double quotes
        ("Before today - were you aware?", "Before today – were you aware?"),  # an en dash
        ("Before today - were you aware?", "Before today — were you aware?"),  # an em dash
        ("Which agency do you work for?", "Which agency do you work for?\u00a0"),  # a non-breaking space at the end
        ("Which agency do you work for?", "Which\u00a0agency do you  work for?  "),  # inside, doubled, trailing
        ("Which agency do you work for?", "WHICH AGENCY\u200b DO YOU WORK FOR?"),  # case; a zero-width space
        ("Tick all that apply...", "Tick all that apply…"),  # an ellipsis
    ],
)
def test_texts_a_reader_calls_the_same_normalise_to_one_form(typed: str, exported: str):
    assert normalise(typed) == normalise(exported)


def test_texts_that_differ_in_their_words_stay_different():
    assert normalise("I feel confident recognising neglect") != normalise("I feel confident recognizing neglect")
    assert normalise("Yes, always") != normalise("Yes always")
    assert normalise("  Children’s  SOCIAL care ") == "children's social care"


def test_the_nearest_candidate_is_shown_as_written_or_none_when_nothing_is_close():
    candidates = {normalise(text): text for text in ("Which agency do you work for mainly?", "How old are you?")}
    assert nearest("Which agency do you work for?", candidates) == "Which agency do you work for mainly?"
    assert nearest("Describe your team's supervision arrangements", candidates) is None


@pytest.mark.parametrize(
    ("text", "other", "marked"),
    [
        (
            "Which agency do you work for mainly?",
            "Which agency do you work for?",
            "Which agency do you work for «mainly»?",
        ),
        ("Which agency do you work for?", "Which agency do you work for mainly?", "Which agency do you work for?"),
        (
            "I feel confident recognising neglect",
            "I feel confident recognizing neglect",
            "I feel confident «recognising» neglect",
        ),
        ("Did you attend on 7 July 2016?", "Did you attend on 7 July 2017?", "Did you attend on 7 July «2016»?"),
        ("Were you aware of the tool kit?", "Were you aware of the toolkit?", "Were you aware of the «tool kit»?"),
        ("Before today, were you aware?", "Before today were you aware?", "Before today«,» were you aware?"),
        ("Children’s  social\u00a0care", "children's social care", "Children’s social care"),
    ],
)
def test_the_part_that_differs_is_marked_in_whole_words(text: str, other: str, marked: str):
    assert mark_difference(text, other) == marked


def test_a_multi_select_cell_is_split_on_its_labels_longest_first():
    labels = ["Home conditions", "Health", "Health visiting", "Housing, benefits and debt"]
    found, unmatched = split_choices("Health visiting, Housing, benefits and debt, Health", labels)
    assert found == ("health visiting", "housing, benefits and debt", "health")
    assert unmatched == ()


def test_parts_of_a_cell_that_are_no_label_are_returned_as_written():
    found, unmatched = split_choices("Home conditions, Parenting classes, Health", ["Home conditions", "Health"])
    assert found == ("home conditions", "health")
    assert unmatched == ("Parenting classes",)


def test_a_list_ended_by_semicolons_as_microsoft_forms_writes_it_is_split_too():
    assert split_choices("Home conditions;Emotional care;", ["Home conditions", "Emotional care"]) == (
        ("home conditions", "emotional care"),
        (),
    )
    assert split_choices("", ["Home conditions"]) == ((), ())


def test_labels_are_matched_whatever_their_quotes_case_and_spacing():
    found, unmatched = split_choices("children’s  CENTRE, School", ["Children's centre", "School"])
    assert (found, unmatched) == (("children's centre", "school"), ())


def test_a_cell_of_many_separators_is_split_quickly():
    found, unmatched = split_choices(", " * 20_000 + "Health", ["Health", "A, b, c, d"])
    assert (found, unmatched) == (("health",), ())


def test_a_microsoft_forms_list_is_split_at_semicolons_only():
    cell = "Health, growth and development;Home conditions;"
    assert split_choices(cell, ["Health", "Home conditions"], ";") == (
        ("home conditions",),
        ("Health, growth and development",),
    )
