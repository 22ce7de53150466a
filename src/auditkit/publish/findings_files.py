"""``findings.json`` and ``findings.csv``: an analysis as published data.

The JSON nests by instrument and item; the CSV is one tidy table whose ``section`` column
says what a row is (``indicator``: one instrument × item × area; ``comparison``: one item,
follow-up against baseline). Both carry full precision and are byte-identical for the same inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditkit.analysis.findings import ALL_AREAS, INDICATOR_COLUMNS, findings_to_dict, json_scalar
from auditkit.analysis.indicator_tables import indicator_table_to_dict, indicator_table_to_frame
from auditkit.analysis.round_analysis import Analysis
from auditkit.publish.protection import SUPPRESSED, protect_analysis

__all__ = ["CSV_COLUMNS", "analysis_to_dict", "analysis_to_table", "write_findings"]

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
    "verdict",
    "caution",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "paired_p_value",
    "paired_p_adjusted",
    "mw_u",
    "mw_p_value",
    "mw_p_adjusted",
    "ci99_low",
    "ci99_high",
    "benchmark",
    "benchmark_value",
    "funnel",
)
_COMPARISON_FIGURES = (
    "baseline_numerator",
    "baseline_proportion",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
)
_COUNT_COLUMNS = (
    "numerator",
    "denominator",
    "baseline_numerator",
    "baseline_denominator",
    "paired_pairs",
    "paired_b",
    "paired_c",
)


def _comparison_entry(row: pd.Series, distributions: pd.DataFrame) -> dict[str, Any]:
    paired = None
    if not pd.isna(row["paired_pairs"]):
        paired = {key: json_scalar(row[f"paired_{key}"]) for key in ("pairs", "b", "c", "p_value", "p_adjusted")}
    mann_whitney = None
    if not pd.isna(row["mw_u"]):
        shares = distributions[
            (distributions["instrument"] == row["instrument"]) & (distributions["item"] == row["item"])
        ]
        mann_whitney = {
            "u": json_scalar(row["mw_u"]),
            "p_value": json_scalar(row["mw_p_value"]),
            "p_adjusted": json_scalar(row["mw_p_adjusted"]),
            "baseline_distribution": dict(zip(shares["value"], map(json_scalar, shares["baseline_count"]))),
            "followup_distribution": dict(zip(shares["value"], map(json_scalar, shares["followup_count"]))),
        }
    return {
        "instrument": row["instrument"],
        "item": row["item"],
        "label": row["label"],
        "lower_is_better": bool(row["lower_is_better"]),
        "baseline": {key: json_scalar(row[f"baseline_{key}"]) for key in ("numerator", "denominator", "proportion")},
        "followup": {key: json_scalar(row[f"followup_{key}"]) for key in ("numerator", "denominator", "proportion")},
        **{
            key: json_scalar(row[key])
            for key in (
                "difference",
                "diff_ci_low",
                "diff_ci_high",
                "p_value",
                "p_adjusted",
                "test",
                "verdict",
                "caution",
            )
        },
        "paired": paired,
        "mann_whitney": mann_whitney,
    }


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The ``findings.json`` structure: the round's findings, area tests, and any comparison and trend.

    Pass a protected analysis (:func:`auditkit.publish.protection.protect_analysis`) for anything published;
    its suppressed figures are null and flagged ``"suppressed": true``.

    Returns
    -------
    dict
        Keys ``round``, ``instruments`` (per instrument its counts, indicators with ``by_area`` and
        ``distribution``, and ``area_tests``), ``disclosure``, and when present ``comparison``,
        ``indicator_tables``, ``actions`` and ``trend``.
    """
    document = findings_to_dict(analysis.findings)
    rule = analysis.round.disclosure
    document["disclosure"] = {
        "applied": analysis.published,
        "min_count": rule.min_count,
        "symbol": rule.symbol,
        "rule": rule.describe(),
    }
    for name, entry in document["instruments"].items():
        tests = analysis.area_tests[analysis.area_tests["instrument"] == name]
        entry["area_tests"] = {
            row["item"]: {
                "p_value": json_scalar(row["p_value"]),
                "p_adjusted": json_scalar(row["p_adjusted"]),
                "test": row["test"],
                "areas": list(row["areas"]),
            }
            for _, row in tests.iterrows()
        }
    comparison = analysis.comparison
    if comparison is not None:
        document["comparison"] = {
            "baseline": {"id": comparison.baseline_id, "title": comparison.baseline_title},
            "items": [_comparison_entry(row, comparison.distributions) for _, row in comparison.items.iterrows()],
            "only_in_baseline": list(comparison.only_in_baseline),
            "only_in_followup": list(comparison.only_in_followup),
        }
    if analysis.indicator_tables:
        document["indicator_tables"] = {
            name: indicator_table_to_dict(table) for name, table in analysis.indicator_tables.items()
        }
    actions = analysis.actions_table()
    if not actions.empty:
        document["actions"] = [
            {
                "ref": row.ref,
                "instrument": row.instrument,
                "item": row.item,
                "action": row.action,
                "who": row.who,
                "by_when": row.by_when.isoformat(),
                "status": row.status,
                "overdue": bool(row.overdue),
                "note": row.note,
                "change": row.change,
                "verdict": row.verdict,
            }
            for row in actions.itertuples()
        ]
    if analysis.trend is not None:
        document["trend"] = [
            {
                "instrument": row["instrument"],
                "item": row["item"],
                "rounds": list(row["rounds"]),
                "numerators": list(row["numerators"]),
                "denominators": list(row["denominators"]),
                "z": json_scalar(row["z"]),
                "p_value": json_scalar(row["p_value"]),
                "p_adjusted": json_scalar(row["p_adjusted"]),
            }
            for _, row in analysis.trend.iterrows()
        ]
    return document


def analysis_to_table(analysis: Analysis) -> pd.DataFrame:
    """The tidy ``findings.csv`` table: indicator rows, then comparison rows.

    In a protected analysis every suppressed figure is written as the rule's symbol (``c``).

    Returns
    -------
    pandas.DataFrame
        Columns in :data:`CSV_COLUMNS`; ``section`` says what a row is (``indicator``, ``comparison``,
        ``indicator_table``).
    """
    frames = [analysis.findings.indicators.assign(section="indicator")]
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
    table = table.reindex(columns=list(CSV_COLUMNS))
    for column in _COUNT_COLUMNS:
        table[column] = table[column].astype("Float64").astype("Int64")
    if analysis.published and analysis.round.disclosure.active:
        table = _mark_suppressed(table, suppressed, analysis.round.disclosure.symbol)
    return table


def _mark_suppressed(table: pd.DataFrame, suppressed: pd.Series | None, symbol: str) -> pd.DataFrame:
    """Write the symbol wherever a published figure was hidden (missing in a suppressed row)."""
    marked = table.astype(object)
    indicator_rows = marked["section"].isin(["indicator", "indicator_table"]).to_numpy()
    hidden_rows = suppressed.to_numpy() if suppressed is not None else np.zeros(len(table), dtype=bool)
    comparison_rows = (marked["verdict"] == SUPPRESSED).to_numpy()
    for rows, columns in (
        (indicator_rows & hidden_rows, ("numerator", "denominator", "proportion", "ci_low", "ci_high")),
        (comparison_rows, ("numerator", "proportion", "ci_low", "ci_high", *_COMPARISON_FIGURES)),
    ):
        for column in columns:
            marked.loc[rows & marked[column].isna().to_numpy(), column] = symbol
    return marked


def write_findings(analysis: Analysis, folder: str | Path, published: bool = True) -> tuple[Path, Path]:
    """Write ``findings.json`` and ``findings.csv`` into ``folder``.

    By default the published figures are written, under the round's disclosure rule.
    ``published=False`` writes the unsuppressed figures as ``findings-unsuppressed.*``: for the
    report's internal folder only.

    Returns
    -------
    tuple of (Path, Path)
        The JSON file and the CSV file written.
    """
    folder = Path(folder)
    if published:
        analysis = protect_analysis(analysis)
    stem = "findings" if published else "findings-unsuppressed"
    json_path, csv_path = folder / f"{stem}.json", folder / f"{stem}.csv"
    text = json.dumps(analysis_to_dict(analysis), indent=2, ensure_ascii=False, allow_nan=False)
    json_path.write_text(text + "\n", encoding="utf-8")
    analysis_to_table(analysis).to_csv(csv_path, index=False, lineterminator="\n")
    return json_path, csv_path
