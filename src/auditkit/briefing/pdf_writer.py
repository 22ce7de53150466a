"""Writing the HTML briefing as a tagged A4 PDF with WeasyPrint.

The PDF is tagged for screen readers (PDF/UA-1): its structure follows the HTML's headings, lists and tables,
images carry their alt text, headings become bookmarks, and the title and language are in its metadata.

Light on imports (WeasyPrint is imported by :func:`load_pdf_writer`): a run forks its PDF writer before it
imports pandas, so that WeasyPrint is imported while the run analyses the round.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from auditkit.errors import RenderError

__all__ = ["PDF_VARIANT", "load_pdf_writer", "render_briefing_pdf"]

#: WeasyPrint's PDF/UA-1 variant: a tagged PDF 1.7 with the title shown and the language set.
PDF_VARIANT = "pdf/ua-1"

_PANGO_HELP = (
    "WeasyPrint, which writes the PDF, needs the Pango text libraries. On Debian or Ubuntu install them with: "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
)


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
