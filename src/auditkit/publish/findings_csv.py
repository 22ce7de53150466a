"""``findings.csv``: an analysis as one tidy published table, every kind of result written here.

The ``section`` column says what a row is (``indicator``: one instrument × item × area; ``comparison``:
one item, follow-up against baseline; ``test``: one test result of a compared item, primary or secondary;
``breakdown``: one item × group of a breakdown, and ``breakdown_test`` its groups' test; ``indicator_table``: one
row of an aggregate indicator table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.analysis.comparison_tests import item_tests
from auditkit.analysis.findings import ALL_AREAS, INDICATOR_COLUMNS
from auditkit.analysis.indicator_tables import ROW_COLUMNS, IndicatorTableFindings
from auditkit.analysis.round_analysis import Analysis
from auditkit.publish.protection import SUPPRESSED

__all__ = ["CSV_COLUMNS", "INDICATOR_TABLE_CSV_COLUMNS", "analysis_to_table", "indicator_table_to_frame"]

#: Columns of ``findings.csv``, in order.
CSV_COLUMNS = (
    "section",
    "period",
    *INDICATOR_COLUMNS,
    "baseline_numerator",
    "baseline_denominator",
    "baseline_proportion",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
    "test",
    "role",
    "statistic",
    "verdict",
    "caution",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "detectable_change",
    "n_per_round",
    "ci99_low",
    "ci99_high",
    "benchmark",
    "benchmark_value",
    "funnel",
    "breakdown",
    "group",
    "monte_carlo_se",
)
_COMPARISON_FIGURES = (
    "baseline_numerator",
    "baseline_proportion",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
    "detectable_change",
)
_COUNT_COLUMNS = (
    "numerator",
    "denominator",
    "baseline_numerator",
    "baseline_denominator",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "n_per_round",
)
#: Columns of :func:`indicator_table_to_frame` (rows for ``findings.csv``), in order.
INDICATOR_TABLE_CSV_COLUMNS = ("indicator", *ROW_COLUMNS, "benchmark", "benchmark_value", "verdict")


def indicator_table_to_frame(findings: IndicatorTableFindings) -> pd.DataFrame:
    """Rows of one aggregate indicator table for ``findings.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns in :data:`INDICATOR_TABLE_CSV_COLUMNS`: one row per table row and benchmark given for its
        period, or one with a blank benchmark when its period has none; ``indicator`` is the codebook's id.
    """
    merged = findings.rows.merge(findings.verdicts, on=["period", "area"], how="left", sort=False)
    merged.insert(0, "indicator", findings.codebook.indicator)
    for column in ("numerator", "denominator"):
        counts = merged[column].astype("Float64")
        whole = (counts.dropna() % 1 == 0).all()
        merged[column] = counts.astype("Int64") if whole else counts
    return merged[list(INDICATOR_TABLE_CSV_COLUMNS)].reset_index(drop=True)


def analysis_to_table(analysis: Analysis) -> pd.DataFrame:
    """The tidy ``findings.csv`` table: indicator rows, then comparison rows, their test rows, indicator tables.

    In a protected analysis every suppressed figure is written as the rule's symbol (``c``). An indicator row for
    all areas carries ``n_per_round``, the records each round needs to detect the change the parameters set; a
    comparison row the primary test's figures and ``detectable_change``; a test row the test's name, ``role``
    (primary or secondary), ``statistic``, ``p_value`` and, for the primary test, ``p_adjusted``.

    Returns
    -------
    pandas.DataFrame
        Columns in :data:`CSV_COLUMNS`; ``section`` says what a row is (``indicator``, ``comparison``, ``test``,
        ``breakdown``, ``breakdown_test``, ``indicator_table``).
    """
    indicators = analysis.findings.indicators.assign(section="indicator")
    if not analysis.next_round.empty:
        sizes = analysis.next_round.set_index(["instrument", "item"])["n_per_round"]
        keys = list(zip(indicators["instrument"], indicators["item"]))
        totals = (indicators["area"] == ALL_AREAS).to_numpy()
        indicators["n_per_round"] = [sizes.get(key, pd.NA) if total else pd.NA for key, total in zip(keys, totals)]
    frames = [indicators]
    if analysis.comparison is not None and not analysis.comparison.items.empty:
        items = analysis.comparison.items
        totals = analysis.findings.totals().set_index(["instrument", "item"])
        keys = pd.MultiIndex.from_frame(items[["instrument", "item"]])
        frames.append(
            items.assign(
                section="comparison",
                area=ALL_AREAS,
                numerator=items["followup_numerator"],
                denominator=items["followup_denominator"],
                proportion=items["followup_proportion"],
                ci_low=totals.loc[keys, "ci_low"].to_numpy(),
                ci_high=totals.loc[keys, "ci_high"].to_numpy(),
            )
        )
        tests = item_tests(items).rename(columns={"test": "key"}).rename(columns={"name": "test"})
        frames.append(tests.assign(section="test", area=ALL_AREAS))
    if not analysis.findings.breakdowns.empty:
        frames.append(analysis.findings.breakdowns.assign(section="breakdown"))
    if not analysis.breakdown_tests.empty:
        frames.append(analysis.breakdown_tests.drop(columns="groups").assign(section="breakdown_test"))
    for name, findings in analysis.indicator_tables.items():
        rows = indicator_table_to_frame(findings)
        if "suppressed" in findings.rows:
            flags = dict(zip(zip(findings.rows["period"], findings.rows["area"]), findings.rows["suppressed"]))
            rows["suppressed"] = [flags.get(key, False) for key in zip(rows["period"], rows["area"])]
        frames.append(
            rows.rename(columns={"indicator": "item"}).assign(
                section="indicator_table",
                instrument=name,
                label=findings.codebook.title,
                verdict=rows["verdict"],
            )
        )
    table = (
        pd.concat([frame for frame in frames if not frame.empty], ignore_index=True)
        if any(not frame.empty for frame in frames)
        else frames[0]
    )
    suppressed = table["suppressed"].fillna(False).astype(bool) if "suppressed" in table else None
    computed = table["key"].fillna("").to_numpy() if "key" in table else np.full(len(table), "")
    table = table.reindex(columns=list(CSV_COLUMNS))
    for column in _COUNT_COLUMNS:
        table[column] = table[column].astype("Float64").astype("Int64")
    if analysis.published and analysis.round.disclosure.active:
        planned = not analysis.next_round.empty
        table = _mark_suppressed(table, suppressed, computed, planned, analysis.round.disclosure.symbol)
    return table


def _mark_suppressed(
    table: pd.DataFrame, suppressed: pd.Series | None, tests: np.ndarray, planned: bool, symbol: str
) -> pd.DataFrame:
    """Write the symbol wherever a published figure was hidden (missing in a suppressed row).

    ``tests`` holds each test row's key (``""`` elsewhere): a test's p-value is always computed, its statistic
    too except Fisher's, and the primary's adjusted p-value; missing, they were hidden. With ``planned``, every
    indicator row for all areas has an ``n_per_round``.
    """
    marked = table.astype(object)
    indicator_rows = marked["section"].isin(["indicator", "indicator_table", "breakdown"]).to_numpy()
    hidden_rows = suppressed.to_numpy() if suppressed is not None else np.zeros(len(table), dtype=bool)
    comparison_rows = (marked["verdict"] == SUPPRESSED).to_numpy()
    test_rows = (marked["section"] == "test").to_numpy()
    totals = indicator_rows & (marked["area"] == ALL_AREAS).to_numpy() & (marked["section"] == "indicator").to_numpy()
    for rows, columns in (
        (indicator_rows & hidden_rows, ("numerator", "denominator", "proportion", "ci_low", "ci_high")),
        (comparison_rows, ("numerator", "proportion", "ci_low", "ci_high", *_COMPARISON_FIGURES)),
        (test_rows, ("p_value",)),
        (test_rows & (marked["role"] == "primary").to_numpy(), ("p_adjusted",)),
        (test_rows & (tests != "fisher"), ("statistic",)),
        (totals & planned, ("n_per_round",)),
    ):
        for column in columns:
            marked.loc[rows & marked[column].isna().to_numpy(), column] = symbol
    return marked
