"""A data file's problems as the lines a user reads: one per problem, or one for a problem repeated in many rows.

A survey export with a misspelt area in every other row has dozens of identical problems; listed one per row
they bury the one line that differs. :class:`auditkit.errors.DataValidationError` prints its problems with
:func:`problem_lines`. At the floor with :mod:`auditkit.errors`, which it serves: it imports nothing of auditkit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["GROUPED_FROM", "ROWS_SHOWN", "problem_lines"]

#: A problem repeated in this many rows or more (same file, column, value and message) is one line.
GROUPED_FROM = 3
#: The rows such a line names before "and N more".
ROWS_SHOWN = 8


def problem_lines(problems: Sequence[Any]) -> list[str]:
    """One line per problem (:class:`auditkit.errors.Problem`), in the order found, except that a problem
    repeated in :data:`GROUPED_FROM` rows or more is one line, where it first appears, naming the rows.

    Returns
    -------
    list of str
        Such as ``"llr-2017-survey.csv, column 'area', 22 rows (2, 7, 8, 9, 10, 11, 13, 15 and 14 more): 'Leics' is
        not one of the round's areas; …"``.
    """
    groups: dict[tuple, list[Any]] = {}
    for problem in problems:
        same = (problem.file, problem.column, str(problem.value), problem.message)
        groups.setdefault(same if problem.row is not None else (id(problem),), []).append(problem)
    lines = []
    for group in groups.values():
        if len(group) < GROUPED_FROM:
            lines.extend(str(problem) for problem in group)
            continue
        first = group[0]
        rows = ", ".join(str(problem.row) for problem in group[:ROWS_SHOWN])
        more = f" and {len(group) - ROWS_SHOWN} more" if len(group) > ROWS_SHOWN else ""
        where = [first.file.name] + ([f"column '{first.column}'"] if first.column is not None else [])
        value = "" if first.value is None else f"'{first.value}' "
        lines.append(f"{', '.join(where)}, {len(group)} rows ({rows}{more}): {value}{first.message}")
    return lines
