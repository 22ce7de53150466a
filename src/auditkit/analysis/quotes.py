"""Choosing which practitioners' comments a briefing may quote.

Only comments whose author consented are quoted; a comment without consent never
leaves this module. Each consented comment is screened (:mod:`auditkit.analysis.screening`):
identifying details are replaced with ``[redacted]`` and unsafe comments are held back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from auditkit.analysis.screening import screen_quotes
from auditkit.config.round import Round

__all__ = ["QuoteSelection", "select_quotes"]


@dataclass(frozen=True)
class QuoteSelection:
    """The quotes a briefing prints, and how many comments were redacted or held back and why."""

    quotes: tuple[str, ...]
    without_consent: int
    over_limit: int
    redacted: int = 0
    held_back: int = 0


def select_quotes(round_: Round, records: Mapping[str, pd.DataFrame]) -> QuoteSelection:
    """Consented, non-blank comments in file order, screened, at most the round's ``max_quotes``.

    Each comment's whitespace is collapsed; the round's ``redact`` names are redacted along with
    other identifying details (:func:`auditkit.analysis.screening.screen_quotes`).

    Returns
    -------
    QuoteSelection
        The quotes to print, and how many comments were left out: without consent, over the limit,
        held back by screening; and how many of those printed were redacted.
    """
    consented: list[str] = []
    without_consent = 0
    for name, instrument in round_.instruments.items():
        quotes = instrument.codebook.quotes
        if quotes is None:
            continue
        frame = records[name]
        text = frame[quotes.text].astype("string").str.split().str.join(" ")
        written = text.notna() & text.ne("")
        agreed = frame[quotes.consent].astype("string").eq(quotes.consent_value).fillna(False)
        consented.extend(text[written & agreed].tolist())
        without_consent += int((written & ~agreed).sum())
    screened = screen_quotes(consented, names=round_.redact)
    publishable = [quote for quote in screened if quote.held_back is None]
    limit = round_.briefing.max_quotes
    shown = publishable[:limit]
    return QuoteSelection(
        quotes=tuple(quote.text for quote in shown),
        without_consent=without_consent,
        over_limit=max(len(publishable) - limit, 0),
        redacted=sum(quote.redacted for quote in shown),
        held_back=len(screened) - len(publishable),
    )
