"""The analyst's displays in Jupyter: readable HTML for the analysis and the objects in it, escaped, no identifiers."""

from __future__ import annotations

import html

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO, RoundCopy

import auditkit
from auditkit.analysis.notebook_display import VIEW_NAMES, View, quotes_html
from auditkit.analysis.quotes import QuoteSelection, identifying_values
from auditkit.briefing.html import Section

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
LANCASHIRE = REPO / "parameters" / "lancashire-2018.yaml"


@pytest.fixture(scope="module")
def example():
    return auditkit.analyse_round(EXAMPLE_PARAMETERS)


def _everything(analysis) -> str:
    return analysis._repr_html_() + "".join(auditkit.show(name, analysis).html for name in VIEW_NAMES)


def test_the_analysis_displays_as_an_overview_of_every_section(example):
    shown = example._repr_html_()
    assert "<strong>Neglect toolkit survey and deep dive audit</strong> (llr-2017)" in shown
    assert "1 July 2016 to 30 April 2017" in shown
    assert "Internal: every figure before disclosure control, for the audit team only." in shown
    for title in ("Records", "Indicators", "Against the baseline", "Trend", "Aggregate indicator tables", "Quotes"):
        assert f'<th scope="row">{title}</th>' in shown
    assert "71 records: 10 in deep_dive (10 complete)" in shown
    assert "No baseline round: parameters/llr-2017.yaml names none" in shown
    assert "QuoteSelection(" not in shown and "DataFrame" not in shown


def test_the_published_copy_says_disclosure_control_is_applied(example):
    from auditkit.publish.protection import protect_analysis

    assert "Published copy: disclosure control applied, records left out." in protect_analysis(example)._repr_html_()


def test_the_plain_forms_are_short_and_hold_no_records(example):
    assert repr(example) == "Analysis(round='llr-2017', instruments=['deep_dive', 'survey'], rounds=1)"
    followup = auditkit.analyse_round(FOLLOWUP)
    assert repr(followup.comparison) == "Comparison(baseline_id='llr-2017', items=17)"
    table = next(iter(auditkit.analyse_round(LANCASHIRE).indicator_tables.values()))
    assert repr(table) == "IndicatorTableFindings(indicator='lancashire_cp_plans_neglect', rows=13)"
    assert repr(Section(name="charts", html="<p>x</p>")) == "Section(name='charts', html=<8 characters>)"
    view = auditkit.show("records", example)
    assert isinstance(view, View) and repr(view) == view.text and view._repr_html_() == view.html


def test_no_display_shows_an_identifier(example):
    shown = _everything(example) + example.quotes._repr_html_()
    identifiers = identifying_values(example.round, example.records)
    assert len(identifiers) > 20  # case references, response ids, auditors' notes, comments without consent
    leaked = [value for value in identifiers if value in shown or html.escape(value) in shown]
    assert leaked == []


def test_the_quote_selection_displays_its_counts_and_its_quotes_escaped():
    selection = QuoteSelection(
        quotes=("It <b>helped</b> & made sense",),
        without_consent=2,
        over_limit=1,
        redacted=1,
        held_back=3,
        held_back_reasons=(("looks like a pasted email or message", 1), ("longer than 1,000 characters", 2)),
    )
    shown = selection._repr_html_()
    assert shown == quotes_html(selection)
    assert (
        "1 quote printed (1 with details redacted); left out: 2 without consent, 1 over the limit, 3 held back "
        "(looks like a pasted email or message: 1; longer than 1,000 characters: 2)."
    ) in shown
    assert "<summary>The 1 quote the briefing prints</summary>" in shown
    assert "<li>It &lt;b&gt;helped&lt;/b&gt; &amp; made sense</li>" in shown
    assert "<b>helped" not in shown


def test_no_quotes_is_one_line_without_a_list():
    shown = QuoteSelection(quotes=(), without_consent=0, over_limit=0)._repr_html_()
    assert "0 quotes printed" in shown and "<ol>" not in shown


def test_a_comparison_counts_its_verdicts_and_keeps_every_column_on_demand():
    comparison = auditkit.analyse_round(FOLLOWUP).comparison
    shown = comparison._repr_html_()
    assert (
        "17 standards compared with Neglect toolkit survey and deep dive audit (llr-2017): 17 no clear change" in shown
    )
    compact, details = shown.split("<details>", 1)
    assert '<th scope="col">verdict</th>' in compact and "mw_p_value" not in compact  # 8 columns, not 44
    assert "<summary>All 17 rows and 44 columns</summary>" in details and "mw_p_value" in details
    assert "2/10 (20%)" in compact and "13 to 77 points" in compact


def test_an_indicator_table_displays_its_rows_verdicts_and_notes():
    table = next(iter(auditkit.analyse_round(LANCASHIRE).indicator_tables.values()))
    shown = table._repr_html_()
    assert "lancashire_cp_plans_neglect: 13 rows in 4 periods and 10 areas" in shown
    assert "rows and verdicts" in shown and "data-quality notes" in shown


def test_a_long_table_is_compact_with_the_rest_on_demand(example):
    shown = auditkit.show("distributions", example).html
    assert "Answers per item (the first 15 of 17 rows)" in shown
    assert "<summary>All 53 rows and 5 columns</summary>" in shown
    assert "Yes 2 · No 8" in shown  # one line per item: each answer with its count


@pytest.mark.slow
def test_hostile_labels_and_quotes_are_shown_as_text(example_round: RoundCopy):
    codebook = example_round.own_codebook("toolkit_survey")
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(
        text.replace("label: Attended the toolkit launch", 'label: "<img src=x onerror=alert(1)> ZQX launch"', 1),
        encoding="utf-8",
    )
    example_round.survey.write_text(
        example_round.survey.read_text(encoding="utf-8").replace(
            "The scoring gave me firm evidence", "<script>alert(2)</script> ZQY The scoring gave me firm evidence", 1
        ),
        encoding="utf-8",
    )
    analysis = auditkit.analyse_round(example_round.parameters)
    shown = _everything(analysis)
    assert "&lt;img src=x onerror=alert(1)&gt; ZQX launch" in shown
    assert "&lt;script&gt;alert(2)&lt;/script&gt; ZQY" in shown
    assert "<img" not in shown and "<script" not in shown
