"""Rendering an executed briefing notebook as one HTML page with nbconvert (the PDF is made from it by
:mod:`auditkit.briefing.pdf_writer`).

The page template lives in ``templates/nbconvert/auditkit_briefing``; this module only wires it to the notebook.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import nbformat

import auditkit
from auditkit.config.round import Round
from auditkit.publish.safe_text import strip_invisible

__all__ = ["LANGUAGE", "TEMPLATES", "TEMPLATE_NAME", "render_briefing_html"]

TEMPLATES = Path(__file__).parent.parent / "templates" / "nbconvert"
TEMPLATE_NAME = "auditkit_briefing"
LANGUAGE = "en-GB"


@cache
def _exporter():
    """nbconvert's exporter with the briefing's template, made once a process: ``auditkit preview`` renders the page
    on every save, and loading the template each time costs more than the rendering."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass, which parses the whole page again with BeautifulSoup
        to give its own notebook layout's cells a tab stop and its images without alt text a stock one: the
        briefing's template has neither (every chart has its alt text), and the pass was three quarters of the
        page's rendering. The filters the templates use are registered as HTMLExporter registers them."""

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(parent=self))
            data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("filter_data_type", data_types)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefingExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def render_briefing_html(notebook: nbformat.NotebookNode, round_: Round) -> str:
    """The briefing as one self-contained HTML page: cell outputs only, no code, no prompts.

    Returns
    -------
    str
        The whole page from the :data:`TEMPLATE_NAME` template, ``<!DOCTYPE html>`` on, in :data:`LANGUAGE`, titled
        ``'<round title>: <partnership>'``, such as ``'Neglect toolkit survey and deep dive audit: Leicester,
        Leicestershire and Rutland Safeguarding Children Boards'``; without invisible characters
        (:func:`auditkit.publish.safe_text.strip_invisible`), so the PDF made from it has none either.
    """
    resources = {
        "briefing": {
            "title": f"{round_.title}: {round_.partnership}",
            "description": f"Summary briefing from {round_.partnership}: {round_.title}.",
            "language": LANGUAGE,
            "author": round_.partnership,
            "version": auditkit.__version__,
        }
    }
    html, _ = _exporter().from_notebook_node(notebook, resources=resources)
    # The whole page at once (its title and metadata come from the parameters, not from the sections).
    return strip_invisible(html)
