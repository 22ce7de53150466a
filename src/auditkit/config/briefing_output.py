"""What a round's briefing is written as: its formats (a web page, a PDF, a Word document) and its Word template.

A round's parameters file chooses the formats (``formats: [html, pdf, docx]``, all three when it says nothing),
and ``auditkit run --formats`` chooses for one run; both are checked by :func:`check_formats`, so both refuse
the same names with the same sentence. ``briefing → docx_template`` names a Word document whose styles the Word
briefing takes; :func:`resolve_docx_template` checks that it is a regular file named ``.docx`` without opening
it (:mod:`auditkit.briefing.docx_template` opens it and checks its styles).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auditkit.config.input_files import file_problem, resolve_path, shown_path
from auditkit.errors import ParametersError

__all__ = ["BRIEFING_FORMATS", "check_formats", "resolve_docx_template"]

#: Every format a briefing can be written in, in the order a run writes them: ``briefing.html``,
#: ``briefing.pdf`` (made from the HTML) and ``briefing.docx``.
BRIEFING_FORMATS = ("html", "pdf", "docx")
_ALLOWED = ", ".join(BRIEFING_FORMATS)


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The briefing formats named, or a ValueError saying which name is not one.

    Names are read without regard to case or surrounding spaces (``' DOCX'`` is ``docx``); a name given twice
    counts once.

    Returns
    -------
    tuple of str
        The formats named, in the order of :data:`BRIEFING_FORMATS`: ``['docx', 'HTML']`` → ``('html', 'docx')``.
        Raises ``ValueError`` (a sentence listing :data:`BRIEFING_FORMATS`) for a name that is not a format, or
        when none is named.
    """
    chosen = set()
    for name in formats:
        key = name.strip().lower()
        if key not in BRIEFING_FORMATS:
            raise ValueError(f"'{name}' is not a briefing format; allowed: {_ALLOWED}")
        chosen.add(key)
    if not chosen:
        raise ValueError(f"no briefing format is named; name one or more of: {_ALLOWED}")
    return tuple(name for name in BRIEFING_FORMATS if name in chosen)


def resolve_docx_template(parameters: Path, entry: str | None) -> Path | None:
    """A round's ``briefing → docx_template``, resolved against its parameters file and checked, not opened.

    Raises :class:`~auditkit.errors.ParametersError` when the entry is blank, names something that is not a
    readable regular file, or a file not named ``.docx``.

    Returns
    -------
    Path or None
        The template's absolute path; None when the round names none (the Word briefing then uses auditkit's own).
    """
    if entry is None:
        return None
    where = f"{parameters.name}: briefing → docx_template"
    if not entry.strip():
        raise ParametersError(f"{where} is empty; name a Word document (.docx), or leave the key out.")
    template = resolve_path(entry, parameters.parent)
    problem = file_problem(template)
    if problem is not None:
        raise ParametersError(f"{where} names {shown_path(template)}, which {problem}.")
    if template.suffix.lower() != ".docx":
        raise ParametersError(
            f"{where} names {template.name}; a Word template must be a Word document (.docx). Open it in Word "
            f"and save it as a Word Document (.docx)."
        )
    return template
