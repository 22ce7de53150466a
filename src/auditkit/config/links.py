"""The links a briefing may publish: web pages and e-mail addresses, in every output format.

A ``briefing → further_information`` link is checked when the parameters load (:mod:`auditkit.config.round`)
and again by every renderer that writes one out: the HTML sections' ``link_url`` filter (and so the PDF,
which WeasyPrint makes from that HTML); a Word renderer must call :func:`checked_url` too. All of them use
:data:`LINK_SCHEMES`, so no format can publish a ``javascript:`` or ``data:`` link that another refuses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["LINK_SCHEMES", "checked_url"]

#: The schemes a published link may have: web pages and e-mail addresses. Nothing else: ``javascript:`` and
#: ``data:`` would run or show content the partnership did not write, ``file:`` points inside the building.
LINK_SCHEMES = ("https", "http", "mailto")
_ALLOWED = ", ".join(f"{scheme}:" for scheme in LINK_SCHEMES)


def checked_url(url: str, title: str) -> str:
    """``url`` as a published link may give it, or a ValueError saying why it may not be published.

    The scheme is read as a browser reads it: :func:`urllib.parse.urlsplit` follows the WHATWG URL standard,
    skipping spaces and control characters before the address and dropping tabs and newlines anywhere in it,
    so ``' JavaScript:'`` and ``'java\tscript:'`` are both ``javascript:``. A character entity
    (``&#106;avascript:``) or an invisible character inside the scheme leaves the address with no scheme.
    Raises ``ValueError`` (a sentence naming the link's ``title``, its scheme and :data:`LINK_SCHEMES`) when the
    address has no scheme, one not in :data:`LINK_SCHEMES`, or cannot be parsed.

    Returns
    -------
    str
        The address as checked: with the spaces and control characters before it, and any tabs or newlines
        in it, taken out (``' https://example.org/a'`` → ``'https://example.org/a'``).
    """
    try:
        address = urlsplit(url)
    except ValueError:  # such as an unclosed IPv6 bracket
        raise ValueError(
            f"the link '{title}' has the address {url!r}, which is not a valid address; "
            f"a link must start with one of {_ALLOWED}"
        ) from None
    if not address.scheme:
        raise ValueError(
            f"the link '{title}' has the address {url!r}, which does not start with a scheme; "
            f"a link must start with one of {_ALLOWED}"
        )
    if address.scheme not in LINK_SCHEMES:
        raise ValueError(
            f"the link '{title}' uses the scheme {address.scheme}:, which a briefing may not publish; "
            f"a link must start with one of {_ALLOWED}"
        )
    return address.geturl().strip()
