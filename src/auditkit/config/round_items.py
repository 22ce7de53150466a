"""Items and areas a parameters file names, checked against its instruments' codebooks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditkit.config.codebook import Item
from auditkit.errors import ParametersError

__all__ = ["check_areas", "find_item"]


def check_areas(path: Path, areas: tuple[str, ...], instruments: Mapping[str, Any]) -> None:
    """Areas may be left out only when no instrument has an area item, whose answers must be one of them.

    ``instruments`` are the round's instruments by name (each with a ``codebook``).

    Returns
    -------
    None
        Raises :class:`~auditkit.errors.ParametersError` naming the instrument and its area item.
    """
    found = [(name, item) for name, one in instruments.items() for item in one.codebook.items if item.type == "area"]
    if found and not areas:
        raise ParametersError(
            f"{path.name}: the round lists no areas, but the instrument '{found[0][0]}' has an area item "
            f"('{found[0][1].id}'), whose answers must be one of them; list them as the data writes them, as in "
            f"'areas: [Leicester, Leicestershire, Rutland]'."
        )


def find_item(
    path: Path, instruments: Mapping[str, Any], key: str, where: str = "briefing → recommendations"
) -> tuple[str, Item]:
    """Find an indicator by ``item`` or ``instrument.item``; the bare id must be unambiguous.

    Returns
    -------
    tuple of (str, Item)
        The instrument's name and the item; a :class:`~auditkit.errors.ParametersError` names what is allowed.
    """
    if "." in key:
        name, _, item_id = key.partition(".")
        candidates = [(name, instruments[name])] if name in instruments else []
    else:
        item_id = key
        candidates = list(instruments.items())
    matches = [
        (name, instrument.codebook.by_id[item_id])
        for name, instrument in candidates
        if item_id in instrument.codebook.by_id and instrument.codebook.by_id[item_id].is_indicator
    ]
    if len(matches) == 1:
        return matches[0]
    indicators = sorted(
        f"{name}.{item.id}" for name, instrument in instruments.items() for item in instrument.codebook.indicators
    )
    if not matches:
        raise ParametersError(
            f"{path.name}: {where} names '{key}', which is not an item with met values; "
            f"allowed: {', '.join(indicators)}."
        )
    raise ParametersError(
        f"{path.name}: {where} names '{key}', which is in more than one instrument; "
        f"write it as {' or '.join(f'{name}.{item.id}' for name, item in matches)}."
    )
