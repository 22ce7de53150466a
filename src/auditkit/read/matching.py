"""Matching text as people see it: questions to codebook sources, answers to labels, and what differs.

A survey tool writes a question as its author typed it, and a codebook as someone copied it: one may have a
typographic apostrophe (’) where the other has a straight one ('), an en dash where the other has a hyphen, a
non-breaking space or a trailing space. :func:`normalise` makes such texts equal, so that every comparison of a
question, an option or an answer goes through one function. :func:`mark_difference` shows where two texts that
are not equal differ, for an error message; :func:`split_choices` splits a multi-select answer ("Health, Housing,
benefits and debt") on the labels it may hold.

Written by hand: the standard library folds case and Unicode compatibility forms (``unicodedata``) and finds
differences (``difflib``), but no library folds quotes and dashes to one form, and none splits a list whose items
may contain its separator.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["MARK_END", "MARK_START", "mark_difference", "nearest", "normalise", "split_choices"]

#: Around the part of a text that differs from another, in :func:`mark_difference`.
MARK_START, MARK_END = "«", "»"

_QUOTES = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
}
_DASHES = dict.fromkeys("‐‑‒–—―−⁃﹘﹣－", "-")
#: Characters that take no room: zero-width spaces and joiners, the byte order mark, the soft hyphen.
_INVISIBLE = dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", "")
_FOLD = str.maketrans({**_QUOTES, **_DASHES, **_INVISIBLE})


def normalise(text: object) -> str:
    """Text as it is compared: whatever its case, spacing, quotes and dashes.

    Unicode compatibility forms are folded (NFKC: a non-breaking space is a space, "…" is "..."), typographic
    quotes become straight ones, every dash a hyphen, invisible characters go, runs of white space become one
    space, and the text is trimmed and case-folded.

    Returns
    -------
    str
        The text in that one form: two texts a reader would call the same give the same string.
    """
    folded = unicodedata.normalize("NFKC", str(text)).translate(_FOLD)
    return " ".join(folded.split()).casefold()


def nearest(text: str, candidates: Mapping[str, str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``text``, compared as :func:`normalise` makes them.

    Parameters
    ----------
    text : str
        The text looked for.
    candidates : Mapping of str to str
        The texts to choose from, keyed by their :func:`normalise` form, each as it is shown.
    cutoff : float
        How alike (0 to 1, difflib's ratio) the nearest must be to count.

    Returns
    -------
    str or None
        The nearest candidate as it is shown; None when none is alike enough.
    """
    found = difflib.get_close_matches(normalise(text), list(candidates), n=1, cutoff=cutoff)
    return candidates[found[0]] if found else None


def _character_keys(text: str) -> list[str]:
    """One key a character, as :func:`normalise` compares it."""
    return [normalise(char) or char for char in text]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` widened to whole words and trimmed of the spaces at its ends.

    A space alone (one text has "tool kit" where the other has "toolkit") marks the words on both its sides.
    """
    if text[start:end].isspace() and 0 < start and end < len(text):
        start, end = start - 1, end + 1
    while 0 < start < len(text) and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def mark_difference(text: str, other: str) -> str:
    """``text`` with each part that ``other`` does not have marked ``«so»``, in whole words.

    Differences of case, spacing, quotes and dashes are not differences (see :func:`normalise`). Where ``other``
    has words that ``text`` lacks, nothing is marked in ``text``: mark ``other`` against ``text`` to show those.

    Returns
    -------
    str
        ``text``, its runs of white space made single spaces, with :data:`MARK_START` and :data:`MARK_END` around
        each differing part.
    """
    text, other = " ".join(text.split()), " ".join(other.split())
    matcher = difflib.SequenceMatcher(None, _character_keys(text), _character_keys(other), autojunk=False)
    spans: list[tuple[int, int]] = []
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            start, end = _word_span(text, start, end)
            if start == end:
                continue
            if spans and start <= spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
    marked, last = [], 0
    for start, end in spans:
        marked += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    return "".join([*marked, text[last:]])


def split_choices(cell: str, labels: Iterable[str], separators: str = ",;") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The answers a multi-select cell holds, found among ``labels``, longest first.

    A cell lists the options ticked, separated by ", " (Google Forms) or ";" (Microsoft Forms). A label may
    itself hold a separator ("Housing, benefits and debt"), so the cell is not simply split: from each answer's
    start, the longest run of parts that is a label is taken.

    Parameters
    ----------
    cell : str
        The cell's text.
    labels : Iterable of str
        The options the question has.
    separators : str
        The characters that may stand between two answers: ``,`` and ``;``, or ``;`` alone for Microsoft Forms,
        which ends each answer with one.

    Returns
    -------
    found : tuple of str
        The labels ticked, each in its :func:`normalise` form, in the cell's order.
    unmatched : tuple of str
        The parts of the cell that are no label, each as the cell writes it.
    """
    splitter = re.compile(f"([{re.escape(separators)}])")
    wanted = {normalise(label) for label in labels}
    longest = max((len(splitter.findall(label)) + 1 for label in wanted), default=1)
    pieces = splitter.split(cell)
    parts, separators = pieces[0::2], pieces[1::2]
    found: list[str] = []
    unmatched: list[str] = []
    index = 0
    while index < len(parts):
        if not parts[index].strip():
            index += 1
            continue
        for end in range(min(len(parts), index + longest), index, -1):
            candidate = normalise(_join(parts, separators, index, end))
            if candidate in wanted:
                found.append(candidate)
                index = end
                break
        else:
            unmatched.append(parts[index].strip())
            index += 1
    return tuple(found), tuple(unmatched)


def _join(parts: list[str], separators: list[str], start: int, end: int) -> str:
    """Parts ``start`` to ``end`` (exclusive) with the separators that stood between them."""
    joined = parts[start]
    for index in range(start + 1, end):
        joined += separators[index - 1] + parts[index]
    return joined
