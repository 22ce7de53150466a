"""The briefing's sections, each rendered from a Jinja template in ``templates/sections``.

The briefing notebook shows one section per cell with :func:`render_section`; nbconvert
then strips the code and wraps the sections in the page template. Each section is a
registry entry in :mod:`auditkit.briefing.sections`: a name, its template and the function that
builds the template's context. Contexts hold data, charts included (:class:`~auditkit.briefing.charts.Chart`);
this renderer turns a chart into HTML with the ``chart_html`` filter (``{{ figure | chart_html }}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mistune
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from auditkit.analysis.memo import MEMO, memo_key
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.charts import Chart
from auditkit.briefing.contexts import section_context
from auditkit.briefing.sections import SECTION_NAMES, SECTIONS
from auditkit.briefing.wording import format_interval, format_percent
from auditkit.config.links import checked_url
from auditkit.publish.protection import protect_analysis
from auditkit.publish.safe_text import strip_invisible

__all__ = [
    "SECTION_METADATA",
    "Section",
    "chart_html",
    "draw_sections",
    "prepare_sections",
    "remember_sections",
    "render_section",
]

#: The key of a section's output metadata in an executed notebook: ``{"auditkit": {"section": "title"}}``. The
#: Word briefing lays out the sections a notebook shows, in its order, by these names.
SECTION_METADATA = "auditkit"


class _CheckedLinks(mistune.HTMLRenderer):
    """Markdown's HTML, with the address of every link and image checked as ``further_information``'s are."""

    def sanitize_url(self, url: str) -> str:
        try:
            checked_url(url, "")
        except ValueError:
            return "#harmful-link"  # what mistune writes in place of a javascript: link
        return super().sanitize_url(url)


_MARKDOWN = mistune.create_markdown(escape=True, renderer=_CheckedLinks(escape=True))


def _markdown(text: str) -> Markup:
    return Markup(_MARKDOWN(text))  # noqa: S704 - mistune escapes raw HTML (escape=True)


def chart_html(chart: Chart | None) -> Markup:
    """A chart as the briefing's HTML: a ``<figure>`` with the PNG embedded, its alt text and caption.

    The ``chart_html`` filter of the section templates. ``None`` (no chart to draw) gives nothing.

    Returns
    -------
    markupsafe.Markup
        :meth:`Chart.to_html <auditkit.briefing.charts.Chart.to_html>`, marked safe:
        ``'<figure class="chart"><img src="data:image/png;base64,…" alt="…"><figcaption>…</figcaption></figure>'``;
        empty for ``None``.
    """
    if chart is None:
        return Markup("")
    return Markup(chart.to_html())  # noqa: S704 - Chart.to_html escapes the alt text and caption


_ENVIRONMENT = Environment(
    loader=PackageLoader("auditkit", "templates/sections"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
# ``link_url`` checks a link's address again as it is written, so a template never emits an unchecked one.
_ENVIRONMENT.filters.update(
    markdown=_markdown, percent=format_percent, interval=format_interval, chart_html=chart_html, link_url=checked_url
)


@dataclass(frozen=True, repr=False)
class Section:
    """A rendered briefing section; Jupyter displays it as HTML, its output's metadata naming the section."""

    name: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        return {"text/html": self.html}, {SECTION_METADATA: {"section": self.name}}

    def __repr__(self) -> str:
        # Short: Jupyter saves this beside the HTML, which would otherwise be in the notebook twice.
        return f"Section(name={self.name!r}, html=<{len(self.html)} characters>)"


def render_section(name: str, analysis: Analysis) -> Section:
    """Render one named section of the briefing as HTML, from the published (protected) analysis.

    Disclosure control is applied here whatever the caller passes, so a briefing section can
    never show a figure the round's rule hides. A section is rendered once per analysis kept in
    :data:`auditkit.analysis.memo.MEMO`: the analyst's workbook and the briefing show the same charts. The HTML
    has no invisible characters (:func:`auditkit.publish.safe_text.strip_invisible`).

    Returns
    -------
    Section
        The section's ``name`` and its ``html``; Jupyter displays it as HTML.
    """
    if name not in SECTIONS:
        raise ValueError(f"There is no briefing section {name!r}; sections: {', '.join(SECTION_NAMES)}.")
    published = protect_analysis(analysis)
    return MEMO.derived(published, ("section", name), lambda: _render(name, published))


def prepare_sections(analysis: Analysis) -> None:
    """Render every section once, so that notebooks in this process (or forked from it) reuse them."""
    for name in SECTION_NAMES:
        render_section(name, analysis)


def draw_sections(analysis: Analysis) -> dict[tuple[str, str], Any]:
    """Render every section, as :func:`prepare_sections` does, and return what was kept for them.

    A run does this in a second process, which imports matplotlib and seaborn while the run analyses the round
    and is then handed the analysis (pickled); :func:`remember_sections` then keeps the result in the run.

    Returns
    -------
    dict
        ``{("section", name): Section, ("context", name): dict}`` for every section: picklable.
    """
    # An analysis handed over from another process is kept in this one's memo first: the memo keeps what is
    # derived only from analyses it holds.
    if analysis.inputs:  # an analysis computed with reuse=False has no inputs listed, and so no key
        analysis = MEMO.analysis(memo_key(analysis.inputs), lambda: analysis)
    prepare_sections(analysis)
    published = protect_analysis(analysis)
    drawn = {}
    for name in SECTION_NAMES:
        for kind in ("section", "context"):
            kept, value = MEMO.stored(published, (kind, name))
            if kept:
                drawn[(kind, name)] = value
    return drawn


def remember_sections(analysis: Analysis, drawn: dict[tuple[str, str], Any]) -> None:
    """Keep sections drawn elsewhere (:func:`draw_sections`) for this process's notebooks and Word briefing."""
    published = protect_analysis(analysis)
    for key, value in drawn.items():
        MEMO.derived(published, key, lambda value=value: value)


def _render(name: str, published: Analysis) -> Section:
    context = section_context(name, published)
    html = _ENVIRONMENT.get_template(f"{name}.html.j2").render(**context)
    # The whole section at once: its text, attributes, alt text and captions lose their invisible characters.
    return Section(name=name, html=strip_invisible(html))
