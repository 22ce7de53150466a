"""A round's disclosure rule as data: which counts its published outputs hide, and the symbol shown.

The rule is part of a round's parameters; :mod:`auditkit.publish.disclosure` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DisclosureRule", "check_symbol"]


def check_symbol(symbol: str) -> str:
    """A disclosure symbol as a round may declare it, or a ValueError saying why not.

    The symbol stands for a hidden count, so it may not be blank, and it may not be or hold a number
    (``'5'``, ``'0'``, ``'1.5'``, ``'٣'``): a reader would take it for the count itself.

    Returns
    -------
    str
        ``symbol``, unchanged.
    """
    if not isinstance(symbol, str):
        raise ValueError(f"symbol must be a string, not {symbol!r}")
    if not symbol.strip():
        raise ValueError(f"the symbol {symbol!r} is blank; choose a letter or a sign, such as c, x or *")
    if any(character.isnumeric() for character in symbol):
        raise ValueError(
            f"the symbol {symbol!r} is or holds a number, which a reader would take for a count; "
            "choose a letter or a sign, such as c, x or *"
        )
    return symbol


@dataclass(frozen=True)
class DisclosureRule:
    """Which counts a published briefing hides, and the symbol shown in their place.

    Counts from 1 to ``min_count`` are suppressed; ``min_count = 0`` suppresses nothing (a
    briefing for practitioners inside the partnership, not for wider publication). The symbol is
    never a number (:func:`check_symbol`).
    """

    min_count: int = 5
    symbol: str = "c"

    def __post_init__(self) -> None:
        if isinstance(self.min_count, bool) or not isinstance(self.min_count, (int, np.integer)):
            raise ValueError(f"min_count must be a whole number, not {self.min_count!r}")
        if self.min_count < 0:
            raise ValueError(f"min_count must be 0 or more, not {self.min_count}")
        check_symbol(self.symbol)

    @property
    def active(self) -> bool:
        """Whether the rule suppresses anything at all."""
        return self.min_count > 0

    def describe(self) -> str:
        """One plain-English sentence for a briefing, saying what is hidden and how it is shown.

        Returns
        -------
        str
            The sentence: that nothing is suppressed, or which counts are shown as :attr:`symbol`.
        """
        if not self.active:
            return (
                "No figures are suppressed: this briefing is for practitioners in the partnership "
                "and is not for wider publication."
            )
        counts = "Counts of 1 are" if self.min_count == 1 else f"Counts from 1 to {self.min_count} are"
        return f"{counts} shown as {self.symbol}, and so are other figures from which they could be worked out."
