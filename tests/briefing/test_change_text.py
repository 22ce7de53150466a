"""auditkit.briefing.change_text: the comparison and the power of the rounds in the briefing's words."""

from __future__ import annotations

import html
import re

from conftest import REPO

import auditkit
from auditkit.briefing.change_text import change_rows, change_since_baseline, power_sentence
from auditkit.publish.protection import protect_analysis

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
BASELINE = REPO / "parameters" / "llr-2017.yaml"


def test_the_methodology_says_what_the_rounds_could_detect_in_one_sentence():
    # The figures: each deep-dive item's smallest detectable change (Fisher's exact power from the baseline's
    # proportion: 49 to 61 points with 10 and 12 cases, 66 for escalation's 7 and 8; conference notice and plan
    # sharing, 3 and 4 of 7 against 8, detect none) and the cases a round needs for 20 points (75 to 98); all
    # published in findings.json (the comparison items' power, and power → next_round).
    analysis = protect_analysis(auditkit.analyse_round(FOLLOWUP))
    assert power_sentence(analysis, "deep_dive") == (
        "Rounds of this size could reliably detect (with 80% power, in a two-sided test at the 5% level) only "
        "changes of 49 to 66 points; to detect a change of 20 points, each round would need about 75 to 98 cases."
    )
    text = " ".join(html.unescape(auditkit.render_section("methodology", analysis).html).split())
    assert '<p class="power">Rounds of this size could reliably detect' in text


def test_a_single_round_says_what_the_next_one_needs():
    analysis = protect_analysis(auditkit.analyse_round(BASELINE))
    assert power_sentence(analysis, "survey").startswith(
        "To detect a change of 20 points (with 80% power, in a two-sided test at the 5% level), each round would "
        "need about "
    )


def test_key_findings_give_apparent_changes_with_their_caveat_and_skip_unclear_ones():
    analysis = protect_analysis(auditkit.analyse_round(FOLLOWUP))
    [sentence] = change_since_baseline(analysis, "deep_dive", "toolkit_used")
    assert sentence.startswith("Since April 2017: Toolkit use rose from 2 of 10 cases (20%) to 9 of 12 (75%)")
    assert sentence.endswith("; with 17 comparisons this could be chance).")
    assert change_since_baseline(analysis, "deep_dive", "drift_evident") == []
    assert change_since_baseline(protect_analysis(auditkit.analyse_round(BASELINE)), "deep_dive", "toolkit_used") == []


def test_change_rows_sort_items_by_what_the_evidence_shows():
    analysis = protect_analysis(auditkit.analyse_round(FOLLOWUP))
    items = analysis.comparison.items
    rows = change_rows(analysis, "survey", items[items["instrument"] == "survey"], len(items))
    assert rows["clear_changes"] == [] and rows["not_shown"] == []
    [apparent] = rows["apparent_changes"]
    assert re.match(r"Use of the toolkit rose from 21 of 58 responses \(36%\) to 41 of 68 \(60%\)", apparent)
    assert "Fisher's exact p = 0.008, adjusted p = 0.087; with 17 comparisons this could be chance)." in apparent
    assert "use of the toolkit" not in rows["no_clear_change"]
    assert [row["verdict"] for row in rows["table"]] == ["no clear change"] * 7
