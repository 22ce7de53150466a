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
from auditkit.charts import chart_proportions
from auditkit.analysis import Analysis
from auditkit.wording import (
    describe_areas,
    describe_finding,
    finding_values,
    format_date,
    format_interval,
    format_month,
    format_percent,
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


@_section("key_findings")
def _key_findings(analysis: Analysis) -> dict[str, Any]:
    findings = analysis.findings
    entries = []
    for key_finding in findings.round.key_findings:
        row = findings.indicator(key_finding.instrument, key_finding.item.id)
        sentences = [describe_finding(key_finding.item, row)]
        sentences.extend(
            describe_finding(item, findings.indicator(name, item.id)) for name, item in key_finding.also
        )
        entries.append(
            {"sentences": sentences, "recommendation": key_finding.recommendation.format(**finding_values(row))}
        )
    return {"findings": entries, "closing": findings.round.briefing.closing}


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
