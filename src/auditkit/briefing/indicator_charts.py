"""Charts of an aggregate indicator table: the trend over periods and the funnel plot of areas.

As in :mod:`auditkit.briefing.charts`, each chart is drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot
state), saved as PNG without a timestamp (:func:`auditkit.briefing.charts.figure_png`, so the same findings give the
same bytes), and returned as a :class:`~auditkit.briefing.charts.Chart` whose alt text is generated from the data.
Colours come from seaborn's colour-blind-safe palette, and no meaning rests on colour alone: benchmarks differ
by line style, funnel positions by marker shape.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from auditkit.analysis.indicator_tables import FUNNEL_CURVE_REACH, IndicatorTableFindings
from auditkit.briefing.chart_style import new_figure, palette, percent_axis
from auditkit.briefing.charts import Chart, figure_png
from auditkit.briefing.wording import join_words

__all__ = [
    "chart_indicator_funnel",
    "chart_indicator_trend",
    "describe_indicator_funnel",
    "describe_indicator_trend",
    "plot_indicator_funnel",
    "plot_indicator_trend",
]

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Colours are places in seaborn's colour-blind palette (:func:`auditkit.briefing.chart_style.palette`).
_VALUE_COLOUR = 0
_BENCHMARK_STYLES = (
    ((0, (5, 2)), 1),
    ((0, (1, 1.5)), 2),
    ((0, (6, 2, 1, 2)), 4),
    ((0, (3, 3)), 5),
)
_LIMIT_COLOUR = "#555555"
_TARGET_COLOUR = "#222222"
#: Marker and colour of each funnel position: up-pointing above, down-pointing below, circles within.
_FUNNEL_STYLE = {
    "High (0.001)": ("^", 3, "above the 99.8% limits"),
    "High (0.025)": ("^", 1, "above the 95% limits only"),
    "Not significant": ("o", 7, "within the 95% limits"),
    "Low (0.025)": ("v", 9, "below the 95% limits only"),
    "Low (0.001)": ("v", 0, "below the 99.8% limits"),
}
_DPI = 200


def _percent(proportion: float) -> str:
    """A proportion as a percentage with one decimal, halves rounded up: 0.30169 → '30.2%'."""
    value = Decimal(repr(float(proportion))) * 100
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _one(row, name: str) -> str:
    return (
        f"{name}, {_percent(row.proportion)} ({int(row.numerator):,} of {int(row.denominator):,}; "
        f"95% CI {_percent(row.ci_low)} to {_percent(row.ci_high)})"
    )


def _trend_rows(findings: IndicatorTableFindings, area: str | None) -> tuple[str | None, pd.DataFrame]:
    """The area a trend chart shows (the trend's area by default) and its rows with figures, in period order."""
    if area is None:
        area = findings.trend["area"].iloc[0]
        if area is None or pd.isna(area):
            area = findings.rows["area"].iloc[0] if len(findings.rows) else None
    rows = findings.rows[(findings.rows["area"] == area) & findings.rows["proportion"].notna()]
    return area, rows.reset_index(drop=True)


def _benchmark_lines(findings: IndicatorTableFindings, periods: list[str]) -> dict[str, list[tuple[int, float]]]:
    """Each benchmark's values at the charted periods, as (position, value), in codebook order."""
    lines = {}
    for name in findings.codebook.benchmark_names:
        points = [
            (position, findings.codebook.benchmarks_for(period)[name])
            for position, period in enumerate(periods)
            if name in findings.codebook.benchmarks_for(period)
        ]
        if points:
            lines[name] = points
    return lines


def describe_indicator_trend(findings: IndicatorTableFindings, area: str | None = None) -> str:
    """Alt text of the trend chart: what is plotted, the benchmarks, and the highest and lowest periods.

    Returns
    -------
    str
        Such as ``'Chart of children on a child protection plan due to neglect in Lancashire, 2015 to 2018: the
        percentage for each of 4 periods, each with its 95% confidence interval. Benchmarks, drawn as horizontal
        lines: England 47.5% in 2018 and North West 40.5% in 2018. Highest: 2015, 34.0% (318 of 936; 95% CI 31.0%
        to 37.1%). Lowest: 2018, …'``; one period is given without Highest and Lowest.
    """
    codebook = findings.codebook
    area, rows = _trend_rows(findings, area)
    if rows.empty:
        return f"Chart of {codebook.measure.lower()}: no figures could be worked out for {area}."
    periods = list(rows["period"])
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    if len(rows) == 1:
        text = (
            f"Chart of {codebook.measure.lower()} in {area}, {span}: the percentage with its 95% confidence interval."
        )
    else:
        text = (
            f"Chart of {codebook.measure.lower()} in {area}, {span}: the percentage for each of {len(rows)} "
            f"periods, each with its 95% confidence interval."
        )
    lines = _benchmark_lines(findings, periods)
    if lines:
        described = [
            f"{name} {join_words(f'{_percent(value)} in {periods[position]}' for position, value in points)}"
            for name, points in lines.items()
        ]
        text += f" Benchmarks, drawn as horizontal lines: {join_words(described)}."
    highest = rows.loc[rows["proportion"].idxmax()]
    lowest = rows.loc[rows["proportion"].idxmin()]
    if len(rows) == 1:
        return f"{text} {_one(highest, highest['period'])}."
    return f"{text} Highest: {_one(highest, highest['period'])}. Lowest: {_one(lowest, lowest['period'])}."


def _style_axes(axes) -> None:
    percent_axis(axes.yaxis)
    axes.tick_params(labelsize=9)
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def plot_indicator_trend(findings: IndicatorTableFindings, area: str | None = None) -> Figure:
    """The area's percentage in each period with its 95% interval, and each benchmark as horizontal lines.

    A benchmark is drawn across each period for which it is given (and only those), so a benchmark known
    for one year is not stretched over the others.

    Returns
    -------
    matplotlib.figure.Figure
        A bare figure, 7 × 3.8 inches: a dot per period with a vertical 95% interval, labelled ``'30.2%'``, each
        benchmark as dashed or dotted lines, and a legend above.
    """
    codebook = findings.codebook
    area, rows = _trend_rows(findings, area)
    figure = new_figure(7.0, 3.8, _DPI)
    axes = figure.add_subplot()
    positions = np.arange(len(rows))
    axes.vlines(
        positions,
        rows["ci_low"],
        rows["ci_high"],
        color=palette()[_VALUE_COLOUR],
        linewidth=2.2,
        label="95% confidence interval",
    )
    axes.plot(
        positions,
        rows["proportion"],
        color=palette()[_VALUE_COLOUR],
        marker="o",
        markersize=7,
        linewidth=1.2,
        label=str(area),
    )
    for position, row in zip(positions, rows.itertuples(index=False)):
        axes.annotate(
            _percent(row.proportion),
            xy=(position, row.ci_high),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
        )
    top = rows["ci_high"].max() if len(rows) else 0.5
    for (name, points), (style, colour) in zip(
        _benchmark_lines(findings, list(rows["period"])).items(), _BENCHMARK_STYLES * 4
    ):
        for index, (position, value) in enumerate(points):
            axes.hlines(
                value,
                position - 0.4,
                position + 0.4,
                colors=[palette()[colour]],
                linestyles=[style],
                linewidth=1.8,
                label=f"{name} (benchmark)" if index == 0 else None,
            )
            top = max(top, value)
    axes.set_xticks(positions, list(rows["period"]))
    axes.set_xlim(-0.6, max(len(rows), 1) - 0.4)
    axes.set_ylim(0, min(1.0, top * 1.2 + 0.02))
    axes.set_xlabel(codebook.period[0].upper() + codebook.period[1:], fontsize=9)
    axes.set_ylabel(f"{codebook.title} (%)", fontsize=9)
    _style_axes(axes)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, frameon=False, fontsize=8.5)
    return figure


def chart_indicator_trend(findings: IndicatorTableFindings, area: str | None = None) -> Chart:
    """The trend chart with generated alt text and a caption.

    Returns
    -------
    Chart
        ``png`` (:func:`plot_indicator_trend`), ``alt`` (:func:`describe_indicator_trend`) and ``caption``, such as
        ``'Child protection plans due to neglect, Lancashire: dots show the percentage, vertical lines the 95%
        confidence interval; horizontal lines show the benchmarks.'``
    """
    chosen, _ = _trend_rows(findings, area)
    caption = (
        f"{findings.codebook.title}, {chosen}: dots show the percentage, vertical lines the 95% confidence interval"
    )
    caption += "; horizontal lines show the benchmarks." if findings.codebook.benchmarks else "."
    return Chart(
        png=figure_png(plot_indicator_trend(findings, area)),
        alt=describe_indicator_trend(findings, area),
        caption=caption,
    )


def _funnel_rows(findings: IndicatorTableFindings, period: str | None) -> tuple[str | None, float | None, pd.DataFrame]:
    """The period a funnel plot shows (by default the last with a target), its target and its areas."""
    targets = findings.funnel_targets
    if period is None:
        period = targets["period"].iloc[-1] if len(targets) else None
    target = findings.funnel_target(period) if period is not None else None
    rows = findings.rows[(findings.rows["period"] == period) & findings.rows["funnel"].notna()]
    return period, target, rows.reset_index(drop=True)


def _target_words(findings: IndicatorTableFindings, period: str, target: float) -> str:
    basis = findings.funnel_targets.loc[findings.funnel_targets["period"] == period, "basis"].iloc[0]
    plural = f"{findings.codebook.area}s"
    if basis == "total":
        return f"the {findings.codebook.total_area} figure of {_percent(target)}"
    return f"the figure for all {plural} together, {_percent(target)}"


def _target_label(findings: IndicatorTableFindings, period: str, target: float) -> str:
    basis = findings.funnel_targets.loc[findings.funnel_targets["period"] == period, "basis"].iloc[0]
    name = findings.codebook.total_area if basis == "total" else f"All {findings.codebook.area}s"
    return f"{name} {_percent(target)} (target)"


def _widened(findings: IndicatorTableFindings, period: str) -> str:
    """', widened for overdispersion,' when the period's limits are (Spiegelhalter's random-effects adjustment)."""
    match = findings.funnel_targets[findings.funnel_targets["period"] == period]
    return ", widened for overdispersion," if len(match) and bool(match["widened"].iloc[0]) else ""


def describe_indicator_funnel(findings: IndicatorTableFindings, period: str | None = None) -> str:
    """Alt text of the funnel plot: what is plotted, which areas lie outside the limits, highest and lowest.

    Returns
    -------
    str
        Such as ``'Funnel plot of children on a child protection plan due to neglect, 2018: 9 districts, each a
        point at … around the Lancashire figure of 30.2% (a horizontal line) with 95% and 99.8% control limits
        that narrow as the numbers grow. Above the 99.8% limits: West Lancs (100.0%, 22 of 22). … Within the 95%
        limits: 4 districts. … Highest: …. Lowest: ….'``, or ``'…: there are no districts to compare.'``
    """
    codebook = findings.codebook
    period, target, rows = _funnel_rows(findings, period)
    if target is None or rows.empty:
        return f"Funnel plot of {codebook.measure.lower()}: there are no {codebook.area}s to compare."
    plural = f"{codebook.area}s"
    text = (
        f"Funnel plot of {codebook.measure.lower()}, {period}: {len(rows)} {plural}, each a point at its number "
        f"of {codebook.denominator} (across) and its percentage (up), around {_target_words(findings, period, target)}"
        f" (a horizontal line) with 95% and 99.8% control limits{_widened(findings, period)} that narrow as the "
        f"numbers grow."
    )
    for label, (_, _, words) in _FUNNEL_STYLE.items():
        chosen = rows[rows["funnel"] == label]
        if label == "Not significant":
            if len(chosen):
                text += f" Within the 95% limits: {len(chosen)} {plural if len(chosen) != 1 else codebook.area}."
            continue
        if len(chosen):
            named = join_words(
                f"{row.area} ({_percent(row.proportion)}, {int(row.numerator):,} of {int(row.denominator):,})"
                for row in chosen.itertuples(index=False)
            )
            text += f" {words[0].upper()}{words[1:]}: {named}."
    highest = rows.loc[rows["proportion"].idxmax()]
    lowest = rows.loc[rows["proportion"].idxmin()]
    text += f" Highest: {_one(highest, highest['area'])}. Lowest: {_one(lowest, lowest['area'])}."
    return text


def plot_indicator_funnel(findings: IndicatorTableFindings, period: str | None = None) -> Figure:
    """Areas as points (denominator across, percentage up) with the target and the 95% and 99.8% limits.

    The limits are drawn as the analysis worked them out (:attr:`IndicatorTableFindings.funnel_curve`).

    Returns
    -------
    matplotlib.figure.Figure
        A bare figure, 7 × 4.6 inches: each area a named point, shaped by its ``funnel`` position (▲ above,
        ● within, ▼ below the limits), the target as a solid line, the limits dashed (95%) and dotted (99.8%).
    """
    from matplotlib.lines import Line2D  # matplotlib is imported when a chart is drawn (chart_style)

    codebook = findings.codebook
    period, target, rows = _funnel_rows(findings, period)
    figure = new_figure(7.0, 4.6, _DPI)
    axes = figure.add_subplot()
    largest = float(rows["denominator"].max()) if len(rows) else 100.0
    handles = []
    if target is not None:
        limits = findings.funnel_curve_for(period)
        grid = limits["denominator"].to_numpy()
        axes.axhline(target, color=_TARGET_COLOUR, linewidth=1.4)
        handles.append(
            Line2D([], [], color=_TARGET_COLOUR, linewidth=1.4, label=_target_label(findings, period, target))
        )
        for level, style in (("95", (0, (5, 2))), ("998", (0, (1, 1.5)))):
            for side in ("lower", "upper"):
                axes.plot(grid, limits[f"{side}_{level}"], color=_LIMIT_COLOUR, linestyle=style, linewidth=1.2)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=_LIMIT_COLOUR,
                    linestyle=style,
                    linewidth=1.2,
                    label="95% limits" if level == "95" else "99.8% limits",
                )
            )
    for label, (marker, colour, words) in _FUNNEL_STYLE.items():
        chosen = rows[rows["funnel"] == label]
        if chosen.empty:
            continue
        axes.scatter(
            chosen["denominator"],
            chosen["proportion"],
            marker=marker,
            s=46,
            color=palette()[colour],
            edgecolors="#222222",
            linewidths=0.6,
            zorder=3,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="",
                color=palette()[colour],
                markeredgecolor="#222222",
                markersize=7,
                label=words[0].upper() + words[1:],
            )
        )
    for row in rows.itertuples(index=False):
        # Names of areas on the right run leftwards, so that they stay inside the axes.
        right = row.denominator > 0.7 * largest * FUNNEL_CURVE_REACH
        axes.annotate(
            row.area,
            xy=(row.denominator, row.proportion),
            xytext=(-5 if right else 5, 3),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=7.5,
        )
    axes.set_xlim(0, largest * FUNNEL_CURVE_REACH)
    axes.set_ylim(0, 1.05)
    axes.set_xlabel(f"Number of {codebook.denominator}", fontsize=9)
    axes.set_ylabel(f"{codebook.title} (%)", fontsize=9)
    _style_axes(axes)
    if handles:
        axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False, fontsize=8)
    return figure


def chart_indicator_funnel(findings: IndicatorTableFindings, period: str | None = None) -> Chart:
    """The funnel plot with generated alt text and a caption.

    Returns
    -------
    Chart
        ``png`` (:func:`plot_indicator_funnel`), ``alt`` (:func:`describe_indicator_funnel`) and ``caption``, such
        as ``'Child protection plans due to neglect, 2018: each point is a district; the solid line is the
        Lancashire figure of 30.2%, the dashed and dotted lines the 95% and 99.8% limits. …'``
    """
    chosen, target, _ = _funnel_rows(findings, period)
    if target is None:
        caption = f"{findings.codebook.title}: there are no {findings.codebook.area}s to compare."
    else:
        caption = f"{findings.codebook.title}, {chosen}: each point is a {findings.codebook.area}"
        caption += (
            f"; the solid line is {_target_words(findings, chosen, target)}, the dashed and dotted lines "
            f"the 95% and 99.8% limits{_widened(findings, chosen).rstrip(',')}. Points outside the limits differ "
            f"from it by more than chance would explain."
        )
    return Chart(
        png=figure_png(plot_indicator_funnel(findings, period)),
        alt=describe_indicator_funnel(findings, period),
        caption=caption,
    )
