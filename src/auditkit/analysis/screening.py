"""Screening a practitioner's free-text comment before a briefing quotes it in public.

Consent to be quoted is not consent to publish a family worker's name, a phone number or
a child's date of birth. :func:`screen_quote` replaces details that could identify a
child or family with :data:`REDACTED`, and holds a quote back altogether when redaction
cannot make it safe or useful: a pasted email or message, a web address, a comment longer
than 1,000 characters, or a comment with fewer than four words of its own left.

What is redacted and what is held back:

- redacted: email addresses, also written to dodge filters ("jane(at)example(dot)com"),
  UK phone numbers, NHS numbers, full dates, full postcodes, street addresses ("12 Acacia
  Avenue", "Flat 3, 14 Mill Lane"), a child's name given with an age ("Tyler (age 4)", and
  every other "Tyler" in the comment), the round's own identifiers (case references such as
  DD17-L01 and response ids such as R1000, however spaced, dashed or cased, and every other
  value of an item marked identifying or internal), and the round's ``redact`` names. Once
  blanked, none of these says anything about a child, and the rest of the comment can still
  be quoted;
- held back: a pasted email or message and a web address (the rest of a pasted message or
  a linked record is not the author's own comment), a comment longer than 1,000 characters
  (too long to read as a quote, and too long to check by eye before publishing), and any
  comment with fewer than four words of its own left once redactions are left out.

Screening errs towards redacting too much. A briefing loses little when an innocent
number is blanked; a published date of birth cannot be taken back. The patterns
(:mod:`auditkit.analysis.identifying_details`) say what each one deliberately leaves
alone, and the tests in ``tests/analysis/`` hold them to it. Screening is a safety net,
not a substitute for reading each quote: it cannot recognise a child described in words
("the twins on the new estate").

The screened text is plain text. Markup such as ``<script>`` passes through unchanged;
escaping is the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditkit.analysis.identifier_search import IdentifierIndex, find_identifiers, index_identifiers
from auditkit.analysis.identifying_details import find_details

__all__ = ["REDACTED", "ScreenedQuote", "screen_quote", "screen_quotes"]

#: What each redacted detail is replaced with.
REDACTED = "[redacted]"

#: A quote longer than this, in characters once its whitespace is collapsed, is held back.
_MAX_CHARACTERS = 1000

#: A quote with fewer words than this of its own (redactions not counted) is held back.
_MIN_OWN_WORDS = 4

_HELD_MESSAGE = "looks like a pasted email or message"
_HELD_URL = "contains a web address"
_HELD_LONG = "longer than 1,000 characters"
_HELD_SHORT = "fewer than four words of its own once redactions are left out"


@dataclass(frozen=True)
class ScreenedQuote:
    """A comment after screening.

    ``text`` has every redacted detail replaced with :data:`REDACTED` and its whitespace
    collapsed to single spaces. ``redactions`` names the kind of each redaction, in the
    order the redactions appear in ``text``: ``"email"``, ``"phone"``, ``"nhs_number"``,
    ``"date"``, ``"postcode"``, ``"address"``, ``"child_name"``, ``"identifier"`` or
    ``"name"``. ``held_back`` is a plain reason when the quote must not be published at all,
    else None; a held-back quote's ``text`` is still redacted, so it can be shown to whoever
    reviews it.
    """

    text: str
    redactions: tuple[str, ...]
    held_back: str | None = None

    @property
    def redacted(self) -> bool:
        """Whether anything in the comment was redacted."""
        return bool(self.redactions)


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


def screen_quote(text: str, names: Sequence[str] = (), identifiers: Iterable[str] = ()) -> ScreenedQuote:
    """Redact identifying details from one comment, and say whether it must be held back.

    Replaces with :data:`REDACTED`, each match on its own: the details that
    :func:`auditkit.analysis.identifying_details.find_details` finds (email addresses, also
    written as "jane(at)example(dot)com"; UK phone numbers; NHS numbers, meaning any ten-digit
    number written as one; full dates; full UK postcodes; street addresses; a child's name given
    with an age, and every other use of that name in the comment); each of ``identifiers`` (the
    round's case references, response ids and other values of identifying or internal items)
    however it is spaced, dashed or cased (:mod:`auditkit.analysis.identifier_search`); and each
    of ``names`` as a whole word in any case (so "Ann" leaves "Annual" alone and "Sarah's"
    becomes "[redacted]'s"; a name of several words, such as a street, matches across any
    whitespace). Details that overlap are redacted as one. Whitespace is collapsed to single
    spaces.

    The quote is held back, with a reason, when it looks like a pasted email or message,
    when it contains a web address, when it is longer than 1,000 characters, or when fewer
    than four words of its own remain once redactions are left out. The last rule applies to
    every quote, so a three-word comment is held back even if nothing in it was redacted.

    Returns
    -------
    ScreenedQuote
        The redacted text, the kind of each redaction, and the reason to hold it back (or None).
    """
    return _screen(_checked_text(text), _names_pattern(names), index_identifiers(identifiers))


def screen_quotes(
    texts: Sequence[str], names: Sequence[str] = (), identifiers: Iterable[str] = ()
) -> tuple[ScreenedQuote, ...]:
    """:func:`screen_quote` for each of ``texts``, in order, against the same ``names`` and ``identifiers``.

    Returns
    -------
    tuple of ScreenedQuote
        One per text, in the order given.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of comments, not one string")
    pattern = _names_pattern(names)
    index = index_identifiers(identifiers)
    return tuple(_screen(_checked_text(text), pattern, index) for text in texts)


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


def _screen(text: str, names: re.Pattern[str] | None, identifiers: IdentifierIndex) -> ScreenedQuote:
    flat = " ".join(text.split())
    spans = _redaction_spans(flat, names, identifiers)
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
        held_back=_held_back_reason(text, flat, screened),
    )


def _redaction_spans(
    text: str, names: re.Pattern[str] | None, identifiers: IdentifierIndex
) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, stop, kind) spans to redact, in order of appearance.

    Candidates come in order of priority: the details of ``find_details``, then the round's
    identifiers, then the other uses of a child's name found with an age, then the round's
    names. Candidates that overlap become one span, of the kind of the first of them in that
    order: a name inside an email address is redacted once, as part of the email, and a date
    that runs into an identifier takes the identifier with it.
    """
    candidates = find_details(text)
    candidates.extend((start, stop, "identifier") for start, stop in find_identifiers(text, identifiers))
    child_names = [text[start:stop] for start, stop, kind in candidates if kind == "child_name"]
    candidates.extend(_same_names(text, child_names))
    if names is not None:
        candidates.extend((*match.span(), "name") for match in names.finditer(text))
    return _merged(candidates)


def _same_names(text: str, found: Sequence[str]) -> list[tuple[int, int, str]]:
    """Every use in ``text`` of each word of the children's names ``found``, as written (case matters).

    Case matters so that a child called Hope leaves "we hope" alone.
    """
    words = sorted({word for name in found for word in name.split()}, key=lambda word: (-len(word), word))
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    return [(*match.span(), "child_name") for match in pattern.finditer(text)]


def _merged(candidates: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans joined into one, each of the kind of its earliest candidate, in order of appearance."""
    ranked = sorted((start, stop, rank, kind) for rank, (start, stop, kind) in enumerate(candidates))
    merged: list[list] = []
    for start, stop, rank, kind in ranked:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], stop)
            if rank < last[2]:
                last[2], last[3] = rank, kind
        else:
            merged.append([start, stop, rank, kind])
    return [(start, stop, kind) for start, stop, _, kind in merged]


def _held_back_reason(original: str, flat: str, screened: str) -> str | None:
    if _MESSAGE.search(original):
        return _HELD_MESSAGE
    if _URL.search(original):
        return _HELD_URL
    if len(flat) > _MAX_CHARACTERS:
        return _HELD_LONG
    own_words = _WORD.findall(_REDACTION.sub(" ", screened))
    if len(own_words) < _MIN_OWN_WORDS:
        return _HELD_SHORT
    return None
