"""Breakdowns by group and the funnel's target: two analysis choices a parameters file makes.

``breakdowns: [agency, child_age_band]`` names categorical items (``type: choice``) of the round's
instruments; each gives, for every other item with met values of its instrument, the same per-group figures,
intervals and tests as areas do. A bare item id is broken down in every instrument that has it;
``instrument.item`` names one. ``funnel: {target: pooled_areas | stated_total}`` chooses the target of an
indicator table's funnel plot (:data:`auditkit.stats.funnel.FUNNEL_TARGETS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pydantic

from auditkit.config.codebook import Item
from auditkit.errors import ParametersError
from auditkit.stats.funnel import FUNNEL_TARGETS

__all__ = ["Breakdown", "FunnelChoice", "check_funnel_target", "resolve_breakdowns"]


@dataclass(frozen=True)
class Breakdown:
    """One instrument's records grouped by the answer to one of its categorical items."""

    instrument: str
    item: Item

    @property
    def groups(self) -> tuple[str, ...]:
        """The group codes, in the codebook's order."""
        return tuple(value.code for value in self.item.values)


def check_funnel_target(value: str) -> str:
    """A funnel target named in a parameters file; a ValueError names the allowed ones.

    Returns
    -------
    str
        One of :data:`auditkit.stats.funnel.FUNNEL_TARGETS`.
    """
    if value not in FUNNEL_TARGETS:
        raise ValueError(f"{value!r} is not a funnel target; allowed: {', '.join(FUNNEL_TARGETS)}")
    return value


class FunnelChoice(pydantic.BaseModel):
    """A parameters file's ``funnel:`` mapping: the ``target`` of indicator tables' funnel plots."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
    target: Annotated[str, pydantic.AfterValidator(check_funnel_target)] = "pooled_areas"


def _groupable(item: Item) -> bool:
    return item.type == "choice" and not item.identifying and not item.internal


def resolve_breakdowns(path: Path, keys: tuple[str, ...], instruments: Mapping[str, Any]) -> tuple[Breakdown, ...]:
    """The breakdowns a parameters file names, each checked to be a categorical item of an instrument.

    ``instruments`` maps each instrument's name to an object with a ``codebook``.

    Returns
    -------
    tuple of Breakdown
        In the order named, one per instrument that has the item; named twice, kept once.
    """
    found: dict[tuple[str, str], Breakdown] = {}
    for key in keys:
        name, _, item_id = key.rpartition(".")
        candidates = [name] if name else list(instruments)
        matches = [
            Breakdown(instrument, instruments[instrument].codebook.by_id[item_id])
            for instrument in candidates
            if instrument in instruments
            and item_id in instruments[instrument].codebook.by_id
            and _groupable(instruments[instrument].codebook.by_id[item_id])
        ]
        if not matches:
            allowed = sorted(
                {
                    item.id if not name else f"{instrument}.{item.id}"
                    for instrument, entry in instruments.items()
                    for item in entry.codebook.items
                    if _groupable(item)
                }
            )
            raise ParametersError(
                f"{path.name}: breakdowns names '{key}', which is not a categorical item (type: choice) of "
                f"{'any instrument' if not name else f'the instrument {name}'}; "
                f"allowed: {', '.join(allowed) if allowed else 'none (no instrument has a choice item)'}."
            )
        for breakdown in matches:
            found.setdefault((breakdown.instrument, breakdown.item.id), breakdown)
    return tuple(found.values())
