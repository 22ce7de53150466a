"""The Word layout of the briefing's sections of words: title, background, methodology, definition, quotes, key
findings and further information.

Each layout takes a document and the section's context (:func:`auditkit.briefing.contexts.section_context`, the
one its HTML template renders) and writes what that template writes, sentence for sentence, in Word's built-in
styles: ``Heading 1`` where the HTML has ``<h2>``, ``Heading 2`` for ``<h3>``, a ``List Number`` paragraph per
key finding with its further sentences and recommendation under it in ``List Continue``, ``Quote`` for
practitioners' words. tests/end_to_end/test_docx_briefing.py checks that every sentence of the HTML is in the
Word document.
"""

from __future__ import annotations

from typing import Any

from auditkit.briefing.docx_blocks import (
    add_heading,
    add_hyperlink,
    add_paragraph,
    add_run,
    docx_text,
    has_style,
)
from auditkit.briefing.docx_markdown import add_markdown

__all__ = ["TEXT_LAYOUTS"]


def _title(document: Any, context: dict[str, Any]) -> None:
    add_paragraph(document, context["title"], style="Title")
    add_paragraph(document, context["partnership"], style="Subtitle")
    if context["published"]:
        add_paragraph(document, f"Summary briefing, {context['published']}", style="Subtitle")
    if context["summary"]:
        add_markdown(document, context["summary"], "Block Text" if has_style(document, "Block Text") else "Normal")


def _background(document: Any, context: dict[str, Any]) -> None:
    if not context["paragraphs"]:  # as the HTML: a section with nothing to say is left out
        return
    add_heading(document, "Background", 1)
    for paragraph in context["paragraphs"]:
        add_markdown(document, paragraph)


def _methodology(document: Any, context: dict[str, Any]) -> None:
    add_heading(document, "Methodology", 1)
    add_paragraph(document, f"This round covers {context['period']}.")
    for instrument in context["instruments"]:
        add_heading(document, instrument["title"], 2)
        add_paragraph(document, instrument["summary"], bold=True)
        if instrument["text"]:
            add_markdown(document, instrument["text"])
        if instrument.get("power"):
            add_paragraph(document, instrument["power"])
    add_paragraph(document, context["intervals"])
    add_paragraph(document, context["disclosure"])


def _definition(document: Any, context: dict[str, Any]) -> None:
    if context["text"]:
        add_heading(document, "Definition of neglect", 1)
        add_markdown(document, context["text"])


def _quote_note(redacted: int, held_back: int) -> str:
    """The sentence under the quotes saying what was removed or held back, as the HTML words it."""
    parts = []
    if redacted:
        quotes = "quote" if redacted == 1 else "quotes"
        parts.append(
            f"details that could identify someone were removed from {redacted} {quotes} and shown as [redacted]"
        )
    if held_back:
        parts.append(f"{held_back} {'comment was' if held_back == 1 else 'comments were'} held back")
    return f"To protect children and families, {', and '.join(parts)}."


def _quotes(document: Any, context: dict[str, Any]) -> None:
    if not context["asked"]:
        return
    add_heading(document, "What practitioners said", 1)
    if context["intro"]:
        add_markdown(document, context["intro"])
    for quote in context["quotes"]:
        add_paragraph(document, f"\u201c{docx_text(quote).strip()}\u201d", style="Quote")
    if not context["quotes"]:
        add_paragraph(document, "No comment could be quoted in this round.")
    if context["redacted"] or context["held_back"]:
        add_paragraph(document, _quote_note(context["redacted"], context["held_back"]))


def _key_findings(document: Any, context: dict[str, Any]) -> None:
    if not (context["findings"] or context["closing"]):
        return
    add_heading(document, "Key findings and recommendations", 1)
    for finding in context["findings"]:
        first, *others = finding["sentences"]
        # A finding is not split over two pages (the PDF keeps each whole): each paragraph keeps with the next.
        add_paragraph(document, first, style="List Number", bold=True).paragraph_format.keep_with_next = True
        for sentence in others:
            add_paragraph(document, sentence, style="List Continue", bold=True).paragraph_format.keep_with_next = True
        recommendation = document.add_paragraph(style="List Continue")
        add_run(recommendation, "Recommendation:", bold=True)
        add_run(recommendation, f" {docx_text(finding['recommendation']).strip()}")
    for paragraph in context["closing"]:
        add_markdown(document, paragraph, "List Number", "List Continue")


def _further_information(document: Any, context: dict[str, Any]) -> None:
    add_heading(document, "Further information", 1)
    for link in context["links"]:
        item = document.add_paragraph(style="List Bullet")
        add_hyperlink(item, link.url, docx_text(link.title).strip())
        if link.url.lower().startswith("http"):  # as the PDF prints a web address after its link
            add_run(item, f" ({docx_text(link.url).strip()})", small=True)
    add_paragraph(
        document,
        f"Round {context['round']} · data fingerprint {context['fingerprint']} · auditkit {context['version']} · "
        f"produced {context['produced']}. The report's manifest.json lists every input file with its SHA-256; "
        f"auditkit verify checks the data still matches.",
    )


#: Each section of words, by name, and the function that lays its context out in a Word document.
TEXT_LAYOUTS = {
    "title": _title,
    "background": _background,
    "methodology": _methodology,
    "definition": _definition,
    "quotes": _quotes,
    "key_findings": _key_findings,
    "further_information": _further_information,
}
