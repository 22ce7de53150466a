"""An indicator table's areas on a funnel plot: each period's target, overdispersion and limits, and each area's place.

The target of a period's funnel is chosen in the round's parameters (``funnel: {target: …}``,
:data:`FUNNEL_TARGETS`): ``pooled_areas`` (the default, as PHEindicatormethods ``calculate_funnel_limits``
does: all areas' counts added up) or ``stated_total`` (the total row's proportion, as published; the pooled
areas when the period has no total row). With at least two areas, Spiegelhalter's (2005) test for
overdispersion (:func:`auditkit.stats.overdispersion.overdispersion`) says whether the areas vary more than
chance allows; when it does (p below 0.05 with at least eight areas) the limits are widened by his additive
random-effects adjustment. A row that the data checks find inconsistent (its stated percentage does not match
its counts) gets no funnel position: only the check's note speaks for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.stats.funnel import FUNNEL_LIMIT_COLUMNS, FUNNEL_TARGETS, assign_funnel_significance, funnel_limits
from auditkit.stats.overdispersion import overdispersion

__all__ = [
    "FUNNEL_CURVE_COLUMNS",
    "FUNNEL_CURVE_POINTS",
    "FUNNEL_CURVE_REACH",
    "FUNNEL_TARGETS",
    "FUNNEL_TARGET_COLUMNS",
    "INCONSISTENT_CHECKS",
    "funnel_curves",
    "place_on_funnels",
]

#: Columns of :attr:`IndicatorTableFindings.funnel_targets`: each period's target, where it comes from
#: (``total``: the total row's proportion; ``pooled``: the areas' counts added up), the areas placed, the
#: overdispersion test (``phi``, ``overdispersion_p``), the between-area variance ``tau2`` and whether the
#: limits are ``widened`` by it.
FUNNEL_TARGET_COLUMNS = ("period", "target", "basis", "areas", "phi", "overdispersion_p", "tau2", "widened")
#: Columns of :attr:`IndicatorTableFindings.funnel_curve`: each period's funnel limits at the denominators a
#: funnel plot draws them (:func:`funnel_curves`), proportions as :func:`auditkit.stats.funnel.funnel_limits` gives.
FUNNEL_CURVE_COLUMNS = ("period", *FUNNEL_LIMIT_COLUMNS)
#: How many denominators a funnel's limits are worked out at: from 1 to :data:`FUNNEL_CURVE_REACH` times the
#: largest denominator of the areas placed on it, evenly on a log scale.
FUNNEL_CURVE_POINTS = 400
#: How far past the largest area's denominator a funnel's limits run (the plot's axis runs as far).
FUNNEL_CURVE_REACH = 1.1
#: The checks (:data:`auditkit.read.indicator_checks.CHECKS`) that make a row inconsistent: no verdict and no
#: funnel position, only the note.
INCONSISTENT_CHECKS = ("stated_percent",)
#: The largest denominator assumed for a funnel on which no area has a position.
_EMPTY_FUNNEL_DENOMINATOR = 100.0


def _target(rows: pd.DataFrame, parts: pd.Series, totals: pd.DataFrame, choice: str) -> tuple[float, str] | None:
    """A period's target and its basis, or None when it has none."""
    if choice == "stated_total" and not totals.empty and totals["denominator"].iloc[0] > 0:
        return float(totals["numerator"].iloc[0] / totals["denominator"].iloc[0]), "total"
    if parts.sum() >= 2 and rows.loc[parts, "denominator"].sum() > 0:
        return float(rows.loc[parts, "numerator"].sum() / rows.loc[parts, "denominator"].sum()), "pooled"
    return None


def place_on_funnels(
    rows: pd.DataFrame, usable: pd.Series, total: str | None, inconsistent: pd.Series, choice: str = "pooled_areas"
) -> tuple[pd.Series, pd.DataFrame]:
    """Each area's funnel label against its period's target, and each period's target, overdispersion and limits.

    ``rows`` has ``period``, ``area``, ``numerator`` and ``denominator``; ``usable`` and ``inconsistent`` are
    boolean Series like it (rows whose counts can be used; rows the data checks find inconsistent, which are
    counted in the target and the overdispersion test as published but get no label); ``choice`` is one of
    :data:`FUNNEL_TARGETS`.

    Returns
    -------
    tuple of (pandas.Series, pandas.DataFrame)
        The labels (one of :data:`auditkit.stats.funnel.FUNNEL_LABELS`, or None) indexed like ``rows``, and
        the targets, columns in :data:`FUNNEL_TARGET_COLUMNS`, one row per period that has one.
    """
    if choice not in FUNNEL_TARGETS:
        raise ValueError(f"the funnel's target must be one of {', '.join(FUNNEL_TARGETS)}, not {choice!r}")
    labels = pd.Series(None, index=rows.index, dtype=object)
    targets = []
    for period in dict.fromkeys(rows["period"]):
        here = (rows["period"] == period) & usable
        parts = here & (rows["area"] != total)
        if not parts.any():
            continue
        found = _target(rows, parts, rows[here & (rows["area"] == total)], choice)
        if found is None:
            continue
        target, basis = found
        x, n = rows.loc[parts, "numerator"].to_numpy(), rows.loc[parts, "denominator"].to_numpy()
        test = overdispersion(x, n, target).iloc[0]
        widened = bool(test["adjusted"])
        tau2 = float(test["tau2"]) if widened else 0.0
        targets.append((period, target, basis, int(test["areas"]), test["phi"], test["p_value"], test["tau2"], widened))
        placed = parts & ~inconsistent
        labels[placed] = assign_funnel_significance(
            rows.loc[placed, "numerator"], rows.loc[placed, "denominator"], target=target, tau2=tau2
        ).to_numpy()
    frame = pd.DataFrame(targets, columns=list(FUNNEL_TARGET_COLUMNS))
    return labels, frame.astype({"widened": bool, "areas": int})


def funnel_curves(rows: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """The 95% and 99.8% limits of each period's funnel plot, at the denominators the plot draws them.

    For each period in ``targets`` (:data:`FUNNEL_TARGET_COLUMNS`), the limits around its target
    (:func:`auditkit.stats.funnel.funnel_limits`, widened by ``tau2`` where ``widened``) at
    :data:`FUNNEL_CURVE_POINTS` denominators from 1 to :data:`FUNNEL_CURVE_REACH` times the largest
    denominator of the period's ``rows`` (``period``, ``denominator`` and ``funnel``) that have a funnel
    position (100 when none has), evenly on a log scale. The limits depend on nothing but the target, τ² and
    those denominators, so a published copy whose hidden rows lost their positions works them out again with
    this function.

    Returns
    -------
    pandas.DataFrame
        One row per period and denominator, periods in the order of ``targets``, with the columns of
        :data:`FUNNEL_CURVE_COLUMNS`: ``period``, ``denominator``, ``target``, ``lower_95``, ``upper_95``,
        ``lower_998`` and ``upper_998`` (proportions in [0, 1]).
    """
    curves = []
    for target in targets.to_dict("records"):
        period = target["period"]
        placed = rows[(rows["period"] == period) & rows["funnel"].notna()]
        largest = float(placed["denominator"].max()) if len(placed) else _EMPTY_FUNNEL_DENOMINATOR
        grid = np.geomspace(1.0, largest * FUNNEL_CURVE_REACH, FUNNEL_CURVE_POINTS)
        tau2 = float(target["tau2"]) if target.get("widened", False) else 0.0
        limits = funnel_limits(float(target["target"]), grid, tau2)
        curves.append(limits.assign(period=period)[list(FUNNEL_CURVE_COLUMNS)])
    if not curves:
        return pd.DataFrame(columns=list(FUNNEL_CURVE_COLUMNS))
    return pd.concat(curves, ignore_index=True)
