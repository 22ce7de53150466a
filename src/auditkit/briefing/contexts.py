"""Each briefing section's data, built once per analysis and shared by every format that lays it out.

The HTML renderer (:mod:`auditkit.briefing.html`) and the Word renderer (:mod:`auditkit.briefing.docx_document`)
lay out the same context, from the same protected analysis: the same sentences, figures and suppression
symbols, and the same charts, drawn once.
"""

from __future__ import annotations

from typing import Any

from auditkit.analysis.memo import MEMO
from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.sections import SECTION_NAMES, SECTIONS
from auditkit.publish.protection import protect_analysis

__all__ = ["section_context"]


def section_context(name: str, analysis: Analysis) -> dict[str, Any]:
    """The context of one named briefing section, built from the published (protected) analysis.

    Disclosure control is applied here whatever the caller passes. The context is built once per analysis kept
    in :data:`auditkit.analysis.memo.MEMO`; treat it as read-only, every renderer in the process shares it.

    Returns
    -------
    dict
        What the section's builder in :data:`auditkit.briefing.sections.SECTIONS` returns: words, table cells
        and :class:`~auditkit.briefing.charts.Chart` objects. Raises ``ValueError`` for an unknown section.
    """
    if name not in SECTIONS:
        raise ValueError(f"There is no briefing section {name!r}; sections: {', '.join(SECTION_NAMES)}.")
    published = protect_analysis(analysis)
    return MEMO.derived(published, ("context", name), lambda: SECTIONS[name](published))
