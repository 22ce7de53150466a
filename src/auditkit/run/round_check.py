"""Checking a round before anything is written: what ``auditkit validate`` does, and ``auditkit run`` first.

Kept apart from :mod:`auditkit.run.pipeline` so that validating imports only what reading and checking
need (pandas, the codebooks, the readers), not the notebooks, nbconvert, WeasyPrint or matplotlib.
"""

from __future__ import annotations

from pathlib import Path

from auditkit.analysis.round_analysis import Analysis, analyse_round

__all__ = ["check_round"]


def check_round(parameters: str | Path) -> Analysis:
    """Load a round and its baselines and check all their data, and its Word template; raises listing every
    problem found.

    No statistical test and no power calculation is run: a check does not need them (``tests=False``).

    Returns
    -------
    Analysis
        The round analysed (:func:`auditkit.analyse_round` with ``tests=False``), with its baselines in ``history``.
    """
    analysis = analyse_round(parameters, tests=False)
    if analysis.round.docx_template is not None and "docx" in analysis.round.formats:
        from auditkit.briefing.docx_template import load_reference  # python-docx: only for a round that needs it

        load_reference(analysis.round.docx_template)
    return analysis
