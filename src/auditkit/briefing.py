"""The briefing's sections, each rendered from a Jinja template in ``templates/sections``.

The briefing notebook shows one section per cell with :func:`render_section`; nbconvert
then strips the code and wraps the sections in the page template. Each section is a
registry entry: a name, its template and a function that builds the template's context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import mistune
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

import auditkit
from auditkit.charts import chart_change, chart_proportions
from auditkit.comparison import SMALL_DENOMINATOR
from auditkit.analysis import Analysis
from auditkit.wording import (
    describe_areas,
    describe_change,
    describe_finding,
    describe_pairs,
    finding_values,
    format_date,
    format_interval,
    format_month,
    format_p,
    format_percent,
    format_points,
)

_MARKDOWN = mistune.create_markdown(escape=True)


def _markdown(text: str) -> Markup:
    return Markup(_MARKDOWN(text))  # noqa: S704 - mistune escapes raw HTML (escape=True)


_ENVIRONMENT = Environment(
    loader=PackageLoader("auditkit", "templates/sections"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENVIRONMENT.filters.update(markdown=_markdown, percent=format_percent, interval=format_interval)

ContextBuilder = Callable[[Analysis], dict[str, Any]]
_SECTIONS: dict[str, ContextBuilder] = {}


def _section(name: str) -> Callable[[ContextBuilder], ContextBuilder]:
    def register(builder: ContextBuilder) -> ContextBuilder:
        _SECTIONS[name] = builder
        return builder

    return register


@dataclass(frozen=True)
class Section:
    """A rendered briefing section; Jupyter displays it as HTML."""

    name: str
    html: str

    def _repr_html_(self) -> str:
        return self.html


@_section("title")
def _title(analysis: Analysis) -> dict[str, Any]:
    round_ = analysis.round
    return {
        "title": round_.title,
        "partnership": round_.partnership,
        "published": format_month(round_.published) if round_.published else "",
        "summary": round_.briefing.summary,
    }


@_section("background")
def _background(analysis: Analysis) -> dict[str, Any]:
    return {"paragraphs": analysis.round.briefing.background}


@_section("methodology")
def _methodology(analysis: Analysis) -> dict[str, Any]:
    round_ = analysis.round
    instruments = []
    for name, instrument in round_.instruments.items():
        counts = analysis.findings.counts[name]
        codebook = instrument.codebook
        summary = codebook.summary.format(
            records=counts.records, complete=counts.complete, noun=codebook.records,
            by_area=describe_areas(counts.by_area),
        )
        instruments.append(
            {"title": codebook.title, "text": round_.briefing.methodology.get(name, ""), "summary": summary}
        )
    return {
        "instruments": instruments,
        "period": f"{format_date(round_.period_start)} to {format_date(round_.period_end)}",
    }


@_section("definition")
def _definition(analysis: Analysis) -> dict[str, Any]:
    return {"text": analysis.round.briefing.definition}


@_section("quotes")
def _quotes(analysis: Analysis) -> dict[str, Any]:
    quotes = analysis.quotes
    return {
        "intro": analysis.round.briefing.quotes_intro,
        "quotes": quotes.quotes,
        "without_consent": quotes.without_consent,
        "over_limit": quotes.over_limit,
    }


def _clear_change(analysis: Analysis, instrument: str, item_id: str) -> list[str]:
    """The change since the baseline as a sentence, only when the evidence shows a clear change."""
    if analysis.comparison is None:
        return []
    items = analysis.comparison.items
    match = items[(items["instrument"] == instrument) & (items["item"] == item_id)]
    if match.empty or match.iloc[0]["verdict"] == "no clear change":
        return []
    plural = analysis.round.instruments[instrument].codebook.plural
    return [f"Since {format_month(analysis.history[-1].round.period_end)}: {describe_change(match.iloc[0], plural)}"]


@_section("key_findings")
def _key_findings(analysis: Analysis) -> dict[str, Any]:
    findings = analysis.findings
    entries = []
    for key_finding in findings.round.key_findings:
        row = findings.indicator(key_finding.instrument, key_finding.item.id)
        sentences = [describe_finding(key_finding.item, row)]
        sentences.extend(_clear_change(analysis, key_finding.instrument, key_finding.item.id))
        for name, item in key_finding.also:
            sentences.append(describe_finding(item, findings.indicator(name, item.id)))
            sentences.extend(_clear_change(analysis, name, item.id))
        entries.append(
            {"sentences": sentences, "recommendation": key_finding.recommendation.format(**finding_values(row))}
        )
    return {"findings": entries, "closing": findings.round.briefing.closing}


def _change_rows(analysis: Analysis, name: str, items) -> dict[str, Any]:
    codebook = analysis.round.instruments[name].codebook
    clear, unclear, table = [], [], []
    for _, row in items.iterrows():
        caution = f" {row['caution'][0].upper()}{row['caution'][1:]}." if row["caution"] else ""
        if row["verdict"] != "no clear change":
            pairs = describe_pairs(row, codebook.plural)
            clear.append(f"{describe_change(row, codebook.plural)}{caution}{' ' + pairs if pairs else ''}")
        else:
            unclear.append(row["measure"][0].lower() + row["measure"][1:])
        table.append({
            "label": row["label"], "lower_is_better": bool(row["lower_is_better"]),
            "baseline": f"{int(row['baseline_numerator'])}/{int(row['baseline_denominator'])} "
                        f"({format_percent(row['baseline_proportion'])})",
            "followup": f"{int(row['followup_numerator'])}/{int(row['followup_denominator'])} "
                        f"({format_percent(row['followup_proportion'])})",
            "change": f"{format_points(row['difference'])} ({format_points(row['diff_ci_low'])} to "
                      f"{format_points(row['diff_ci_high'])})",
            "p_adjusted": format_p(row["p_adjusted"]).removeprefix("p = ").removeprefix("p "),
            "verdict": row["verdict"], "caution": row["caution"],
        })
    note = ""
    if any(row["caution"] for row in table):
        note = (f"* Indicative only: fewer than {SMALL_DENOMINATOR} {codebook.plural} had an answer for this "
                f"standard in at least one of the rounds.")
    return {"clear_changes": clear, "no_clear_change": unclear, "table": table, "caution_note": note}


def _trend_rows(analysis: Analysis) -> list[dict[str, Any]]:
    if analysis.trend is None:
        return []
    rows = []
    for _, row in analysis.trend.iterrows():
        shares = [format_percent(x / n) if n else "n/a" for x, n in zip(row["numerators"], row["denominators"])]
        direction = "rising" if row["z"] > 0 else "falling" if row["z"] < 0 else "flat"
        rows.append({"label": row["label"], "shares": shares, "direction": direction,
                     "p_adjusted": format_p(row["p_adjusted"]).removeprefix("p = ").removeprefix("p ")})
    return rows


@_section("change")
def _change(analysis: Analysis) -> dict[str, Any]:
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
        chart = chart_change(items, title, baseline_label, followup_label)
        instruments.append({"title": title, "figure": Markup(chart.to_html()), **_change_rows(analysis, name, items)})
    return {
        "comparison": comparison,
        "baseline_label": baseline_label,
        "followup_label": followup_label,
        "instruments": instruments,
        "only_in_baseline": comparison.only_in_baseline,
        "only_in_followup": comparison.only_in_followup,
        "rounds": [format_month(round_.period_end) for round_ in analysis.rounds],
        "trend": _trend_rows(analysis),
    }


@_section("charts")
def _charts(analysis: Analysis) -> dict[str, Any]:
    charts = []
    for name, instrument in analysis.round.instruments.items():
        rows = analysis.findings.totals(name)
        if rows.empty:
            continue
        title = instrument.codebook.title
        chart = chart_proportions(rows, title, f"the {title.lower()}")
        charts.append({"title": title, "figure": Markup(chart.to_html()), "rows": rows.to_dict("records")})
    return {"charts": charts}


@_section("further_information")
def _further_information(analysis: Analysis) -> dict[str, Any]:
    return {"links": analysis.round.briefing.further_information, "version": auditkit.__version__}


#: The section names, in the order a briefing shows them.
SECTION_NAMES = tuple(_SECTIONS)


def render_section(name: str, analysis: Analysis) -> Section:
    """Render one named section of the briefing as HTML."""
    if name not in _SECTIONS:
        raise ValueError(f"There is no briefing section {name!r}; sections: {', '.join(SECTION_NAMES)}.")
    context = _SECTIONS[name](analysis)
    html = _ENVIRONMENT.get_template(f"{name}.html.j2").render(**context)
    return Section(name=name, html=html)
