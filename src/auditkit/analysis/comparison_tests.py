"""The tests of one compared item: which records the rounds share, the primary test that follows, the others.

How many records the two rounds share decides the primary test of an item's met proportion (its one entry in
the round's Benjamini–Hochberg family): a record is shared when its linking item (a codebook's ``links_rounds``
item, such as a case reference or a survey's kept response id) has the same value in both rounds and it counts
towards the item in both. With none shared, Fisher's exact test and Newcombe's hybrid score interval; with all
shared, McNemar's exact test and Newcombe's paired interval; with some, the partially overlapping samples
z-test and its interval (:mod:`auditkit.stats.overlap`). McNemar's test on the shared records beside the
overlap-aware one, and Mann–Whitney on ordered items, are secondary: reported, not in the family.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from auditkit.config.codebook import Codebook, Item
from auditkit.stats.inference import difference_ci, fisher_exact_test, mcnemar_exact_test
from auditkit.stats.overlap import partially_overlapping_test
from auditkit.stats.paired import paired_difference_ci

__all__ = [
    "FISHER",
    "MANN_WHITNEY",
    "MCNEMAR",
    "OVERLAP_Z",
    "OVERLAPS",
    "PRIMARY",
    "SECONDARY",
    "TEST_COLUMNS",
    "TEST_NAMES",
    "met_answers",
    "primary_test",
    "shared_records",
    "item_tests",
]

#: Each test's key (its name in ``findings.json``) and the name a reader sees.
FISHER, MCNEMAR, OVERLAP_Z, MANN_WHITNEY = "fisher", "mcnemar", "partially_overlapping_z", "mann_whitney"
TEST_NAMES = {
    FISHER: "Fisher's exact test",
    MCNEMAR: "McNemar's exact test",
    OVERLAP_Z: "partially overlapping samples z-test",
    MANN_WHITNEY: "Mann–Whitney U test",
}
#: How many of the records the two rounds share, for one item: ``none``, ``all`` or ``some``.
OVERLAPS = ("none", "all", "some")
#: A test's role: the one test per item in the family, or reported beside it.
PRIMARY, SECONDARY = "primary", "secondary"
#: Columns of :func:`item_tests`, in order.
TEST_COLUMNS = ("instrument", "item", "test", "name", "role", "statistic", "p_value", "p_adjusted")


def met_answers(answers: pd.Series, item: Item) -> pd.Series:
    """True where met, False where not met, missing where blank or not applicable.

    Returns
    -------
    pandas.Series
        Of object dtype, the index of ``answers``.
    """
    applicable = answers.notna() & ~answers.isin(item.not_applicable)
    return answers.isin(item.met).where(applicable)


def _met_states(answers: pd.Series, item: Item) -> np.ndarray:
    """:func:`met_answers` as floats: 1 met, 0 not met, NaN not counted."""
    return met_answers(answers, item).to_numpy(dtype=float)


def _by_link(records: pd.DataFrame, link: Item, states: np.ndarray) -> dict[str, bool]:
    """Each counted record's met answer by its linking value (stripped); blank links left out."""
    keys = records[link.id]
    stripped = keys.astype(str).str.strip()
    keyed = (keys.notna() & (stripped != "")).to_numpy() & ~np.isnan(states)
    return dict(zip(stripped.to_numpy()[keyed].tolist(), (states[keyed] == 1).tolist()))


def shared_records(item: Item, codebook: Codebook, baseline: pd.DataFrame, followup: pd.DataFrame) -> dict[str, int]:
    """The item's records in both rounds, cross-classified: the paired table and the records in one round only.

    Returns
    -------
    dict
        ``pairs`` (records counted in both rounds), ``both`` (met in both), ``paired_b`` (met at baseline only),
        ``paired_c`` (met at follow-up only), ``neither``; ``baseline_only_met``, ``baseline_only`` and
        ``followup_only_met``, ``followup_only``: the met and counted records of each round that are not shared.
        Without a linking item, or with the item missing from the baseline's data, nothing is shared.
    """
    # Arrays and dictionaries rather than aligned Series: this runs for every item of every comparison.
    before = _met_states(baseline[item.id], item) if item.id in baseline else np.array([])
    after = _met_states(followup[item.id], item)
    link = codebook.linking_item
    first = second = np.array([], dtype=bool)
    if link is not None and item.id in baseline and link.id in baseline:
        keyed_before, keyed_after = _by_link(baseline, link, before), _by_link(followup, link, after)
        shared = [key for key in keyed_before if key in keyed_after]
        first = np.array([keyed_before[key] for key in shared], dtype=bool)
        second = np.array([keyed_after[key] for key in shared], dtype=bool)
    pairs = len(first)
    return {
        "pairs": pairs,
        "both": int((first & second).sum()),
        "paired_b": int((first & ~second).sum()),
        "paired_c": int((~first & second).sum()),
        "neither": int((~first & ~second).sum()),
        "baseline_only_met": int(np.nansum(before == 1)) - int(first.sum()),
        "baseline_only": int((~np.isnan(before)).sum()) - pairs,
        "followup_only_met": int(np.nansum(after == 1)) - int(second.sum()),
        "followup_only": int((~np.isnan(after)).sum()) - pairs,
    }


def primary_test(shared: dict[str, int], x1: int, n1: int, x2: int, n2: int) -> dict[str, object]:
    """The primary test of an item's met proportion, follow-up (x1 of n1) against baseline (x2 of n2).

    Returns
    -------
    dict
        ``overlap`` (one of :data:`OVERLAPS`), ``primary_test`` (a key of :data:`TEST_NAMES`), ``test`` (its name),
        ``difference``, ``diff_ci_low``, ``diff_ci_high`` (follow-up minus baseline, 95% interval), ``p_value``
        and ``overlap_z`` (the partially overlapping z statistic; missing for the other tests).
    """
    pairs = shared["pairs"]
    cells = (shared["both"], shared["paired_c"], shared["paired_b"], shared["neither"])  # follow-up first
    if pairs == 0:
        overlap, key = "none", FISHER
        interval = difference_ci(x1, n1, x2, n2).iloc[0]
        p_value, z = fisher_exact_test(x1, n1, x2, n2), math.nan
    elif shared["baseline_only"] == 0 and shared["followup_only"] == 0:
        overlap, key = "all", MCNEMAR
        interval = paired_difference_ci(*cells).iloc[0]
        p_value, z = mcnemar_exact_test(shared["paired_b"], shared["paired_c"]), math.nan
    else:
        overlap, key = "some", OVERLAP_Z
        interval = partially_overlapping_test(
            *cells,
            shared["followup_only_met"],
            shared["followup_only"],
            shared["baseline_only_met"],
            shared["baseline_only"],
        ).iloc[0]
        p_value, z = float(interval["p_value"]), float(interval["z"])
    return {
        "overlap": overlap,
        "primary_test": key,
        "test": TEST_NAMES[key],
        "difference": float(interval["difference"]),
        "diff_ci_low": float(interval["diff_ci_low"]),
        "diff_ci_high": float(interval["diff_ci_high"]),
        "p_value": p_value,
        "overlap_z": z,
    }


def _row(row: pd.Series, key: str, role: str, statistic: object, p_value: object, adjusted: object) -> dict:
    return {
        "instrument": row["instrument"],
        "item": row["item"],
        "test": key,
        "name": TEST_NAMES[key],
        "role": role,
        "statistic": statistic,
        "p_value": p_value,
        "p_adjusted": adjusted,
    }


def item_tests(items: pd.DataFrame) -> pd.DataFrame:
    """Every test result of a comparison, one row per item and test: the primary test, then the secondary ones.

    ``items`` is a comparison's items frame (:data:`auditkit.analysis.comparison.COMPARISON_COLUMNS`), protected
    or not: what it hides stays missing here. The statistic is the one R prints: none for Fisher's test (R gives
    an odds ratio, not a statistic), the number of records met only at follow-up for McNemar's exact test (R
    ``binom.test``'s number of successes), z for the partially overlapping samples test and W (U of the baseline)
    for Mann–Whitney. Only the primary test has an adjusted p-value.

    Returns
    -------
    pandas.DataFrame
        Columns in :data:`TEST_COLUMNS`: instrument, item, test (a key of :data:`TEST_NAMES`), name, role
        (:data:`PRIMARY` or :data:`SECONDARY`), statistic, p_value, p_adjusted.
    """
    rows = []
    for _, row in items.iterrows():
        key = row["primary_test"]
        statistic = {FISHER: np.nan, MCNEMAR: row["paired_c"], OVERLAP_Z: row["overlap_z"]}[key]
        rows.append(_row(row, key, PRIMARY, statistic, row["p_value"], row["p_adjusted"]))
        if key == OVERLAP_Z:
            rows.append(_row(row, MCNEMAR, SECONDARY, row["paired_c"], row["paired_p_value"], np.nan))
        if row["mw_method"]:
            rows.append(_row(row, MANN_WHITNEY, SECONDARY, row["mw_u"], row["mw_p_value"], np.nan))
    return pd.DataFrame(rows, columns=list(TEST_COLUMNS))
