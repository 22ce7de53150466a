"""The action plan at the end of a round: whether each action is overdue, and the change in its item.

The actions themselves are parsed with the round's parameters (:mod:`auditkit.config.actions`);
here each is set against the round's period and, for a follow-up, the comparison with its baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from auditkit.config.actions import Action, is_overdue
from auditkit.formatting import format_percent, is_missing

__all__ = ["ACTION_COLUMNS", "ActionCounts", "count_actions", "summarise_actions"]

#: Columns of :func:`summarise_actions`, in order.
ACTION_COLUMNS = (
    "ref",
    "instrument",
    "item",
    "label",
    "action",
    "who",
    "by_when",
    "status",
    "overdue",
    "note",
    "change",
    "verdict",
)


def summarise_actions(
    actions: Sequence[Action], period_end: dt.date, comparison: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per action with whether it is overdue and, with a comparison, the change in its item.

    ``comparison`` is a comparison items frame (:data:`auditkit.analysis.comparison.COMPARISON_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        One row per action, in the order given, columns in :data:`ACTION_COLUMNS`: ``ref``, ``instrument``,
        ``item``, ``label``, ``action``, ``who``, ``by_when``, ``status`` and ``note`` as the plan gives them;
        ``overdue`` (:func:`auditkit.config.actions.is_overdue` at ``period_end``); ``change``, the item's
        baseline and follow-up proportions such as ``"40% → 65%"``, and ``verdict`` from the comparison (both
        empty without a comparison, for an item not compared, or when either proportion is missing).
    """
    changes: dict[tuple[str, str], tuple[str, str]] = {}
    if comparison is not None:
        for row in comparison.itertuples():
            changes[(row.instrument, row.item)] = (_describe_change(row), row.verdict)
    rows = []
    for action in actions:
        change, verdict = changes.get((action.instrument, action.item.id), ("", ""))
        rows.append(
            {
                "ref": action.ref,
                "instrument": action.instrument,
                "item": action.item.id,
                "label": action.item.title,
                "action": action.action,
                "who": action.who,
                "by_when": action.by_when,
                "status": action.status,
                "overdue": is_overdue(action, period_end),
                "note": action.note,
                "change": change,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows, columns=list(ACTION_COLUMNS))


def _describe_change(row: Any) -> str:
    if is_missing(row.baseline_proportion) or is_missing(row.followup_proportion):
        return ""
    return f"{format_percent(row.baseline_proportion)} → {format_percent(row.followup_proportion)}"


@dataclass(frozen=True)
class ActionCounts:
    """How many actions a round lists, how many are done and how many overdue."""

    total: int
    done: int
    overdue: int


def count_actions(table: pd.DataFrame) -> ActionCounts:
    """Count a summarised action plan (:func:`summarise_actions`).

    Returns
    -------
    ActionCounts
        ``total``, ``done`` (status ``done``) and ``overdue`` actions.
    """
    return ActionCounts(
        total=len(table), done=int((table["status"] == "done").sum()), overdue=int(table["overdue"].sum())
    )
