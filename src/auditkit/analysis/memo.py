"""The one memo of analyses in a process, keyed by the content of their inputs.

A run analyses a round while validating it, then executes two notebooks that each ask for the same
analysis, its protected (publishable) copy and its briefing sections. Computing them once is most of
what makes a run fast, so this module keeps, for the last few analyses, the analysis and what was
derived from it. It is the only state auditkit keeps between calls, and it is explicit:

- the key is every input file's path and SHA-256 (parameters, codebooks and data of the round and of
  its baselines), so a saved change to any of them is a new analysis, even in a long-running process;
- values derived from an analysis (its protected copy, rendered sections) are kept with it, by name,
  and go when it goes;
- :meth:`AnalysisMemo.clear` empties it (tests, or a caller that wants to recompute).

Treat what it returns as read-only: every caller in the process shares it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["MEMO", "AnalysisMemo", "memo_key"]

Value = TypeVar("Value")


def memo_key(inputs: Sequence[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    """The memo's key for a list of hashed inputs (:func:`auditkit.read.fingerprints.list_inputs`).

    Returns
    -------
    tuple of (path, sha256) pairs
        In the order the inputs were listed.
    """
    return tuple((item["path"], item["sha256"]) for item in inputs)


@dataclass
class _Entry:
    analysis: Any
    derived: dict[Hashable, Any] = field(default_factory=dict)


class AnalysisMemo:
    """The last ``kept`` analyses, by their inputs' content, with what was derived from each."""

    def __init__(self, kept: int = 8) -> None:
        self.kept = kept
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def analysis(self, key: tuple, compute: Callable[[], Value]) -> Value:
        """The analysis for ``key``, computed by ``compute()`` the first time.

        Returns
        -------
        Analysis
            The same object for the same key while it is kept.
        """
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(compute())
            self._entries[key] = entry
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry.analysis

    def derived(self, analysis: Any, name: Hashable, compute: Callable[[], Value]) -> Value:
        """A value derived from ``analysis`` (or from a value derived from it), computed once per analysis.

        An analysis the memo does not hold (computed with ``reuse=False``, or built by hand) gets
        ``compute()`` every time: nothing is kept for it.

        Returns
        -------
        object
            What ``compute()`` returned for this analysis and ``name``.
        """
        entry = self._entry_of(analysis)
        if entry is None:
            return compute()
        if name not in entry.derived:
            entry.derived[name] = compute()
        return entry.derived[name]

    def stored(self, analysis: Any, name: Hashable) -> tuple[bool, Any]:
        """Whether a value derived from ``analysis`` under ``name`` is kept, and the value (None when not).

        Returns
        -------
        tuple of (bool, object)
            ``(True, value)`` when it is kept, ``(False, None)`` otherwise; nothing is computed.
        """
        entry = self._entry_of(analysis)
        if entry is None or name not in entry.derived:
            return False, None
        return True, entry.derived[name]

    def _entry_of(self, analysis: Any) -> _Entry | None:
        entry = self._entries.get(memo_key(getattr(analysis, "inputs", ())))
        if entry is None:
            return None
        if entry.analysis is analysis or any(value is analysis for value in entry.derived.values()):
            return entry
        return None

    def clear(self) -> None:
        """Forget every analysis and everything derived from them."""
        self._entries.clear()


#: The process's memo: :func:`auditkit.analysis.round_analysis.analyse_round` fills it,
#: :func:`auditkit.publish.protection.protect_analysis` and the briefing's sections read from it.
MEMO = AnalysisMemo()
