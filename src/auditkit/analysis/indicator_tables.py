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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditkit.analysis.findings import json_scalar
from auditkit.config.indicator_codebook import IndicatorCodebook, load_indicator_codebook
from auditkit.errors import DataError, DataValidationError, Problem
from auditkit.read.indicator_checks import (
    CHECK_COLUMNS,
    SUPPRESSION_SYMBOLS,
    check_indicator_table,
    parse_count,
    parse_percent,
    suppression_symbol,
    usable_rows,
)
from auditkit.read.tables import read_table
from auditkit.stats.funnel import FUNNEL_LIMIT_COLUMNS, assign_funnel_significance, funnel_limits
from auditkit.stats.inference import cochran_armitage_trend
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "CHECK_COLUMNS",
    "COLUMNS",
    "CSV_COLUMNS",
    "FUNNEL_CURVE_COLUMNS",
    "FUNNEL_CURVE_POINTS",
    "FUNNEL_CURVE_REACH",
    "FUNNEL_TARGET_COLUMNS",
    "ROW_COLUMNS",
    "SUPPRESSION_SYMBOLS",
    "TABLE_COLUMNS",
    "TREND_ALPHA",
    "TREND_COLUMNS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "IndicatorTableFindings",
    "benchmark_verdict",
    "check_indicator_table",
    "funnel_curves",
    "indicator_table_to_dict",
    "indicator_table_to_frame",
    "load_indicator_codebook",
    "read_indicator_table",
    "read_indicator_tables",
    "summarise_indicator_table",
]

#: The columns a data file must have (the optional one is ``stated_percent``).
COLUMNS = ("period", "area", "denominator", "numerator")
#: Columns of the table :func:`read_indicator_table` returns, in order. Counts are floats (NaN when missing);
#: ``*_text`` keep each count cell as published; ``stated_percent`` is the stated cell ("" when none or withheld).
TABLE_COLUMNS = (
    "file",
    "row",
    "period",
    "area",
    "numerator",
    "denominator",
    "stated_percent",
    "numerator_text",
    "denominator_text",
)
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
#: Columns of :attr:`IndicatorTableFindings.funnel_targets`: the target of each period's funnel and where it
#: comes from (``total``: the total area's proportion; ``pooled``: all areas' counts added up).
FUNNEL_TARGET_COLUMNS = ("period", "target", "basis")
#: Columns of :attr:`IndicatorTableFindings.funnel_curve`: each period's funnel limits at the denominators a
#: funnel plot draws them (:func:`funnel_curves`), proportions as :func:`auditkit.stats.funnel.funnel_limits` gives.
FUNNEL_CURVE_COLUMNS = ("period", *FUNNEL_LIMIT_COLUMNS)
#: How many denominators a funnel's limits are worked out at: from 1 to :data:`FUNNEL_CURVE_REACH` times the
#: largest denominator of the areas placed on it, evenly on a log scale.
FUNNEL_CURVE_POINTS = 400
#: How far past the largest area's denominator a funnel's limits run (the plot's axis runs as far).
FUNNEL_CURVE_REACH = 1.1
#: The largest denominator assumed for a funnel on which no area has a position.
_EMPTY_FUNNEL_DENOMINATOR = 100.0
#: Columns of :func:`indicator_table_to_frame` (rows for ``findings.csv``), in order.
CSV_COLUMNS = ("indicator", *ROW_COLUMNS, "benchmark", "benchmark_value", "verdict")
#: The Fingertips verdicts: ``similar``, then ``higher``/``lower`` (polarity neither) or ``better``/``worse``.
VERDICTS = ("similar", "higher", "lower", "better", "worse")

# The README's rule: a trend is shown from three rounds (or periods) on.
_MIN_TREND_PERIODS = 3


def read_indicator_table(path: str | Path, codebook: IndicatorCodebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an indicator table's data file; return the table (:data:`TABLE_COLUMNS`) and its checks.

    Every cell is read as text first, so problems name the cell as the user typed it; column names
    are matched whatever their case. Hard errors raise :class:`DataValidationError` listing every problem
    at once; checks come back as a frame (:data:`CHECK_COLUMNS`, see
    :func:`~auditkit.read.indicator_checks.check_indicator_table`). The data file is never written to.
    """
    path = Path(path)
    try:
        raw = read_table(path)
    except DataError as error:
        if "no data rows" in error.reason or "is empty" in error.reason:
            raise DataValidationError(
                [
                    Problem(
                        path,
                        None,
                        None,
                        None,
                        f"the file has no rows of figures; add one row per period and area under the header "
                        f"({', '.join(COLUMNS)}).",
                    )
                ]
            ) from None
        raise
    mapping = _columns(raw, path)
    problems: list[Problem] = []
    records = []
    for row, cells in raw.iterrows():
        text = {name: str(cells[column]).strip() for name, column in mapping.items()}
        record = {"file": path.name, "row": int(row), "period": text["period"], "area": text["area"]}
        for key in ("period", "area"):
            if not record[key]:
                problems.append(Problem(path, int(row), key, None, f"the {key} is blank; every row needs one."))
        for key in ("numerator", "denominator"):
            value, reason = parse_count(text[key])
            if reason:
                problems.append(Problem(path, int(row), key, text[key], reason))
            record[key], record[f"{key}_text"] = value, text[key]
        stated = text.get("stated_percent", "")
        if stated and not suppression_symbol(stated) and parse_percent(stated) is None:
            problems.append(
                Problem(
                    path,
                    int(row),
                    "stated_percent",
                    stated,
                    "is not a percentage; write it as published, such as 23.4 or 23.4%, or leave it blank.",
                )
            )
        record["stated_percent"] = "" if suppression_symbol(stated) else stated
        records.append(record)
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    problems.extend(_duplicates(table))
    if problems:
        raise DataValidationError(problems)
    return table, check_indicator_table(table, codebook)


def read_indicator_tables(
    paths: Iterable[str | Path], codebook: IndicatorCodebook
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read several data files of one measure (by year, by area) as one table, with the checks of the whole.

    Each period and area may appear in only one file. Hard errors in every file are reported together.
    """
    tables, problems = [], []
    for path in paths:
        try:
            tables.append(read_indicator_table(path, codebook)[0])
        except DataValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise DataValidationError(problems)
    if not tables:
        raise ValueError("read_indicator_tables needs at least one data file")
    table = pd.concat(tables, ignore_index=True)
    problems = _duplicates(table)
    if problems:
        raise DataValidationError(problems)
    return table, check_indicator_table(table, codebook)


def _columns(raw: pd.DataFrame, path: Path) -> dict[str, str]:
    """Map each expected column to its name in the file (case and spacing ignored); hard errors if absent."""
    found: dict[str, list[str]] = {}
    for column in raw.columns:
        found.setdefault(str(column).strip().lower().replace(" ", "_"), []).append(str(column))
    problems, mapping = [], {}
    for name in (*COLUMNS, "stated_percent"):
        names = found.get(name, [])
        if len(names) > 1:
            problems.append(Problem(path, 1, name, None, "the header has this column more than once; keep one."))
        elif names:
            mapping[name] = names[0]
        elif name in COLUMNS:
            problems.append(
                Problem(
                    path,
                    1,
                    None,
                    None,
                    f"the header has no column '{name}'; the columns must be "
                    f"{', '.join(COLUMNS)}, and optionally stated_percent.",
                )
            )
    if problems:
        raise DataValidationError(problems)
    return mapping


def _duplicates(table: pd.DataFrame) -> list[Problem]:
    """A hard error for each row whose period and area an earlier row already has."""
    problems, first = [], {}
    for record in table.itertuples(index=False):
        key = (record.period, record.area)
        if not all(key):
            continue
        if key in first:
            file, row = first[key]
            where = f"row {row}" if file == record.file else f"row {row} of {file}"
            problems.append(
                Problem(
                    Path(record.file),
                    record.row,
                    "area",
                    None,
                    f"{record.area} in {record.period} appears twice (also in {where}); each period "
                    f"and area may appear once.",
                )
            )
        else:
            first[key] = (record.file, record.row)
    return problems


def benchmark_verdict(ci_low: float, ci_high: float, benchmark: float, polarity: str = "neither") -> str | None:
    """The OHID Fingertips verdict of an area against a benchmark from the area's 95% interval.

    ``similar`` when the benchmark lies inside the interval, bounds included; otherwise ``higher`` or
    ``lower`` (the area against the benchmark), which are ``better`` or ``worse`` when the measure has
    a polarity (``higher_is_better`` or ``lower_is_better``). None when the interval is missing.
    """
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


@dataclass(frozen=True)
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


def _funnels(rows: pd.DataFrame, usable: pd.Series, total: str | None) -> tuple[pd.Series, pd.DataFrame]:
    """Each area's funnel label against its period's target, and the targets."""
    labels = pd.Series(None, index=rows.index, dtype=object)
    targets = []
    for period in dict.fromkeys(rows["period"]):
        here = (rows["period"] == period) & usable
        parts = here & (rows["area"] != total)
        totals = rows[here & (rows["area"] == total)]
        if not parts.any():
            continue
        if not totals.empty and totals["denominator"].iloc[0] > 0:
            target, basis = totals["numerator"].iloc[0] / totals["denominator"].iloc[0], "total"
        elif parts.sum() >= 2 and rows.loc[parts, "denominator"].sum() > 0:
            target = rows.loc[parts, "numerator"].sum() / rows.loc[parts, "denominator"].sum()
            basis = "pooled"
        else:
            continue
        targets.append((period, float(target), basis))
        labels[parts] = assign_funnel_significance(
            rows.loc[parts, "numerator"], rows.loc[parts, "denominator"], target=target
        ).to_numpy()
    return labels, pd.DataFrame(targets, columns=list(FUNNEL_TARGET_COLUMNS))


def funnel_curves(rows: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """The 95% and 99.8% limits of each period's funnel plot, at the denominators the plot draws them.

    For each period in ``targets`` (:data:`FUNNEL_TARGET_COLUMNS`), the limits around its target
    (:func:`auditkit.stats.funnel.funnel_limits`) at :data:`FUNNEL_CURVE_POINTS` denominators from 1 to
    :data:`FUNNEL_CURVE_REACH` times the largest denominator of the period's ``rows`` (:data:`ROW_COLUMNS`) that
    have a funnel position (100 when none has), evenly on a log scale. The limits depend on nothing but the
    target and those denominators, so a published copy whose hidden rows lost their positions works them out
    again with this function.

    Returns
    -------
    pandas.DataFrame
        One row per period and denominator, periods in the order of ``targets``, with the columns of
        :data:`FUNNEL_CURVE_COLUMNS`: ``period``, ``denominator``, ``target``, ``lower_95``, ``upper_95``,
        ``lower_998`` and ``upper_998`` (proportions in [0, 1]).
    """
    curves = []
    for period, target in zip(targets["period"], targets["target"]):
        placed = rows[(rows["period"] == period) & rows["funnel"].notna()]
        largest = float(placed["denominator"].max()) if len(placed) else _EMPTY_FUNNEL_DENOMINATOR
        grid = np.geomspace(1.0, largest * FUNNEL_CURVE_REACH, FUNNEL_CURVE_POINTS)
        curves.append(funnel_limits(float(target), grid).assign(period=period)[list(FUNNEL_CURVE_COLUMNS)])
    if not curves:
        return pd.DataFrame(columns=list(FUNNEL_CURVE_COLUMNS))
    return pd.concat(curves, ignore_index=True)


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
    table: pd.DataFrame, codebook: IndicatorCodebook, benchmarks: Mapping[Any, Mapping[str, float]] | None = None
) -> IndicatorTableFindings:
    """The statistics and checks of an indicator table (one file's or several files' together).

    ``table`` is what :func:`read_indicator_table` or :func:`read_indicator_tables` returns (a frame with at
    least ``period``, ``area``, ``numerator`` and ``denominator`` is accepted too). ``benchmarks``
    (``{period: {name: proportion}}``, e.g. from a round's parameters) replaces the codebook's. Rows come
    in period order (by number when every period is a number), keeping the table's order within a period.
    Periods that are numbers are the trend's scores (R ``prop.trend.test(x, n, score = period)``); otherwise
    1, 2, …. Rows whose counts fail a check (missing, not whole, numerator above denominator) get no
    statistics. The input is not changed.

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
        - ``funnel_targets`` (:data:`FUNNEL_TARGET_COLUMNS`): ``period``, ``target``, ``basis``;
        - ``funnel_curve`` (:data:`FUNNEL_CURVE_COLUMNS`, :func:`funnel_curves`): ``period``, ``denominator``,
          ``target``, ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``;
        - ``checks`` (:data:`CHECK_COLUMNS`): the data-quality notes.
    """
    if benchmarks is not None:
        codebook = codebook.with_benchmarks(dict(benchmarks))
    table = _complete(table)
    problems = _duplicates(table)
    if problems:
        raise DataValidationError(problems)
    checks = check_indicator_table(table, codebook)
    order = {period: index for index, period in enumerate(_period_order(table["period"]))}
    table = table.iloc[np.argsort(table["period"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)
    usable = usable_rows(table)
    rows = pd.concat([table[["period", "area", "numerator", "denominator"]], _statistics(table)], axis=1)
    rows["funnel"], targets = _funnels(rows, usable, codebook.total_area)
    verdicts = [
        (row.period, row.area, name, value, benchmark_verdict(row.ci_low, row.ci_high, value, codebook.polarity))
        for row in rows.itertuples(index=False)
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


def _count(value: Any) -> Any:
    value = json_scalar(value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def indicator_table_to_dict(findings: IndicatorTableFindings) -> dict[str, Any]:
    """The ``findings.json`` entry of one indicator table, exactly the shape issue 4 asks for.

    ``{"rows": [{"period", "area", "numerator", "denominator", "proportion", "ci_low", "ci_high", "ci99_low",
    "ci99_high", "verdicts": {BENCHMARK: verdict}, "funnel"}], "trend": {"z", "p_value"}, "checks": [{"row",
    "check", "message"}]}``. ``verdicts`` holds the benchmarks given for the row's period (empty when none);
    a verdict, a figure or a funnel label that could not be computed is null. Full precision.
    """
    verdicts: dict[tuple[str, str], dict[str, Any]] = {}
    for row in findings.verdicts.itertuples(index=False):
        verdicts.setdefault((row.period, row.area), {})[row.benchmark] = row.verdict
    rows = []
    for row in findings.rows.itertuples(index=False):
        entry = {
            "period": row.period,
            "area": row.area,
            "numerator": _count(row.numerator),
            "denominator": _count(row.denominator),
        }
        entry.update({key: json_scalar(getattr(row, key)) for key in ROW_COLUMNS[4:9]})
        entry["verdicts"] = verdicts.get((row.period, row.area), {})
        entry["funnel"] = json_scalar(row.funnel)
        rows.append(entry)
    trend = findings.trend.iloc[0]
    return {
        "rows": rows,
        "trend": {"z": json_scalar(trend["z"]), "p_value": json_scalar(trend["p_value"])},
        "checks": [
            {"row": json_scalar(row.row), "check": row.check, "message": row.message}
            for row in findings.checks.itertuples(index=False)
        ],
    }


def indicator_table_to_frame(findings: IndicatorTableFindings) -> pd.DataFrame:
    """Rows for ``findings.csv`` (:data:`CSV_COLUMNS`): one per table row and benchmark given for its period,
    or one with a blank benchmark when its period has none. ``indicator`` is the codebook's id."""
    merged = findings.rows.merge(findings.verdicts, on=["period", "area"], how="left", sort=False)
    merged.insert(0, "indicator", findings.codebook.indicator)
    for column in ("numerator", "denominator"):
        counts = merged[column].astype("Float64")
        whole = (counts.dropna() % 1 == 0).all()
        merged[column] = counts.astype("Int64") if whole else counts
    return merged[list(CSV_COLUMNS)].reset_index(drop=True)
