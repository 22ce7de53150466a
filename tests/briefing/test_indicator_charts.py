"""auditkit.briefing.indicator_charts: the trend chart and funnel plot of an indicator table, with alt text from the data.

Figures are those of the Lancashire neglect strategy (shared/reference/002_e4f81a11ce781c57.txt), as in
tests/test_indicator_tables.py; percentages in the alt text are worked out by hand from its counts.
"""

from __future__ import annotations

import io

import pytest
import seaborn as sns
from conftest import LANCASHIRE_BY_DISTRICT, LANCASHIRE_BY_YEAR, LANCASHIRE_CODEBOOK
from matplotlib.figure import Figure
from PIL import Image

from auditkit.analysis.indicator_tables import summarise_indicator_table
from auditkit.briefing.charts import Chart
from auditkit.briefing.indicator_charts import (
    chart_indicator_funnel,
    chart_indicator_trend,
    describe_indicator_funnel,
    describe_indicator_trend,
    plot_indicator_funnel,
    plot_indicator_trend,
)
from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.read.indicator_tables import read_indicator_table, read_indicator_tables

CODEBOOK, BY_YEAR, BY_DISTRICT = LANCASHIRE_CODEBOOK, LANCASHIRE_BY_YEAR, LANCASHIRE_BY_DISTRICT
PALETTE = [tuple(colour) for colour in sns.color_palette("colorblind")]


@pytest.fixture(scope="module")
def codebook():
    return load_indicator_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def lancashire(codebook):
    table, _ = read_indicator_tables([BY_YEAR, BY_DISTRICT], codebook)
    return summarise_indicator_table(table, codebook)


def test_trend_alt_text_says_what_is_plotted_with_highest_and_lowest(lancashire):
    # 318/936 = 33.97% (Wilson 95% 31.01% to 37.07%); 375/1243 = 30.17% (27.68% to 32.78%).
    assert describe_indicator_trend(lancashire) == (
        "Chart of children on a child protection plan due to neglect in Lancashire, 2015 to 2018: the percentage for "
        "each of 4 periods, each with its 95% confidence interval. Benchmarks, drawn as horizontal lines: England "
        "47.5% in 2018 and North West 40.5% in 2018. Highest: 2015, 34.0% (318 of 936; 95% CI 31.0% to 37.1%). "
        "Lowest: 2018, 30.2% (375 of 1,243; 95% CI 27.7% to 32.8%)."
    )


def test_funnel_alt_text_names_the_areas_outside_the_limits(lancashire, codebook):
    # Issue 18: the target is all districts together (363/1,127 = 32.2%), the districts are overdispersed, so the
    # limits are widened and every district lies within them; West Lancs (22 of 22 stated as 23.4%) is not placed.
    assert describe_indicator_funnel(lancashire) == (
        "Funnel plot of children on a child protection plan due to neglect, 2018: 8 districts, each a point at its "
        "number of children on a child protection plan (across) and its percentage (up), around the figure for all "
        "districts together, 32.2% (a horizontal line) with 95% and 99.8% control limits, widened for "
        "overdispersion, that narrow as the numbers grow. Within the 95% limits: 8 districts. Highest: Pendle, "
        "42.0% (37 of 88; 95% CI 32.3% to 52.5%). Lowest: Lancaster, 16.7% (21 of 126; 95% CI 11.2% to 24.1%)."
    )
    # Seven districts are too few to estimate overdispersion from, so the limits are PHEindicatormethods' own
    # around their pooled 30.1% (268/891) and the areas outside them are named.
    table, _ = read_indicator_table(BY_DISTRICT, codebook)
    seven = summarise_indicator_table(table[~table["area"].isin(["Preston", "West Lancs"])], codebook)
    assert describe_indicator_funnel(seven) == (
        "Funnel plot of children on a child protection plan due to neglect, 2018: 7 districts, each a point at its "
        "number of children on a child protection plan (across) and its percentage (up), around the figure for all "
        "districts together, 30.1% (a horizontal line) with 95% and 99.8% control limits that narrow as the numbers "
        "grow. Above the 95% limits only: Hyndburn & Ribble Valley (38.1%, 69 of 181) and Pendle (42.0%, 37 of 88). "
        "Within the 95% limits: 3 districts. Below the 95% limits only: Fylde & Wyre (22.3%, 35 of 157). Below the "
        "99.8% limits: Lancaster (16.7%, 21 of 126). Highest: Pendle, 42.0% (37 of 88; 95% CI 32.3% to 52.5%). "
        "Lowest: Lancaster, 16.7% (21 of 126; 95% CI 11.2% to 24.1%)."
    )


def test_funnel_without_a_total_is_drawn_around_all_areas_together(codebook):
    table, _ = read_indicator_table(BY_DISTRICT, codebook)
    alt = describe_indicator_funnel(summarise_indicator_table(table, codebook))
    assert "around the figure for all districts together, 32.2% (a horizontal line)" in alt  # 363 / 1,127


def test_charts_are_chart_objects_with_captions(lancashire):
    trend, funnel = chart_indicator_trend(lancashire), chart_indicator_funnel(lancashire)
    assert isinstance(trend, Chart) and isinstance(funnel, Chart)
    assert trend.caption == (
        "Child protection plans due to neglect, Lancashire: dots show the percentage, vertical "
        "lines the 95% confidence interval; horizontal lines show the benchmarks."
    )
    assert funnel.caption == (
        "Child protection plans due to neglect, 2018: each point is a district; the solid line is the figure for all "
        "districts together, 32.2%, the dashed and dotted lines the 95% and 99.8% limits, widened for "
        "overdispersion. Points outside the limits differ from it by more than chance would explain."
    )
    assert trend.alt == describe_indicator_trend(lancashire) and funnel.alt == describe_indicator_funnel(lancashire)
    assert 'alt="Funnel plot of children' in funnel.to_html()


@pytest.mark.parametrize("make", [chart_indicator_trend, chart_indicator_funnel])
def test_png_bytes_are_deterministic(lancashire, make):
    first, second = make(lancashire).png, make(lancashire).png
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (1400, 760 if make is chart_indicator_trend else 920)
        assert "Software" not in image.info


def test_figures_are_bare_matplotlib_figures(lancashire):
    assert type(plot_indicator_trend(lancashire)) is Figure
    assert type(plot_indicator_funnel(lancashire)) is Figure


def test_benchmarks_differ_by_line_style_and_use_the_colour_blind_palette(lancashire):
    axes = plot_indicator_trend(lancashire).axes[0]
    benchmarks = [collection for collection in axes.collections if "benchmark" in str(collection.get_label())]
    assert [collection.get_label() for collection in benchmarks] == ["England (benchmark)", "North West (benchmark)"]
    styles = [str(collection.get_linestyle()) for collection in benchmarks]
    assert styles[0] != styles[1]
    for collection in benchmarks:
        assert tuple(collection.get_color()[0][:3]) in PALETTE


def test_funnel_points_use_shapes_and_colour_blind_colours(lancashire):
    axes = plot_indicator_funnel(lancashire).axes[0]
    points = axes.collections
    assert sum(len(collection.get_offsets()) for collection in points) == 8  # West Lancs is not placed
    for collection in points:
        assert tuple(collection.get_facecolor()[0][:3]) in PALETTE
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert labels == ["All districts 32.2% (target)", "95% limits", "99.8% limits", "Within the 95% limits"]


def test_the_funnel_plot_draws_the_limits_the_analysis_worked_out(lancashire):
    axes = plot_indicator_funnel(lancashire).axes[0]
    curve = lancashire.funnel_curve_for("2018")
    drawn = [line for line in axes.get_lines() if len(line.get_xdata()) > 2]
    assert len(drawn) == 4
    for line, column in zip(drawn, ("lower_95", "upper_95", "lower_998", "upper_998")):
        assert list(line.get_xdata()) == list(curve["denominator"])
        assert list(line.get_ydata()) == list(curve[column])


def test_a_single_period_is_described_without_highest_and_lowest(codebook, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("period,area,denominator,numerator\n2018,Lancashire,1243,375\n", encoding="utf-8")
    table, _ = read_indicator_table(path, codebook)
    findings = summarise_indicator_table(table, codebook)
    assert describe_indicator_trend(findings) == (
        "Chart of children on a child protection plan due to neglect in Lancashire, 2018: the percentage with its 95% "
        "confidence interval. Benchmarks, drawn as horizontal lines: England 47.5% in 2018 and North West 40.5% in "
        "2018. 2018, 30.2% (375 of 1,243; 95% CI 27.7% to 32.8%)."
    )
    assert describe_indicator_funnel(findings) == (
        "Funnel plot of children on a child protection plan due to neglect: there are no districts to compare."
    )
    assert chart_indicator_funnel(findings).png.startswith(b"\x89PNG")
