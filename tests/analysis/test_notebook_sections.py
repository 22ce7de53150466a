"""The sections of the analyst's workbook: the counts each heading promises, or why it is empty and how to fill it."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit
from auditkit.analysis.notebook_sections import NOTEBOOK_SECTIONS, parameters_name

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
LANCASHIRE = REPO / "parameters" / "lancashire-2018.yaml"


@pytest.fixture(scope="module")
def example():
    return auditkit.analyse_round(EXAMPLE_PARAMETERS)


@pytest.fixture(scope="module")
def followup():
    return auditkit.analyse_round(FOLLOWUP)


@pytest.fixture(scope="module")
def lancashire():
    return auditkit.analyse_round(LANCASHIRE)


def _text(name, analysis) -> str:
    return auditkit.show(name, analysis).text


def test_a_parameters_file_is_named_from_its_workbook():
    assert parameters_name(auditkit.load_round(EXAMPLE_PARAMETERS)) == "parameters/llr-2017.yaml"


def test_each_section_opens_with_the_counts_its_heading_promises(example):
    assert _text("records", example) == (
        "71 records: 10 in deep_dive (10 complete), 61 in survey (39 complete). A record is complete when it answers "
        "every required item."
    )
    assert _text("indicators", example) == (
        "17 standards: 10 in deep_dive, 7 in survey. Each proportion is met over answered and applicable, with its "
        "Wilson 95% interval."
    )
    assert _text("by_area", example) == (
        "17 standards by area (Leicester, Leicestershire, Rutland, other): met/answered (percent), all areas first."
    )
    assert _text("distributions", example) == (
        "53 counts of 17 items' answers, blank answers left out: one line per item below, every count on demand."
    )
    assert _text("actions", example) == "5 actions: 0 done, 0 overdue at the end of the period (30 April 2017)."
    assert _text("area_tests", example) == (
        "17 standards tested across areas (Fisher–Freeman–Halton exact test); 0 with an adjusted p below 0.05."
    )
    assert _text("quotes", example) == (
        "8 quotes printed (0 with details redacted); left out: 2 without consent, 0 over the limit, 0 held back."
    )


def test_a_round_without_a_baseline_says_how_to_compare_it(example):
    assert _text("comparison", example) == (
        "No baseline round: parameters/llr-2017.yaml names none, so nothing is compared. Add baseline: <earlier "
        "round>.yaml to it (the earlier round's parameters file, from its folder) to compare the two rounds."
    )
    assert "<code>baseline: &lt;earlier round&gt;.yaml</code>" in auditkit.show("comparison", example).html
    assert _text("trend", example) == (
        "No test for trend: it needs three or more rounds, and there is 1 round (llr-2017). Name an earlier round in "
        "the baseline: of the earliest one's parameters file to add another."
    )


def test_a_round_without_indicator_tables_says_how_to_add_one(example):
    assert _text("indicator_tables", example) == (
        "No aggregate indicator tables: parameters/llr-2017.yaml has no indicator_tables:. Add one, with a codebook "
        "such as cp_plans_neglect and its data, to analyse published counts such as children on a child protection "
        "plan because of neglect."
    )
    html = auditkit.show("indicator_tables", example).html
    assert 'class="auditkit-empty"' in html and "<table" not in html  # one line, not "0 rows × 27 columns"


def test_a_follow_up_counts_its_verdicts_and_its_rounds(followup):
    # Issue 18: no item's primary test is significant after the Benjamini-Hochberg adjustment.
    assert _text("comparison", followup) == (
        "17 standards compared with Neglect toolkit survey and deep dive audit (llr-2017): 17 no clear change; "
        "10 indicative only (fewer than 20 answers in a round)."
    )
    assert _text("trend", followup) == (
        "No test for trend: it needs three or more rounds, and there are 2 rounds (llr-2017, llr-2017-followup). "
        "Name an earlier round in the baseline: of the earliest one's parameters file to add another."
    )
    assert _text("actions", followup) == "5 actions: 2 done, 1 overdue at the end of the period (31 December 2017)."
    assert _text("quotes", followup) == (
        "7 quotes printed (1 with details redacted); left out: 1 without consent, 0 over the limit, 1 held back "
        "(looks like a pasted email or message: 1)."
    )


def test_a_round_of_indicator_tables_only_says_what_it_lacks(lancashire):
    no_instruments = (
        "No instruments: parameters/lancashire-2018.yaml has no instruments: (it has aggregate indicator tables "
        "only). Add a case audit or a survey under instruments: to count its records and standards."
    )
    for name in ("records", "indicators", "by_area", "distributions", "area_tests", "breakdowns", "quotes"):
        assert _text(name, lancashire) == no_instruments, name
    assert _text("actions", lancashire) == (
        "No action plan: parameters/lancashire-2018.yaml lists no actions:. Add them (see parameters/README.md, "
        "Actions) to follow each action's progress and the change in the standard it answers."
    )
    assert _text("indicator_tables", lancashire) == (
        "cp_plans_neglect: 13 rows in 4 periods and 10 areas; verdicts against benchmarks: lower 12, "
        "similar 6; 6 data-quality notes."
    )


def test_every_section_is_shown_by_name_and_an_unknown_name_is_refused(example):
    assert list(NOTEBOOK_SECTIONS) == [
        "records",
        "indicators",
        "by_area",
        "distributions",
        "comparison",
        "trend",
        "actions",
        "indicator_tables",
        "area_tests",
        "breakdowns",
        "quotes",
    ]
    with pytest.raises(ValueError) as refused:
        auditkit.show("charts", example)
    assert str(refused.value) == (
        "There is no workbook section 'charts'; sections: records, indicators, by_area, distributions, comparison, "
        "trend, actions, indicator_tables, area_tests, breakdowns, quotes."
    )


def test_a_round_without_breakdowns_says_how_to_add_one_in_one_line(example):
    assert _text("breakdowns", example) == (
        "No breakdowns: parameters/llr-2017.yaml names none. Add breakdowns: [agency] to it (any item of type: choice) "
        "to give every standard's figures and a test of the groups for each of its answers."
    )
    html = auditkit.show("breakdowns", example).html
    assert 'class="auditkit-empty"' in html and "<table" not in html


def test_a_round_broken_down_by_agency_counts_its_standards_and_group_tests(example_round):
    example_round.edit_parameters("\ninstruments:", "\nbreakdowns: [agency, child_age_band]\ninstruments:")
    analysis = auditkit.analyse_round(example_round.parameters, reuse=False)
    assert not (analysis.breakdown_tests["p_adjusted"] < 0.05).any()
    assert _text("breakdowns", analysis) == (
        "17 standards by 2 breakdowns (child_age_band, agency); 0 group tests with an adjusted p below 0.05."
    )
    html = auditkit.show("breakdowns", analysis).html
    assert "Figures by group" in html and "Groups against each other" in html


def test_an_indicator_table_shows_its_funnel_targets_and_limits(lancashire):
    html = auditkit.show("indicator_tables", lancashire).html
    assert "cp_plans_neglect: funnel targets and limits" in html and "widened" in html
