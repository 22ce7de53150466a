"""A follow-up against its baseline: each item's change, its interval and tests, and the verdict.

Every function takes findings (and, for paired and ordinal tests, the checked records) and returns a tidy frame
with stable columns. Trends over three or more rounds are in :mod:`auditkit.analysis.trend`, areas against each
other in :mod:`auditkit.analysis.area_tests`; :func:`adjust_round_p_values` adjusts all of a round's p-values
together with Benjamini–Hochberg.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditkit.analysis.findings import Findings
from auditkit.config.codebook import Codebook, Item
from auditkit.stats.inference import (
    adjust_bh,
    difference_ci,
    fisher_exact_test,
    mann_whitney_test,
    mcnemar_exact_test,
)
from auditkit.stats.proportions import proportion_ci

__all__ = [
    "COMPARISON_COLUMNS",
    "FISHER",
    "IMPROVED",
    "NO_CLEAR_CHANGE",
    "SMALL_DENOMINATOR",
    "WORSENED",
    "Comparison",
    "adjust_round_p_values",
    "compare_rounds",
    "decide_verdict",
    "describe_caution",
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
FISHER = "Fisher's exact test"
IMPROVED, WORSENED, NO_CLEAR_CHANGE = "improved", "worsened", "no clear change"

#: Below this many records in either round, a comparison is flagged as indicative only.
SMALL_DENOMINATOR = 20

_NUMBER_WORDS = (
    "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen"
).split()


@dataclass(frozen=True, repr=False)
class Comparison:
    """A follow-up round against its baseline."""

    baseline_id: str
    baseline_title: str
    items: pd.DataFrame
    distributions: pd.DataFrame
    only_in_baseline: tuple[str, ...]
    only_in_followup: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Comparison(baseline_id={self.baseline_id!r}, items={len(self.items)})"

    def _repr_html_(self) -> str:
        """In Jupyter: the verdicts counted, then each standard compared, the whole comparison on demand."""
        from auditkit.analysis.notebook_display import comparison_html  # the display needs Jinja; a run does not

        return comparison_html(self)


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


def describe_caution(smallest: int | None, codebook: Codebook) -> str:
    """'ten cases: indicative only' when a round has fewer than :data:`SMALL_DENOMINATOR` answers.

    ``smallest`` is None when the smaller number is hidden under the disclosure rule: the caution then
    says so without it (``'few cases: indicative only'``), since the number in words would give it away.

    Returns
    -------
    str
        Such as ``'one case: indicative only'`` (the codebook's record noun, plural but for one); ``''`` from 20 on.
    """
    if smallest is None:
        return f"few {codebook.plural}: indicative only"
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
