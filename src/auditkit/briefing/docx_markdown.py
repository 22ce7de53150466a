"""The briefing's Markdown (its summary, background, definition and other words from the parameters) in Word.

mistune parses the Markdown, as it does for the HTML (:mod:`auditkit.briefing.html`), and this module lays its
syntax tree out as paragraphs and runs: bold and italic as run formatting, links through the same check as the
HTML's (:func:`auditkit.briefing.docx_blocks.add_hyperlink`), lists in the list styles and block quotes in the
``Quote`` style. Raw HTML is shown as the text it is, as the HTML briefing shows it (mistune escapes it there).
A heading written in the text is a bold paragraph, not a Word heading, so that the briefing's headings stay in
order. An image is not fetched: its alt text is shown instead.
"""

from __future__ import annotations

from typing import Any

import mistune
from docx.text.paragraph import Paragraph

from auditkit.briefing.docx_blocks import add_hyperlink, add_run

__all__ = ["add_markdown"]

_PARSE = mistune.create_markdown(renderer=None)
#: Block tokens whose children are inline (text, emphasis, links).
_INLINE_BLOCKS = ("paragraph", "block_text", "heading")


def _plain(token: dict[str, Any]) -> str:
    """A token's text, its formatting left out."""
    if "raw" in token:
        return token["raw"]
    if token["type"] in ("softbreak", "linebreak"):
        return " "
    return "".join(_plain(child) for child in token.get("children", ()))


def _inline(paragraph: Paragraph, tokens: list[dict[str, Any]], bold: bool = False, italic: bool = False) -> None:
    for token in tokens:
        kind = token["type"]
        if kind == "strong":
            _inline(paragraph, token["children"], True, italic)
        elif kind == "emphasis":
            _inline(paragraph, token["children"], bold, True)
        elif kind == "link":
            add_hyperlink(paragraph, token["attrs"]["url"], _plain(token), bold, italic)
        elif kind == "linebreak":
            paragraph.add_run().add_break()
        elif kind == "softbreak":
            add_run(paragraph, " ", bold, italic)
        elif "children" in token and kind != "image":
            _inline(paragraph, token["children"], bold, italic)
        else:  # text, code, raw HTML shown as text, and an image's alt text
            add_run(paragraph, _plain(token), bold, italic)


class _Layout:
    """Where the next block goes: the container, and the style of the first block and of those after it."""

    def __init__(self, container: Any, style: str, continuation: str) -> None:
        self.container = container
        self.style = style
        self.continuation = continuation
        self.first = True

    def paragraph(self, style: str | None = None) -> Paragraph:
        chosen = style or (self.style if self.first else self.continuation)
        self.first = False
        return self.container.add_paragraph(style=chosen)


def _blocks(layout: _Layout, tokens: list[dict[str, Any]], style: str | None = None) -> None:
    for token in tokens:
        kind = token["type"]
        if kind in _INLINE_BLOCKS:
            _inline(layout.paragraph(style), token["children"], bold=kind == "heading")
        elif kind == "list":
            ordered = token["attrs"].get("ordered", False)
            start = token["attrs"].get("start", 1) or 1
            for number, item in enumerate(token["children"], start=start):
                paragraph = layout.paragraph("List Continue" if ordered else "List Bullet")
                if ordered:  # written as text: Word's own numbering belongs to the key findings
                    add_run(paragraph, f"{number}. ")
                _inline(paragraph, [child for block in item["children"] for child in _item_inline(block)])
        elif kind == "block_quote":
            _blocks(layout, token["children"], "Quote")
        elif kind in ("block_code", "block_html"):
            add_run(layout.paragraph(style), token["raw"].strip())
        # thematic breaks and blank lines show no text


def _item_inline(block: dict[str, Any]) -> list[dict[str, Any]]:
    """A list item's blocks as one run of inline tokens (a nested list's items after a space)."""
    if block["type"] in _INLINE_BLOCKS:
        return block["children"]
    return [{"type": "text", "raw": " " + _plain(block)}]


def add_markdown(container: Any, text: str, style: str = "Normal", continuation: str | None = None) -> None:
    """Lay Markdown out in a document or table cell: its first paragraph in ``style``, the rest in ``continuation``.

    ``continuation`` is ``style`` when None. A closing point of the key findings is a numbered paragraph (``List
    Number``) whose further paragraphs continue under it (``List Continue``).
    """
    _blocks(_Layout(container, style, continuation or style), _PARSE(text))
