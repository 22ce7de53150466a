"""A follow-up against its baseline: each item's change, its interval and tests, and the verdict.

Every function takes findings (and, for paired and ordinal tests, the checked records) and returns a tidy frame
with stable columns. Which test is an item's primary one, and the others, is :mod:`auditkit.analysis.comparison_tests`.
Trends over three or more rounds are in :mod:`auditkit.analysis.trend`, areas (and the groups of each breakdown)
against each other in :mod:`auditkit.analysis.area_tests`; :func:`adjust_round_p_values` adjusts each family of a
round's p-values with Benjamini–Hochberg and gives each compared item its verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from auditkit.analysis.area_tests import adjust_group_family
from auditkit.analysis.comparison_tests import primary_test, shared_records
from auditkit.analysis.findings import ALL_AREAS, Findings
from auditkit.config.codebook import Codebook, Item
from auditkit.config.power_settings import POWER, SIGNIFICANCE
from auditkit.stats.inference import adjust_bh, mcnemar_exact_test
from auditkit.stats.power import detectable_change
from auditkit.stats.proportions import proportion_ci
from auditkit.stats.ranks import rank_sum_test

__all__ = [
    "COMPARISON_COLUMNS",
    "FAMILY",
    "FAMILY_LEVEL",
    "IMPROVED",
    "NO_CLEAR_CHANGE",
    "OVERLAP_COUNTS",
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
    "primary_test",
    "overlap",
    "verdict",
    "caution",
    "paired_pairs",
    "paired_both",
    "paired_b",
    "paired_c",
    "paired_neither",
    "baseline_only_numerator",
    "baseline_only_denominator",
    "followup_only_numerator",
    "followup_only_denominator",
    "paired_p_value",
    "overlap_z",
    "mw_u",
    "mw_p_value",
    "mw_method",
    "mw_superiority",
    "mw_superiority_ci_low",
    "mw_superiority_ci_high",
    "detectable_change",
    "detectable_method",
)
IMPROVED, WORSENED, NO_CLEAR_CHANGE = "improved", "worsened", "no clear change"
#: The name of the family of a comparison's primary tests, adjusted together (Benjamini–Hochberg).
FAMILY = "comparison"
#: A change is clear when its primary test's adjusted p-value is below this.
FAMILY_LEVEL = 0.05

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


def decide_verdict(p_adjusted: float, difference: float, lower_is_better: bool) -> str:
    """Improved or worsened when the primary test's adjusted p-value is below 0.05, in the direction of the change.

    A rise is an improvement unless lower is better for the item. The interval shown beside the verdict stays
    the unadjusted 95% interval, so it may leave out 0 while the verdict is no clear change.

    Returns
    -------
    str
        :data:`IMPROVED`, :data:`WORSENED` or :data:`NO_CLEAR_CHANGE` (also when the p-value or the difference is
        missing, or the difference is 0).
    """
    if pd.isna(p_adjusted) or pd.isna(difference) or difference == 0 or not p_adjusted < FAMILY_LEVEL:
        return NO_CLEAR_CHANGE
    rose = difference > 0
    return WORSENED if rose == bool(lower_is_better) else IMPROVED


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


def _levels(answers: pd.Series, item: Item) -> list[int]:
    position = {code: index for index, code in enumerate(item.codes)}
    return [position[code] for code in answers.dropna() if code in position and code not in item.not_applicable]


_NO_RANK_TEST = {
    "mw_u": np.nan,
    "mw_p_value": np.nan,
    "mw_method": "",
    "mw_superiority": np.nan,
    "mw_superiority_ci_low": np.nan,
    "mw_superiority_ci_high": np.nan,
}


def _ordinal(item: Item, baseline: pd.DataFrame, followup: pd.DataFrame) -> dict[str, object]:
    if not item.ordinal or item.id not in baseline.columns:
        return dict(_NO_RANK_TEST)
    before, after = _levels(baseline[item.id], item), _levels(followup[item.id], item)
    if not before or not after:
        return dict(_NO_RANK_TEST)
    result = rank_sum_test(before, after).iloc[0]
    return {
        "mw_u": float(result["u"]),
        "mw_p_value": float(result["p_value"]),
        "mw_method": result["method"],
        "mw_superiority": float(result["superiority"]),
        "mw_superiority_ci_low": float(result["superiority_ci_low"]),
        "mw_superiority_ci_high": float(result["superiority_ci_high"]),
    }


#: The counts of records shared by the rounds (and of those in one round only), by column, from
#: :func:`auditkit.analysis.comparison_tests.shared_records`.
OVERLAP_COUNTS = {
    "paired_pairs": "pairs",
    "paired_both": "both",
    "paired_b": "paired_b",
    "paired_c": "paired_c",
    "paired_neither": "neither",
    "baseline_only_numerator": "baseline_only_met",
    "baseline_only_denominator": "baseline_only",
    "followup_only_numerator": "followup_only_met",
    "followup_only_denominator": "followup_only",
}


def _paired(shared: dict[str, int]) -> dict[str, float]:
    if not shared["pairs"]:
        return {**{column: np.nan for column in OVERLAP_COUNTS}, "paired_p_value": np.nan}
    return {
        **{column: shared[key] for column, key in OVERLAP_COUNTS.items()},
        "paired_p_value": mcnemar_exact_test(shared["paired_b"], shared["paired_c"]),
    }


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


def _totals(findings: Findings) -> dict[tuple[str, str], dict[str, object]]:
    """Each item's row for all areas (:meth:`Findings.indicator`), by instrument and item: looked up once."""
    rows = findings.indicators[findings.indicators["area"] == ALL_AREAS]
    return {(row["instrument"], row["item"]): row for row in reversed(rows.to_dict("records"))}


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
        - ``difference``, ``diff_ci_low``, ``diff_ci_high``, ``p_value``, ``test``, ``primary_test``, ``overlap``:
          follow-up minus baseline with the unadjusted 95% interval and p-value of the item's primary test, which
          follows from how many records the rounds share (``overlap``: none, all or some;
          :func:`auditkit.analysis.comparison_tests.primary_test`);
        - ``p_adjusted`` and ``verdict``: filled in by :func:`adjust_round_p_values` (until then missing and
          :data:`NO_CLEAR_CHANGE`); ``caution`` (:func:`describe_caution`);
        - the records counted in both rounds (missing when none are): ``paired_pairs``, met in both
          (``paired_both``), at baseline only (``paired_b``), at follow-up only (``paired_c``), in neither
          (``paired_neither``), and those counted in one round only (``baseline_only_numerator`` of
          ``baseline_only_denominator`` met, and the same for ``followup_only_``) (:data:`OVERLAP_COUNTS`);
          ``paired_p_value``, McNemar's exact test on the pairs; ``overlap_z``, the partially overlapping z statistic;
        - ``mw_u``, ``mw_p_value``, ``mw_method``, ``mw_superiority``, ``mw_superiority_ci_low``,
          ``mw_superiority_ci_high``: Mann–Whitney for ordinal items, exact when small, with the probability that a
          follow-up answer is higher than a baseline one (:func:`auditkit.stats.ranks.rank_sum_test`; missing and
          ``""`` otherwise);
        - ``detectable_change``, ``detectable_method``: the smallest change rounds of these sizes detect with 80%
          power at the baseline's proportion (:func:`auditkit.stats.power.detectable_change`).
    """
    common, only_baseline, only_followup = _common_items(baseline, followup)
    rows, distributions = [], []
    totals_before, totals_after = _totals(baseline), _totals(followup)
    for name, item in common:
        codebook = followup.round.instruments[name].codebook
        before, after = totals_before[(name, item.id)], totals_after[(name, item.id)]
        x1, n1 = int(after["numerator"]), int(after["denominator"])
        x2, n2 = int(before["numerator"]), int(before["denominator"])
        shared = shared_records(item, codebook, baseline_records[name], followup_records[name])
        power = detectable_change(before["proportion"], n2, n1, power=POWER, alpha=SIGNIFICANCE).iloc[0]
        row = {
            "instrument": name,
            "item": item.id,
            "label": item.title,
            "measure": item.measure_name,
            "lower_is_better": item.lower_is_better,
            "baseline_numerator": x2,
            "baseline_denominator": n2,
            "baseline_proportion": before["proportion"],
            "baseline_ci_low": np.nan,  # both rounds' intervals: computed for every item at once, below
            "baseline_ci_high": np.nan,
            "followup_numerator": x1,
            "followup_denominator": n1,
            "followup_proportion": after["proportion"],
            "followup_ci_low": np.nan,
            "followup_ci_high": np.nan,
            **primary_test(shared, x1, n1, x2, n2),
            "p_adjusted": np.nan,
            "verdict": NO_CLEAR_CHANGE,
            "caution": describe_caution(min(n1, n2), codebook),
            **_paired(shared),
            **_ordinal(item, baseline_records[name], followup_records[name]),
            "detectable_change": power["detectable_change"],
            "detectable_method": power["method"],
        }
        rows.append(row)
        if item.ordinal:
            distributions.append(_distribution(name, item, baseline_records[name], followup_records[name]))
    items = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    for side in ("baseline", "followup"):
        if not items.empty:
            intervals = proportion_ci(items[f"{side}_numerator"].to_numpy(), items[f"{side}_denominator"].to_numpy())
            items[f"{side}_ci_low"] = intervals["ci_low"].to_numpy()
            items[f"{side}_ci_high"] = intervals["ci_high"].to_numpy()
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


def _adjusted(frame: pd.DataFrame) -> pd.DataFrame:
    adjusted = frame.copy()
    values = frame["p_value"].to_numpy(dtype=float)
    adjusted["p_adjusted"] = adjust_bh(values) if len(values) else values
    return adjusted


def adjust_round_p_values(
    comparison: pd.DataFrame | None, trend: pd.DataFrame | None, areas: pd.DataFrame, groups: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
    """Benjamini–Hochberg within each family of the round's tests; each compared item's verdict; adjusted copies.

    The families: the comparison's primary tests (one per compared item, :data:`FAMILY`), the tests for trend,
    and the tests of areas and of the groups of each breakdown against each other, adjusted together
    (:data:`~auditkit.analysis.area_tests.GROUP_FAMILY`, :func:`~auditkit.analysis.area_tests.adjust_group_family`).
    Secondary tests (McNemar's beside an overlap-aware test, Mann–Whitney) are reported unadjusted, outside any
    family. Each compared item's verdict then follows its adjusted p-value (:func:`decide_verdict`).

    Returns
    -------
    tuple
        Copies of ``(comparison, trend, areas, groups)`` with ``p_adjusted`` as R ``p.adjust(p, "BH")`` within each
        family, and the comparison's ``verdict`` decided; None stays None.
    """
    if comparison is not None:
        comparison = _adjusted(comparison)
        comparison["verdict"] = [
            decide_verdict(row.p_adjusted, row.difference, row.lower_is_better)
            for row in comparison.itertuples(index=False)
        ]
    areas, groups = adjust_group_family(areas, groups)
    return comparison, None if trend is None else _adjusted(trend), areas, groups
