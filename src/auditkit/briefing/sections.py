"""What each briefing section shows: a registry of context builders, one per section.

Each builder takes the published (protected) analysis and returns the context its template
in ``templates/sections`` renders. :mod:`auditkit.briefing.html` renders them. A context holds data,
never markup: words, table cells, and charts as :class:`~auditkit.briefing.charts.Chart` objects (PNG
bytes, alt text and caption; None where there is nothing to draw), which each renderer lays out in its
own format (the HTML renderer with its ``chart_html`` filter). Builders word and draw the figures of the
analysis; they are not the place to work a statistic out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

import auditkit
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.breakdown_tables import breakdown_tables
from auditkit.briefing.change_text import change_rows, change_since_baseline, power_sentence
from auditkit.briefing.charts import chart_change, chart_proportions
from auditkit.briefing.indicator_charts import chart_indicator_funnel, chart_indicator_trend
from auditkit.briefing.indicator_wording import describe_funnel_limits, describe_indicator_trend, indicator_table_rows
from auditkit.briefing.wording import (
    describe_areas,
    describe_finding,
    describe_intervals,
    describe_status,
    figure_cells,
    finding_values,
    format_count,
    format_date,
    format_month,
    format_p,
    format_percent,
)
from auditkit.config.indicator_codebook import RBA_QUESTIONS
from auditkit.publish.protection import SUPPRESSED

__all__ = [
    "SECTIONS",
    "SECTION_NAMES",
    "ContextBuilder",
    "section",
]

#: A section's context builder: the published analysis in, the template's context out.
ContextBuilder = Callable[[Analysis], dict[str, Any]]
#: Every section, by name, in the order a briefing shows them.
SECTIONS: dict[str, ContextBuilder] = {}


def section(name: str) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register a context builder for the section ``name`` (its template is ``<name>.html.j2``).

    Returns
    -------
    Callable
        A decorator that adds the builder to :data:`SECTIONS` under ``name`` and returns it unchanged:
        ``@section("title")`` above ``def _title(analysis): ...``.
    """

    def register(builder: ContextBuilder) -> ContextBuilder:
        SECTIONS[name] = builder
        return builder

    return register


@section("title")
def _title(analysis: Analysis) -> dict[str, Any]:
    round_ = analysis.round
    return {
        "title": round_.title,
        "partnership": round_.partnership,
        "published": format_month(round_.published) if round_.published else "",
        "summary": round_.briefing.summary,
    }


@section("background")
def _background(analysis: Analysis) -> dict[str, Any]:
    return {"paragraphs": analysis.round.briefing.background}


@section("methodology")
def _methodology(analysis: Analysis) -> dict[str, Any]:
    round_ = analysis.round
    instruments = []
    symbol = round_.disclosure.symbol
    for name, instrument in round_.instruments.items():
        counts = analysis.findings.counts[name]
        codebook = instrument.codebook
        summary = codebook.summary.format(
            records=format_count(counts.records, symbol),
            complete=format_count(counts.complete, symbol),
            noun=codebook.records,
            by_area=describe_areas(counts.by_area, symbol=symbol),
        )
        instruments.append(
            {
                "title": codebook.title,
                "text": round_.briefing.methodology.get(name, ""),
                "summary": summary,
                "power": power_sentence(analysis, name),
            }
        )
    return {
        "instruments": instruments,
        "period": f"{format_date(round_.period_start)} to {format_date(round_.period_end)}",
        "intervals": describe_intervals(),
        "disclosure": round_.disclosure.describe(),
    }


@section("definition")
def _definition(analysis: Analysis) -> dict[str, Any]:
    return {"text": analysis.round.briefing.definition}


@section("quotes")
def _quotes(analysis: Analysis) -> dict[str, Any]:
    quotes = analysis.quotes
    return {
        "asked": any(instrument.codebook.quotes for instrument in analysis.round.instruments.values()),
        "intro": analysis.round.briefing.quotes_intro,
        "quotes": quotes.quotes,
        "without_consent": quotes.without_consent,
        "over_limit": quotes.over_limit,
        "redacted": quotes.redacted,
        "held_back": quotes.held_back,
    }


@section("key_findings")
def _key_findings(analysis: Analysis) -> dict[str, Any]:
    findings = analysis.findings
    symbol = analysis.round.disclosure.symbol
    entries = []
    for key_finding in findings.round.key_findings:
        row = findings.indicator(key_finding.instrument, key_finding.item.id)
        sentences = [describe_finding(key_finding.item, row, symbol)]
        sentences.extend(change_since_baseline(analysis, key_finding.instrument, key_finding.item.id))
        for name, item in key_finding.also:
            sentences.append(describe_finding(item, findings.indicator(name, item.id), symbol))
            sentences.extend(change_since_baseline(analysis, name, item.id))
        recommendation = key_finding.recommendation.format(**finding_values(row, symbol))
        entries.append({"sentences": sentences, "recommendation": recommendation})
    return {"findings": entries, "closing": findings.round.briefing.closing}


def _trend_rows(analysis: Analysis) -> list[dict[str, Any]]:
    if analysis.trend is None:
        return []
    rows = []
    symbol = analysis.round.disclosure.symbol
    for _, row in analysis.trend.iterrows():
        shares = [symbol if share is None else format_percent(share) for share in row["proportions"]]
        direction = symbol if pd.isna(row["z"]) else "rising" if row["z"] > 0 else "falling" if row["z"] < 0 else "flat"
        rows.append(
            {
                "label": row["label"],
                "shares": shares,
                "direction": direction,
                "p_adjusted": format_p(row["p_adjusted"]).removeprefix("p = ").removeprefix("p "),
            }
        )
    return rows


@section("change")
def _change(analysis: Analysis) -> dict[str, Any]:
    """The comparison with the baseline; each instrument's ``figure`` is its change chart (None when none)."""
    comparison = analysis.comparison
    if comparison is None:
        return {"comparison": None}
    baseline_label = format_month(analysis.history[-1].round.period_end)
    followup_label = format_month(analysis.round.period_end)
    instruments = []
    for name, instrument in analysis.round.instruments.items():
        items = comparison.items[comparison.items["instrument"] == name]
        if items.empty:
            continue
        title = instrument.codebook.title
        charted = items[items["verdict"] != SUPPRESSED]
        figure = chart_change(charted, title, baseline_label, followup_label) if len(charted) else None
        rows = change_rows(analysis, name, items, len(comparison.items))
        instruments.append({"title": title, "figure": figure, **rows})
    return {
        "comparison": comparison,
        "comparisons": len(comparison.items),
        "baseline_label": baseline_label,
        "followup_label": followup_label,
        "instruments": instruments,
        "only_in_baseline": comparison.only_in_baseline,
        "only_in_followup": comparison.only_in_followup,
        "rounds": [format_month(round_.period_end) for round_ in analysis.rounds],
        "trend": _trend_rows(analysis),
    }


@section("actions")
def _actions(analysis: Analysis) -> dict[str, Any]:
    table = analysis.actions_table()
    if table.empty:
        return {"actions": [], "heading": ""}
    counts = analysis.action_counts()
    heading = "Action plan"
    if analysis.history:
        heading = f"Progress on actions from {analysis.history[-1].round.title}"
    rows = [
        {
            "ref": row.ref,
            "label": row.label,
            "action": row.action,
            "who": row.who,
            "by_when": format_date(row.by_when),
            "status": describe_status(row.status),
            "overdue": row.overdue,
            "note": row.note,
            "change": row.change,
            "verdict": "" if row.verdict == SUPPRESSED else row.verdict,
        }
        for row in table.itertuples()
    ]
    return {
        "heading": heading,
        "actions": rows,
        "compared": analysis.comparison is not None,
        "period_end": format_date(analysis.round.period_end),
        "overdue": counts.overdue,
        "done": counts.done,
    }


@section("indicators")
def _indicators(analysis: Analysis) -> dict[str, Any]:
    """The indicator tables by question; each measure's ``trend`` and ``funnel`` are its two charts."""
    symbol = analysis.round.disclosure.symbol
    groups: dict[str, list[dict[str, Any]]] = {}
    for findings in analysis.indicator_tables.values():
        codebook = findings.codebook
        question = codebook.rba_question or "Other measures"
        groups.setdefault(question, []).append(
            {
                "title": codebook.title,
                "measure": codebook.measure,
                "source": codebook.source,
                "numerator": codebook.numerator,
                "denominator": codebook.denominator,
                "benchmarks": list(codebook.benchmark_names),
                "sentence": describe_indicator_trend(findings),
                "limits": describe_funnel_limits(findings),
                "trend": chart_indicator_trend(findings),
                "funnel": chart_indicator_funnel(findings),
                "rows": indicator_table_rows(findings, symbol),
                "checks": list(findings.checks["message"]),
            }
        )
    order = [*RBA_QUESTIONS.values(), "Other measures"]
    return {"groups": [(question, groups[question]) for question in order if question in groups]}


@section("charts")
def _charts(analysis: Analysis) -> dict[str, Any]:
    """Each instrument's standards as a table and a ``figure``, its chart (None when nothing can be charted)."""
    charts = []
    symbol = analysis.round.disclosure.symbol
    for name, instrument in analysis.round.instruments.items():
        rows = analysis.findings.totals(name)
        if rows.empty:
            continue
        title = instrument.codebook.title
        shown = rows[~rows["suppressed"]] if "suppressed" in rows else rows
        chart = chart_proportions(shown, title, f"the {title.lower()}") if not shown.empty else None
        table = [
            {
                "label": row["label"],
                "lower_is_better": row["lower_is_better"],
                **figure_cells(row, symbol),
            }
            for _, row in rows.iterrows()
        ]
        left_out = [row["label"] for _, row in rows.iterrows() if row.get("suppressed", False)]
        charts.append({"title": title, "figure": chart, "rows": table, "left_out": left_out})
    return {"charts": charts, "symbol": symbol}


@section("breakdowns")
def _breakdowns(analysis: Analysis) -> dict[str, Any]:
    """Each breakdown as a compact table (:func:`auditkit.briefing.breakdown_tables.breakdown_tables`)."""
    tables = breakdown_tables(analysis)
    symbol = analysis.round.disclosure.symbol
    used = any(
        symbol in cell or symbol == row["test"] for table in tables for row in table["rows"] for cell in row["cells"]
    )
    return {"tables": tables, "symbol": symbol, "symbol_used": used}


@section("further_information")
def _further_information(analysis: Analysis) -> dict[str, Any]:
    return {
        "links": analysis.round.briefing.further_information,
        "version": auditkit.__version__,
        "round": analysis.round.id,
        "fingerprint": analysis.fingerprint,
        "produced": format_date(analysis.analysed_at.date()),
    }


#: The section names, in the order a briefing shows them.
SECTION_NAMES = tuple(SECTIONS)
