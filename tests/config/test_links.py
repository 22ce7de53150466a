"""auditkit.config.links: a published link is a web page or an e-mail address, however its scheme is disguised."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from auditkit.config.links import LINK_SCHEMES, checked_url

ALLOWED = "a link must start with one of https:, http:, mailto:"


def test_the_allowed_schemes_are_web_pages_and_email():
    assert LINK_SCHEMES == ("https", "http", "mailto")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/llr/audits", "https://example.org/llr/audits"),
        ("http://example.org/", "http://example.org/"),
        ("mailto:lscb@example.org", "mailto:lscb@example.org"),
        ("HTTPS://example.org/a", "https://example.org/a"),
        (" https://example.org/a \n", "https://example.org/a"),
        ("ht\ttps://example.org/a", "https://example.org/a"),
    ],
)
def test_web_and_email_links_are_kept_as_a_browser_reads_them(url, expected):
    assert checked_url(url, "Audits") == expected


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" JavaScript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("java\nscript:alert(1)", "javascript"),
        ("\x01javascript:alert(1)", "javascript"),
        ("data:text/html,<b>x</b>", "data"),
        ("DATA:text/html;base64,PGI+eDwvYj4=", "data"),
        ("vbscript:msgbox(1)", "vbscript"),
        ("file:///etc/passwd", "file"),
    ],
)
def test_other_schemes_are_refused_however_they_are_written(url, scheme):
    assert urlsplit(url).scheme == scheme
    with pytest.raises(ValueError) as caught:
        checked_url(url, "Audits")
    assert str(caught.value) == (
        f"the link 'Audits' uses the scheme {scheme}:, which a briefing may not publish; {ALLOWED}"
    )


@pytest.mark.parametrize(
    "url",
    ["&#106;avascript:alert(1)", "java\u200bscript:alert(1)", "example.org/audits", "//example.org/audits", ""],
)
def test_an_address_without_a_scheme_is_refused(url):
    # An entity or an invisible character inside the scheme leaves no scheme: a relative address, refused too.
    assert urlsplit(url).scheme == ""
    with pytest.raises(ValueError) as caught:
        checked_url(url, "Audits")
    assert str(caught.value) == (
        f"the link 'Audits' has the address {url!r}, which does not start with a scheme; {ALLOWED}"
    )


def test_an_address_that_cannot_be_parsed_is_refused():
    with pytest.raises(ValueError) as caught:
        checked_url("https://[example.org", "Audits")
    assert str(caught.value) == (
        f"the link 'Audits' has the address 'https://[example.org', which is not a valid address; {ALLOWED}"
    )
