"""Charts of proportions with their intervals, and their HTML with alt text generated from the data.

Charts are drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot state, so nothing
leaks between charts or rounds) and saved as PNG without a timestamp, so the same
findings give the same bytes.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from auditkit.briefing.chart_style import new_figure, palette, percent_axis
from auditkit.briefing.wording import format_interval, format_percent, format_points

__all__ = [
    "Chart",
    "chart_change",
    "chart_proportions",
    "describe_change_chart",
    "describe_chart",
    "figure_png",
    "plot_change",
    "plot_proportions",
]

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Colours, as places in seaborn's colour-blind palette (:func:`auditkit.briefing.chart_style.palette`).
_MET_COLOUR = 0
_LOWER_IS_BETTER_COLOUR = 3
_BASELINE_COLOUR = "#7f7f7f"
_DPI = 200
# Text sizes in points. A chart is 7 inches wide, the width of the A4 text column, so these are the sizes
# printed: no smaller than the briefing's 10.5pt body text for the labels a reader must read.
_LABEL_SIZE = 11
_VALUE_SIZE = 10.5
_AXIS_SIZE = 10.5


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes, its alt text and its caption."""

    png: bytes
    alt: str
    caption: str

    def to_html(self) -> str:
        """A self-contained ``<figure>``: the PNG embedded as a data URI, with alt text and caption."""
        from markupsafe import escape

        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{escape(self.alt)}">'
            f"<figcaption>{escape(self.caption)}</figcaption></figure>"
        )


def _bar_label(row: pd.Series) -> str:
    label = str(row["label"])
    return f"{label} (lower is better)" if row["lower_is_better"] else label


def describe_chart(rows: pd.DataFrame, subject: str) -> str:
    """Alt text from the data: what is plotted, the highest and the lowest values with intervals.

    ``rows`` are indicator rows (:data:`auditkit.analysis.findings.INDICATOR_COLUMNS`); rows with no
    denominator are left out.

    Returns
    -------
    str
        Such as ``'Chart of the case audit: the percentage meeting each of 5 standards, each with its 95%
        confidence interval. Highest: Toolkit used, 75% (9 of 12; 95% CI 47% to 91%). Lowest: …'``, or
        ``'Chart of the case audit: no answers were recorded.'``
    """
    shown = rows[rows["denominator"] > 0]
    if shown.empty:
        return f"Chart of {subject}: no answers were recorded."
    highest = shown.loc[shown["proportion"].idxmax()]
    lowest = shown.loc[shown["proportion"].idxmin()]

    def one(row: pd.Series) -> str:
        return (
            f"{_bar_label(row)}, {format_percent(row['proportion'])} ({int(row['numerator'])} of "
            f"{int(row['denominator'])}; 95% CI {format_interval(row['ci_low'], row['ci_high'])})"
        )

    if len(shown) == 1:
        return (
            f"Chart of {subject}: the percentage meeting one standard, with its 95% confidence interval: "
            f"{one(highest)}."
        )
    return (
        f"Chart of {subject}: the percentage meeting each of {len(shown)} standards, each with its 95% "
        f"confidence interval. Highest: {one(highest)}. Lowest: {one(lowest)}."
    )


def plot_proportions(rows: pd.DataFrame) -> Figure:
    """A horizontal dot-and-interval chart of proportions, one row per item, in the frame's order.

    Returns
    -------
    matplotlib.figure.Figure
        A bare figure 7 inches wide (no pyplot state): a dot at each ``proportion`` and a line from ``ci_low`` to
        ``ci_high``, labelled with the percentage and ``numerator/denominator``; rows with no denominator left out.
    """
    shown = rows[rows["denominator"] > 0].reset_index(drop=True)
    height = 0.7 + 0.42 * max(len(shown), 1)
    figure = new_figure(7.0, height, _DPI)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))[::-1]
    for position, (_, row) in zip(positions, shown.iterrows()):
        colour = palette()[_LOWER_IS_BETTER_COLOUR if row["lower_is_better"] else _MET_COLOUR]
        marker = "s" if row["lower_is_better"] else "o"
        axes.plot([row["ci_low"], row["ci_high"]], [position, position], color=colour, linewidth=2.2)
        axes.plot([row["proportion"]], [position], marker=marker, color=colour, markersize=7)
        axes.annotate(
            f"{format_percent(row['proportion'])} ({int(row['numerator'])}/{int(row['denominator'])})",
            xy=(1.02, position),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=_VALUE_SIZE,
        )
    _style_percentage_axes(axes, positions, [_bar_label(row) for _, row in shown.iterrows()])
    return figure


def _style_percentage_axes(axes, positions: list[int], labels: list[str]) -> None:
    """One row per standard, a 0–100% axis with a light grid and no box: both charts look alike."""
    axes.set_yticks(positions, labels, fontsize=_LABEL_SIZE)
    axes.set_xlim(0, 1)
    axes.set_ylim(-0.6, len(labels) - 0.4)
    percent_axis(axes.xaxis)
    axes.tick_params(axis="x", labelsize=_AXIS_SIZE)
    axes.grid(axis="x", color="#d9d9d9", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel("Percentage, with 95% confidence interval", fontsize=_AXIS_SIZE)


def figure_png(figure: Figure) -> bytes:
    """PNG bytes of a figure with no timestamp or software version, so output is reproducible.

    Returns
    -------
    bytes
        The figure as PNG at its own resolution (the charts here are made at 200 dpi) and marked with it; the same
        figure gives the same bytes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    # Drawn as savefig draws it, but written without the alpha channel (the figure is opaque): WeasyPrint splits
    # an RGBA image into two and compresses both again for the PDF, a fifth of the PDF's time; RGB it writes once.
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buffer = io.BytesIO()
    # zlib level 3: as small as Pillow's default 6 for flat-coloured charts (within 0.3%), in two thirds of the time.
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(
        buffer, format="png", dpi=(figure.dpi, figure.dpi), compress_level=3
    )
    return buffer.getvalue()


class _Drawn:
    """A chart's rows, equal to another's when they hold the same values, so that ``lru_cache`` can keep the PNG
    drawn from them (a DataFrame is not hashable). ``auditkit preview`` renders the charts again on every save, and a
    save that changes only words leaves the figures as they were: drawing is most of a section's time."""

    def __init__(self, rows: pd.DataFrame, *labels: str):
        self.rows = rows
        digest = pd.util.hash_pandas_object(rows, index=True).to_numpy().tobytes()
        self.key = (tuple(rows.columns), tuple(str(dtype) for dtype in rows.dtypes), digest, labels)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Drawn) and self.key == other.key


@lru_cache(maxsize=32)
def _proportions_png(drawn: _Drawn) -> bytes:
    return figure_png(plot_proportions(drawn.rows))


@lru_cache(maxsize=32)
def _change_png(drawn: _Drawn) -> bytes:
    return figure_png(plot_change(drawn.rows, *drawn.key[-1]))


def _drawn(rows: pd.DataFrame, *labels: str) -> _Drawn | None:
    """The rows as a cache key, or None when a cell cannot be hashed (then the chart is drawn afresh)."""
    try:
        return _Drawn(rows, *labels)
    except TypeError:
        return None


def chart_proportions(rows: pd.DataFrame, title: str, subject: str) -> Chart:
    """Plot proportions and return the chart with generated alt text and a caption.

    Returns
    -------
    Chart
        ``png`` (:func:`plot_proportions` through :func:`figure_png`), ``alt`` (:func:`describe_chart`) and
        ``caption``, such as ``'Case audit: dots show the percentage, lines the 95% confidence interval.'``
    """
    drawn = _drawn(rows)
    png = _proportions_png(drawn) if drawn is not None else figure_png(plot_proportions(rows))
    caption = f"{title}: dots show the percentage, lines the 95% confidence interval."
    return Chart(png=png, alt=describe_chart(rows, subject), caption=caption)


def describe_change_chart(items: pd.DataFrame, subject: str, baseline: str, followup: str) -> str:
    """Alt text for a change chart: what is plotted and the largest rise and fall.

    Returns
    -------
    str
        Such as ``'Chart of case audit: for each of 4 standards, the percentage meeting it in June 2017 (grey
        square) and in June 2018 (blue circle), each with its 95% confidence interval. Largest rise: Toolkit
        used, from 20% to 75% (55 percentage points). Largest fall: …'`` (``Smallest fall`` or ``Smallest
        rise`` when nothing rose or fell), or ``'Chart of case audit: no standard was measured in both rounds.'``
    """
    shown = items[(items["baseline_denominator"] > 0) & (items["followup_denominator"] > 0)]
    if shown.empty:
        return f"Chart of {subject}: no standard was measured in both rounds."

    def one(row: pd.Series) -> str:
        return (
            f"{_bar_label(row)}, from {format_percent(row['baseline_proportion'])} to "
            f"{format_percent(row['followup_proportion'])} ({format_points(row['difference'])} percentage points)"
        )

    if len(shown) == 1:
        return (
            f"Chart of {subject}: the percentage meeting one standard in {baseline} (grey square) and in {followup} "
            f"(blue circle), each with its 95% confidence interval: {one(shown.iloc[0])}."
        )
    rise = shown.loc[shown["difference"].idxmax()]
    fall = shown.loc[shown["difference"].idxmin()]
    most = "Largest rise" if rise["difference"] > 0 else "Smallest fall"
    least = "Largest fall" if fall["difference"] < 0 else "Smallest rise"
    return (
        f"Chart of {subject}: for each of {len(shown)} standards, the percentage meeting it in {baseline} "
        f"(grey square) and in {followup} (blue circle), each with its 95% confidence interval. "
        f"{most}: {one(rise)}. {least}: {one(fall)}."
    )


def plot_change(items: pd.DataFrame, baseline: str, followup: str) -> Figure:
    """A dumbbell chart: each standard's baseline and follow-up percentage with their intervals.

    ``items`` is a comparison's items frame (:data:`auditkit.analysis.comparison.COMPARISON_COLUMNS`); the chart
    draws its ``baseline_proportion``, ``followup_proportion`` and their intervals (``baseline_ci_low``,
    ``baseline_ci_high``, ``followup_ci_low``, ``followup_ci_high``) as the analysis worked them out, for each
    standard answered in both rounds.

    Returns
    -------
    matplotlib.figure.Figure
        A bare figure 7 inches wide: for each standard a grey square (baseline) above a blue circle (follow-up),
        each with its interval, labelled ``'20% → 75%'``, and a legend naming ``baseline`` and ``followup``.
    """
    shown = items[(items["baseline_denominator"] > 0) & (items["followup_denominator"] > 0)].reset_index(drop=True)
    before = {
        "proportion": shown["baseline_proportion"],
        "ci_low": shown["baseline_ci_low"],
        "ci_high": shown["baseline_ci_high"],
    }
    after = {
        "proportion": shown["followup_proportion"],
        "ci_low": shown["followup_ci_low"],
        "ci_high": shown["followup_ci_high"],
    }
    figure = new_figure(7.0, 0.9 + 0.55 * max(len(shown), 1), _DPI)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))[::-1]
    for position, index in zip(positions, range(len(shown))):
        upper, lower = position + 0.14, position - 0.14
        axes.plot(
            [before["ci_low"][index], before["ci_high"][index]], [upper, upper], color=_BASELINE_COLOUR, linewidth=1.8
        )
        axes.plot(
            [before["proportion"][index]],
            [upper],
            marker="s",
            color=_BASELINE_COLOUR,
            markersize=6,
            label=baseline if index == 0 else None,
        )
        axes.plot(
            [after["ci_low"][index], after["ci_high"][index]],
            [lower, lower],
            color=palette()[_MET_COLOUR],
            linewidth=2.2,
        )
        axes.plot(
            [after["proportion"][index]],
            [lower],
            marker="o",
            color=palette()[_MET_COLOUR],
            markersize=7,
            label=followup if index == 0 else None,
        )
        axes.annotate(
            f"{format_percent(before['proportion'][index])} → {format_percent(after['proportion'][index])}",
            xy=(1.02, position),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=_VALUE_SIZE,
        )
    labels = [
        f"{label} (lower is better)" if lower_better else str(label)
        for label, lower_better in zip(shown["label"], shown["lower_is_better"])
    ]
    _style_percentage_axes(axes, positions, labels)
    if len(shown):
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False, fontsize=_AXIS_SIZE)
    return figure


def chart_change(items: pd.DataFrame, title: str, baseline: str, followup: str) -> Chart:
    """Plot each standard from baseline to follow-up and return it with alt text and caption.

    Returns
    -------
    Chart
        ``png`` (:func:`plot_change` through :func:`figure_png`), ``alt`` (:func:`describe_change_chart`) and
        ``caption``, such as ``'Case audit: grey squares show June 2017, blue circles June 2018; lines show 95%
        confidence intervals.'``
    """
    drawn = _drawn(items, baseline, followup)
    png = _change_png(drawn) if drawn is not None else figure_png(plot_change(items, baseline, followup))
    caption = f"{title}: grey squares show {baseline}, blue circles {followup}; lines show 95% confidence intervals."
    return Chart(png=png, alt=describe_change_chart(items, title.lower(), baseline, followup), caption=caption)
