"""What reaches a published output: disclosure control, screened and escaped quotes, no identifiers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, RoundCopy, edit_text

import auditkit
from auditkit.publish.findings_files import write_findings
from auditkit.publish.protection import SUPPRESSED, protect_analysis

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


def with_default_rule(example_round: RoundCopy) -> auditkit.Analysis:
    """The example round with its `disclosure: min_count: 0` removed: the DfE rule applies."""
    example_round.edit_parameters("disclosure:\n  min_count: 0\n", "")
    return auditkit.analyse_round(example_round.parameters)


def briefing_html(analysis: auditkit.Analysis) -> str:
    return "".join(auditkit.render_section(name, analysis).html for name in auditkit.SECTION_NAMES)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_without_a_disclosure_key_the_dfe_rule_applies(example_round: RoundCopy):
    analysis = with_default_rule(example_round)
    assert (analysis.round.disclosure.min_count, analysis.round.disclosure.symbol) == (5, "c")
    html = briefing_html(analysis)
    # 10 cases: 4, 4 and 2 by area, all from 1 to 5, so all three are hidden; the total of 10 is not.
    assert "10 cases were audited: c in Leicester, c in Leicestershire and c in Rutland." in html
    # Toolkit used in 2 of 10: 2 is hidden, and so is everything computed from it.
    assert "The neglect toolkit was used in c of the 10 cases audited (the exact figure is not published" in html
    assert "20%; 95% CI 6% to 51%" not in html
    assert "Counts from 1 to 5 are shown as c" in html


def test_a_total_whose_counts_are_all_above_the_threshold_is_published(example_round: RoundCopy):
    # Survey: 46 of 52 confident recognising neglect; neither 46 nor the complement 6 is from 1 to 5.
    findings = protect_analysis(with_default_rule(example_round)).findings
    row = findings.indicator("survey", "confident_recognising")
    assert (row["numerator"], row["denominator"], bool(row["suppressed"])) == (46, 52, False)


def test_an_item_whose_complement_is_small_is_suppressed(example_round: RoundCopy):
    # 52 of 60 aware of the toolkit: the 8 not aware is safe, but a by-area cell is small, and the
    # secondary suppression must not let the total reveal it. Issue 14: the total is hidden too, because
    # 60 answers beside the 61 responses published would give away the 1 response that left it blank.
    findings = protect_analysis(with_default_rule(example_round)).findings
    total = findings.indicator("survey", "aware_of_toolkit")
    assert findings.counts["survey"].records == 61
    assert pd.isna(total["numerator"]) and pd.isna(total["denominator"])
    rows = findings.indicators
    areas = rows[(rows["item"] == "aware_of_toolkit") & (rows["area"] != "all")]
    assert areas["suppressed"].sum() != 1, "a single hidden area could be recovered from the total"


def test_published_findings_hide_small_counts_and_the_internal_file_keeps_them(example_round, tmp_path):
    analysis = with_default_rule(example_round)
    json_path, csv_path = write_findings(analysis, tmp_path)
    internal_json, internal_csv = write_findings(analysis, tmp_path, published=False)
    published = json.loads(json_path.read_text(encoding="utf-8"))
    toolkit = published["instruments"]["deep_dive"]["indicators"]["toolkit_used"]
    assert (toolkit["numerator"], toolkit["proportion"], toolkit["suppressed"]) == (None, None, True)
    assert published["instruments"]["deep_dive"]["by_area"] == {
        "Leicester": None,
        "Leicestershire": None,
        "Rutland": None,
    }
    assert published["disclosure"] == {
        "applied": True,
        "min_count": 5,
        "symbol": "c",
        "rule": "Counts from 1 to 5 are shown as c, and so are other figures from which they could be worked out.",
    }
    row = next(row for row in read_csv(csv_path) if row["item"] == "toolkit_used" and row["area"] == "all")
    assert (row["numerator"], row["denominator"], row["proportion"]) == ("c", "10", "c")
    assert internal_json.name == "findings-unsuppressed.json"
    internal = json.loads(internal_json.read_text(encoding="utf-8"))
    assert internal["instruments"]["deep_dive"]["indicators"]["toolkit_used"]["numerator"] == 2
    assert internal["disclosure"]["applied"] is False


def test_a_comparison_resting_on_a_suppressed_count_is_suppressed(example_round: RoundCopy):
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    for path in (followup, example_round.parameters):
        path.write_text(path.read_text(encoding="utf-8").replace("disclosure:\n  min_count: 0\n", ""), "utf-8")
    published = protect_analysis(auditkit.analyse_round(followup))
    items = published.comparison.items.set_index("item")
    assert items.loc["toolkit_used", "verdict"] == SUPPRESSED
    assert items[["difference", "p_value", "baseline_numerator"]].loc["toolkit_used"].isna().all()
    # Survey: attended the launch, 22/61 → 24/70, no small counts (every response answered it): the
    # comparison stands. (Use of the toolkit, 21/58 → 41/68, no longer does: issue 14, 58 of 61 answers
    # beside the records would give away the 3 blanks.)
    assert items.loc["attended_launch", "verdict"] == "no clear change"
    assert items.loc["used_toolkit", "verdict"] == SUPPRESSED
    html = briefing_html(auditkit.analyse_round(followup))
    assert "Toolkit use rose from 2 of 10" not in html
    assert "Not compared here, because the numbers are too small to publish: toolkit use;" in html


def test_a_caution_does_not_name_a_hidden_number_of_answers(example_round: RoundCopy):
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    for path in (followup, example_round.parameters):
        path.write_text(path.read_text(encoding="utf-8").replace("disclosure:\n  min_count: 0\n", ""), "utf-8")
    analysis = auditkit.analyse_round(followup)
    # Conference notice: 7 cases needed one at baseline (3 of 10 not applicable, a count from 1 to 5).
    assert analysis.comparison.items.set_index("item").loc["conference_notice", "caution"] == (
        "seven cases: indicative only"
    )
    items = protect_analysis(analysis).comparison.items.set_index("item")
    assert pd.isna(items.loc["conference_notice", "baseline_denominator"])
    assert items.loc["conference_notice", "caution"] == "few cases: indicative only"
    assert items.loc["toolkit_used", "caution"] == "ten cases: indicative only"  # 10 and 12 are published


def test_a_suppressed_comparison_hides_the_intervals_of_its_proportions(example_round: RoundCopy):
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    for path in (followup, example_round.parameters):
        path.write_text(path.read_text(encoding="utf-8").replace("disclosure:\n  min_count: 0\n", ""), "utf-8")
    analysis = auditkit.analyse_round(followup)
    items = protect_analysis(analysis).comparison.items.set_index("item")
    intervals = ["baseline_ci_low", "baseline_ci_high", "followup_ci_low", "followup_ci_high"]
    # Toolkit use, 2 of 10 at baseline: hidden, and so are the intervals around its proportions.
    assert items.loc["toolkit_used", intervals].isna().all()
    assert items.loc["toolkit_used", ["baseline_proportion", "followup_proportion"]].isna().all()
    # Attended the launch, 22/61 → 24/70: published, intervals and all.
    unprotected = analysis.comparison.items.set_index("item")
    assert items.loc["attended_launch", intervals].tolist() == unprotected.loc["attended_launch", intervals].tolist()


def test_min_count_zero_publishes_every_figure_and_says_so():
    html = briefing_html(auditkit.analyse_round(REPO / "parameters" / "llr-2017.yaml"))
    assert "The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%)." in html
    assert "No figures are suppressed" in html


def test_quotes_are_screened_and_the_briefing_says_how_many(tmp_path):
    html = briefing_html(auditkit.analyse_round(FOLLOWUP))
    assert "Our family worker [redacted] went through it with mum at the review on [redacted]" in html
    assert "Jo Bloggs" not in html and "14/03/2016" not in html
    assert "From: duty team" not in html
    assert "07700 900123" not in html  # that comment had no consent
    assert (
        "details that could identify someone were removed from 1 quote and shown as [redacted], "
        "and 1 comment was held back"
    ) in html


def test_a_quote_with_markup_shows_as_text_and_runs_nothing(example_round: RoundCopy):
    text = example_round.survey.read_text(encoding="utf-8")
    marker = "The emotional neglect prompts picked up things our usual forms miss."
    assert marker in text
    example_round.survey.write_text(
        text.replace(marker, "The prompts helped <script>alert('x')</script> and <b>bold</b> claims too."), "utf-8"
    )
    html = briefing_html(auditkit.analyse_round(example_round.parameters))
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize("rule", ["min_count: 0", "default"])
def test_no_identifier_or_internal_text_reaches_published_output(example_round: RoundCopy, tmp_path, rule):
    analysis = (
        with_default_rule(example_round) if rule == "default" else auditkit.analyse_round(example_round.parameters)
    )
    write_findings(analysis, tmp_path)
    published = (
        briefing_html(analysis) + (tmp_path / "findings.json").read_text() + (tmp_path / "findings.csv").read_text()
    )
    secrets = [row["case_ref"] for row in read_csv(example_round.cases)]
    secrets += [row["notes"] for row in read_csv(example_round.cases)]
    secrets += [row["response_id"] for row in read_csv(example_round.survey)]
    assert [secret for secret in secrets if secret in published] == []
    assert protect_analysis(analysis).records == {}


def _with_min_count(example_round: RoundCopy, min_count: int) -> Path:
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    for path in (followup, example_round.parameters):
        edit_text(path, "disclosure:\n  min_count: 0\n", f"disclosure:\n  min_count: {min_count}\n")
    return followup


def test_a_test_resting_on_a_small_count_of_re_audited_cases_is_suppressed(example_round: RoundCopy, tmp_path):
    # Issue 18: with counts of 1 hidden, toolkit use (2 of 10, then 9 of 12) is published, but one of its six
    # re-audited cases met the standard in neither round: the overlap-aware test rests on that 1, so its p-value,
    # interval and verdict are hidden, and so is McNemar's test beside it. The difference rests on the totals only.
    analysis = auditkit.analyse_round(_with_min_count(example_round, 1))
    published = protect_analysis(analysis)
    row = published.comparison.items.set_index("item").loc["toolkit_used"]
    assert (row["baseline_numerator"], row["followup_numerator"]) == (2, 9)
    assert row["difference"] == pytest.approx(0.55)
    assert row[["p_value", "p_adjusted", "diff_ci_low", "diff_ci_high", "overlap_z", "paired_p_value"]].isna().all()
    assert row[["paired_pairs", "paired_neither", "baseline_only_denominator"]].isna().all()
    assert row["verdict"] == SUPPRESSED
    # the survey keeps no response id: its comparisons rest on the totals alone and stand
    assert published.comparison.items.set_index("item").loc["used_toolkit", "p_value"] == pytest.approx(
        0.0078829, abs=1e-6
    )
    json_path, csv_path = write_findings(analysis, tmp_path)
    toolkit = next(
        e
        for e in json.loads(json_path.read_text(encoding="utf-8"))["comparison"]["items"]
        if e["item"] == "toolkit_used"
    )
    assert toolkit["overlap"]["pairs"] is None and toolkit["tests"]["mcnemar"]["p_value"] is None
    tests = [row for row in read_csv(csv_path) if row["section"] == "test" and row["item"] == "toolkit_used"]
    assert [(row["role"], row["p_value"], row["statistic"]) for row in tests] == [
        ("primary", "c", "c"),
        ("secondary", "c", "c"),
    ]


def test_power_figures_resting_on_a_hidden_count_are_hidden(example_round: RoundCopy):
    # Under the DfE rule the deep dive's baseline totals are hidden (2 of 10 is from 1 to 5), and so are the
    # smallest change the rounds could detect and the size the next round needs, which rest on them.
    published = protect_analysis(auditkit.analyse_round(_with_min_count(example_round, 5)))
    items = published.comparison.items.set_index("item")
    assert pd.isna(items.loc["toolkit_used", "detectable_change"])
    assert items.loc["attended_launch", "detectable_change"] == pytest.approx(0.2157, abs=1e-4)  # 22/61, 24/70
    plan = published.next_round.set_index("item")["n_per_round"]
    assert pd.isna(plan["toolkit_used"]) and plan["attended_launch"] == 96
