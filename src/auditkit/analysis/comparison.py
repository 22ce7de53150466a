"""Rounds against each other: baseline against follow-up, trends over three or more rounds, areas within one.

Every function takes findings (and, for paired and ordinal tests, the checked records) and returns a tidy frame
with stable columns. p-values of a round are adjusted together with Benjamini–Hochberg by :func:`adjust_round_p_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditkit.analysis.findings import ALL_AREAS, Findings
from auditkit.config.codebook import Codebook, Item
from auditkit.stats.inference import (
    ExactTestTooLarge,
    adjust_bh,
    cochran_armitage_trend,
    difference_ci,
    fisher_exact_test,
    fisher_freeman_halton_test,
    mann_whitney_test,
    mcnemar_exact_test,
    pearson_chi_squared_test,
)
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "AREA_TEST_COLUMNS",
    "CHI_SQUARED",
    "COMPARISON_COLUMNS",
    "FISHER",
    "FREEMAN_HALTON",
    "IMPROVED",
    "NO_CLEAR_CHANGE",
    "SMALL_DENOMINATOR",
    "TREND_COLUMNS",
    "WORSENED",
    "Comparison",
    "adjust_round_p_values",
    "compare_areas",
    "compare_rounds",
    "decide_verdict",
    "describe_caution",
    "trend_over_rounds",
]

#: Columns of :attr:`Comparison.items`, in order.
COMPARISON_COLUMNS = (
    "instrument",
    "item",
    "label",
    "measure",
    "lower_is_better",
    "baseline_numerator",
    "baseline_denominator",
    "baseline_proportion",
    "baseline_ci_low",
    "baseline_ci_high",
    "followup_numerator",
    "followup_denominator",
    "followup_proportion",
    "followup_ci_low",
    "followup_ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
    "test",
    "verdict",
    "caution",
    "paired_pairs",
    "paired_b",
    "paired_c",
    "paired_p_value",
    "paired_p_adjusted",
    "mw_u",
    "mw_p_value",
    "mw_p_adjusted",
)
#: Columns of a trend frame, in order.
TREND_COLUMNS = (
    "instrument",
    "item",
    "label",
    "rounds",
    "numerators",
    "denominators",
    "proportions",
    "z",
    "chi2",
    "p_value",
    "p_adjusted",
)
#: Columns of an area-test frame, in order.
AREA_TEST_COLUMNS = ("instrument", "item", "label", "areas", "p_value", "p_adjusted", "test")

FISHER = "Fisher's exact test"
FREEMAN_HALTON = "Fisher–Freeman–Halton exact test"
#: The area test for tables too large for :func:`auditkit.stats.inference.fisher_freeman_halton_test`.
CHI_SQUARED = "Pearson's chi-squared test"
IMPROVED, WORSENED, NO_CLEAR_CHANGE = "improved", "worsened", "no clear change"

#: Below this many records in either round, a comparison is flagged as indicative only.
SMALL_DENOMINATOR = 20

_NUMBER_WORDS = (
    "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen"
).split()


@dataclass(frozen=True)
class Comparison:
    """A follow-up round against its baseline."""

    baseline_id: str
    baseline_title: str
    items: pd.DataFrame
    distributions: pd.DataFrame
    only_in_baseline: tuple[str, ...]
    only_in_followup: tuple[str, ...]


def decide_verdict(difference_low: float, difference_high: float, lower_is_better: bool) -> str:
    """Improved or worsened when the interval for the difference excludes 0, in the item's direction.

    Returns
    -------
    str
        :data:`IMPROVED`, :data:`WORSENED` or :data:`NO_CLEAR_CHANGE` (also when either bound is missing).
    """
    if np.isnan(difference_low) or np.isnan(difference_high):
        return NO_CLEAR_CHANGE
    if difference_low > 0:
        return WORSENED if lower_is_better else IMPROVED
    if difference_high < 0:
        return IMPROVED if lower_is_better else WORSENED
    return NO_CLEAR_CHANGE


def describe_caution(smallest: int, codebook: Codebook) -> str:
    """'ten cases: indicative only' when a round has fewer than :data:`SMALL_DENOMINATOR` answers.

    Returns
    -------
    str
        Such as ``'one case: indicative only'`` (the codebook's record noun, plural but for one); ``''`` from 20 on.
    """
    if smallest >= SMALL_DENOMINATOR:
        return ""
    noun = codebook.record if smallest == 1 else codebook.plural
    return f"{_NUMBER_WORDS[smallest]} {noun}: indicative only"


def _common_items(baseline: Findings, followup: Findings) -> tuple[list[tuple[str, Item]], list[str], list[str]]:
    before = {
        (name, item.id)
        for name, instrument in baseline.round.instruments.items()
        for item in instrument.codebook.indicators
    }
    common, only_followup = [], []
    for name, instrument in followup.round.instruments.items():
        for item in instrument.codebook.indicators:
            if (name, item.id) in before:
                common.append((name, item))
            else:
                only_followup.append(f"{name}.{item.id}")
    after = {(name, item.id) for name, item in common}
    only_baseline = sorted(f"{name}.{item_id}" for name, item_id in before - after)
    return common, only_baseline, only_followup


def _met(answers: pd.Series, item: Item) -> pd.Series:
    """True where met, False where not met, missing where blank or not applicable."""
    applicable = answers.notna() & ~answers.isin(item.not_applicable)
    return answers.isin(item.met).where(applicable)


def _paired(item: Item, codebook: Codebook, baseline: pd.DataFrame, followup: pd.DataFrame) -> dict[str, float]:
    empty = {"paired_pairs": np.nan, "paired_b": np.nan, "paired_c": np.nan, "paired_p_value": np.nan}
    link = codebook.linking_item
    if link is None or item.id not in baseline.columns:
        return empty
    before = baseline.set_index(baseline[link.id].astype(str))[item.id]
    after = followup.set_index(followup[link.id].astype(str))[item.id]
    shared = before.index.intersection(after.index)
    if shared.empty:
        return empty
    pairs = pd.DataFrame({"before": _met(before.loc[shared], item), "after": _met(after.loc[shared], item)}).dropna()
    b = int((pairs["before"].astype(bool) & ~pairs["after"].astype(bool)).sum())
    c = int((~pairs["before"].astype(bool) & pairs["after"].astype(bool)).sum())
    return {"paired_pairs": len(pairs), "paired_b": b, "paired_c": c, "paired_p_value": mcnemar_exact_test(b, c)}


def _levels(answers: pd.Series, item: Item) -> list[int]:
    position = {code: index for index, code in enumerate(item.codes)}
    return [position[code] for code in answers.dropna() if code in position and code not in item.not_applicable]


def _ordinal(item: Item, baseline: pd.DataFrame, followup: pd.DataFrame) -> dict[str, float]:
    if not item.ordinal or item.id not in baseline.columns:
        return {"mw_u": np.nan, "mw_p_value": np.nan}
    before, after = _levels(baseline[item.id], item), _levels(followup[item.id], item)
    if not before or not after:
        return {"mw_u": np.nan, "mw_p_value": np.nan}
    result = mann_whitney_test(before, after).iloc[0]
    return {"mw_u": float(result["u"]), "mw_p_value": float(result["p_value"])}


def _distribution(name: str, item: Item, baseline: pd.DataFrame, followup: pd.DataFrame) -> pd.DataFrame:
    before, after = baseline[item.id].value_counts(), followup[item.id].value_counts()
    return pd.DataFrame(
        {
            "instrument": name,
            "item": item.id,
            "value": list(item.codes),
            "value_label": [value.label for value in item.values],
            "baseline_count": [int(before.get(code, 0)) for code in item.codes],
            "followup_count": [int(after.get(code, 0)) for code in item.codes],
        }
    )


def compare_rounds(
    baseline: Findings,
    followup: Findings,
    baseline_records: Mapping[str, pd.DataFrame],
    followup_records: Mapping[str, pd.DataFrame],
) -> Comparison:
    """Every item with met values in both rounds: both proportions, their intervals, their difference and its tests.

    Returns
    -------
    Comparison
        Its ``items`` frame has one row per item measured in both rounds and the columns of :data:`COMPARISON_COLUMNS`:

        - ``instrument``, ``item``, ``label``, ``measure``, ``lower_is_better``: the item;
        - ``baseline_numerator``, ``baseline_denominator``, ``baseline_proportion``, and the same for
          ``followup_``: each round's counts and proportion (all areas together);
        - ``baseline_ci_low``, ``baseline_ci_high``, ``followup_ci_low``, ``followup_ci_high``: each round's
          Wilson 95% interval (:func:`auditkit.stats.proportions.proportion_ci` of its counts; missing when
          nobody answered), so that a chart draws them rather than working them out;
        - ``difference``, ``diff_ci_low``, ``diff_ci_high``: follow-up minus baseline with its 95% interval;
        - ``p_value``, ``p_adjusted``, ``test``: Fisher's exact test (adjusted later, with the round's
          other p-values, by :func:`adjust_round_p_values`);
        - ``verdict`` (:func:`decide_verdict`) and ``caution`` (:func:`describe_caution`);
        - ``paired_pairs``, ``paired_b``, ``paired_c``, ``paired_p_value``, ``paired_p_adjusted``: McNemar's
          exact test on records linked across the rounds (missing without a linking item);
        - ``mw_u``, ``mw_p_value``, ``mw_p_adjusted``: Mann–Whitney U for ordinal items (missing otherwise).
    """
    common, only_baseline, only_followup = _common_items(baseline, followup)
    rows, distributions = [], []
    for name, item in common:
        codebook = followup.round.instruments[name].codebook
        before = baseline.indicator(name, item.id)
        after = followup.indicator(name, item.id)
        x1, n1 = int(after["numerator"]), int(after["denominator"])
        x2, n2 = int(before["numerator"]), int(before["denominator"])
        interval = difference_ci(x1, n1, x2, n2).iloc[0]
        baseline_ci = proportion_ci(x2, n2).iloc[0]
        followup_ci = proportion_ci(x1, n1).iloc[0]
        row = {
            "instrument": name,
            "item": item.id,
            "label": item.title,
            "measure": item.measure_name,
            "lower_is_better": item.lower_is_better,
            "baseline_numerator": x2,
            "baseline_denominator": n2,
            "baseline_proportion": before["proportion"],
            "baseline_ci_low": baseline_ci["ci_low"],
            "baseline_ci_high": baseline_ci["ci_high"],
            "followup_numerator": x1,
            "followup_denominator": n1,
            "followup_proportion": after["proportion"],
            "followup_ci_low": followup_ci["ci_low"],
            "followup_ci_high": followup_ci["ci_high"],
            "difference": interval["difference"],
            "diff_ci_low": interval["diff_ci_low"],
            "diff_ci_high": interval["diff_ci_high"],
            "p_value": fisher_exact_test(x1, n1, x2, n2),
            "p_adjusted": np.nan,
            "test": FISHER,
            "verdict": decide_verdict(interval["diff_ci_low"], interval["diff_ci_high"], item.lower_is_better),
            "caution": describe_caution(min(n1, n2), codebook),
            **_paired(item, codebook, baseline_records[name], followup_records[name]),
            "paired_p_adjusted": np.nan,
            **_ordinal(item, baseline_records[name], followup_records[name]),
            "mw_p_adjusted": np.nan,
        }
        rows.append(row)
        if item.ordinal:
            distributions.append(_distribution(name, item, baseline_records[name], followup_records[name]))
    items = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    return Comparison(
        baseline_id=baseline.round.id,
        baseline_title=baseline.round.title,
        items=items,
        distributions=pd.concat(distributions, ignore_index=True)
        if distributions
        else pd.DataFrame(columns=["instrument", "item", "value", "value_label", "baseline_count", "followup_count"]),
        only_in_baseline=tuple(only_baseline),
        only_in_followup=tuple(only_followup),
    )


def trend_over_rounds(history: Sequence[Findings]) -> pd.DataFrame:
    """Cochran–Armitage test for trend for each item present in every round (three or more rounds).

    The test is :func:`auditkit.stats.inference.cochran_armitage_trend` (Cochran 1954; Armitage 1955),
    rounds scored 1, 2, 3…; ``p_adjusted`` is filled in by :func:`adjust_round_p_values`.

    Returns
    -------
    pandas.DataFrame
        One row per item, columns in :data:`TREND_COLUMNS`: instrument, item, label, rounds, numerators,
        denominators, proportions (lists, oldest round first), z, chi2, p_value, p_adjusted.
    """
    if len(history) < 3:
        return pd.DataFrame(columns=list(TREND_COLUMNS))
    latest = history[-1]
    rows = []
    for name, instrument in latest.round.instruments.items():
        for item in instrument.codebook.indicators:
            try:
                counts = [findings.indicator(name, item.id) for findings in history]
            except KeyError:
                continue
            numerators = [int(row["numerator"]) for row in counts]
            denominators = [int(row["denominator"]) for row in counts]
            if 0 in denominators:
                continue
            result = cochran_armitage_trend(numerators, denominators).iloc[0]
            rows.append(
                {
                    "instrument": name,
                    "item": item.id,
                    "label": item.title,
                    "rounds": [findings.round.id for findings in history],
                    "numerators": numerators,
                    "denominators": denominators,
                    "proportions": [x / n for x, n in zip(numerators, denominators)],
                    "z": float(result["z"]),
                    "chi2": float(result["chi2"]),
                    "p_value": float(result["p_value"]),
                    "p_adjusted": np.nan,
                }
            )
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))


def compare_areas(findings: Findings) -> pd.DataFrame:
    """For each item, the areas against each other: exact test on the area × met table.

    The exact test is R's ``fisher.test``; a table too large to enumerate exactly (over 10,000 records, or too many
    ways to fill it) gets Pearson's chi-squared test instead (``chisq.test(correct = FALSE)``); ``test`` says which.

    Returns
    -------
    pandas.DataFrame
        One row per item with two or more areas counted, columns in :data:`AREA_TEST_COLUMNS`; ``p_adjusted`` missing.
    """
    rows = []
    by_area = findings.indicators[findings.indicators["area"] != ALL_AREAS]
    for (name, item_id), group in by_area.groupby(["instrument", "item"], sort=False):
        counted = group[group["denominator"] > 0]
        if len(counted) < 2:
            continue
        table = np.column_stack([counted["numerator"], counted["denominator"] - counted["numerator"]])
        try:
            p_value, test = fisher_freeman_halton_test(table), FREEMAN_HALTON
        except ExactTestTooLarge:
            p_value, test = pearson_chi_squared_test(table), CHI_SQUARED
        rows.append(
            {
                "instrument": name,
                "item": item_id,
                "label": counted["label"].iloc[0],
                "areas": list(counted["area"]),
                "p_value": p_value,
                "p_adjusted": np.nan,
                "test": test,
            }
        )
    return pd.DataFrame(rows, columns=list(AREA_TEST_COLUMNS))


def adjust_round_p_values(
    comparison: pd.DataFrame | None, trend: pd.DataFrame | None, areas: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame]:
    """Benjamini–Hochberg over every p-value of the round at once; returns adjusted copies.

    Returns
    -------
    tuple
        Copies of ``(comparison, trend, areas)``, ``*_adjusted`` columns as R ``p.adjust(p, "BH")``; None stays None.
    """
    places = []
    if comparison is not None:
        places += [
            (0, "p_value", "p_adjusted"),
            (0, "paired_p_value", "paired_p_adjusted"),
            (0, "mw_p_value", "mw_p_adjusted"),
        ]
    if trend is not None:
        places.append((1, "p_value", "p_adjusted"))
    places.append((2, "p_value", "p_adjusted"))
    frames = [None if frame is None else frame.copy() for frame in (comparison, trend, areas)]
    values = np.concatenate([frames[index][column].to_numpy(dtype=float) for index, column, _ in places])
    adjusted = adjust_bh(values) if len(values) else values
    start = 0
    for index, _column, target in places:
        size = len(frames[index])
        frames[index][target] = adjusted[start : start + size]
        start += size
    return frames[0], frames[1], frames[2]
