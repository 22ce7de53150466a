"""Aggregate indicator tables: read, checked, benchmarked, tested for trend and placed on a funnel plot.

A table (CSV or XLSX) has one row per period and area with the columns ``period``, ``area``,
``denominator``, ``numerator`` and optionally ``stated_percent`` (the percentage as published); its
codebook (:mod:`auditkit.config.indicator_codebook`) says what it measures. Published tables contain errors,
so reading separates two kinds of problem:

- *hard errors* stop the run (:class:`~auditkit.errors.DataValidationError`, naming the file, the row
  as Excel shows it and the column): a missing column, text or a negative number in a count column, an
  unreadable stated percentage, a blank period or area, the same period and area twice, no rows at all;
- *checks* are reported as data (:mod:`auditkit.read.indicator_checks`): a withheld figure (``c``, ``x``,
  ``:``, ``z`` and blanks are missing, never zero), a count that is not whole, more in the numerator
  than the denominator, a stated percentage the counts do not give, areas that do not add up to the total.

:func:`summarise_indicator_table` then gives, per row, Wilson 95% and 99.8% intervals
(:func:`auditkit.stats.proportions.proportion_ci`), the OHID Fingertips verdict against each benchmark and the
area's position on a funnel plot around the total (:mod:`auditkit.stats.funnel`) with the funnel's limits to draw,
and for the total area the Cochran–Armitage test for trend over periods
(:func:`auditkit.stats.inference.cochran_armitage_trend`) with whether it is significant at :data:`TREND_ALPHA`.
A briefing draws and words these figures; it works none of them out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from auditkit.analysis.indicator_funnels import (
    FUNNEL_CURVE_COLUMNS,
    FUNNEL_CURVE_POINTS,
    FUNNEL_CURVE_REACH,
    FUNNEL_TARGET_COLUMNS,
    FUNNEL_TARGETS,
    INCONSISTENT_CHECKS,
    funnel_curves,
    place_on_funnels,
)
from auditkit.config.indicator_codebook import POLARITIES, IndicatorCodebook
from auditkit.errors import DataValidationError
from auditkit.read.indicator_checks import check_indicator_table, usable_rows
from auditkit.read.indicator_tables import TABLE_COLUMNS, find_duplicate_rows
from auditkit.stats.inference import cochran_armitage_trend
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "FUNNEL_CURVE_COLUMNS",
    "FUNNEL_CURVE_POINTS",
    "FUNNEL_CURVE_REACH",
    "FUNNEL_TARGET_COLUMNS",
    "FUNNEL_TARGETS",
    "ROW_COLUMNS",
    "TREND_ALPHA",
    "TREND_COLUMNS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "IndicatorTableFindings",
    "benchmark_verdict",
    "funnel_curves",
    "summarise_indicator_table",
]

#: Columns of :attr:`IndicatorTableFindings.rows`, in order.
ROW_COLUMNS = (
    "period",
    "area",
    "numerator",
    "denominator",
    "proportion",
    "ci_low",
    "ci_high",
    "ci99_low",
    "ci99_high",
    "funnel",
)
#: Columns of :attr:`IndicatorTableFindings.verdicts`: one row per table row and benchmark given for its period.
VERDICT_COLUMNS = ("period", "area", "benchmark", "benchmark_value", "verdict")
#: Columns of :attr:`IndicatorTableFindings.trend` (one row). ``significant`` says whether ``p_value`` is below
#: :data:`TREND_ALPHA` (missing when there is no test).
TREND_COLUMNS = ("area", "first_period", "last_period", "periods", "z", "chi2", "p_value", "significant")
#: The significance level of the test for trend: below it, a briefing speaks of a clear trend.
TREND_ALPHA = 0.05
#: The Fingertips verdicts: ``similar``, then ``higher``/``lower`` (polarity neither) or ``better``/``worse``.
VERDICTS = ("similar", "higher", "lower", "better", "worse")

# The README's rule: a trend is shown from three rounds (or periods) on.
_MIN_TREND_PERIODS = 3


def benchmark_verdict(ci_low: float, ci_high: float, benchmark: float, polarity: str = "neither") -> str | None:
    """The OHID Fingertips verdict of an area against a benchmark from the area's 95% interval.

    ``similar`` when the benchmark lies inside the interval, bounds included; otherwise ``higher`` or
    ``lower`` (the area against the benchmark), which are ``better`` or ``worse`` when the measure has
    a polarity (``higher_is_better`` or ``lower_is_better``). None when the interval is missing.

    Any other ``polarity`` raises ``ValueError`` naming the allowed ones (a typo once read as ``neither``).

    Returns
    -------
    str or None
        One of :data:`VERDICTS` (``similar``, ``higher``, ``lower``, ``better`` or ``worse``), or None when
        ``ci_low``, ``ci_high`` or ``benchmark`` is missing.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    if any(pd.isna(value) for value in (ci_low, ci_high, benchmark)):
        return None
    if ci_low <= benchmark <= ci_high:
        return "similar"
    higher = ci_low > benchmark
    if polarity == "higher_is_better":
        return "better" if higher else "worse"
    if polarity == "lower_is_better":
        return "worse" if higher else "better"
    return "higher" if higher else "lower"


@dataclass(frozen=True, repr=False)
class IndicatorTableFindings:
    """Everything computed from one indicator table: rows, verdicts, trend, funnel targets and limits, checks.

    ``rows`` has the columns of :data:`ROW_COLUMNS`, ``verdicts`` those of :data:`VERDICT_COLUMNS`, ``trend``
    (one row) those of :data:`TREND_COLUMNS`, ``funnel_targets`` those of :data:`FUNNEL_TARGET_COLUMNS`,
    ``funnel_curve`` those of :data:`FUNNEL_CURVE_COLUMNS` (:func:`funnel_curves`) and ``checks`` those of
    :data:`CHECK_COLUMNS`.
    """

    codebook: IndicatorCodebook
    rows: pd.DataFrame
    verdicts: pd.DataFrame
    trend: pd.DataFrame
    funnel_targets: pd.DataFrame
    funnel_curve: pd.DataFrame
    checks: pd.DataFrame

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods in order (by number when every period is a number, else as they first appear)."""
        return tuple(dict.fromkeys(self.rows["period"]))

    def funnel_target(self, period: str) -> float | None:
        """The target of a period's funnel plot, or None when the period has none."""
        match = self.funnel_targets[self.funnel_targets["period"] == str(period)]
        return None if match.empty else float(match["target"].iloc[0])

    def funnel_curve_for(self, period: str) -> pd.DataFrame:
        """The limits of a period's funnel plot, in order of denominator (no rows when the period has no target).

        Returns
        -------
        pandas.DataFrame
            The rows of :attr:`funnel_curve` for the period, indexed from 0, with the columns of
            :data:`FUNNEL_CURVE_COLUMNS`: ``period``, ``denominator``, ``target``, ``lower_95``, ``upper_95``,
            ``lower_998`` and ``upper_998``.
        """
        return self.funnel_curve[self.funnel_curve["period"] == str(period)].reset_index(drop=True)

    def __repr__(self) -> str:
        return f"IndicatorTableFindings(indicator={self.codebook.indicator!r}, rows={len(self.rows)})"

    def _repr_html_(self) -> str:
        """In Jupyter: rows, periods, areas, verdicts and notes counted, then the rows and notes."""
        from auditkit.analysis.notebook_display import indicator_table_html  # Jinja; a run does not need it

        return indicator_table_html(self)

    def verdict_table(self) -> pd.DataFrame:
        """:attr:`rows` with one more column per benchmark (named as the benchmark) holding the verdict."""
        table = self.rows.copy()
        for name in self.codebook.benchmark_names:
            chosen = self.verdicts[self.verdicts["benchmark"] == name]
            verdicts = {(row.period, row.area): row.verdict for row in chosen.itertuples(index=False)}
            table[name] = [verdicts.get(key) for key in zip(table["period"], table["area"])]
        return table


def _period_order(periods: Iterable[str]) -> list[str]:
    periods = list(dict.fromkeys(periods))
    try:
        return sorted(periods, key=float)
    except ValueError:
        return periods


def _complete(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with every :data:`TABLE_COLUMNS` column, so that hand-built tables can be summarised too."""
    missing = [column for column in ("period", "area", "numerator", "denominator") if column not in table]
    if missing:
        raise ValueError(f"an indicator table needs the columns {', '.join(missing)}")
    table = table.copy()
    table["period"] = table["period"].astype(str).str.strip()
    table["area"] = table["area"].astype(str).str.strip()
    table["numerator"] = pd.to_numeric(table["numerator"]).astype(float)
    table["denominator"] = pd.to_numeric(table["denominator"]).astype(float)
    defaults = {"file": "", "row": None, "stated_percent": ""}
    for column, value in defaults.items():
        if column not in table:
            table[column] = value
    for key in ("numerator", "denominator"):
        if f"{key}_text" not in table:
            table[f"{key}_text"] = ["" if math.isnan(v) else f"{v:g}" for v in table[key]]
    return table[list(TABLE_COLUMNS)].reset_index(drop=True)


def _statistics(table: pd.DataFrame) -> pd.DataFrame:
    """Proportions with 95% and 99.8% Wilson intervals for usable rows; missing elsewhere."""
    usable = usable_rows(table).to_numpy()
    stats = pd.DataFrame(
        np.nan, index=table.index, columns=["proportion", "ci_low", "ci_high", "ci99_low", "ci99_high"]
    )
    if usable.any():
        x, n = table.loc[usable, "numerator"].to_numpy(), table.loc[usable, "denominator"].to_numpy()
        narrow, wide = proportion_ci(x, n, 0.95), proportion_ci(x, n, 0.998)
        stats.loc[usable, ["proportion", "ci_low", "ci_high"]] = narrow[["proportion", "ci_low", "ci_high"]].to_numpy()
        stats.loc[usable, ["ci99_low", "ci99_high"]] = wide[["ci_low", "ci_high"]].to_numpy()
    return stats


def _trend(rows: pd.DataFrame, usable: pd.Series, total: str | None) -> pd.DataFrame:
    """Cochran–Armitage over periods for the total area (or the only area), from three periods on."""
    areas = list(dict.fromkeys(rows["area"]))
    area = total if total in areas else (areas[0] if len(areas) == 1 else None)
    chosen = rows[usable & (rows["area"] == area)]
    entry: dict[str, Any] = {
        "area": area,
        "first_period": None,
        "last_period": None,
        "periods": len(chosen),
        "z": math.nan,
        "chi2": math.nan,
        "p_value": math.nan,
        "significant": pd.NA,
    }
    if len(chosen):
        entry.update(first_period=chosen["period"].iloc[0], last_period=chosen["period"].iloc[-1])
    if len(chosen) >= _MIN_TREND_PERIODS:
        try:
            scores = chosen["period"].astype(float).to_numpy()
        except ValueError:
            scores = None
        test = cochran_armitage_trend(chosen["numerator"].to_numpy(), chosen["denominator"].to_numpy(), scores)
        entry.update(test.iloc[0].to_dict())
        if not math.isnan(entry["p_value"]):
            entry["significant"] = bool(entry["p_value"] < TREND_ALPHA)
    return pd.DataFrame([entry], columns=list(TREND_COLUMNS)).astype({"significant": "boolean"})


def summarise_indicator_table(
    table: pd.DataFrame,
    codebook: IndicatorCodebook,
    benchmarks: Mapping[Any, Mapping[str, float]] | None = None,
    funnel_target: str = "pooled_areas",
) -> IndicatorTableFindings:
    """The statistics and checks of an indicator table (one file's or several files' together).

    ``table`` is what :func:`read_indicator_table` or :func:`read_indicator_tables` returns (a frame with at
    least ``period``, ``area``, ``numerator`` and ``denominator`` is accepted too). ``benchmarks``
    (``{period: {name: proportion}}``, e.g. from a round's parameters) replaces the codebook's. Rows come
    in period order (by number when every period is a number), keeping the table's order within a period.
    Periods that are numbers are the trend's scores (R ``prop.trend.test(x, n, score = period)``); otherwise
    1, 2, …. Rows whose counts fail a check (missing, not whole, numerator above denominator) get no
    statistics. A row whose stated percentage does not match its counts gets no benchmark verdict and no funnel
    position: only its data-quality note. ``funnel_target`` (one of :data:`FUNNEL_TARGETS`) chooses each
    period's funnel target (:mod:`auditkit.analysis.indicator_funnels`). The input is not changed.

    Returns
    -------
    IndicatorTableFindings
        - ``rows`` (:data:`ROW_COLUMNS`): ``period``, ``area``, ``numerator``, ``denominator``, ``proportion``,
          its Wilson 95% (``ci_low``, ``ci_high``) and 99.8% (``ci99_low``, ``ci99_high``) interval, and
          ``funnel``, the area's position on its period's funnel plot;
        - ``verdicts`` (:data:`VERDICT_COLUMNS`): ``period``, ``area``, ``benchmark``, ``benchmark_value``,
          ``verdict``;
        - ``trend`` (:data:`TREND_COLUMNS`, one row): ``area``, ``first_period``, ``last_period``, ``periods``,
          ``z``, ``chi2``, ``p_value`` and ``significant`` (``p_value`` below :data:`TREND_ALPHA`; missing
          without a test);
        - ``funnel_targets`` (:data:`FUNNEL_TARGET_COLUMNS`): ``period``, ``target``, ``basis``, ``areas``,
          ``phi``, ``overdispersion_p``, ``tau2``, ``widened``;
        - ``funnel_curve`` (:data:`FUNNEL_CURVE_COLUMNS`, :func:`funnel_curves`): ``period``, ``denominator``,
          ``target``, ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``;
        - ``checks`` (:data:`CHECK_COLUMNS`): the data-quality notes.
    """
    if benchmarks is not None:
        codebook = codebook.with_benchmarks(dict(benchmarks))
    table = _complete(table)
    problems = find_duplicate_rows(table)
    if problems:
        raise DataValidationError(problems)
    checks = check_indicator_table(table, codebook)
    order = {period: index for index, period in enumerate(_period_order(table["period"]))}
    table = table.iloc[np.argsort(table["period"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)
    usable = usable_rows(table)
    rows = pd.concat([table[["period", "area", "numerator", "denominator"]], _statistics(table)], axis=1)
    flagged = checks[checks["check"].isin(INCONSISTENT_CHECKS)]
    doubtful = set(zip(flagged["period"], flagged["area"]))
    inconsistent = pd.Series([key in doubtful for key in zip(rows["period"], rows["area"])], index=rows.index)
    rows["funnel"], targets = place_on_funnels(rows, usable, codebook.total_area, inconsistent, funnel_target)
    verdicts = [
        (
            row.period,
            row.area,
            name,
            value,
            None if flag else benchmark_verdict(row.ci_low, row.ci_high, value, codebook.polarity),
        )
        for row, flag in zip(rows.itertuples(index=False), inconsistent, strict=True)
        for name, value in codebook.benchmarks_for(row.period).items()
    ]
    return IndicatorTableFindings(
        codebook=codebook,
        rows=rows[list(ROW_COLUMNS)],
        verdicts=pd.DataFrame(verdicts, columns=list(VERDICT_COLUMNS)),
        trend=_trend(rows, usable, codebook.total_area),
        funnel_targets=targets,
        funnel_curve=funnel_curves(rows, targets),
        checks=checks,
    )
