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
    CHECK_COLUMNS,
    CSV_COLUMNS,
    ROW_COLUMNS,
    TABLE_COLUMNS,
    TREND_COLUMNS,
    VERDICT_COLUMNS,
    benchmark_verdict,
    indicator_table_to_dict,
    indicator_table_to_frame,
    load_indicator_codebook,
    read_indicator_table,
    read_indicator_tables,
    summarise_indicator_table,
)
from auditkit.errors import CodebookError, DataValidationError

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


# The codebook


def test_example_codebook_describes_the_lancashire_measure(codebook):
    assert codebook.measure == "Children on a child protection plan due to neglect"
    assert codebook.total_area == "Lancashire"
    assert codebook.polarity == "neither"
    assert codebook.rba == "how_much" and codebook.rba_question == "How much did we do?"
    assert codebook.benchmark_names == ("England", "North West")
    assert codebook.benchmarks_for("2018") == {"England": 0.475, "North West": 0.405}
    assert codebook.benchmarks_for("2017") == {}


@pytest.mark.parametrize(
    ("written", "code"),
    [("how much did we do", "how_much"), ("How well did we do it?", "how_well"), ("better_off", "better_off")],
)
def test_rba_question_may_be_written_as_words_or_code(tmp_path, written, code):
    text = CODEBOOK.read_text(encoding="utf-8").replace("rba: how_much", f"rba: {written}")
    assert load_indicator_codebook(write(tmp_path, text, "codebook.yaml")).rba == code


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "England: 0.475",
            "England: 47.5",
            "  codebook.yaml: key 'benchmarks': 2018 → England is 47.5; it must be a proportion between 0 and 1 "
            "(47.5% is 0.475).",
        ),
        (
            "polarity: neither",
            "polarity: up",
            "  codebook.yaml: key 'polarity': Input should be 'higher_is_better', 'lower_is_better' or 'neither'.",
        ),
        (
            "rba: how_much",
            "rba: how good",
            "  codebook.yaml: key 'rba': 'how good' is not a results-based-accountability question; allowed: how_much "
            "('How much did we do?'), how_well ('How well did we do it?'), better_off ('Is anyone better off?').",
        ),
        (
            "total_area: Lancashire",
            "total_area: Lancashire\ncolour: red",
            "  codebook.yaml: key 'colour' is not a known key; check its spelling.",
        ),
    ],
)
def test_codebook_mistakes_are_reported_in_plain_sentences(tmp_path, old, new, message):
    text = CODEBOOK.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(CodebookError) as caught:
        load_indicator_codebook(write(tmp_path, text.replace(old, new), "codebook.yaml"))
    assert str(caught.value).splitlines()[1] == message


def test_benchmarks_from_a_rounds_parameters_replace_the_codebooks(codebook):
    replaced = codebook.with_benchmarks({2017: {"England": 0.481}})
    assert replaced.benchmarks_for("2017") == {"England": 0.481} and replaced.benchmarks_for("2018") == {}
    assert codebook.benchmarks_for("2018") == {"England": 0.475, "North West": 0.405}


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
            "check": "missing",
            "message": "A, 2018: the number of children on a plan due to neglect is shown as 'x' (withheld) and the number of "
            "children on a child protection plan is shown as 'c' (withheld to protect confidentiality), so they are "
            "left out, not counted as zero; this row has no percentage (row 3 of table.csv).",
        },
        {
            "row": 4,
            "check": "missing",
            "message": "B, 2018: the number of children on a plan due to neglect is shown as ':' (not available), so it is left "
            "out, not counted as zero; this row has no percentage (row 4 of table.csv).",
        },
        {
            "row": 5,
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


# Checks reported as data


def test_west_lancs_is_named_with_what_its_figures_imply(codebook):
    _, checks = read_indicator_table(BY_DISTRICT, codebook)
    assert list(checks.columns) == list(CHECK_COLUMNS)
    assert checks.to_dict("records") == [
        {
            "row": 10,
            "check": "stated_percent",
            "message": "West Lancs, 2018: the table says 23.4%, but 22 children on a plan due to neglect out of 22 children on a "
            "child protection plan is 100.0%. At least one of these three figures is wrong; check the source before "
            "relying on this row (row 10 of lancashire-cp-plans-by-district-2018.csv).",
        }
    ]


def test_districts_against_the_county_total_report_both_gaps(lancashire):
    gaps = lancashire.checks[lancashire.checks["check"] == "parts_vs_total"]
    assert gaps.to_dict("records") == [
        {
            "row": 5,
            "check": "parts_vs_total",
            "message": "2018: the 9 districts add up to 1,127 children on a child protection plan, but the Lancashire total is "
            "1,243: 116 fewer. The districts may not cover everyone counted in the total, or a figure is wrong "
            "(row 5 of lancashire-cp-plans-by-year.csv).",
        },
        {
            "row": 5,
            "check": "parts_vs_total",
            "message": "2018: the 9 districts add up to 363 children on a plan due to neglect, but the Lancashire total is 375: "
            "12 fewer. The districts may not cover everyone counted in the total, or a figure is wrong (row 5 of "
            "lancashire-cp-plans-by-year.csv).",
        },
    ]
    # Independently: the published district rows do add up to 1,127 and 363.
    assert sum(n for _, n, _, _ in DISTRICTS) == 1127 and sum(x for _, _, x, _ in DISTRICTS) == 363


def test_yearly_percentages_cut_off_rather_than_rounded_are_reported(codebook):
    _, checks = read_indicator_table(BY_YEAR, codebook)
    # 318/936 = 33.97%, 488/1443 = 33.82% (33.8% either way), 451/1394 = 32.35%, 375/1243 = 30.17%.
    assert checks["check"].tolist() == ["stated_percent_truncated"] * 3
    assert checks["row"].tolist() == [2, 4, 5]
    assert checks["message"].iloc[0] == (
        "Lancashire, 2015: the table says 33.90%, but 318 children on a plan due to neglect out of 936 children on a "
        "child protection plan is 33.97%, which rounds to 34.0%. The published percentage looks cut off rather than "
        "rounded, so it is slightly too low; the percentage used here is worked out from the counts (row 2 of "
        "lancashire-cp-plans-by-year.csv)."
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "stated", "flagged"),
    [
        (469, 2000, "23.4", False),  # 23.45%: on the edge of "23.4" (tolerance 0.05 points) is accepted
        (2346, 10000, "23.4", True),  # 23.46%: outside
        (2336, 10000, "23.40%", False),  # trailing zeros are not extra precision: "23.40" allows 0.05 too
        (2335, 10000, "23", False),  # no decimals: tolerance 0.5 points
        (2355, 10000, "23", True),
        (1, 3, "33.33%", False),
        (1, 3, "33.34%", True),
    ],
)
def test_stated_percentage_tolerance_follows_the_rounding_shown(
    tmp_path, codebook, numerator, denominator, stated, flagged
):
    _, checks = read_indicator_table(write(tmp_path, HEADER + f"1,A,{denominator},{numerator},{stated}\n"), codebook)
    assert (not checks.empty) == flagged


def test_impossible_counts_are_checks_and_get_no_statistics(tmp_path, codebook):
    text = HEADER + '2018,D,20,25,\n2018,E,20.5,3,\n2018,F,0,0,\n2018,G,"1,000",100,10%\n'
    table, checks = read_indicator_table(write(tmp_path, text), codebook)
    assert checks.to_dict("records") == [
        {
            "row": 2,
            "check": "numerator_exceeds_denominator",
            "message": "D, 2018: 25 children on a plan due to neglect is more than the 20 children on a child protection plan, "
            "which cannot be; one of the figures is wrong, and this row has no percentage (row 2 of table.csv).",
        },
        {
            "row": 3,
            "check": "not_whole",
            "message": "E, 2018: 20.5 children on a child protection plan is not a whole number, which a count must be; this row "
            "has no percentage (row 3 of table.csv).",
        },
        {
            "row": 4,
            "check": "zero_denominator",
            "message": "F, 2018: there were no children on a child protection plan, so this row has no percentage (row 4 of "
            "table.csv).",
        },
    ]
    rows = summarise_indicator_table(table, codebook).rows.set_index("area")
    assert rows.loc[["D", "E", "F"], ["proportion", "ci_low", "ci_high", "ci99_low", "ci99_high"]].isna().all().all()
    assert rows.loc["G", "proportion"] == 0.1


def test_parts_above_the_total_are_reported_even_with_a_withheld_part(tmp_path, codebook):
    text = HEADER + "2018,Lancashire,100,40,\n2018,A,110,30,\n2018,B,c,5,\n"
    _, checks = read_indicator_table(write(tmp_path, text), codebook)
    gaps = checks[checks["check"] == "parts_vs_total"]
    assert gaps["message"].tolist() == [
        "2018: even without the figures not published, the 2 districts add up to 110 children on a child protection "
        "plan, more than the Lancashire total of 100 (row 2 of table.csv).",
        "2018: the 2 districts add up to 35 children on a plan due to neglect, but the Lancashire total is 40: 5 "
        "fewer. The districts may not cover everyone counted in the total, or a figure is wrong (row 2 of table.csv).",
    ]


def test_parts_above_the_total_are_reported(tmp_path, codebook):
    text = HEADER + "2018,Lancashire,100,40,\n2018,A,60,30,\n2018,B,50,10,\n"
    _, checks = read_indicator_table(write(tmp_path, text), codebook)
    assert checks["message"].tolist() == [
        "2018: the 2 districts add up to 110 children on a child protection plan, more than the Lancashire total of "
        "100: 10 too many. A figure is wrong, or some are counted in two districts (row 2 of table.csv).",
    ]


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
    assert table.loc["West Lancs", ["England", "North West"]].tolist() == ["higher", "higher"]
    assert set(lancashire.verdicts["verdict"]) <= {"similar", "higher", "lower"}  # polarity: neither


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


def test_funnel_positions_of_the_districts_against_the_county(lancashire):
    assert lancashire.funnel_targets.to_dict("records") == [{"period": "2018", "target": 375 / 1243, "basis": "total"}]
    districts = lancashire.rows[lancashire.rows["area"] != "Lancashire"].set_index("area")["funnel"].to_dict()
    assert districts == {
        "Burnley": "Not significant",
        "Chorley & South Ribble": "Not significant",
        "Fylde & Wyre": "Low (0.025)",
        "Hyndburn & Ribble Valley": "High (0.025)",
        "Lancaster": "Low (0.001)",
        "Pendle": "High (0.025)",
        "Preston": "Not significant",
        "Rossendale": "Not significant",
        "West Lancs": "High (0.001)",
    }
    assert lancashire.rows.loc[lancashire.rows["area"] == "Lancashire", "funnel"].isna().all()


def test_without_a_total_row_the_funnel_uses_all_areas_together(codebook):
    table, _ = read_indicator_table(BY_DISTRICT, codebook)
    findings = summarise_indicator_table(table, codebook)
    assert findings.funnel_targets.to_dict("records") == [{"period": "2018", "target": 363 / 1127, "basis": "pooled"}]


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
    assert list(document) == ["rows", "trend", "checks"]
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
    assert list(document["trend"]) == ["z", "p_value"]
    assert all(list(check) == ["row", "check", "message"] for check in document["checks"])
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
        "verdicts": {"England": "higher", "North West": "higher"},
        "funnel": "High (0.001)",
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
