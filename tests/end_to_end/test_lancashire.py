"""Aggregate indicator tables in a round: the Lancashire example, checked, benchmarked and published."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import LANCASHIRE_CODEBOOK, REPO, copy_workbook

import auditkit
from auditkit.analysis.indicator_tables import summarise_indicator_table
from auditkit.briefing.charts import Chart
from auditkit.briefing.html import chart_html
from auditkit.briefing.sections import SECTIONS
from auditkit.cli import main
from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.errors import ParametersError
from auditkit.publish.disclosure import DisclosureRule
from auditkit.publish.findings_files import write_findings
from auditkit.publish.indicator_protection import protect_indicator_table
from auditkit.publish.protection import protect_analysis

LANCASHIRE = REPO / "parameters" / "lancashire-2018.yaml"
WEST_LANCS = (
    "West Lancs, 2018: the table says 23.4%, but 22 children on a plan due to neglect out of 22 children on a "
    "child protection plan is 100.0%."
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example workbook's parameters and data, safe to edit."""
    return copy_workbook(tmp_path)


@pytest.fixture(scope="module")
def analysis() -> auditkit.Analysis:
    return auditkit.analyse_round(LANCASHIRE)


def test_a_round_may_have_indicator_tables_instead_of_instruments(analysis):
    assert dict(analysis.round.instruments) == {}
    table = analysis.indicator_tables["cp_plans_neglect"]
    assert len(table.rows) == 13
    assert table.codebook.benchmarks_for("2018") == {"England": 0.475, "North West": 0.405}


def test_a_round_with_no_data_at_all_is_refused(project: Path):
    parameters = project / "parameters" / "lancashire-2018.yaml"
    text = parameters.read_text(encoding="utf-8")
    start, end = text.index("indicator_tables:"), text.index("briefing:")
    parameters.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ParametersError, match="the round names no data; add instruments"):
        auditkit.load_round(parameters)


def test_validate_shows_the_data_quality_notes_and_succeeds():
    result = CliRunner().invoke(main, ["validate", str(LANCASHIRE)])
    assert result.exit_code == 0, result.output
    assert "Data-quality notes (6; the briefing shows them too):" in result.output
    assert WEST_LANCS in result.output
    assert (
        "the 9 districts add up to 1,127 children on a child protection plan, but the Lancashire total is 1,243"
        in result.output
    )
    assert (
        "the 9 districts add up to 363 children on a plan due to neglect, but the Lancashire total is 375"
        in result.output
    )


def test_text_in_a_count_column_stops_the_run_with_file_row_and_column(project: Path):
    data = project / "data_templates" / "examples" / "lancashire-cp-plans-by-district-2018.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("2018,Burnley,98,26", "2018,Burnley,98,twenty"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(project / "parameters" / "lancashire-2018.yaml")])
    assert result.exit_code == 1
    assert (
        "lancashire-cp-plans-by-district-2018.csv, row 2, column 'numerator': 'twenty' is not a number."
        in result.output
    )
    assert "Traceback" not in result.output


def test_findings_json_has_the_indicator_table_shape(analysis, tmp_path: Path):
    json_path, csv_path = write_findings(analysis, tmp_path)
    document = json.loads(json_path.read_text(encoding="utf-8"))["indicator_tables"]["cp_plans_neglect"]
    assert set(document) == {"rows", "funnels", "trend", "checks"}  # funnels: issue 18
    row = next(row for row in document["rows"] if row["area"] == "Lancashire" and row["period"] == "2018")
    assert set(row) == {
        "period",
        "area",
        "numerator",
        "denominator",
        "proportion",
        "ci_low",
        "ci_high",
        "ci99_low",
        "ci99_high",
        "verdicts",
        "funnel",
    }
    # 375/1243 = 30.2%, 95% CI about 27.7% to 32.8%: both benchmarks lie above it.
    assert row["verdicts"] == {"England": "lower", "North West": "lower"}
    assert (row["numerator"], row["denominator"]) == (375, 1243)
    assert any(check["message"].startswith(WEST_LANCS) for check in document["checks"])
    assert document["trend"]["z"] < 0
    rows = [line for line in csv_path.read_text(encoding="utf-8").splitlines() if line.startswith("indicator_table,")]
    assert len(rows) == 4 + 2 * 9 + 1  # 2015-2017 totals alone; 2018 total and districts once per benchmark


def test_the_briefing_groups_measures_by_their_question_and_shows_the_notes(analysis):
    text = html.unescape(auditkit.render_section("indicators", analysis).html)
    assert '<h2 id="indicators">How we will know our practice is good</h2>' in text
    assert "<h3>How much did we do?</h3>" in text
    assert "<h4>Child protection plans due to neglect</h4>" in text
    assert "In Lancashire the share fell from 34% (318 of 936) in 2015 to 30% (375 of 1,243) in 2018" in text
    assert WEST_LANCS in text
    assert text.count('<figure class="chart">') == 2
    # Issue 18: West Lancs's 22 of 22 stated as 23.4% is inconsistent: no verdict and no funnel position.
    row = re.search(r"<th scope=\"row\">West Lancs</th>(.*?)</tr>", text, re.S).group(1)
    assert "higher" not in row and "High" not in row and "Not significant" not in row
    assert (
        "The test treats each year as an independent sample, but the same children can be counted in several "
        "years, so read it as indicative." in text
    )
    assert (
        "The funnel plot's target is all districts together. The districts vary more than chance alone would "
        "explain (test for overdispersion, p < 0.001), so its 95% and 99.8% limits are widened to allow for that "
        "(Spiegelhalter's random-effects adjustment): a district outside them stands out even so."
    ) in text


def test_record_level_sections_stay_empty_for_an_indicator_only_round(analysis):
    for name in ("quotes", "charts", "change", "actions"):
        assert auditkit.render_section(name, analysis).html.strip() == "", name


def test_small_counts_in_an_indicator_table_are_suppressed_when_published(project: Path):
    data = project / "data_templates" / "examples" / "lancashire-cp-plans-by-district-2018.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("2018,Rossendale,62,24", "2018,Rossendale,62,4"), encoding="utf-8"
    )
    parameters = project / "parameters" / "lancashire-2018.yaml"
    published = protect_analysis(auditkit.analyse_round(parameters)).indicator_tables["cp_plans_neglect"].rows
    hidden = published[published["suppressed"]]
    assert "Rossendale" in set(hidden["area"])
    assert len(hidden[hidden["period"] == "2018"]) >= 2, "one hidden district could be worked out from the total"
    assert hidden["proportion"].isna().all() and hidden["numerator"].isna().all()
    text = auditkit.render_section("indicators", auditkit.analyse_round(parameters)).html
    assert re.search(r'<th scope="row">Rossendale</th>\s*<td>c</td>', text)


def test_the_indicators_section_holds_its_charts_and_the_html_renderer_draws_them(analysis):
    (_, measures), *_ = SECTIONS["indicators"](protect_analysis(analysis))["groups"]
    trend, funnel = measures[0]["trend"], measures[0]["funnel"]
    assert isinstance(trend, Chart) and isinstance(funnel, Chart)
    text = auditkit.render_section("indicators", analysis).html
    assert str(chart_html(trend)) in text and str(chart_html(funnel)) in text


def test_a_hidden_district_leaves_the_funnel_and_its_limits_end_past_the_largest_shown(project: Path):
    data = project / "data_templates" / "examples" / "lancashire-cp-plans-by-district-2018.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("2018,Preston,214,73,34.1%", "2018,Preston,214,3,1.4%"),
        encoding="utf-8",
    )
    analysis = auditkit.analyse_round(project / "parameters" / "lancashire-2018.yaml")
    unprotected = analysis.indicator_tables["cp_plans_neglect"]
    published = protect_analysis(analysis).indicator_tables["cp_plans_neglect"]
    assert unprotected.funnel_curve["denominator"].iloc[-1] == 214 * 1.1  # Preston's 214 plans
    # Issue 18: the pooled target and the widened limits (tau2) rest on Preston's hidden count, which they would
    # give away: the whole funnel is withheld.
    assert bool(unprotected.funnel_targets["widened"].iloc[0])
    assert published.funnel_targets.empty and published.funnel_curve.empty
    assert published.rows.loc[published.rows["period"] == "2018", "funnel"].isna().all()
    # Seven districts without Preston and West Lancs are too few for overdispersion: the limits are not widened,
    # and around the stated county figure a hidden district leaves the funnel whose limits end past the largest
    # district shown.
    parameters = project / "parameters" / "lancashire-2018.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text + "funnel: {target: stated_total}\n", encoding="utf-8")
    data.write_text(
        "\n".join(line for line in data.read_text(encoding="utf-8").splitlines() if "West Lancs" not in line) + "\n",
        encoding="utf-8",
    )
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join(line for line in lines if "Chorley" not in line) + "\n", encoding="utf-8")
    analysis = auditkit.analyse_round(parameters)
    unprotected = analysis.indicator_tables["cp_plans_neglect"]
    published = protect_analysis(analysis).indicator_tables["cp_plans_neglect"]
    assert not unprotected.funnel_targets["widened"].iloc[0]
    rows = published.rows
    placed = rows[(rows["period"] == "2018") & rows["funnel"].notna()]
    assert "Preston" not in set(placed["area"]) and len(placed)
    assert published.funnel_curve["denominator"].iloc[-1] == placed["denominator"].max() * 1.1
    kept = ["period", "target", "basis", "widened"]
    assert published.funnel_targets[kept].equals(unprotected.funnel_targets[kept])  # the county's 30.2%
    assert published.funnel_targets[["phi", "overdispersion_p", "tau2"]].isna().all().all()  # rest on Preston


def test_a_funnel_target_resting_on_a_hidden_total_is_withheld(project: Path):
    parameters = project / "parameters" / "lancashire-2018.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "funnel: {target: stated_total}\n", "utf-8")
    data = project / "data_templates" / "examples" / "lancashire-cp-plans-by-year.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('2018,Lancashire,"1,243",375', '2018,Lancashire,"1,243",1240'), encoding="utf-8")
    analysis = auditkit.analyse_round(project / "parameters" / "lancashire-2018.yaml")
    assert analysis.indicator_tables["cp_plans_neglect"].funnel_target("2018") == 1240 / 1243
    published = protect_analysis(analysis).indicator_tables["cp_plans_neglect"]
    county = published.rows[(published.rows["area"] == "Lancashire") & (published.rows["period"] == "2018")]
    assert county["suppressed"].all()  # 3 not on a plan due to neglect
    # The target is the county's hidden 99.8%, and each district's position would bound it: all withheld.
    assert published.funnel_target("2018") is None and published.funnel_curve.empty
    assert published.rows.loc[published.rows["period"] == "2018", "funnel"].isna().all()
    # The trend rests on the hidden total too.
    assert pd.isna(published.trend["p_value"].iloc[0]) and pd.isna(published.trend["significant"].iloc[0])
    text = html.unescape(auditkit.render_section("indicators", analysis).html)
    assert "99.8% (target)" not in text and "figure of 99.8%" not in text
    assert "there are no districts to compare" in text


def test_a_pooled_funnel_target_is_withheld_when_the_areas_sum_is_hidden():
    codebook = load_indicator_codebook(LANCASHIRE_CODEBOOK)
    frame = pd.DataFrame(
        {"period": ["2018"] * 3, "area": ["A", "B", "C"], "numerator": [2, 1, 0], "denominator": [40, 50, 60]}
    )
    findings = summarise_indicator_table(frame, codebook)
    assert findings.funnel_targets["basis"].tolist() == ["pooled"] and len(findings.funnel_curve) == 400
    published = protect_indicator_table(findings, DisclosureRule())
    assert published.funnel_targets.empty and published.funnel_curve.empty  # 3 of 150, from 1 to 5
    assert published.rows["funnel"].isna().all()
    assert not protect_indicator_table(findings, DisclosureRule(min_count=0)).funnel_targets.empty


def test_an_impossible_row_is_a_note_not_an_error(analysis):
    checks = analysis.indicator_tables["cp_plans_neglect"].checks
    assert set(checks["check"]) == {"stated_percent", "parts_vs_total", "stated_percent_truncated"}
    west = analysis.indicator_tables["cp_plans_neglect"].rows.set_index("area").loc["West Lancs"]
    assert (west["numerator"], west["denominator"], west["proportion"]) == (22, 22, 1.0)
