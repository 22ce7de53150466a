"""Choosing which practitioners' comments a briefing may quote.

Only comments whose author consented are quoted; a comment without consent never
leaves this module. Each consented comment is screened (:mod:`auditkit.analysis.screening`):
identifying details, the round's ``redact`` names and the round's own identifiers (every
value of every item marked ``identifying`` or ``internal``) are replaced with ``[redacted]``,
and unsafe comments are held back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from auditkit.analysis.screening import screen_quotes
from auditkit.config.round import Round

__all__ = ["QuoteSelection", "identifying_values", "select_quotes"]


@dataclass(frozen=True)
class QuoteSelection:
    """The quotes a briefing prints, and how many comments were redacted or held back and why.

    ``held_back`` counts every consented comment that screening held back; ``held_back_reasons`` breaks
    that count down by reason (such as ``"longer than 1,000 characters"``), for the analyst.
    """

    quotes: tuple[str, ...]
    without_consent: int
    over_limit: int
    redacted: int = 0
    held_back: int = 0
    held_back_reasons: tuple[tuple[str, int], ...] = ()

    def _repr_html_(self) -> str:
        """In Jupyter: the quotes printed and the comments left out, counted, then the quotes on demand."""
        from auditkit.analysis.notebook_display import quotes_html  # the display needs Jinja; a run does not

        return quotes_html(self)


def identifying_values(round_: Round, records: Mapping[str, pd.DataFrame]) -> frozenset[str]:
    """Every value of every free-text item marked ``identifying`` or ``internal`` in the round's records.

    These are what screening looks for in quotes: case references, response ids, auditors' notes. Choice
    and area items are left out, since their values are the codebook's own published codes, and so are
    date items, since screening redacts every full date anyway.

    Returns
    -------
    frozenset of str
        The values, blanks left out.
    """
    values: set[str] = set()
    for name, instrument in round_.instruments.items():
        frame = records[name]
        for item in instrument.codebook.items:
            if item.type == "text" and not item.is_published and item.id in frame:
                column = frame[item.id].dropna().astype(str)
                values.update(column[column.str.strip().ne("")])
    return frozenset(values)


def select_quotes(
    round_: Round, records: Mapping[str, pd.DataFrame], identifiers: Iterable[str] = ()
) -> QuoteSelection:
    """Consented, non-blank comments in file order, screened, at most the round's ``max_quotes``.

    Each comment's whitespace is collapsed; the round's ``redact`` names and :func:`identifying_values`
    are redacted along with other identifying details (:func:`auditkit.analysis.screening.screen_quotes`),
    as are ``identifiers``, the values of earlier rounds that a comment might name.

    Returns
    -------
    QuoteSelection
        The quotes to print, and how many comments were left out: without consent, over the limit,
        held back by screening (and why); and how many of those printed were redacted.
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
    # The round's identifiers are gathered only when there is something to screen.
    own = identifying_values(round_, records) if consented else frozenset()
    screened = screen_quotes(consented, names=round_.redact, identifiers=own | frozenset(identifiers))
    publishable = [quote for quote in screened if quote.held_back is None]
    limit = round_.briefing.max_quotes
    shown = publishable[:limit]
    reasons = Counter(quote.held_back for quote in screened if quote.held_back is not None)
    return QuoteSelection(
        quotes=tuple(quote.text for quote in shown),
        without_consent=without_consent,
        over_limit=max(len(publishable) - limit, 0),
        redacted=sum(quote.redacted for quote in shown),
        held_back=len(screened) - len(publishable),
        held_back_reasons=tuple(sorted(reasons.items())),
    )
