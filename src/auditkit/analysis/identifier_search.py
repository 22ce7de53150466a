"""Finding a round's own identifiers (case references, response ids) in free text, however they are written.

A practitioner who mentions case DD17-L01 in a comment may write it "dd17 l01", "DD17L01" or "dd-17-l01".
An identifier is therefore compared in its *compact form*: its letters and digits only, in one letter case
("dd17l01"). A stretch of a comment matches when it starts and ends at the edges of words, and its letters
and digits, with whatever lies between them (spaces, dashes, full stops, slashes) left out, are an
identifier's compact form. So "R1000" is found in "response R1000," and "R 1000", but not in "R10000" or
"XR1000".

A regular expression would do the same, one alternative per identifier with an optional separator between
every two characters; a survey of 50,000 responses would make that expression enormous and slow. Looking
each stretch of words up in a set, as here, takes the same time however many identifiers there are.

An identifier of fewer than :data:`MIN_IDENTIFIER_CHARACTERS` letters and digits, a common English word
(:data:`auditkit.config.common_words.COMMON_WORDS`: a note that says only "Yes"), or a word that stands for
no value (a note that says "None", "N/A", "Unknown" or "TBC") is not looked for: such a value cannot single
a record out, and looking for it would blank every "7" or "none" in every quote. The round's ``redact`` list
follows the same rule (:mod:`auditkit.config.redact_list`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from auditkit.config.common_words import COMMON_WORDS

__all__ = ["MIN_IDENTIFIER_CHARACTERS", "IdentifierIndex", "compact_form", "find_identifiers", "index_identifiers"]

#: The fewest letters and digits an identifier needs to be looked for.
MIN_IDENTIFIER_CHARACTERS = 3

_RUN = re.compile(r"[^\W_]+")

# Compact forms of what a spreadsheet cell holds when it holds no value.
_NO_VALUE = frozenset({"none", "nil", "null", "unknown", "notknown", "notapplicable", "tbc", "tba", "nan"})


def compact_form(text: str) -> str:
    """The letters and digits of ``text``, in one letter case: "DD17-L01" becomes "dd17l01".

    Returns
    -------
    str
        ``text`` with everything but letters and digits left out, case-folded.
    """
    return "".join(run.casefold() for run in _RUN.findall(text))


@dataclass(frozen=True)
class IdentifierIndex:
    """The identifiers to look for, as a set of compact forms, with the lengths that occur among them."""

    forms: frozenset[str] = frozenset()
    lengths: frozenset[int] = frozenset()

    @property
    def longest(self) -> int:
        """The length of the longest compact form (0 when there is none)."""
        return max(self.lengths, default=0)


def index_identifiers(values: Iterable[str]) -> IdentifierIndex:
    """The compact forms of ``values`` worth looking for, ready for :func:`find_identifiers`.

    Values with fewer than :data:`MIN_IDENTIFIER_CHARACTERS` letters and digits, common English words
    and words that stand for no value ("None", "N/A") are left out (see the module's note).

    Returns
    -------
    IdentifierIndex
        The compact forms and their lengths.
    """
    if isinstance(values, str):
        raise TypeError("identifiers must be a collection of values, not one string")
    forms = set()
    for value in values:
        # str(nan) would look for every "nan": refuse instead.
        if not isinstance(value, str):
            raise TypeError(f"each identifier must be a string, not {type(value).__name__}: {value!r}")
        form = compact_form(value)
        if len(form) >= MIN_IDENTIFIER_CHARACTERS and form not in COMMON_WORDS and form not in _NO_VALUE:
            forms.add(form)
    return IdentifierIndex(forms=frozenset(forms), lengths=frozenset(map(len, forms)))


def find_identifiers(text: str, index: IdentifierIndex) -> list[tuple[int, int]]:
    """Where the identifiers of ``index`` occur in ``text``, however they are spaced, dashed or cased.

    Where two identifiers could match from the same word, the longer is taken; matches do not overlap.

    Returns
    -------
    list of (start, stop)
        The span of each match in ``text``, in order of appearance.
    """
    if not index.forms:
        return []
    runs = [(match.start(), match.end(), match.group().casefold()) for match in _RUN.finditer(text)]
    longest = index.longest
    spans = []
    first = 0
    while first < len(runs):
        joined = ""
        last = None
        for position in range(first, len(runs)):
            joined += runs[position][2]
            if len(joined) > longest:
                break
            if len(joined) in index.lengths and joined in index.forms:
                last = position
        if last is None:
            first += 1
        else:
            spans.append((runs[first][0], runs[last][1]))
            first = last + 1
    return spans
