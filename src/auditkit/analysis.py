"""A round analysed: its checked records, findings and quotes, in one object notebooks can display.

:func:`analyse_round` is what notebooks and the pipeline call; everything a briefing
shows is reachable from the :class:`Analysis` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pandas as pd

from auditkit.findings import Findings, compute_findings, findings_to_dict
from auditkit.parameters import Round, load_round
from auditkit.quotes import QuoteSelection, select_quotes
from auditkit.validation import load_round_records


@dataclass(frozen=True)
class Analysis:
    """One round analysed. ``records`` hold identifiers: they are for the analyst, never published."""

    round: Round
    records: Mapping[str, pd.DataFrame]
    findings: Findings
    quotes: QuoteSelection

    def to_dict(self) -> dict:
        """The published ``findings.json`` structure."""
        return findings_to_dict(self.findings)


def analyse_round(parameters: str | Path | Round) -> Analysis:
    """Load a round (or take a loaded one), check its data and compute everything its briefing reports."""
    round_ = parameters if isinstance(parameters, Round) else load_round(parameters)
    records = load_round_records(round_)
    return Analysis(
        round=round_,
        records=records,
        findings=compute_findings(round_, records),
        quotes=select_quotes(round_, records),
    )
