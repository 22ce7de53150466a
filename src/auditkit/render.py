"""Rendering an executed briefing notebook: HTML with nbconvert, then A4 PDF with WeasyPrint.

The page template lives in ``templates/nbconvert/auditkit_briefing``; this module only
wires the stages together.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

import auditkit
from auditkit.errors import RenderError
from auditkit.parameters import Round

TEMPLATES = Path(__file__).parent / "templates" / "nbconvert"
TEMPLATE_NAME = "auditkit_briefing"

_PANGO_HELP = (
    "WeasyPrint, which writes the PDF, needs the Pango text libraries. On Debian or Ubuntu install them with: "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
)


def render_briefing_html(notebook: nbformat.NotebookNode, round_: Round) -> str:
    """The briefing as one self-contained HTML page: cell outputs only, no code, no prompts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "briefing": {
            "title": f"{round_.title}: {round_.partnership}",
            "description": f"Summary briefing from {round_.partnership}: {round_.title}.",
            "language": "en-GB",
            "version": auditkit.__version__,
        }
    }
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    return html


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # the Pango shared libraries are missing
        raise RenderError(f"The PDF could not be written: {exc}. {_PANGO_HELP}") from None
    return weasyprint


def render_briefing_pdf(html: str, path: str | Path) -> Path:
    """Write the HTML briefing as an A4 PDF; the page size and margins come from its print CSS."""
    weasyprint = _weasyprint()
    path = Path(path)
    document = weasyprint.HTML(string=html, base_url=str(path.parent)).render()
    # Whole fonts: WeasyPrint's font subsets differ from run to run, whole fonts give identical bytes.
    document.write_pdf(path, full_fonts=True)
    return path
