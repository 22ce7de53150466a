"""auditkit.briefing.sections: what each briefing section says, from the published analysis."""

from __future__ import annotations

import html
import re

import yaml
from conftest import REPO, RoundCopy

import auditkit

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


# --- actions -------------------------------------------------------------------------------------------


def test_the_followup_briefing_shows_progress_beside_the_change():
    text = html.unescape(re.sub(r"\s+", " ", auditkit.render_section("actions", auditkit.analyse_round(FOLLOWUP)).html))
    assert '<h2 id="actions">Progress on actions from Neglect toolkit survey and deep dive audit</h2>' in text
    assert "2 of 5 actions are done. 1 is overdue: due before 31 December 2017 and neither done nor dropped." in text
    rows = dict(re.findall(r'<th scope="row">(A\d)</th>(.*?)</tr>', text))
    assert "Overdue" in rows["A3"] and "Overdue" not in rows["A2"] and "Overdue" not in rows["A5"]
    assert "31 December 2017" in rows["A2"] and "In progress" in rows["A2"]
    assert "20% → 75%<br>no clear change" in rows["A1"]  # issue 18: adjusted p = 0.087 of 17 comparisons
    assert "Replaced by the new conference booking system" in rows["A5"]


def test_a_round_without_actions_has_no_actions_section(example_round: RoundCopy):
    document = yaml.safe_load(example_round.parameters.read_text(encoding="utf-8"))
    document.pop("actions")
    example_round.parameters.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert auditkit.render_section("actions", auditkit.analyse_round(example_round.parameters)).html.strip() == ""


# --- quotes --------------------------------------------------------------------------------------------


def test_a_quote_over_1000_characters_is_counted_with_those_held_back(example_round: RoundCopy):
    start = "Went through the home conditions section with a mum and her health visitor"
    text = example_round.survey.read_text(encoding="utf-8")
    assert start in text
    example_round.survey.write_text(text.replace(start, "The toolkit helped. " * 60 + "ZQXLONG", 1), "utf-8")
    section = auditkit.render_section("quotes", auditkit.analyse_round(example_round.parameters))
    words = re.sub(r"\s+", " ", section.html)
    assert "ZQXLONG" not in words
    assert "To protect children and families, 1 comment was held back." in words
