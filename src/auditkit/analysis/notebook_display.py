"""What the analyst's notebook shows: each section of an analysed round as a readable display.

``auditkit.show("comparison", analysis)`` is a cell of the analyst's workbook: a :class:`View` that Jupyter
displays as HTML, opening with one line of the counts its heading promises (or, for a section this round
leaves empty, why and how to fill it), then a compact table with the whole one beneath it on demand. The
objects an analyst meets display the same way (``_repr_html_``): the :class:`~auditkit.analysis.round_analysis.
Analysis` as an overview of every section, a quote selection, a comparison, an indicator table's findings.

The HTML is rendered from ``templates/notebook/`` by Jinja with autoescaping, so labels, quotes and notes are
shown as text, never run. Nothing here reads a round's records: they hold identifiers. The displays live in
``analysis/`` beside the objects they display, so that ``_repr_html_`` reaches them without importing upward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from auditkit.analysis.notebook_sections import (
    NOTEBOOK_SECTIONS,
    SectionContent,
    comparison_content,
    indicator_table_content,
    quotes_content,
)
from auditkit.formatting import format_date

if TYPE_CHECKING:
    from auditkit.analysis.comparison import Comparison
    from auditkit.analysis.indicator_tables import IndicatorTableFindings
    from auditkit.analysis.quotes import QuoteSelection
    from auditkit.analysis.round_analysis import Analysis

__all__ = [
    "VIEW_NAMES",
    "View",
    "analysis_html",
    "comparison_html",
    "indicator_table_html",
    "quotes_html",
    "show",
]

#: The sections of the analyst's workbook, in its order, as :func:`show` names them.
VIEW_NAMES = tuple(NOTEBOOK_SECTIONS)

_ENVIRONMENT = Environment(
    loader=PackageLoader("auditkit", "templates/notebook"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters["format_date"] = format_date


@dataclass(frozen=True, repr=False)
class View:
    """One section of the analyst's workbook: Jupyter displays its ``html``; its plain form is ``text``."""

    name: str
    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def _render(name: str, content: SectionContent) -> View:
    html = _ENVIRONMENT.get_template("view.html.j2").render(name=name, content=content)
    text = "\n".join(Markup(line).striptags() for line in content.lines)
    return View(name=name, html=html, text=text)


def show(name: str, analysis: Analysis) -> View:
    """One section of the analyst's workbook for ``analysis``, as Jupyter displays it.

    ``name`` is one of :data:`VIEW_NAMES`: ``records``, ``indicators``, ``by_area``, ``distributions``,
    ``comparison``, ``trend``, ``actions``, ``indicator_tables``, ``area_tests``, ``quotes``.

    Returns
    -------
    View
        The section's ``name``, its ``html`` (the counts line or why it is empty and how to fill it, a compact
        table, the whole table on demand) and its ``text`` (the lines alone).
    """
    builder: Callable[[Analysis], SectionContent] | None = NOTEBOOK_SECTIONS.get(name)
    if builder is None:
        raise ValueError(f"There is no workbook section {name!r}; sections: {', '.join(VIEW_NAMES)}.")
    return _render(name, builder(analysis))


def analysis_html(analysis: Analysis) -> str:
    """An analysed round at a glance: what it is, and one line for each section of the workbook.

    Returns
    -------
    str
        HTML: the round's title, id, period and partnership, whether its figures are before disclosure control,
        and a table of each section's first line (its counts, or why it is empty and how to fill it).
    """
    rows = [(content.title, content.lines[0]) for content in (build(analysis) for build in NOTEBOOK_SECTIONS.values())]
    return _ENVIRONMENT.get_template("overview.html.j2").render(
        round=analysis.round, published=analysis.published, rows=rows
    )


def quotes_html(selection: QuoteSelection) -> str:
    """A quote selection: how many quotes the briefing prints and how many comments were left out and why.

    Returns
    -------
    str
        HTML: the counts line, then the quotes themselves (escaped) on demand.
    """
    return _render("quotes", quotes_content(selection)).html


def comparison_html(comparison: Comparison) -> str:
    """A follow-up against its baseline: the verdicts counted, then each item compared.

    Returns
    -------
    str
        HTML: the counts line (items compared, improved, worsened, no clear change, indicative only), the items
        asked in one round only, a compact table and the whole comparison on demand.
    """
    return _render("comparison", comparison_content(comparison)).html


def indicator_table_html(findings: IndicatorTableFindings, name: str | None = None) -> str:
    """One aggregate indicator table's findings: rows, periods, areas, verdicts and data-quality notes.

    Returns
    -------
    str
        HTML: the counts line, a compact table of the rows with their verdicts, and the data-quality notes.
    """
    return _render("indicator_tables", indicator_table_content(findings, name or findings.codebook.indicator)).html
