"""A round's ``redact`` list, checked: each entry must be a name that cannot blank ordinary words.

Screening replaces every whole-word match of every entry in every quote with ``[redacted]``, in any letter
case. An entry of one or two letters ("a", "Jo") or a common English word ("the", "Will") would blank words
that identify nobody throughout every quote, and leave most quotes with too little of their own to print;
such an entry is refused, so that whoever wrote the list gives the name in full instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from auditkit.config.common_words import COMMON_WORDS
from auditkit.errors import ParametersError

__all__ = ["MIN_REDACT_LETTERS", "check_redact_list"]

#: The fewest letters (and digits) a redact entry may have.
MIN_REDACT_LETTERS = 3

_LETTER = re.compile(r"[^\W_]")


def _problem(entry: str) -> str | None:
    letters = len(_LETTER.findall(entry))
    if letters < MIN_REDACT_LETTERS:
        count = "no letters" if letters == 0 else "only one letter" if letters == 1 else "only two letters"
        return f"redact lists {entry!r}, which has {count}"
    if entry.casefold() in COMMON_WORDS:
        return f"redact lists {entry!r}, which is a common English word"
    return None


def check_redact_list(path: Path, entries: Sequence[str]) -> tuple[str, ...]:
    """The non-blank entries of a parameters file's ``redact`` list, each checked.

    Raises :class:`ParametersError` naming the file and every entry of fewer than
    :data:`MIN_REDACT_LETTERS` letters or that is one of
    :data:`auditkit.config.common_words.COMMON_WORDS` (in any letter case), saying why.

    Returns
    -------
    tuple of str
        The entries, in the file's order, blank ones left out and each with its surrounding spaces removed.
    """
    kept = tuple(entry.strip() for entry in entries if entry.strip())
    problems = [problem for problem in map(_problem, kept) if problem is not None]
    if problems:
        raise ParametersError(
            "\n".join(
                f"{path.name}: {problem}; screening would blank that word throughout every quote. "
                f"Give the name in full, such as 'Jo Bloggs'."
                for problem in problems
            )
        )
    return kept
