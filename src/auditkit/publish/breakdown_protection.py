"""A round's breakdowns by group as they may be published: small counts, and what would give them away, hidden.

Each item's counts per group of a breakdown (:mod:`auditkit.analysis.breakdowns`) are first protected as one
table, the groups' met and not-met counts against the item's published total
(:func:`auditkit.publish.disclosure.suppress_proportions`); then they join the item's linked table, the same
cells summed by area and by group (:func:`auditkit.publish.linked_tables.protect_linked_counts`), which may hide
more. A group test (:func:`auditkit.analysis.area_tests.compare_breakdowns`) goes when any of its groups' counts
is hidden, as an area test does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.analysis.breakdowns import group_column
from auditkit.analysis.findings import ALL_AREAS
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.publish.disclosure import suppress_proportions
from auditkit.publish.linked_tables import LinkedHidden

__all__ = ["apply_linked_groups", "protect_breakdown_tables", "protect_breakdown_tests"]

_FIGURES = ["proportion", "ci_low", "ci_high"]


def protect_breakdown_tables(breakdowns: pd.DataFrame, indicators: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Each item's counts per group protected as one table against the item's total (unprotected ``indicators``).

    Returns
    -------
    pandas.DataFrame
        A copy of ``breakdowns`` with ``suppressed`` and ``denominator_suppressed`` (as
        :func:`~auditkit.publish.disclosure.suppress_proportions` gives them), hidden figures missing and the
        counts as nullable integers.
    """
    protected = breakdowns.copy()
    protected["suppressed"] = False
    protected["denominator_suppressed"] = False
    totals = indicators[indicators["area"] == ALL_AREAS].set_index(["instrument", "item"])
    for (name, _, item_id), rows in breakdowns.groupby(["instrument", "breakdown", "item"], sort=False):
        total = totals.loc[(name, item_id)]
        table = pd.DataFrame(
            {
                # Positions, not codes, name the groups here: a group's code could be "all".
                "group": [f"group {position}" for position in range(len(rows))] + [ALL_AREAS],
                "numerator": [*rows["numerator"], int(total["numerator"])],
                "denominator": [*rows["denominator"], int(total["denominator"])],
            }
        )
        flags = suppress_proportions(table, "group", rule).iloc[:-1]
        protected.loc[rows.index, "suppressed"] = flags["suppressed"].to_numpy()
        protected.loc[rows.index, "denominator_suppressed"] = flags["denominator_suppressed"].to_numpy()
    return _hide(protected)


def apply_linked_groups(breakdowns: pd.DataFrame, hidden: LinkedHidden) -> pd.DataFrame:
    """The protected breakdowns with what the linked audit hid as well.

    Returns
    -------
    pandas.DataFrame
        ``breakdowns`` with more rows ``suppressed`` (and ``denominator_suppressed``) and their figures missing.
    """
    protected = breakdowns.copy()
    keys = zip(protected["instrument"], protected["item"], protected["breakdown"], protected["group"])
    numerator, denominator = [], []
    for name, item_id, breakdown, group in keys:
        gone = hidden.groups.get((name, item_id), frozenset())
        numerator.append(("group numerator", group_column(breakdown), group) in gone)
        denominator.append(("group denominator", group_column(breakdown), group) in gone)
    protected["suppressed"] = protected["suppressed"].to_numpy(dtype=bool) | np.array(numerator, dtype=bool)
    protected["denominator_suppressed"] = protected["denominator_suppressed"].to_numpy(dtype=bool) | np.array(
        denominator, dtype=bool
    )
    protected["suppressed"] = protected["suppressed"] | protected["denominator_suppressed"]
    return _hide(protected)


def _hide(protected: pd.DataFrame) -> pd.DataFrame:
    for column in ("numerator", "denominator"):
        protected[column] = protected[column].astype("Float64").astype("Int64")
    rows = protected["suppressed"].to_numpy(dtype=bool)
    protected.loc[rows, "numerator"] = pd.NA
    protected.loc[rows, _FIGURES] = np.nan
    protected.loc[protected["denominator_suppressed"].to_numpy(dtype=bool), "denominator"] = pd.NA
    return protected


def protect_breakdown_tests(tests: pd.DataFrame, breakdowns: pd.DataFrame) -> pd.DataFrame:
    """Group tests with the p-values of those resting on a hidden count missing.

    Returns
    -------
    pandas.DataFrame
        A copy of ``tests`` (:data:`~auditkit.analysis.area_tests.BREAKDOWN_TEST_COLUMNS`).
    """
    hidden = breakdowns[breakdowns["suppressed"]]
    keys = set(zip(hidden["instrument"], hidden["breakdown"], hidden["item"]))
    protected = tests.copy()
    mask = np.array([key in keys for key in zip(tests["instrument"], tests["breakdown"], tests["item"])], dtype=bool)
    protected.loc[mask, ["p_value", "p_adjusted", "monte_carlo_se"]] = np.nan
    return protected
