"""Screening a practitioner's free-text comment before a briefing quotes it in public.

Consent to be quoted is not consent to publish a family worker's name, a phone number or
a child's date of birth. :func:`screen_quote` replaces details that could identify a
child or family with :data:`REDACTED`, and holds a quote back altogether when redaction
cannot make it safe or useful: a pasted email or message, a web address, or a comment
with fewer than four words of its own left.

Screening errs towards redacting too much. A briefing loses little when an innocent
number is blanked; a published date of birth cannot be taken back. The patterns below
say what each one deliberately leaves alone, and the tests in ``tests/analysis/test_screening.py``
hold them to it. Screening is a safety net, not a substitute for reading each quote:
it cannot recognise a child described in words ("the twins on the new estate").

The screened text is plain text. Markup such as ``<script>`` passes through unchanged;
escaping is the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["REDACTED", "ScreenedQuote", "screen_quote", "screen_quotes"]

#: What each redacted detail is replaced with.
REDACTED = "[redacted]"

#: A quote with fewer words than this of its own (redactions not counted) is held back.
_MIN_OWN_WORDS = 4

_HELD_MESSAGE = "looks like a pasted email or message"
_HELD_URL = "contains a web address"
_HELD_SHORT = "fewer than four words of its own once redactions are left out"


@dataclass(frozen=True)
class ScreenedQuote:
    """A comment after screening.

    ``text`` has every redacted detail replaced with :data:`REDACTED` and its whitespace
    collapsed to single spaces. ``redactions`` names the kind of each redaction, in the
    order the redactions appear in ``text``: ``"email"``, ``"phone"``, ``"nhs_number"``,
    ``"date"``, ``"postcode"`` or ``"name"``. ``held_back`` is a plain reason when the
    quote must not be published at all, else None; a held-back quote's ``text`` is still
    redacted, so it can be shown to whoever reviews it.
    """

    text: str
    redactions: tuple[str, ...]
    held_back: str | None = None

    @property
    def redacted(self) -> bool:
        """Whether anything in the comment was redacted."""
        return bool(self.redactions)


# --- Details that are redacted ---------------------------------------------------------

# Email addresses: jo.bloggs@example.org, jo+audit@mail.sub.example.co.uk.
# Not matched: addresses spelt out to dodge filters ("jo at example dot org"), an "@handle"
# with nothing before the @, or "user@localhost" with no dot in the domain. A trailing
# full stop ends the address rather than joining it.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}\b",
)

# UK phone numbers as people write them, starting with a trunk 0, "+44" or "0044", with
# single spaces or hyphens between the groups and the area code optionally in brackets:
# 07700 900123, 07700900123, 07700 900 123, +44 7700 900123, +44 (0)7700 900123,
# 0116 254 1234, 0116 2541234, (0116) 2541234, 01572 722577, 020 7946 0000, 0207 946 0000,
# 0800 123 4567, and the nine-digit 01xxx xxxxx and 01xxxx xxxx area numbers.
# Not matched: short service numbers such as Childline's 0800 1111 (public, and not
# about a family); a local number written without its area code (254 1234), which is
# too like ordinary counts to catch safely; numbers split into other groupings
# (07 700 900 123); numbers glued to further digits.
_PHONE = re.compile(
    r"""
    (?<!\d)
    (?:(?:\+|00)44[ ]?(?:\(0\)[ ]?)?      # +44 7700 ..., +44 (0)116 ..., 0044 ...
      |(?P<bracket>\()?0)                # 0116 254 1234, or (0116) 254 1234
    # After the area code: ")" if it opened with "(", else an optional space or hyphen.
    (?:[1-9]\d    SEP\d{4}[ -]?\d{4}      # 20 7946 0000
      |[1-9]\d{2} SEP\d{3}[ -]?\d{4}      # 116 254 1234, 207 946 0000, 800 123 4567
      |[1-9]\d{3} SEP\d{3}[ -]?\d{3}      # 7700 900123, 7700 900 123, 1572 722577
      |[1-9]\d{3} SEP\d{5}                # 1xxx xxxxx (nine digits)
      |[1-9]\d{4} SEP\d{4}                # 1xxxx xxxx (nine digits)
    )
    (?!\d)
    """.replace("SEP", r"(?(bracket)\)[ ]?|[ -]?)"),  # one definition of the area code's end
    re.VERBOSE,
)

# NHS numbers: ten digits as 943 476 5919, 943-476-5919 or 9434765919 (the separator must
# be the same both times). Every ten-digit number in these forms is redacted, whether or
# not its check digit (modulus 11) is valid. The check digit only tells a well-typed
# number from a mistyped one, and a mistyped NHS number is still one digit away from a
# real child's; the other ten-digit numbers in a practitioner's comment are case or
# system references, which identify a child just as well. Redacting too much here costs
# a briefing nothing.
# Not matched: numbers of other lengths (case numbers of six or seven digits, counts,
# money), or ten digits grouped differently (94 347 65919).
_NHS_NUMBER = re.compile(r"(?<!\d)\d{3}([ -]?)\d{3}\1\d{4}(?!\d)")

_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_YEAR = r"(?:19|20)\d{2}"

# Full dates, any of which could be a date of birth: 03/03/2015, 3/3/15, 03-03-2015,
# 03-03-15, 3.3.2015, 2015-03-03, 3rd March 2015, 3 March 2015, 3rd of March, 2015,
# 3 Mar 2015, March 3, 2015, March 3rd 2015. Day and month may be either way round.
# Not matched: a day and month without a year ("the 7th July launch"): without the year
# it cannot single out a child, and briefings name meeting and launch dates this way; a
# month and year ("March 2015") or a bare year ("in 2016"); durations ("6 months");
# dotted dates with a two-digit year (3.3.15), which are written like section numbers
# ("section 4.2.12"); written dates with a two-digit year ("3 March 15"). A full date
# that is not a birthday ("launched on 7 July 2016") is redacted too: screening cannot
# tell the two apart.
_DATE = re.compile(
    rf"""
    (?<!\d)[0-3]?\d([/-])[0-3]?\d\1(?:{_YEAR}|\d{{2}})(?!\d)   # 03/03/2015, 3/3/15, 03-03-15
    |(?<!\d)[0-3]?\d\.[0-3]?\d\.{_YEAR}(?!\d)                   # 3.3.2015
    |(?<!\d){_YEAR}([/.-])[01]?\d\2[0-3]?\d(?!\d)              # 2015-03-03
    |\b{_DAY}\s(?:of\s)?{_MONTH},?\s{_YEAR}\b                  # 3rd (of) March(,) 2015
    |\b{_MONTH}\s{_DAY},?\s{_YEAR}\b                           # March 3(rd)(,) 2015
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Full UK postcodes, with or without the space and in any case: LE1 6ZG, le16zg, SW1A 1AA,
# M1 1AE, B33 8TH, CR2 6XH, DN55 1PT. The letters are limited to those postcodes use (no Q,
# V or X first; no I, J or Z second; no C, I, K, M, O or V in the last two), and every
# postcode has a digit, so no ordinary word matches.
# Not matched: an outward code on its own ("LE1", "the B33 area"), which covers thousands
# of homes; and, by the check in _is_postcode, a school year or key stage followed by a
# lower-case ordinal ("Y1 2nd", "KS2 3rd"), while "B33 8TH" and "ks2 3rd" are redacted.
_POSTCODE = re.compile(
    r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2}\b",
    re.IGNORECASE,
)
_LOWER_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")

# --- Quotes that are held back -----------------------------------------------------------

# A pasted email or message: header fields (From:, Sent:, To:, Cc:, Bcc:, Subject:), a
# salutation starting a line or sentence ("Dear Sarah,", "Dear all"), a sign-off ("Kind
# regards", "Best regards", "Yours sincerely", "Regards" alone on a line), "Sent from my
# iPhone", or an "Original Message" divider. Checked on the comment as written, before its
# line breaks are collapsed.
# Not matched: the same words used in passing: lower-case "to:" or "subject:", "oh dear",
# "with regards to", "thanks". Capitalised "Dear" at the start of a sentence is matched
# even in "Dear me, what a week": holding back a harmless quote is the safer mistake.
_MESSAGE = re.compile(
    r"""
    (?<!\w)(?:From|Sent|To|Cc|Bcc|Subject)[ \t]?:
    |(?:^|[.!?])\s*Dear\s+\w
    |(?i:\b(?:kind|best|warm|warmest|many)\s+regards\b)
    |(?i:\byours\s+(?:sincerely|faithfully|truly)\b)
    |(?i:^\s*regards\s*,?\s*$)
    |(?i:\bsent\s+from\s+my\b)
    |(?i:-{2,}\s*original\s+message)
    """,
    re.VERBOSE | re.MULTILINE,
)

# Web addresses: anything with a scheme (https://, http://, ftp://), anything starting
# "www.", and a bare domain followed by a path (sharepoint.com/sites/..., bit.ly/abc).
# Not matched: a bare domain with no path ("see gov.uk", "the NSPCC.org.uk site"), which
# names a public site rather than linking to a record; the domain of an email address,
# which is redacted as an email instead; "and/or", "e.g./i.e." and fractions such as 3.5/10.
_URL = re.compile(
    r"""
    \b(?:https?|ftp)://\S
    |\bwww\.[\w-]+\.\S
    |(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}/
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A word of the comment's own, for counting: letters or digits, with inner apostrophes
# ("don't", "child's"). Punctuation and markup characters do not count.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A redaction and the possessive ending it may carry, left out when counting words.
_REDACTION = re.compile(re.escape(REDACTED) + r"(?:['’]s\b)?")

_PATTERNS = (
    ("email", _EMAIL),
    ("phone", _PHONE),
    ("nhs_number", _NHS_NUMBER),
    ("date", _DATE),
    ("postcode", _POSTCODE),
)


def screen_quote(text: str, names: Sequence[str] = ()) -> ScreenedQuote:
    """Redact identifying details from one comment, and say whether it must be held back.

    Replaces with :data:`REDACTED`, each match on its own: email addresses, UK phone
    numbers, NHS numbers (any ten-digit number written as one, check digit valid or not:
    see the note on ``_NHS_NUMBER``), full dates, full UK postcodes, and each of
    ``names`` as a whole word in any case (so "Ann" leaves "Annual" alone and "Sarah's"
    becomes "[redacted]'s"; a name of several words, such as a street, matches across any
    whitespace). Whitespace is collapsed to single spaces.

    The quote is held back, with a reason, when it looks like a pasted email or message,
    when it contains a web address, or when fewer than four words of its own remain once
    redactions are left out. The last rule applies to every quote, so a three-word comment
    is held back even if nothing in it was redacted.

    Returns
    -------
    ScreenedQuote
        The redacted text, the kind of each redaction, and the reason to hold it back (or None).
    """
    return _screen(_checked_text(text), _names_pattern(names))


def screen_quotes(texts: Sequence[str], names: Sequence[str] = ()) -> tuple[ScreenedQuote, ...]:
    """:func:`screen_quote` for each of ``texts``, in order, against the same ``names``.

    Returns
    -------
    tuple of ScreenedQuote
        One per text, in the order given.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of comments, not one string")
    pattern = _names_pattern(names)
    return tuple(_screen(_checked_text(text), pattern) for text in texts)


def _checked_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a quote must be a string, not {type(text).__name__}")
    return text


def _names_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for all ``names``: whole words, any case, longest first.

    Built for each call rather than at import, since the names belong to the round.
    Longest first, so "Example Road" is redacted whole rather than leaving "Road".
    ``(?<!\\w)`` and ``(?!\\w)`` keep a name from matching inside a longer word ("Ann" in
    "Annual", "Joanne") while letting an apostrophe, hyphen or full stop follow it.
    """
    if isinstance(names, str):
        raise TypeError("names must be a sequence of names, not one string")
    for name in names:
        # str(nan) would redact every "Nan" and str(None) every "None": refuse instead.
        if not isinstance(name, str):
            raise TypeError(f"each name must be a string, not {type(name).__name__}: {name!r}")
    words = {" ".join(name.split()) for name in names}
    words.discard("")
    if not words:
        return None
    alternatives = (
        r"\s+".join(re.escape(part) for part in name.split(" "))
        for name in sorted(words, key=lambda name: (-len(name), name))
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _screen(text: str, names: re.Pattern[str] | None) -> ScreenedQuote:
    flat = " ".join(text.split())
    spans = _redaction_spans(flat, names)
    pieces: list[str] = []
    end = 0
    for start, stop, _ in spans:
        pieces.append(flat[end:start])
        pieces.append(REDACTED)
        end = stop
    pieces.append(flat[end:])
    screened = "".join(pieces)
    return ScreenedQuote(
        text=screened,
        redactions=tuple(kind for _, _, kind in spans),
        held_back=_held_back_reason(text, screened),
    )


def _redaction_spans(text: str, names: re.Pattern[str] | None) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, stop, kind) spans to redact, in order of appearance.

    Patterns claim text in the order of ``_PATTERNS`` and then names, so a name inside an
    email address is redacted once, as part of the email.
    """
    patterns: list[tuple[str, re.Pattern[str]]] = list(_PATTERNS)
    if names is not None:
        patterns.append(("name", names))
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            start, stop = match.span()
            if kind == "postcode" and not _is_postcode(match.group()):
                continue
            if any(start < other_stop and other_start < stop for other_start, other_stop, _ in spans):
                continue
            spans.append((start, stop, kind))
    return sorted(spans)


def _is_postcode(candidate: str) -> bool:
    """False for a school year or key stage and an ordinal: "Y1 2nd", "KS2 3rd".

    A lower-case ordinal after an outward code with a capital letter is read as words; a
    candidate wholly in lower case is still taken as a postcode typed carelessly.
    """
    inward = candidate[-3:]
    outward = candidate[:-3]
    return not (_LOWER_ORDINAL.fullmatch(inward) and not outward.islower())


def _held_back_reason(original: str, screened: str) -> str | None:
    if _MESSAGE.search(original):
        return _HELD_MESSAGE
    if _URL.search(original):
        return _HELD_URL
    own_words = _WORD.findall(_REDACTION.sub(" ", screened))
    if len(own_words) < _MIN_OWN_WORDS:
        return _HELD_SHORT
    return None
