"""Rendering an executed briefing notebook: HTML with nbconvert, then A4 PDF with WeasyPrint.

The page template lives in ``templates/nbconvert/auditkit_briefing``; this module only
wires the stages together. The PDF is tagged for screen readers (PDF/UA-1): its structure
follows the HTML's headings, lists and tables, images carry their alt text, headings become
bookmarks, and the title and language are in its metadata.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import nbformat

import auditkit
from auditkit.config.round import Round
from auditkit.errors import RenderError
from auditkit.publish.safe_text import strip_invisible

__all__ = [
    "LANGUAGE",
    "PDF_VARIANT",
    "TEMPLATES",
    "TEMPLATE_NAME",
    "load_pdf_writer",
    "render_briefing_html",
    "render_briefing_pdf",
]

TEMPLATES = Path(__file__).parent.parent / "templates" / "nbconvert"
TEMPLATE_NAME = "auditkit_briefing"
LANGUAGE = "en-GB"
#: WeasyPrint's PDF/UA-1 variant: a tagged PDF 1.7 with the title shown and the language set.
PDF_VARIANT = "pdf/ua-1"

_PANGO_HELP = (
    "WeasyPrint, which writes the PDF, needs the Pango text libraries. On Debian or Ubuntu install them with: "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
)


@cache
def _exporter():
    """nbconvert's exporter with the briefing's template, made once a process: ``auditkit preview`` renders the page
    on every save, and loading the template each time costs more than the rendering."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
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


def load_pdf_writer():
    """Import WeasyPrint, which writes the PDF (about a second); a run does it while its notebooks execute.

    Raises :class:`~auditkit.errors.RenderError` when WeasyPrint's Pango libraries are missing.

    Returns
    -------
    module
        The ``weasyprint`` module.
    """
    try:
        import weasyprint
    except OSError as exc:  # the Pango shared libraries are missing
        raise RenderError(f"The PDF could not be written: {exc}. {_PANGO_HELP}") from None
    return weasyprint


def _xmp_language(document, pdf) -> None:
    """Add the document's language (``dc:language``) to the XMP metadata WeasyPrint wrote.

    WeasyPrint puts the language in the catalog (``/Lang``), which screen readers use, but not in
    the XMP metadata that document managers and ``pdfinfo -meta`` show.
    """
    language = document.metadata.lang
    reference = pdf.catalog.get("Metadata")
    if not language or reference is None:
        return
    description = (
        '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" rdf:about="">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language></rdf:Description>"
    ).encode()
    for stream in pdf.objects:
        if getattr(stream, "reference", None) == reference and getattr(stream, "stream", None):
            content = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in stream.stream)
            head, marker, tail = content.rpartition(b"</rdf:RDF>")
            if marker:
                stream.stream[:] = [head + description + marker + tail]
            return


def render_briefing_pdf(html: str, path: str | Path) -> Path:
    """Write the HTML briefing as a tagged A4 PDF; the page size and margins come from its print CSS.

    Raises :class:`~auditkit.errors.RenderError` when WeasyPrint's Pango libraries are missing.

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`~pathlib.Path`, now a :data:`PDF_VARIANT` (PDF/UA-1) file; the same HTML gives the
        same bytes.
    """
    weasyprint = load_pdf_writer()
    path = Path(path)
    document = weasyprint.HTML(string=html, base_url=str(path.parent)).render()
    # Font subsets and PDF/UA-1 add no date and no random identifier, so the same HTML gives the same
    # bytes (tests/end_to_end/test_briefing.py checks it). Subsets keep the file small (about 0.3 MB, not 1.6 MB)
    # and fast to write.
    document.write_pdf(path, pdf_variant=PDF_VARIANT, finisher=_xmp_language)
    return path
