"""auditkit.analysis.indicator_tables: aggregate indicator tables read, checked, benchmarked, trended and funnelled.

Sources:
- Lancashire Safeguarding Children Board, multi-agency neglect strategy 2019–2021, "Neglect in Lancashire"
  (shared/reference/002_e4f81a11ce781c57.txt): children on child protection plans and those due to neglect
  by year 2015–2018 (936/318, 1,443/488, 1,394/451, 1,243/375; stated 33.90%, 33.80%, 32.30%, 30.10%) and by
  district at March 2018, with England 47.5% and North West 40.5%. Its West Lancs row (22, 22, 23.4%) is
  inconsistent and its districts add up to 1,127 plans and 363 due to neglect, not 1,243 and 375.
- Wilson score limits in PHEindicatormethods form (shared/reference/stats/README.md), written out below.
- OHID Fingertips verdict rule: "similar" when the benchmark lies inside the 95% interval, bounds included.
- R ``prop.trend.test`` documented example: smokers c(83, 90, 129, 70) of patients c(86, 93, 136, 82) gives
  X-squared = 8.2249, df = 1, p-value = 0.004132.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import LANCASHIRE_BY_DISTRICT, LANCASHIRE_BY_YEAR, LANCASHIRE_CODEBOOK
from scipy.stats import norm

from auditkit.analysis.indicator_tables import (
    FUNNEL_CURVE_COLUMNS,
    ROW_COLUMNS,
    TREND_ALPHA,
    TREND_COLUMNS,
    VERDICT_COLUMNS,
    benchmark_verdict,
    summarise_indicator_table,
)
from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.errors import DataValidationError
from auditkit.publish.findings_csv import INDICATOR_TABLE_CSV_COLUMNS as CSV_COLUMNS
from auditkit.publish.findings_csv import indicator_table_to_frame
from auditkit.publish.findings_json import indicator_table_to_dict
from auditkit.read.indicator_tables import TABLE_COLUMNS, read_indicator_table, read_indicator_tables
from auditkit.stats.funnel import assign_funnel_significance, funnel_limits

CODEBOOK, BY_YEAR, BY_DISTRICT = LANCASHIRE_CODEBOOK, LANCASHIRE_BY_YEAR, LANCASHIRE_BY_DISTRICT


HEADER = "period,area,denominator,numerator,stated_percent\n"


# The district table as published (team, plans, due to neglect, stated %), copied from the reference text.
DISTRICTS = [
    ("Burnley", 98, 26, "26.5%"),
    ("Chorley & South Ribble", 179, 56, "31.3%"),
    ("Fylde & Wyre", 157, 35, "22.3%"),
    ("Hyndburn & Ribble Valley", 181, 69, "38.1%"),
    ("Lancaster", 126, 21, "16.7%"),
    ("Pendle", 88, 37, "42.0%"),
    ("Preston", 214, 73, "34.1%"),
    ("Rossendale", 62, 24, "38.7%"),
    ("West Lancs", 22, 22, "23.4%"),
]


YEARS = [
    ("2015", 936, 318, "33.90%"),
    ("2016", 1443, 488, "33.80%"),
    ("2017", 1394, 451, "32.30%"),
    ("2018", 1243, 375, "30.10%"),
]


@pytest.fixture(scope="module")
def codebook():
    return load_indicator_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def lancashire(codebook):
    table, _ = read_indicator_tables([BY_YEAR, BY_DISTRICT], codebook)
    return summarise_indicator_table(table, codebook)


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def wilson_phe(x: int, n: int, confidence: float) -> tuple[float, float]:
    z = norm.ppf(1 - (1 - confidence) / 2)
    centre, spread = 2 * x + z**2, z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    return (centre - spread) / (2 * (n + z**2)), (centre + spread) / (2 * (n + z**2))


def hard_error(path: Path, codebook) -> str:
    with pytest.raises(DataValidationError) as caught:
        read_indicator_table(path, codebook)
    return str(caught.value)


# Reading


def test_example_tables_hold_the_published_figures_exactly(codebook):
    by_year, _ = read_indicator_table(BY_YEAR, codebook)
    assert list(by_year.columns) == list(TABLE_COLUMNS)
    assert [
        (p, int(n), int(x), s)
        for p, n, x, s in by_year[["period", "denominator", "numerator", "stated_percent"]].itertuples(index=False)
    ] == YEARS
    assert set(by_year["area"]) == {"Lancashire"}
    assert by_year["denominator_text"].tolist() == ["936", "1,443", "1,394", "1,243"]
    by_district, _ = read_indicator_table(BY_DISTRICT, codebook)
    assert [
        (a, int(n), int(x), s)
        for a, n, x, s in by_district[["area", "denominator", "numerator", "stated_percent"]].itertuples(index=False)
    ] == DISTRICTS
    assert set(by_district["period"]) == {"2018"}
    assert by_district["row"].tolist() == list(range(2, 11))


def test_reading_does_not_write_to_the_data_file(codebook):
    before = BY_DISTRICT.read_bytes()
    read_indicator_table(BY_DISTRICT, codebook)
    assert BY_DISTRICT.read_bytes() == before


def test_xlsx_is_read_like_csv(tmp_path, codebook):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["period", "area", "denominator", "numerator", "stated_percent"])
    for area, n, x, stated in DISTRICTS:
        sheet.append([2018, area, n, x, stated])
    workbook.save(tmp_path / "districts.xlsx")
    from_xlsx, checks = read_indicator_table(tmp_path / "districts.xlsx", codebook)
    from_csv, _ = read_indicator_table(BY_DISTRICT, codebook)
    columns = ["period", "area", "numerator", "denominator", "stated_percent"]
    pd.testing.assert_frame_equal(from_xlsx[columns], from_csv[columns])
    assert checks["check"].tolist() == ["stated_percent"]


def test_column_names_are_matched_whatever_their_case(tmp_path, codebook):
    table, _ = read_indicator_table(
        write(tmp_path, "Period,Area,Denominator,Numerator,Stated percent\n2018,A,10,5,50%\n"), codebook
    )
    assert table[["numerator", "denominator", "stated_percent"]].iloc[0].tolist() == [5.0, 10.0, "50%"]


def test_suppression_symbols_and_blanks_are_missing_never_zero(tmp_path, codebook):
    text = HEADER + "2018,Lancashire,100,40,\n2018,A,c,x,c\n2018,B,50,:,\n2018,C,Z,,\n2018,D,30,12,40.0%\n"
    table, checks = read_indicator_table(write(tmp_path, text), codebook)
    assert table["numerator"].isna().tolist() == [False, True, True, True, False]
    assert table["denominator"].isna().tolist() == [False, True, False, True, False]
    assert table["stated_percent"].tolist() == ["", "", "", "", "40.0%"]
    assert checks.to_dict("records") == [
        {
            "row": 3,
            "period": "2018",
            "area": "A",
            "check": "missing",
            "message": "A, 2018: the number of children on a plan due to neglect is shown as 'x' (withheld) and the number of "
            "children on a child protection plan is shown as 'c' (withheld to protect confidentiality), so they are "
            "left out, not counted as zero; this row has no percentage (row 3 of table.csv).",
        },
        {
            "row": 4,
            "period": "2018",
            "area": "B",
            "check": "missing",
            "message": "B, 2018: the number of children on a plan due to neglect is shown as ':' (not available), so it is left "
            "out, not counted as zero; this row has no percentage (row 4 of table.csv).",
        },
        {
            "row": 5,
            "period": "2018",
            "area": "C",
            "check": "missing",
            "message": "C, 2018: the number of children on a plan due to neglect is blank and the number of children on a child "
            "protection plan is shown as 'Z' (not applicable), so they are left out, not counted as zero; this row "
            "has no percentage (row 5 of table.csv).",
        },
    ]
    findings = summarise_indicator_table(table, codebook)
    rows = findings.rows.set_index("area")
    assert rows.loc[["A", "B", "C"], "proportion"].isna().all()
    assert rows.loc[["A", "B", "C"], "funnel"].isna().all()
    # Nothing is counted as zero: B's 50 children are not 0 of 50 (a proportion of 0).
    assert rows.loc["D", "proportion"] == 0.4
    # Parts against the total are not compared when some parts are missing (and their known sum is not over).
    assert "parts_vs_total" not in set(findings.checks["check"])


# Hard errors


def test_text_negative_count_blank_area_bad_percentage_and_repeats_are_hard_errors(tmp_path, codebook):
    text = (
        HEADER + "2018,Burnley,98,twelve,26.5%\n2018,Pendle,-88,37,42.0%\n2018,,5,1,\n"
        "2018,Preston,214,73,about a third\n2018,Burnley,1,1,\n"
    )
    assert hard_error(write(tmp_path, text, "bad.csv"), codebook) == (
        "The data has 5 problems:\n"
        "  bad.csv, row 2, column 'numerator': 'twelve' is not a number. A count must be a whole number such as 1243 "
        "(or 1,243), or c, x, : or z for a figure not published.\n"
        "  bad.csv, row 3, column 'denominator': '-88' is a negative count; counts cannot be below 0. A count must be "
        "a whole number such as 1243 (or 1,243), or c, x, : or z for a figure not published.\n"
        "  bad.csv, row 4, column 'area': the area is blank; every row needs one.\n"
        "  bad.csv, row 5, column 'stated_percent': 'about a third' is not a percentage; write it as published, such "
        "as 23.4 or 23.4%, or leave it blank.\n"
        "  bad.csv, row 6, column 'area': Burnley in 2018 appears twice (also in row 2); each period and area may "
        "appear once."
    )


def test_a_file_with_no_rows_is_a_hard_error(tmp_path, codebook):
    assert hard_error(write(tmp_path, "period,area,denominator,numerator\n", "empty.csv"), codebook) == (
        "The data has 1 problem:\n"
        "  empty.csv: the file has no rows of figures; add one row per period and area under the header (period, "
        "area, denominator, numerator)."
    )


def test_an_empty_file_is_a_hard_error_too(tmp_path, codebook):
    assert (
        hard_error(write(tmp_path, "", "blank.csv"), codebook)
        .splitlines()[1]
        .startswith("  blank.csv: the file has no rows of figures;")
    )


def test_a_missing_column_is_a_hard_error(tmp_path, codebook):
    assert hard_error(write(tmp_path, "period,area,denominator,neglect\n2018,A,1,1\n", "nocol.csv"), codebook) == (
        "The data has 1 problem:\n"
        "  nocol.csv, row 1: the header has no column 'numerator'; the columns must be period, area, denominator, "
        "numerator, and optionally stated_percent."
    )


def test_the_same_period_and_area_in_two_files_is_a_hard_error(tmp_path, codebook):
    other = write(tmp_path, HEADER + "2018,Burnley,98,26,\n", "extra.csv")
    with pytest.raises(DataValidationError) as caught:
        read_indicator_tables([BY_DISTRICT, other], codebook)
    assert str(caught.value).splitlines()[1] == (
        "  extra.csv, row 2, column 'area': Burnley in 2018 appears twice (also in row 2 of "
        "lancashire-cp-plans-by-district-2018.csv); each period and area may appear once."
    )


# Statistics


def test_rows_have_wilson_intervals_at_95_and_99_8_percent(lancashire):
    rows = lancashire.rows
    assert list(rows.columns) == list(ROW_COLUMNS)
    expected_x = [x for _, _, x, _ in YEARS] + [x for _, _, x, _ in DISTRICTS]
    assert rows["numerator"].tolist() == expected_x
    for row in rows.itertuples(index=False):
        x, n = int(row.numerator), int(row.denominator)
        assert row.proportion == x / n
        assert (row.ci_low, row.ci_high) == pytest.approx(wilson_phe(x, n, 0.95), abs=1e-12)
        assert (row.ci99_low, row.ci99_high) == pytest.approx(wilson_phe(x, n, 0.998), abs=1e-12)
    county = rows[(rows["period"] == "2018") & (rows["area"] == "Lancashire")].iloc[0]
    assert round(county["ci_low"], 4) == 0.2768 and round(county["ci_high"], 4) == 0.3278


def test_verdicts_against_england_and_the_north_west(lancashire):
    assert list(lancashire.verdicts.columns) == list(VERDICT_COLUMNS)
    table = lancashire.verdict_table().set_index("area")
    # Only 2018 has benchmarks, so each 2018 row has two verdicts and earlier years none.
    assert len(lancashire.verdicts) == 2 * 10
    assert table.loc["Lancashire"].query("period == '2018'")[["England", "North West"]].iloc[0].tolist() == [
        "lower",
        "lower",
    ]
    assert table.loc["Pendle", ["England", "North West"]].tolist() == ["similar", "similar"]
    assert table.loc["Preston", ["England", "North West"]].tolist() == ["lower", "similar"]
    # Issue 18: West Lancs (22 of 22 stated as 23.4%) is inconsistent, so it gets no verdict, only the note.
    assert table.loc["West Lancs", ["England", "North West"]].isna().all()
    assert set(lancashire.verdicts["verdict"].dropna()) <= {"similar", "higher", "lower"}  # polarity: neither


@pytest.mark.parametrize(
    ("benchmark", "polarity", "verdict"),
    [
        (0.2, "neither", "similar"),
        (0.4, "neither", "similar"),  # on either bound: similar, bounds included
        (0.1999999, "neither", "higher"),
        (0.4000001, "neither", "lower"),
        (0.1999999, "higher_is_better", "better"),
        (0.4000001, "higher_is_better", "worse"),
        (0.1999999, "lower_is_better", "worse"),
        (0.4000001, "lower_is_better", "better"),
        (math.nan, "neither", None),
    ],
)
def test_benchmark_verdict_follows_fingertips(benchmark, polarity, verdict):
    assert benchmark_verdict(0.2, 0.4, benchmark, polarity) == verdict


@pytest.mark.parametrize("polarity", ["higher_better", "Higher_is_better", ""])
def test_benchmark_verdict_refuses_an_unknown_polarity_naming_the_allowed_ones(polarity):
    # Issue 18: 'higher_better' silently gave "higher", as if the measure had no polarity.
    with pytest.raises(ValueError) as caught:
        benchmark_verdict(0.2, 0.4, 0.1, polarity)
    assert str(caught.value) == (
        f"polarity must be one of higher_is_better, lower_is_better, neither, not {polarity!r}"
    )


def test_a_benchmark_exactly_on_a_rows_interval_bound_is_similar(lancashire, codebook):
    county = lancashire.rows[(lancashire.rows["period"] == "2018") & (lancashire.rows["area"] == "Lancashire")].iloc[0]
    table, _ = read_indicator_table(BY_YEAR, codebook)
    bounds = {
        "2018": {
            "at low": float(county["ci_low"]),
            "at high": float(county["ci_high"]),
            "just below": float(np.nextafter(county["ci_low"], 0)),
        }
    }
    verdicts = summarise_indicator_table(table, codebook, benchmarks=bounds).verdicts
    assert verdicts.set_index("benchmark")["verdict"].to_dict() == {
        "at low": "similar",
        "at high": "similar",
        "just below": "higher",
    }


# Overdispersion (Spiegelhalter 2005) of the eight placed districts and West Lancs, as published, worked out in R
# with the formulas of auditkit.stats.overdispersion (tests/stats/test_overdispersion.py gives the script):
#   around all districts together, 363/1127: phi 3.76071040245, p 4.33142278837e-05, tau2 0.00579613869402;
#   around the stated county figure, 375/1243: phi 4.15699986748, p 9.66056242291e-06, tau2 0.00636406643192.
POOLED = {"period": "2018", "target": 363 / 1127, "basis": "pooled", "areas": 9, "widened": True}


def test_funnel_positions_of_the_districts_against_all_districts_together(lancashire):
    # Issue 18: the default target pools the districts (PHEindicatormethods' own default), 363/1127 = 32.2%.
    (target,) = lancashire.funnel_targets.to_dict("records")
    assert {key: target[key] for key in POOLED} == POOLED
    assert target["phi"] == pytest.approx(3.76071040245, rel=1e-10)
    assert target["overdispersion_p"] == pytest.approx(4.33142278837e-05, rel=1e-9)
    assert target["tau2"] == pytest.approx(0.00579613869402, rel=1e-10)
    districts = lancashire.rows[lancashire.rows["area"] != "Lancashire"].set_index("area")["funnel"].to_dict()
    # Overdispersed, so the limits are widened and every district placed lies within them; West Lancs, whose
    # stated 23.4% does not match its 22 of 22, gets no position.
    assert {area: label for area, label in districts.items() if area != "West Lancs"} == dict.fromkeys(
        [
            "Burnley",
            "Chorley & South Ribble",
            "Fylde & Wyre",
            "Hyndburn & Ribble Valley",
            "Lancaster",
            "Pendle",
            "Preston",
            "Rossendale",
        ],
        "Not significant",
    )
    assert pd.isna(districts["West Lancs"])
    assert lancashire.rows.loc[lancashire.rows["area"] == "Lancashire", "funnel"].isna().all()


def test_the_stated_total_can_be_the_funnel_target(codebook):
    table, _ = read_indicator_tables([BY_YEAR, BY_DISTRICT], codebook)
    findings = summarise_indicator_table(table, codebook, funnel_target="stated_total")
    (target,) = findings.funnel_targets.to_dict("records")
    assert (target["target"], target["basis"], target["widened"]) == (375 / 1243, "total", True)
    assert target["phi"] == pytest.approx(4.15699986748, rel=1e-10)
    assert target["overdispersion_p"] == pytest.approx(9.66056242291e-06, rel=1e-9)
    assert target["tau2"] == pytest.approx(0.00636406643192, rel=1e-10)
    with pytest.raises(ValueError, match="one of pooled_areas, stated_total, not 'county'"):
        summarise_indicator_table(table, codebook, funnel_target="county")


def test_hyndburn_and_ribble_valley_against_each_target_without_widening():
    # PHEindicatormethods' own limits (no overdispersion adjustment), 69 of 181 = 38.1%: above the 95% limit
    # around the stated county figure (375/1243 = 30.2%), within it around all districts (363/1127 = 32.2%).
    assert list(assign_funnel_significance([69], [181], target=375 / 1243)) == ["High (0.025)"]
    assert list(assign_funnel_significance([69], [181], target=363 / 1127)) == ["Not significant"]


def test_without_a_total_row_the_funnel_uses_all_areas_together(codebook):
    table, _ = read_indicator_table(BY_DISTRICT, codebook)
    findings = summarise_indicator_table(table, codebook)
    (target,) = findings.funnel_targets.to_dict("records")
    assert {key: target[key] for key in POOLED} == POOLED


def test_the_funnel_curve_is_the_limits_around_the_target_to_past_the_largest_district(lancashire):
    curve = lancashire.funnel_curve
    assert list(curve.columns) == list(FUNNEL_CURVE_COLUMNS)
    assert set(curve["period"]) == {"2018"}  # the one period with a target
    # Preston's 214 plans are the most of any district; the limits run from 1 to 10% beyond, at 400 points,
    # widened by the districts' tau2.
    tau2 = float(lancashire.funnel_targets["tau2"].iloc[0])
    expected = funnel_limits(363 / 1127, np.geomspace(1.0, 214 * 1.1, 400), tau2)
    pd.testing.assert_frame_equal(
        lancashire.funnel_curve_for("2018").drop(columns="period"), expected, check_exact=True
    )
    assert lancashire.funnel_curve_for("2017").empty


def test_without_a_total_row_the_funnel_curve_is_around_all_areas_together(codebook):
    table, _ = read_indicator_table(BY_DISTRICT, codebook)
    curve = summarise_indicator_table(table, codebook).funnel_curve_for("2018")
    assert curve["target"].eq(363 / 1127).all()
    assert (curve["denominator"].iloc[0], curve["denominator"].iloc[-1]) == (1.0, 214 * 1.1)


def test_the_trend_says_whether_it_is_significant(lancashire, tmp_path, codebook):
    assert TREND_ALPHA == 0.05
    row = lancashire.trend.iloc[0]
    assert row["p_value"] == pytest.approx(0.0324, abs=1e-4)
    assert bool(row["significant"]) is bool(row["p_value"] < 0.05) is True
    # A steady share has p = 1: not significant.
    text = HEADER + "".join(f"{period},Lancashire,100,30,\n" for period in (2016, 2017, 2018))
    table, _ = read_indicator_table(write(tmp_path, text), codebook)
    steady = summarise_indicator_table(table, codebook).trend.iloc[0]
    assert steady["p_value"] >= 0.05 and bool(steady["significant"]) is False
    # No test, no verdict either way.
    text = HEADER + "2017,Lancashire,100,30,\n2018,Lancashire,100,40,\n"
    table, _ = read_indicator_table(write(tmp_path, text, "two.csv"), codebook)
    assert pd.isna(summarise_indicator_table(table, codebook).trend.iloc[0]["significant"])


def test_trend_of_the_county_over_four_years(lancashire):
    trend = lancashire.trend
    assert list(trend.columns) == list(TREND_COLUMNS)
    row = trend.iloc[0]
    assert (row["area"], row["first_period"], row["last_period"], row["periods"]) == ("Lancashire", "2015", "2018", 4)
    assert row["z"] < 0  # the share due to neglect fell from 34.0% to 30.2%
    assert row["chi2"] == pytest.approx(row["z"] ** 2)


def test_trend_reproduces_r_prop_trend_test_example(tmp_path, codebook):
    # R: prop.trend.test(c(83, 90, 129, 70), c(86, 93, 136, 82)) → X-squared = 8.2249, df = 1, p-value = 0.004132.
    text = HEADER + "".join(
        f"{period},Lancashire,{n},{x},\n" for period, x, n in zip((1, 2, 3, 4), (83, 90, 129, 70), (86, 93, 136, 82))
    )
    table, _ = read_indicator_table(write(tmp_path, text), codebook)
    trend = summarise_indicator_table(table, codebook).trend.iloc[0]
    assert round(trend["chi2"], 4) == 8.2249
    assert float(f"{trend['p_value']:.4g}") == 0.004132


def test_no_trend_from_fewer_than_three_periods(tmp_path, codebook):
    text = HEADER + "2017,Lancashire,100,30,\n2018,Lancashire,100,40,\n"
    table, _ = read_indicator_table(write(tmp_path, text), codebook)
    trend = summarise_indicator_table(table, codebook).trend.iloc[0]
    assert trend["periods"] == 2 and math.isnan(trend["z"]) and math.isnan(trend["p_value"])


def test_rows_come_in_period_order_and_the_input_is_not_changed(tmp_path, codebook):
    text = HEADER + "2018,Lancashire,100,40,\n2016,Lancashire,100,20,\n2017,Lancashire,100,30,\n"
    table, _ = read_indicator_table(write(tmp_path, text), codebook)
    before = table.copy()
    findings = summarise_indicator_table(table, codebook)
    assert findings.rows["period"].tolist() == ["2016", "2017", "2018"]
    assert findings.trend["z"].iloc[0] > 0
    pd.testing.assert_frame_equal(table, before)


def test_a_hand_built_frame_can_be_summarised(codebook):
    frame = pd.DataFrame(
        {"period": ["2018", "2018"], "area": ["A", "B"], "numerator": [10, 20], "denominator": [40, 50]}
    )
    findings = summarise_indicator_table(frame, codebook)
    assert findings.rows["proportion"].tolist() == [0.25, 0.4]
    assert findings.checks.empty


# Output


def test_json_has_exactly_the_shape_issue_4_asks_for(lancashire):
    document = indicator_table_to_dict(lancashire)
    # Issue 18 added each period's funnel target and overdispersion.
    assert list(document) == ["rows", "funnels", "trend", "checks"]
    assert [list(funnel) for funnel in document["funnels"]] == [
        ["period", "target", "basis", "areas", "phi", "overdispersion_p", "tau2", "widened"]
    ]
    assert [list(row) for row in document["rows"]] == [
        [
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
        ]
    ] * 13
    # Issue 14 added the trend's area and each check's period and area, so the disclosure audit can tell
    # which rows a test or a note rests on.
    assert list(document["trend"]) == ["area", "z", "p_value"]
    assert all(list(check) == ["row", "period", "area", "check", "message"] for check in document["checks"])
    west = next(row for row in document["rows"] if row["area"] == "West Lancs")
    assert west == {
        "period": "2018",
        "area": "West Lancs",
        "numerator": 22,
        "denominator": 22,
        "proportion": 1.0,
        "ci_low": pytest.approx(wilson_phe(22, 22, 0.95)[0], abs=1e-12),
        "ci_high": 1.0,
        "ci99_low": pytest.approx(wilson_phe(22, 22, 0.998)[0], abs=1e-12),
        "ci99_high": 1.0,
        "verdicts": {"England": None, "North West": None},  # issue 18: inconsistent, so only the note
        "funnel": None,
    }
    first = document["rows"][0]
    assert (first["period"], first["verdicts"], first["funnel"]) == ("2015", {}, None)
    assert [check["row"] for check in document["checks"]] == [2, 4, 5, 10, 5, 5]
    # Valid JSON (no NaN), and the same findings give the same text.
    text = json.dumps(document, allow_nan=False, sort_keys=True)
    assert text == json.dumps(indicator_table_to_dict(lancashire), allow_nan=False, sort_keys=True)


def test_csv_rows_have_one_line_per_row_and_benchmark(lancashire):
    frame = indicator_table_to_frame(lancashire)
    assert list(frame.columns) == list(CSV_COLUMNS)
    assert len(frame) == 3 + 2 * 10  # three years without benchmarks, then 2018's ten rows with two each
    assert set(frame["indicator"]) == {"lancashire_cp_plans_neglect"}
    assert frame.loc[0, ["period", "area"]].tolist() == ["2015", "Lancashire"] and pd.isna(frame.loc[0, "benchmark"])
    assert str(frame["numerator"].dtype) == "Int64" and frame["numerator"].iloc[0] == 318
