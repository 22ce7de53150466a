"""auditkit.publish.indicator_protection: an indicator table's small counts, and what gives them away, hidden."""

from __future__ import annotations

import pandas as pd
from conftest import LANCASHIRE_CODEBOOK

from auditkit.analysis.indicator_tables import summarise_indicator_table
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.publish.indicator_protection import protect_indicator_table


def _findings(rows: list[tuple]):
    frame = pd.DataFrame(rows, columns=["period", "area", "denominator", "numerator", "stated_percent"])
    frame["row"] = range(2, len(frame) + 2)
    return summarise_indicator_table(frame, load_indicator_codebook(LANCASHIRE_CODEBOOK))


def test_a_note_about_a_hidden_row_keeps_its_words_but_not_its_figures():
    findings = _findings(
        [
            ("2018", "Burnley", 40, 3, "20.0%"),  # 3 met: hidden; the stated 20.0% is not 7.5%
            ("2018", "Pendle", 50, 20, "40.0%"),
            ("2018", "Preston", 60, 30, "50.0%"),
        ]
    )
    assert "3 children on a plan due to neglect out of 40" in findings.checks["message"].iloc[0]
    published = protect_indicator_table(findings, DisclosureRule())
    assert published.checks.to_dict("records")[0] == {
        "row": 2,
        "period": "2018",
        "area": "Burnley",
        "check": "stated_percent",
        "message": "Burnley, 2018: the stated percentage does not match the counts; check the source before relying "
        "on this row. Its figures are withheld under the disclosure rule.",
    }
    assert protect_indicator_table(findings, DisclosureRule(min_count=0)).checks.equals(findings.checks)


def test_a_total_a_few_children_above_its_areas_is_hidden_with_its_note():
    findings = _findings(
        [
            ("2018", "Lancashire", 153, 53, "34.6%"),  # 3 more met than the areas: children in no area shown
            ("2018", "Pendle", 50, 20, "40.0%"),
            ("2018", "Preston", 100, 30, "30.0%"),
        ]
    )
    published = protect_indicator_table(findings, DisclosureRule())
    rows = published.rows.set_index("area")
    assert rows["suppressed"].to_dict() == {"Lancashire": True, "Pendle": False, "Preston": False}
    assert pd.isna(rows.loc["Lancashire", "numerator"]) and rows.loc["Pendle", "numerator"] == 20
    assert published.checks["message"].tolist() == [
        "2018: the areas do not add up to the total. Its figures are withheld under the disclosure rule.",
        "2018: the areas do not add up to the total. Its figures are withheld under the disclosure rule.",
    ]
