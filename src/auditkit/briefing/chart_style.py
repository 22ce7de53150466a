"""The charts' colours and drawing surface, loaded when the first chart is drawn.

seaborn (our charting library: its colour-blind palette gives every chart its colours) imports
matplotlib's pyplot and scipy.stats as it is imported, about a second; matplotlib's figure half a
second more. A run draws its charts once, in a process of its own, and validate, findings and a
briefing whose sections are already drawn never need them, so nothing here is imported until a
chart is drawn.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

__all__ = ["load_chart_libraries", "new_figure", "palette", "percent_axis"]


@cache
def palette() -> tuple[tuple[float, float, float], ...]:
    """seaborn's ``colorblind`` palette, as RGB tuples.

    Returns
    -------
    tuple of (float, float, float)
        Ten colours; 0 blue, 1 orange, 2 green, 3 vermilion, 4 pink, 5 brown, 7 grey, 9 sky blue.
    """
    import seaborn as sns

    return tuple(tuple(colour) for colour in sns.color_palette("colorblind"))


def new_figure(width: float, height: float, dpi: int) -> Any:
    """A bare matplotlib figure (no pyplot state, so nothing leaks between charts), laid out by constraints.

    Returns
    -------
    matplotlib.figure.Figure
        An empty figure ``width`` × ``height`` inches.
    """
    from matplotlib.figure import Figure

    # White, not the matplotlibrc's colour: the PNG is written without an alpha channel.
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained", facecolor="white")


def percent_axis(axis: Any) -> None:
    """Label an axis of proportions as whole percentages (0.3 → 30%)."""
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))


def load_chart_libraries(densities: bool = True) -> None:
    """Import seaborn, matplotlib's figure and its PNG writer (about a second) before the first chart is drawn.

    A run does it in the process that will draw its charts, while it analyses the round; a batch does it once,
    before it forks its workers. ``densities=False`` is for a process that draws only auditkit's charts (a run's
    chart drawer): seaborn imports scipy.stats, a third of a second, only for kernel density estimates, which no
    chart here draws, so scipy.stats (when not yet imported) is hidden while seaborn is imported, and seaborn takes
    its own copy of the estimator, as wherever SciPy is not installed. Its cumulative densities then fail in that
    process, which is why a process that runs an analyst's notebook (a batch's worker) keeps the default.
    """
    from matplotlib.backends import backend_agg  # noqa: F401 - savefig's PNG writer
    from matplotlib.ticker import PercentFormatter  # noqa: F401

    hidden = not densities and sys.modules.setdefault("scipy.stats", None) is None
    try:
        palette()
    finally:
        if hidden:
            del sys.modules["scipy.stats"]  # imported later, scipy.stats is the real one
    new_figure(1.0, 1.0, 72)
