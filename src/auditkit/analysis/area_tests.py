"""A round's areas against each other: for each item, the Fisher–Freeman–Halton test on the area × met table.

Groups of a breakdown (:mod:`auditkit.analysis.breakdowns`) are tested the same way, with :func:`compare_groups`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.analysis.findings import ALL_AREAS, Findings
from auditkit.stats.contingency import CHI_SQUARED, EXACT, MONTE_CARLO, table_test
from auditkit.stats.inference import adjust_bh

__all__ = [
    "AREA_TEST_COLUMNS",
    "BREAKDOWN_TEST_COLUMNS",
    "CHI_SQUARED",
    "FREEMAN_HALTON",
    "GROUP_FAMILY",
    "MONTE_CARLO",
    "adjust_group_family",
    "compare_areas",
    "compare_breakdowns",
    "compare_groups",
]

#: Columns of an area-test frame, in order.
AREA_TEST_COLUMNS = ("instrument", "item", "label", "areas", "p_value", "p_adjusted", "test", "monte_carlo_se")

#: Columns of a group-test frame (:func:`compare_breakdowns`), in order.
BREAKDOWN_TEST_COLUMNS = (
    "instrument",
    "breakdown",
    "item",
    "label",
    "groups",
    "p_value",
    "p_adjusted",
    "test",
    "monte_carlo_se",
)

#: The name of the family of a round's tests of areas and of groups against each other, adjusted together
#: (Benjamini–Hochberg), apart from the comparison's primary tests (issue 18).
GROUP_FAMILY = "areas_and_groups"

#: The ``test`` of an exact p-value (:data:`CHI_SQUARED` names Pearson's test, :data:`MONTE_CARLO` a simulated one).
FREEMAN_HALTON = EXACT


def compare_groups(numerators, denominators) -> dict[str, float | str]:
    """The groups' met and not-met counts against each other (:func:`auditkit.stats.contingency.table_test`).

    Returns
    -------
    dict
        ``p_value``, ``test`` (:data:`FREEMAN_HALTON`, :data:`CHI_SQUARED` or :data:`MONTE_CARLO`) and
        ``monte_carlo_se`` (missing unless simulated).
    """
    numerators, denominators = np.asarray(numerators), np.asarray(denominators)
    result = table_test(np.column_stack([numerators, denominators - numerators])).iloc[0]
    return {"p_value": float(result["p_value"]), "test": result["method"], "monte_carlo_se": result["monte_carlo_se"]}


def compare_areas(findings: Findings) -> pd.DataFrame:
    """For each item, the areas against each other: the Fisher–Freeman–Halton test on the area × met table.

    Exact (R ``fisher.test``) for up to 200 records or whenever the enumeration finishes within about two seconds;
    beyond, Pearson's chi-squared test when every expected count is at least 5 (Cochran 1954), otherwise a Monte
    Carlo p-value from 100,000 simulated tables with a fixed seed (:func:`auditkit.stats.contingency.table_test`;
    ``test`` says which, ``monte_carlo_se`` gives the simulated p-value's standard error).

    Returns
    -------
    pandas.DataFrame
        One row per item with two or more areas counted, columns in :data:`AREA_TEST_COLUMNS`; ``p_adjusted`` missing.
    """
    by_area = findings.indicators[findings.indicators["area"] != ALL_AREAS]
    return _compare_counted(by_area, ("instrument", "item"), "area", "areas", AREA_TEST_COLUMNS)


def compare_breakdowns(findings: Findings) -> pd.DataFrame:
    """For each breakdown and item, the groups against each other, exactly as :func:`compare_areas` tests areas.

    Returns
    -------
    pandas.DataFrame
        One row per breakdown × item with two or more groups counted, columns in :data:`BREAKDOWN_TEST_COLUMNS`
        (``groups`` lists the groups counted); ``p_adjusted`` missing.
    """
    keys = ("instrument", "breakdown", "item")
    return _compare_counted(findings.breakdowns, keys, "group", "groups", BREAKDOWN_TEST_COLUMNS)


def _compare_counted(
    figures: pd.DataFrame, keys: tuple[str, ...], group: str, listed_as: str, columns: tuple[str, ...]
) -> pd.DataFrame:
    """One test row per ``keys`` with two or more ``group`` values counted (a denominator above 0), the groups
    listed under ``listed_as``; the rows in ``columns``."""
    rows = []
    for values, rows_of_item in figures.groupby(list(keys), sort=False):
        counted = rows_of_item[rows_of_item["denominator"] > 0]
        if len(counted) < 2:
            continue
        rows.append(
            {
                **dict(zip(keys, values, strict=True)),
                "label": counted["label"].iloc[0],
                listed_as: list(counted[group]),
                "p_adjusted": np.nan,
                **compare_groups(counted["numerator"], counted["denominator"]),
            }
        )
    return pd.DataFrame(rows, columns=list(columns))


def adjust_group_family(*frames: pd.DataFrame) -> pd.DataFrame | tuple[pd.DataFrame, ...]:
    """Benjamini–Hochberg over a round's area and group tests together, a family of their own (issue 18).

    The tests of areas against each other and of the groups of each breakdown are secondary: they are not in
    the family of the comparison with the baseline, but adjusted together here, as R ``p.adjust(p, "BH")``
    over all of them.

    Returns
    -------
    pandas.DataFrame or tuple of them
        Copies of the frames (each with ``p_value`` and ``p_adjusted`` columns) with ``p_adjusted`` filled; one
        frame when one was given.
    """
    copies = [frame.copy() for frame in frames]
    values = np.concatenate([frame["p_value"].to_numpy(dtype=float) for frame in copies]) if copies else np.array([])
    adjusted = adjust_bh(values) if len(values) else values
    start = 0
    for frame in copies:
        frame["p_adjusted"] = adjusted[start : start + len(frame)]
        start += len(frame)
    return copies[0] if len(copies) == 1 else tuple(copies)
