"""The action plan as a round declares it: what it agreed to do about each finding, by whom and when.

A round's parameters may carry ``actions``, each with a ``ref``, the ``item`` it answers,
the ``action``, ``who``, ``by_when`` and ``status``. A follow-up lists the actions it is
checking, and its briefing shows their progress beside the change in the item each answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit.config.codebook import Item
from auditkit.errors import ParametersError

__all__ = ["CLOSED", "STATUSES", "Action", "is_overdue", "parse_actions"]

#: The statuses an action may have, in the order a plan moves through them.
STATUSES = ("not_started", "in_progress", "done", "dropped")
#: Statuses that end an action: such an action is never overdue.
CLOSED = ("done", "dropped")
_KEYS = ("ref", "item", "action", "who", "by_when", "status", "note")
_REQUIRED = ("ref", "item", "action", "who", "by_when", "status")


@dataclass(frozen=True)
class Action:
    """One agreed action and where it stands."""

    ref: str
    instrument: str
    item: Item
    action: str
    who: str
    by_when: dt.date
    status: str
    note: str = ""


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for date_format in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(str(value).strip(), date_format).date()
        except ValueError:
            continue
    return None


def _parse_one(path: Path, index: int, raw: Any, find_item: Callable[[str, str], tuple[str, Item]]) -> Action:
    if not isinstance(raw, dict):
        raise ParametersError(f"{path.name}: actions → item {index}: each action must be a mapping of keys to values.")
    ref = str(raw.get("ref", "")).strip()
    where = f"{path.name}: action {ref}" if ref else f"{path.name}: actions → item {index}"
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise ParametersError(f"{where}: key '{unknown[0]}' is not a known key; allowed: {', '.join(_KEYS)}.")
    missing = [key for key in _REQUIRED if raw.get(key) in (None, "")]
    if missing:
        raise ParametersError(f"{where}: key '{missing[0]}' is required but missing.")
    status = str(raw["status"]).strip()
    if status not in STATUSES:
        raise ParametersError(f"{where}: status '{status}' is not allowed; allowed: {', '.join(STATUSES)}.")
    by_when = _date(raw["by_when"])
    if by_when is None:
        raise ParametersError(
            f"{where}: by_when '{raw['by_when']}' is not a date; write dates as 2017-12-31 or 31/12/2017."
        )
    instrument, item = find_item(str(raw["item"]).strip(), f"action {ref} → item")
    return Action(
        ref=ref,
        instrument=instrument,
        item=item,
        action=str(raw["action"]).strip(),
        who=str(raw["who"]).strip(),
        by_when=by_when,
        status=status,
        note=str(raw.get("note") or "").strip(),
    )


def parse_actions(
    path: Path, raw: Sequence[Any], find_item: Callable[[str, str], tuple[str, Item]]
) -> tuple[Action, ...]:
    """Check a parameters file's ``actions``; every error names the file and the action's ref.

    ``find_item(key, where)`` resolves an item id (or ``instrument.item``) to its instrument and
    item, raising a :class:`ParametersError` that names the file and ``where``.

    Returns
    -------
    tuple of Action
        The actions in the order the file lists them.
    """
    actions = tuple(_parse_one(path, index, entry, find_item) for index, entry in enumerate(raw, start=1))
    refs = [action.ref for action in actions]
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise ParametersError(f"{path.name}: action {repeated[0]}: the ref {repeated[0]} is used more than once.")
    return actions


def is_overdue(action: Action, period_end: dt.date) -> bool:
    """Overdue: due before the round's period ended and neither done nor dropped.

    An action due on the last day of the period is not overdue.

    Returns
    -------
    bool
        True when ``action`` was due before ``period_end`` and is still open.
    """
    return action.by_when < period_end and action.status not in CLOSED
