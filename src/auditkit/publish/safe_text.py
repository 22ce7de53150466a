"""Published text that cannot be turned against its reader: no invisible characters, no formulas.

Each rule is applied once, by each writer of an output, to everything it writes, not field by field:

* **Invisible characters** (:data:`INVISIBLE_CHARACTERS`): bidirectional overrides and isolates, which can make
  text read differently from what it is (a title that shows "survey" backwards, the "Trojan Source" trick),
  and zero-width characters, which make two names that look the same differ. They are removed from
  ``findings.json`` and ``findings.csv`` (:func:`auditkit.publish.findings_files.write_findings`), from every
  briefing section (:func:`auditkit.briefing.html.render_section`, and so from the notebook's outputs) and from
  the briefing page (:func:`auditkit.briefing.page.render_briefing_html`, and so from the PDF). In
  ``manifest.json`` they are written as JSON escapes (``\\u202e``) instead, so that the manifest keeps the
  input files' paths exactly and ``auditkit verify`` finds them again.
* **Formulas**: a spreadsheet opening a CSV file runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return as a formula (``=HYPERLINK(…)``, or a DDE ``cmd|' /C calc'!A0`` that starts a
  program). OWASP's advice on CSV injection is to write such cells as text: in CSV with a single quote
  before them (:func:`neutralise_formula`), in a workbook as a text cell (:mod:`auditkit.run.data_entry`).
  A number, negative or not, stays a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "INVISIBLE_CHARACTERS",
    "escape_invisible",
    "is_formula",
    "neutralise_formula",
    "safe_cells",
    "strip_invisible",
    "strip_invisible_in",
]

#: Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069); zero-width space,
#: non-joiner and joiner (U+200B–U+200D), word joiner (U+2060) and the zero-width no-break space (U+FEFF);
#: and the control characters, C0 but tab, line feed and carriage return, DEL and C1 (a Word document may not
#: hold them at all, and in HTML they are invisible).
INVISIBLE_CHARACTERS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff" + "".join(
    chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
)
#: What a cell that a spreadsheet reads as a formula starts with (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_REMOVE = str.maketrans(dict.fromkeys(INVISIBLE_CHARACTERS))
_INVISIBLE = re.compile(f"[{re.escape(INVISIBLE_CHARACTERS)}]")
_ESCAPE = str.maketrans({character: f"\\u{ord(character):04x}" for character in INVISIBLE_CHARACTERS})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def strip_invisible(text: str) -> str:
    """``text`` without its :data:`INVISIBLE_CHARACTERS`.

    Returns
    -------
    str
        The text with every invisible character removed: ``'Leic\\u200bester'`` → ``'Leicester'``.
    """
    # str.translate is quickest on ASCII text but looks every character of other text up in its table, about
    # fifteen times slower than the regular expression's scan (a briefing page in 0.5 ms, not 30 µs).
    return text.translate(_REMOVE) if text.isascii() else _INVISIBLE.sub("", text)


def strip_invisible_in(value: Any) -> Any:
    """A copy of nested data (mappings, lists, tuples) with :func:`strip_invisible` applied to every string.

    Returns
    -------
    Any
        The same shape: every string, keys included, without invisible characters; mappings as dicts, lists
        and tuples as lists and tuples; other values as they are.
    """
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, Mapping):
        return {strip_invisible_in(key): strip_invisible_in(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(strip_invisible_in(item) for item in value)
    return value


def escape_invisible(json_text: str) -> str:
    """JSON text with each invisible character written as its escape, which reads back as the same character.

    Only for JSON: :func:`json.dumps` writes these characters inside strings only, where an escape means the
    same.

    Returns
    -------
    str
        The text with ``\\u202e`` (six visible characters) in place of each U+202E, and so on.
    """
    return json_text.translate(_ESCAPE)


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would read the text of a cell as a formula.

    Returns
    -------
    bool
        True when ``text`` starts with one of :data:`FORMULA_STARTS` and is not a number: ``'=1+1'``,
        ``'@SUM(A1)'``, ``'-2+3'`` → True; ``'-0.25'``, ``'+3'``, ``'Agree'`` → False.
    """
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def neutralise_formula(value: Any) -> Any:
    """A CSV cell's value as text that no spreadsheet runs: a single quote before a formula.

    Returns
    -------
    Any
        ``"'=1+1"`` for ``'=1+1'`` (:func:`is_formula`); any other value, numbers included, as it is.
    """
    return f"'{value}" if isinstance(value, str) and is_formula(value) else value


def _safe(value: Any) -> Any:
    return neutralise_formula(strip_invisible(value)) if isinstance(value, str) else value


def safe_cells(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table to be written as CSV, every text cell without invisible characters and formulas.

    Returns
    -------
    pandas.DataFrame
        The same columns and rows; in columns that hold text, each string through :func:`strip_invisible`
        then :func:`neutralise_formula` (so ``'\\u200b=1+1'`` → ``"'=1+1"``); numbers as they were.
    """
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(_safe, na_action="ignore")
    safe.columns = [_safe(column) if isinstance(column, str) else column for column in safe.columns]
    return safe
