"""Answer scales recognised from their labels, each written whole and in order from auditkit's own vocabulary."""

from __future__ import annotations

import pytest

from auditkit.read.answer_scales import SCALES, recognise_scale


def recognised(answers: list[str]) -> tuple[str, list[tuple[str, str]], tuple[str, ...]] | None:
    found = recognise_scale(answers)
    if found is None:
        return None
    scale, levels = found
    return scale.name, list(levels), scale.met


def test_yes_and_no_are_a_yes_no_question_even_when_no_is_rare():
    assert recognised(["Yes", "Yes", "no"]) == ("yes/no", [("yes", "Yes"), ("no", "No")], ("yes",))


def test_a_dont_know_answer_joins_the_scale_only_when_someone_gave_it():
    name, levels, _ = recognised(["Yes", "Not sure", "No"])
    assert name == "yes/no"
    assert levels == [("yes", "Yes"), ("no", "No"), ("dont_know", "Not sure")]


def test_the_agreement_scale_is_written_whole_in_order_with_the_exports_spelling():
    name, levels, met = recognised(["agree", "Neutral", "STRONGLY AGREE"])
    assert name == "agreement" and met == ("agree", "strongly_agree")
    assert levels == [
        ("strongly_disagree", "Strongly disagree"),  # nobody chose it: written from the vocabulary
        ("disagree", "Disagree"),
        ("neutral", "Neutral"),  # the export's spelling, since the vocabulary knows it
        ("agree", "Agree"),
        ("strongly_agree", "Strongly agree"),
    ]


def test_a_table_of_codes_is_recognised_and_labelled_as_usual():
    name, levels, _ = recognised(["strongly_agree", "disagree", "neutral"])
    assert name == "agreement"
    assert levels[0] == ("strongly_disagree", "Strongly disagree")


@pytest.mark.parametrize(
    ("answers", "name", "met"),
    [
        (["Very satisfied", "Dissatisfied"], "satisfaction", ("satisfied", "very_satisfied")),
        (["Never", "Always", "Sometimes"], "frequency", ("often", "always")),
        (["Poor", "Excellent"], "quality", ("good", "very_good", "excellent")),
        (["Fairly confident", "Not at all confident"], "confidence", ("fairly_confident", "very_confident")),
        (["Very helpful", "Not very helpful"], "helpfulness", ("fairly_helpful", "very_helpful")),
    ],
)
def test_other_ordered_scales_are_recognised_from_their_labels(answers: list[str], name: str, met: tuple[str, ...]):
    assert recognised(answers)[0] == name
    assert recognised(answers)[2] == met


def test_an_optional_lowest_level_is_written_only_when_given():
    assert [code for code, _ in recognised(["Good", "Poor"])[1]] == ["poor", "fair", "good", "very_good", "excellent"]
    assert recognised(["Very poor", "Good"])[1][0] == ("very_poor", "Very poor")


def test_answers_that_no_scale_holds_are_not_a_scale():
    assert recognise_scale(["Yes", "Maybe"]) is None
    assert recognise_scale(["Health", "Police"]) is None
    assert recognise_scale([]) is None


def test_every_scale_has_met_values_among_its_levels():
    for scale in SCALES:
        codes = [level.code for level in scale.levels]
        assert set(scale.met) <= set(codes) and len(set(codes)) == len(codes), scale.name
