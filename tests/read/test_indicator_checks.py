"""auditkit.read.indicator_checks: an indicator table's data-quality checks, reported as data in plain sentences.

Figures are those of the Lancashire neglect strategy (shared/reference/002_e4f81a11ce781c57.txt): its West
Lancs row (22, 22, 23.4%) is inconsistent, its districts add up to 1,127 plans and 363 due to neglect, not
1,243 and 375, and its yearly percentages are cut off rather than rounded.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import LANCASHIRE_BY_DISTRICT, LANCASHIRE_BY_YEAR, LANCASHIRE_CODEBOOK

from auditkit.analysis.indicator_tables import summarise_indicator_table
from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.read.indicator_checks import CHECK_COLUMNS, parse_count, parse_percent, suppression_symbol, usable_rows
from auditkit.read.indicator_tables import read_indicator_table, read_indicator_tables

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


# Checks reported as data


def test_west_lancs_is_named_with_what_its_figures_imply(codebook):
    _, checks = read_indicator_table(BY_DISTRICT, codebook)
    assert list(checks.columns) == list(CHECK_COLUMNS)
    assert checks.to_dict("records") == [
        {
            "row": 10,
            "period": "2018",
            "area": "West Lancs",
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
            "period": "2018",
            "area": None,
            "check": "parts_vs_total",
            "message": "2018: the 9 districts add up to 1,127 children on a child protection plan, but the Lancashire total is "
            "1,243: 116 fewer. The districts may not cover everyone counted in the total, or a figure is wrong "
            "(row 5 of lancashire-cp-plans-by-year.csv).",
        },
        {
            "row": 5,
            "period": "2018",
            "area": None,
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
            "period": "2018",
            "area": "D",
            "check": "numerator_exceeds_denominator",
            "message": "D, 2018: 25 children on a plan due to neglect is more than the 20 children on a child protection plan, "
            "which cannot be; one of the figures is wrong, and this row has no percentage (row 2 of table.csv).",
        },
        {
            "row": 3,
            "period": "2018",
            "area": "E",
            "check": "not_whole",
            "message": "E, 2018: 20.5 children on a child protection plan is not a whole number, which a count must be; this row "
            "has no percentage (row 3 of table.csv).",
        },
        {
            "row": 4,
            "period": "2018",
            "area": "F",
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


# The cells, one at a time

COUNT_HELP = "A count must be a whole number such as 1243 (or 1,243), or c, x, : or z for a figure not published."


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1243", 1243.0), ("1,243", 1243.0), (" 22 ", 22.0), ("1,000,000", 1000000.0), ("20.5", 20.5), ("0", 0.0)],
)
def test_a_count_is_read_as_published(cell, value):
    assert parse_count(cell) == (value, None)


@pytest.mark.parametrize("cell", ["", "  ", "c", "X", " : ", "z", "Z"])
def test_a_blank_or_suppressed_count_is_missing_and_not_a_mistake(cell):
    number, problem = parse_count(cell)
    assert math.isnan(number) and problem is None


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("-88", f"is a negative count; counts cannot be below 0. {COUNT_HELP}"),
        ("− 1,243", f"is a negative count; counts cannot be below 0. {COUNT_HELP}"),
        ("twelve", f"is not a number. {COUNT_HELP}"),
        ("12,43", f"is not a number. {COUNT_HELP}"),  # a comma that does not group thousands
        ("1 243", f"is not a number. {COUNT_HELP}"),
        ("n/a", f"is not a number. {COUNT_HELP}"),
    ],
)
def test_a_cell_that_cannot_be_a_count_says_why(cell, problem):
    number, said = parse_count(cell)
    assert math.isnan(number) and said == problem


@pytest.mark.parametrize(
    ("cell", "symbol"), [("c", "c"), ("C", "c"), (" x ", "x"), (":", ":"), ("Z", "z"), ("cc", None), ("", None)]
)
def test_suppression_symbols_are_read_in_either_case(cell, symbol):
    assert suppression_symbol(cell) == symbol


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("23.4%", (Decimal("23.4"), 1)),
        ("23.4", (Decimal("23.4"), 1)),
        ("33.90%", (Decimal("33.90"), 2)),
        ("30 %", (Decimal("30"), 0)),
        (" 100.0% ", (Decimal("100.0"), 1)),
        ("about a third", None),
        ("-5%", None),
        ("23,4%", None),
    ],
)
def test_a_stated_percentage_keeps_the_decimals_it_shows(cell, read):
    assert parse_percent(cell) == read


def test_usable_rows_have_whole_counts_and_no_more_cases_than_the_denominator():
    table = pd.DataFrame(
        {
            "numerator": [5.0, 25.0, 3.0, math.nan, 0.0, 2.0, -1.0],
            "denominator": [10.0, 20.0, 20.5, 10.0, 0.0, math.nan, 4.0],
        }
    )
    assert usable_rows(table).tolist() == [True, False, False, False, True, False, False]
