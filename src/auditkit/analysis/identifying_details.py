"""Finding the details in a free-text comment that could identify a child or family.

:func:`find_details` lists where each detail is, and of what kind; :mod:`auditkit.analysis.screening`
redacts them, together with the round's ``redact`` names and its records' own identifiers. Each
pattern says below what it deliberately leaves alone, and ``tests/analysis/test_identifying_details.py``
holds it to that. The patterns err towards redacting too much: a briefing loses little when an
innocent word is blanked, and a published address cannot be taken back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from auditkit.config.common_words import COMMON_WORDS

__all__ = ["DETAIL_KINDS", "find_details"]

#: The kinds of detail :func:`find_details` finds, in the order they claim text when two overlap.
DETAIL_KINDS = ("email", "phone", "nhs_number", "date", "postcode", "address", "child_name")

# Email addresses: jo.bloggs@example.org, jo+audit@mail.sub.example.co.uk.
# Not matched here: addresses spelt out to dodge filters ("jo at example dot org"), which
# _OBFUSCATED_EMAIL finds; an "@handle" with nothing before the @, or "user@localhost" with
# no dot in the domain. A trailing full stop ends the address rather than joining it.
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


# Email addresses written to dodge filters: jane(at)example(dot)com, jane [at] example [dot] com,
# jane{at}example{dot}com, jane at example dot com, JANE AT EXAMPLE DOT CO DOT UK, jane @ example.com,
# jane(at)example.com: "at" in brackets, or as a word, or an "@" with spaces around it; "dot" in
# brackets or as a word, or a plain full stop. Any letter case.
# Not matched: "at" as a plain word with a domain of plain full stops when the word before it is a
# common English word ("look at gov.uk"), which names a public site; "jane at example" with no
# dot at all; an address split over other words ("jane at the example domain"). A match whose
# "at" and "dot"s are all plain ("jane at example.com") is redacted as an email, as is, rarely,
# a phrase shaped like one ("home at two dot com").
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s+|\s+@\s*)"
_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\.)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.%+-])(?P<local>[\w.%+-]+)(?P<at>{_AT})(?:[\w-]+{_DOT})+[a-z]{{2,}}(?!\w)",
    re.IGNORECASE,
)
_PLAIN_AT = re.compile(r"\s+at\s+", re.IGNORECASE)
_SPELT_DOT = re.compile(r"[(\[{<]\s*dot\s*[)\]}>]|\sdot\s", re.IGNORECASE)

# Street addresses: a house number (12, 12a, 12-14), or a flat, apartment or unit number, or both
# ("Flat 3, 14 Mill Lane", "Flat 3 Mill Court"), then one to three words of the street's name
# each starting with a capital (Acacia, St John's, Old Mill), then a street word in any case:
# 12 Acacia Avenue, 12a Acacia avenue, 7 The Green, 14 St John's Road, 3 Mill Ct. With the common
# street words (Road, Street, Avenue, Lane, Crescent, Terrace, Gardens, Grove, Mews) an address
# typed wholly in lower case is found too: 12 acacia avenue, 14 mill lane.
# Not matched: a street word with no number ("Flat rate", "the Mill Lane centre": name streets in
# the round's redact list); a number and lower-case words ending in a word that is also ordinary
# English ("a 5 minute drive", "3 times in a row", "2 very close calls"); a number after a full
# stop, comma or slash ("section 4.12 Mill Lane"). A capitalised phrase shaped like an address
# ("3 Family Court hearings") is redacted.
_HOUSE = r"\d{1,4}[A-Za-z]?(?:\s*[-–]\s*\d{1,4}[A-Za-z]?)?"
_FLAT = r"(?i:flat|apartment|apt|unit)\.?\s+\d{1,4}[A-Za-z]?"
_STREET_NAME = r"(?:[A-Z][\w'’.-]*\s+){1,3}"
_STREET_WORD = (
    r"(?i:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|cres|place|pl|grove"
    r"|gardens|gdns|terrace|walk|row|square|sq|mews|rise|hill|view|green|park|parade|gate|yard|vale"
    r"|wharf|boulevard|croft|chase|meadows?|fields)\.?"
)
_COMMON_STREET_WORD = r"(?i:road|street|avenue|lane|crescent|terrace|gardens|grove|mews)"
_ADDRESS = re.compile(
    rf"""
    (?<![\w.,/£$-])
    (?:{_FLAT},?\s+(?:{_HOUSE},?\s+)?{_STREET_NAME}{_STREET_WORD}       # Flat 3, 14 Mill Lane
      |{_HOUSE},?\s+{_STREET_NAME}{_STREET_WORD}                         # 12 Acacia Avenue
      |{_HOUSE},?\s+(?:[a-z][\w'’-]*\s+){{1,2}}{_COMMON_STREET_WORD}     # 12 acacia avenue
    )
    (?!\w)
    """,
    re.VERBOSE,
)

# A child's first name given with an age, which together single the child out:
# Tyler (age 4), Tyler (aged 4), Tyler (4), Tyler (4 yrs), Tyler (18 months), Tyler, aged 4,
# Tyler aged four, Tyler age 4, Tyler who is 4, Tyler, who's 4, Tyler who has just turned 4,
# Tyler is 4 years old, Tyler, 4 years old, Tyler, a 4-year-old, 4-year-old Tyler,
# four year old Tyler Smith. The name is one to three words, each starting with a capital, and
# only the name is redacted (the age alone identifies nobody); every other use of the same name
# in the comment is redacted with it (see auditkit.analysis.screening). Ages are 0 to 99 in
# digits, or one to eighteen in words, with "½" or "and a half".
# Not matched: a name written in lower case; words that are not names (_NOT_NAMES: "The child
# (age 4)", "He is 4 years old", "Children aged 4", "Mum (aged 19)"); an age with no "age",
# "aged", "who is", brackets or "year(s) old" ("Tyler, 4, was seen"; "Tyler is 4"), which reads
# too like counts and places ("Leicester, 4, Rutland, 2"); "age-appropriate", "aged care";
# an age before the name without "old" ("4 year Tyler").
_AGE = (
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen)(?:\s*½|\s+and\s+a\s+half)?"
)
_AGE_UNIT = r"(?:\s*(?:years?|yrs?|y/?o|months?|mths?|weeks?|wks?))?(?:\s+old)?"
_YEARS_OLD = r"[\s-]*(?:year|yr|month|week)s?[\s-]*old"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*"
_NAME = rf"{_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}}"
_CHILD_NAME = re.compile(
    rf"""
    (?<![\w'’-])(?P<name>{_NAME})
    (?i:\s*\(\s*(?:aged?\s*:?\s*)?{_AGE}{_AGE_UNIT}\s*\)                        # Tyler (age 4), Tyler (4)
      |,?\s+(?:who\s+)?(?:is\s+|was\s+)?aged?[ \t]*:?[ \t]*{_AGE}(?!\w)           # Tyler, aged 4
      |,?\s+who(?:\s+is|\s+was|['’]s|\s+(?:has\s+)?(?:just\s+)?turned|\s+will\s+be)\s+{_AGE}(?!\w)
      |,?\s+(?:is\s+|was\s+)?(?:an?\s+)?{_AGE}{_YEARS_OLD}(?!\w)                 # Tyler is 4 years old
    )
    |(?<![\w.])(?i:{_AGE}{_YEARS_OLD})\s+(?P<after>{_NAME})                      # 4-year-old Tyler
    """,
    re.VERBOSE,
)
# Capitalised words before an age that are not a child's name: they are left alone, so that
# "The child (age 4)" and "Children aged 4" are printed as written.
_NOT_NAMES = frozenset(
    """
    a about after all also an and any anyone as at baby babies before both boy boys brother brothers but by
    carer child children dad daughter daughters each eldest even every everyone everybody family for from
    girl girls grandchild grandson granddaughter he her here his i if in infant infants it its kid kids many
    middle mother mum my nan no none not now of oldest on one only or other our people person pupil pupils
    she sibling siblings sister sisters some someone son sons stepdad stepmum student students teenager
    teenagers that the their them then there these they this those to toddler toddlers twin twins two we
    what when where which who with year years young youngest you age aged
    """.split()
)

_PATTERNS = (
    ("email", _EMAIL),
    ("email", _OBFUSCATED_EMAIL),
    ("phone", _PHONE),
    ("nhs_number", _NHS_NUMBER),
    ("date", _DATE),
    ("postcode", _POSTCODE),
    ("address", _ADDRESS),
)


def find_details(text: str) -> list[tuple[int, int, str]]:
    """Where each identifying detail in ``text`` is, and of what kind.

    Finds email addresses (also written as "jane(at)example(dot)com"), UK phone numbers, NHS
    numbers (any ten-digit number written as one), full dates, full UK postcodes, street
    addresses and a child's name given with an age (only the name). Matches of different kinds
    may overlap; the caller merges them.

    Returns
    -------
    list of (start, stop, kind)
        One span per match, ``kind`` one of :data:`DETAIL_KINDS`, listed kind by kind in that order
        and within a kind in order of appearance.
    """
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        spans.extend((*match.span(), kind) for match in _matches(pattern, text))
    spans.extend((start, stop, "child_name") for start, stop in _child_names(text))
    return spans


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Like ``pattern.finditer(text)``, less the matches that a pattern's check turns down.

    After a match is turned down the search goes on from its second character, not its end, so
    that "me at jane.smith at example.org" still finds the address after "me at".
    """
    check = _CHECKS.get(pattern)
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if check is None or check(match):
            yield match
            position = max(match.end(), match.start() + 1)
        else:
            position = match.start() + 1


def _is_postcode(match: re.Match[str]) -> bool:
    """False for a school year or key stage and an ordinal: "Y1 2nd", "KS2 3rd".

    A lower-case ordinal after an outward code with a capital letter is read as words; a
    candidate wholly in lower case is still taken as a postcode typed carelessly.
    """
    candidate = match.group()
    inward = candidate[-3:]
    outward = candidate[:-3]
    return not (_LOWER_ORDINAL.fullmatch(inward) and not outward.islower())


def _is_obfuscated_email(match: re.Match[str]) -> bool:
    """False for "look at gov.uk": a plain "at" after a common word, with only plain full stops after it."""
    if not _PLAIN_AT.fullmatch(match.group("at")) or _SPELT_DOT.search(match.group()):
        return True
    return match.group("local").casefold() not in COMMON_WORDS


_CHECKS: dict[re.Pattern[str], Callable[[re.Match[str]], bool]] = {
    _POSTCODE: _is_postcode,
    _OBFUSCATED_EMAIL: _is_obfuscated_email,
}


def _child_names(text: str) -> list[tuple[int, int]]:
    """The span of each child's name given with an age, leading words that are not names left out."""
    spans = []
    for match in _CHILD_NAME.finditer(text):
        group = "name" if match.group("name") is not None else "after"
        words = [(word.start(), word.end()) for word in re.finditer(r"\S+", match.group(group))]
        offset = match.start(group)
        names = [(start, stop) for start, stop in words if match.group(group)[start:stop].casefold() not in _NOT_NAMES]
        if not names:
            continue
        first = next(i for i, word in enumerate(words) if word == names[0])
        spans.append((offset + words[first][0], offset + words[-1][1]))
    return spans
