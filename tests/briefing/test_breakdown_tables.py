"""auditkit.briefing.breakdown_tables and the ``breakdowns`` section: findings by group as compact tables."""

from __future__ import annotations

import dataclasses
import html
import re

import auditkit
from auditkit.analysis.area_tests import CHI_SQUARED, MONTE_CARLO
from auditkit.briefing.breakdown_tables import breakdown_tables
from auditkit.publish.protection import protect_analysis

BREAKDOWNS = "\nbreakdowns: [agency, child_age_band]\ninstruments:"


def test_each_breakdown_is_a_table_of_items_by_group(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    analysis = auditkit.analyse_round(example_round.parameters, reuse=False)
    tables = breakdown_tables(protect_analysis(analysis))
    assert [table["title"] for table in tables] == [
        "Practitioner survey on the neglect toolkit, by the answer to “Which agency do you work for?”",
        "Multi-agency neglect deep dive audit, by the answer to “Age of the child at the time of the audit”",
    ]
    survey = tables[0]
    assert survey["groups"] == [
        "Children's social care",
        "Early help",
        "Health",
        "Education",
        "Police",
        "Voluntary sector",
        "Other",
    ]
    figures = analysis.findings.breakdowns
    used = figures[(figures["breakdown"] == "agency") & (figures["item"] == "used_toolkit")].iloc[2]  # health
    row = next(row for row in survey["rows"] if row["label"] == "Have used the toolkit")
    expected = f"{used['numerator']}/{used['denominator']} ({round(100 * used['numerator'] / used['denominator'])}%)"
    assert row["cells"][2] == expected
    text = html.unescape(auditkit.render_section("breakdowns", analysis).html)
    assert '<h2 id="breakdowns">Findings by group</h2>' in text
    plain = " ".join(text.split())
    assert "Groups differ: adjusted p" in plain and "Fisher–Freeman–Halton exact test" in plain


def test_hidden_counts_and_the_tests_resting_on_them_show_the_symbol(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    example_round.edit_parameters("min_count: 0", "min_count: 5")
    analysis = auditkit.analyse_round(example_round.parameters, reuse=False)
    published = protect_analysis(analysis)
    hidden = published.findings.breakdowns[published.findings.breakdowns["suppressed"]]
    assert len(hidden) and hidden["numerator"].isna().all() and hidden["proportion"].isna().all()
    tests = published.breakdown_tests
    resting = set(zip(hidden["breakdown"], hidden["item"]))
    assert tests[[key in resting for key in zip(tests["breakdown"], tests["item"])]]["p_value"].isna().all()
    text = html.unescape(auditkit.render_section("breakdowns", analysis).html)
    assert re.search(r"<td>c/\d+ \(c\)</td>|<td>c/c \(c\)</td>", text)
    assert "c: too small to publish, or would reveal a number that is." in text


def test_no_breakdowns_no_section(example_round):
    analysis = auditkit.analyse_round(example_round.parameters, reuse=False)
    assert breakdown_tables(protect_analysis(analysis)) == []
    assert auditkit.render_section("breakdowns", analysis).html.strip() == ""


def test_a_simulated_group_test_is_marked_with_its_monte_carlo_error(example_round):
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    published = protect_analysis(auditkit.analyse_round(example_round.parameters, reuse=False))
    tests = published.breakdown_tests.copy()
    first = tests.index[0]
    tests.loc[first, ["test", "monte_carlo_se", "p_adjusted"]] = [MONTE_CARLO, 0.00113, 0.0405]
    table = breakdown_tables(dataclasses.replace(published, breakdown_tests=tests))[1]  # the deep dive's first
    assert table["simulated"] and table["monte_carlo_se"] == "0.0011"
    assert table["rows"][0]["test"] == "0.041†"
    text = " ".join(
        auditkit.render_section("breakdowns", dataclasses.replace(published, breakdown_tests=tests)).html.split()
    )
    assert "its standard error before adjustment is at most 0.0011" in text


def test_a_group_test_by_chi_squared_is_marked_and_named(example_round):
    # Issue 18: a table too large to test exactly whose expected counts are all at least 5 gets Pearson's test.
    example_round.edit_parameters("\ninstruments:", BREAKDOWNS)
    published = protect_analysis(auditkit.analyse_round(example_round.parameters, reuse=False))
    tests = published.breakdown_tests.copy()
    first = tests.index[0]
    tests.loc[first, ["test", "p_adjusted"]] = [CHI_SQUARED, 0.0405]
    changed = dataclasses.replace(published, breakdown_tests=tests)
    table = breakdown_tables(changed)[1]  # the deep dive's first
    assert table["chi_squared"] and not table["simulated"]
    assert table["rows"][0]["test"] == "0.041‡"
    assert not any(other["chi_squared"] for other in breakdown_tables(published))
    text = " ".join(html.unescape(auditkit.render_section("breakdowns", changed).html).split())
    assert (
        "‡ A table too large to test exactly, in which every group would expect at least 5 answers of each kind: its "
        "p-value is from Pearson's chi-squared test, which is then close to the exact one (Cochran, 1954)." in text
    )
