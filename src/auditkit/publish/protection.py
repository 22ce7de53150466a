"""An analysis as it may be published: disclosure control applied, identifiers gone.

:func:`protect_analysis` applies the round's disclosure rule (by default the DfE rule:
counts from 1 to 5 shown as ``c``, with secondary suppression) to every count a briefing
or the published findings show, and to everything computed from a suppressed count:
percentages, intervals, differences, tests and verdicts. The records, which hold case
references and response ids, are dropped. Briefing sections and published findings are
always made from the protected analysis.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pandas as pd

from auditkit.analysis.comparison import OVERLAP_COUNTS, Comparison, describe_caution
from auditkit.analysis.findings import ALL_AREAS, Findings, RecordCounts
from auditkit.analysis.memo import MEMO
from auditkit.analysis.round_analysis import Analysis
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.publish.breakdown_protection import (
    apply_linked_groups,
    protect_breakdown_tables,
    protect_breakdown_tests,
)
from auditkit.publish.disclosure import TOTAL, suppress_item_proportions, suppress_table
from auditkit.publish.indicator_protection import protect_indicator_table
from auditkit.publish.linked_tables import LinkedHidden, protect_linked_counts

__all__ = [
    "SUPPRESSED",
    "protect_analysis",
    "protect_findings",
]

#: The verdict shown where a comparison rests on a suppressed count.
SUPPRESSED = "suppressed"

#: The figures of a comparison hidden when either round's total for the item is hidden: the counts, the
#: proportions and their intervals, and everything worked out from them.
_COMPARISON_FIGURES = (
    "baseline_numerator",
    "baseline_proportion",
    "baseline_ci_low",
    "baseline_ci_high",
    "followup_numerator",
    "followup_proportion",
    "followup_ci_low",
    "followup_ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_adjusted",
    "overlap_z",
    "detectable_change",
)
#: The counts of re-audited records (and of those audited in one round only) and the figures that rest on them:
#: hidden when any such count is from 1 to ``min_count``. An item whose rounds share records has its primary test
#: resting on them too (:data:`_PRIMARY_ON_PAIRS`).
_PAIRED_FIGURES = (*OVERLAP_COUNTS, "paired_p_value")
_PRIMARY_ON_PAIRS = ("diff_ci_low", "diff_ci_high", "p_value", "p_adjusted", "overlap_z")
_ORDINAL_FIGURES = ("mw_u", "mw_p_value", "mw_superiority", "mw_superiority_ci_low", "mw_superiority_ci_high")


def _protect_counts(counts: RecordCounts, rule: DisclosureRule) -> RecordCounts:
    """Records per area (with their total) and complete against incomplete records."""
    records, complete, by_area = counts.records, counts.complete, dict(counts.by_area)
    if by_area:
        hidden = suppress_table(pd.DataFrame({"records": by_area}), rule)
        by_area = {area: None if hidden.loc[area, "records"] else count for area, count in by_area.items()}
        records = None if hidden.loc[TOTAL, "records"] else records
    completeness = suppress_table(
        pd.DataFrame({"complete": [counts.complete], "incomplete": [counts.records - counts.complete]}), rule
    )
    if completeness.iloc[0, 0]:
        complete = None
    if completeness.iloc[0, 2]:
        records = None
    return RecordCounts(records=records, complete=complete, by_area=MappingProxyType(by_area))


def _protect_distributions(distributions: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Answers per value of each item: a one-column table with the answered total."""
    protected = distributions.copy()
    protected["count"] = protected["count"].astype("Float64").astype("Int64")
    suppressed = np.zeros(len(distributions), dtype=bool)
    counts = distributions["count"].to_numpy()
    for rows in distributions.groupby(["instrument", "item"], sort=False).indices.values():
        hidden = suppress_table(pd.DataFrame({"count": counts[rows]}), rule)
        suppressed[rows] = hidden["count"].to_numpy()[:-1]
    protected["suppressed"] = suppressed
    protected.loc[suppressed, "count"] = pd.NA
    return protected


def protect_findings(findings: Findings) -> Findings:
    """Findings with every count the rule hides, and every figure computed from one, set to missing.

    Returns
    -------
    Findings
        The same ``round``; ``counts`` with hidden record counts as None; ``indicators`` with the columns of
        :data:`~auditkit.analysis.findings.INDICATOR_COLUMNS` plus ``suppressed`` and ``denominator_suppressed``
        (:func:`~auditkit.publish.disclosure.suppress_item_proportions`, each item's areas against their total);
        ``distributions`` with :data:`~auditkit.analysis.findings.DISTRIBUTION_COLUMNS` plus ``suppressed``
        and hidden counts missing; ``breakdowns`` likewise (:mod:`auditkit.publish.breakdown_protection`).
    """
    rule = findings.round.disclosure
    protected = (
        suppress_item_proportions(findings.indicators, ["instrument", "item"], "area", rule)
        if not findings.indicators.empty
        else findings.indicators.assign(suppressed=pd.Series(dtype=bool), denominator_suppressed=pd.Series(dtype=bool))
    )
    counts = {name: _protect_counts(counts, rule) for name, counts in findings.counts.items()}
    distributions = _protect_distributions(findings.distributions, rule)
    groups = protect_breakdown_tables(findings.breakdowns, findings.indicators, rule)
    if rule.active and not findings.cells.empty:
        items = {
            (name, item.id): item
            for name, instrument in findings.round.instruments.items()
            for item in instrument.codebook.indicators
        }
        hidden = protect_linked_counts(findings.cells, protected, distributions, counts, items, rule, groups)
        protected, distributions, counts = _apply_linked(hidden, protected, distributions, counts)
        groups = apply_linked_groups(groups, hidden)
    return Findings(
        round=findings.round,
        counts=MappingProxyType(counts),
        indicators=protected,
        distributions=distributions,
        breakdowns=groups,
    )


def _apply_linked(
    hidden: LinkedHidden, indicators: pd.DataFrame, distributions: pd.DataFrame, counts: dict[str, RecordCounts]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, RecordCounts]]:
    """The frames with everything the linked audit hides set to missing and flagged."""
    indicators, distributions = indicators.copy(), distributions.copy()
    keys = list(zip(indicators["instrument"], indicators["item"], indicators["area"]))
    numerator = np.array([area in hidden.numerators.get((i, j), ()) for i, j, area in keys], dtype=bool)
    denominator = np.array([area in hidden.denominators.get((i, j), ()) for i, j, area in keys], dtype=bool)
    indicators["suppressed"] = indicators["suppressed"].to_numpy(dtype=bool) | numerator | denominator
    indicators["denominator_suppressed"] = indicators["denominator_suppressed"].to_numpy(dtype=bool) | denominator
    rows = indicators["suppressed"].to_numpy()
    indicators.loc[rows, "numerator"] = pd.NA
    indicators.loc[rows, ["proportion", "ci_low", "ci_high"]] = np.nan
    indicators.loc[indicators["denominator_suppressed"].to_numpy(), "denominator"] = pd.NA
    values = zip(distributions["instrument"], distributions["item"], distributions["value"])
    flags = np.array([value in hidden.values.get((i, j), ()) for i, j, value in values], dtype=bool)
    distributions["suppressed"] = distributions["suppressed"].to_numpy(dtype=bool) | flags
    distributions.loc[distributions["suppressed"].to_numpy(), "count"] = pd.NA
    protected = {}
    for name, instrument_counts in counts.items():
        gone = hidden.records.get(name, frozenset())
        protected[name] = RecordCounts(
            records=None if ALL_AREAS in gone else instrument_counts.records,
            complete=instrument_counts.complete,
            by_area=MappingProxyType(
                {area: None if area in gone else count for area, count in instrument_counts.by_area.items()}
            ),
        )
    return indicators, distributions, protected


def _total_hidden(findings: Findings) -> set[tuple[str, str]]:
    rows = findings.indicators
    totals = rows[(rows["area"] == ALL_AREAS) & rows["suppressed"]]
    return set(zip(totals["instrument"], totals["item"]))


def _hidden_distributions(findings: Findings) -> set[tuple[str, str]]:
    rows = findings.distributions[findings.distributions["suppressed"]]
    return set(zip(rows["instrument"], rows["item"]))


def _protect_comparison(comparison: Comparison, before: Findings, after: Findings, rule: DisclosureRule) -> Comparison:
    items = comparison.items.copy()
    for column in ("baseline_numerator", "followup_numerator", "baseline_denominator", "followup_denominator"):
        items[column] = items[column].astype("Float64").astype("Int64")
    for column in OVERLAP_COUNTS:
        items[column] = items[column].astype("Float64").astype("Int64")
    hidden = _total_hidden(before) | _total_hidden(after)
    keys = list(zip(items["instrument"], items["item"]))
    totals = np.array([key in hidden for key in keys], dtype=bool)
    items.loc[totals, list(_COMPARISON_FIGURES)] = pd.NA
    items.loc[totals, "verdict"] = SUPPRESSED
    # A denominator each round hides stays hidden here (beside the records, it gives the unanswered count), and
    # so does the smallest detectable change, which rests on it.
    for side, findings in (("baseline", before), ("followup", after)):
        rows = findings.indicators
        gone = rows[(rows["area"] == ALL_AREAS) & rows["denominator_suppressed"].astype(bool)]
        hidden_denominators = set(zip(gone["instrument"], gone["item"]))
        denominators = np.array([key in hidden_denominators for key in keys], dtype=bool)
        items.loc[denominators, [f"{side}_denominator", "detectable_change"]] = pd.NA
    # The caution names the smaller number of answers in words ("seven cases"): not when it is hidden.
    vague = (items["baseline_denominator"].isna() | items["followup_denominator"].isna()) & items["caution"].ne("")
    items.loc[vague, "caution"] = [
        describe_caution(None, after.round.instruments[name].codebook) for name in items.loc[vague, "instrument"]
    ]
    small = np.array(
        [
            rule.active and any(1 <= value <= rule.min_count for value in counts if not pd.isna(value))
            for counts in items[list(OVERLAP_COUNTS)].itertuples(index=False)
        ],
        dtype=bool,
    )
    items.loc[small | totals, list(_PAIRED_FIGURES)] = pd.NA
    on_pairs = small & (items["overlap"] != "none").to_numpy()
    items.loc[on_pairs, list(_PRIMARY_ON_PAIRS)] = pd.NA
    items.loc[on_pairs, "verdict"] = SUPPRESSED
    ordinal = _hidden_distributions(before) | _hidden_distributions(after)
    items.loc[np.array([key in ordinal for key in keys], dtype=bool) | totals, list(_ORDINAL_FIGURES)] = pd.NA
    distributions = comparison.distributions.copy()
    for column in ("baseline_count", "followup_count"):
        distributions[column] = distributions[column].astype("Int64")
        for _, rows in comparison.distributions.groupby(["instrument", "item"], sort=False):
            flags = suppress_table(pd.DataFrame({"count": rows[column].to_numpy()}), rule)["count"].to_numpy()[:-1]
            distributions.loc[rows.index[flags], column] = pd.NA
    return dataclasses.replace(comparison, items=items, distributions=distributions)


def _protect_next_round(next_round: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    """The size the next round needs rests on the round's numerator and denominator for the item."""
    rows = findings.indicators
    totals = rows[rows["area"] == ALL_AREAS]
    gone = totals[totals["suppressed"].astype(bool) | totals["denominator_suppressed"].astype(bool)]
    hidden = set(zip(gone["instrument"], gone["item"]))
    protected = next_round.copy()
    protected["n_per_round"] = protected["n_per_round"].astype("Float64").astype("Int64")
    mask = np.array([key in hidden for key in zip(next_round["instrument"], next_round["item"])], dtype=bool)
    protected.loc[mask, "n_per_round"] = pd.NA
    return protected


def _protect_area_tests(area_tests: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    rows = findings.indicators
    hidden = set(zip(rows.loc[rows["suppressed"], "instrument"], rows.loc[rows["suppressed"], "item"]))
    protected = area_tests.copy()
    mask = np.array([key in hidden for key in zip(area_tests["instrument"], area_tests["item"])], dtype=bool)
    protected.loc[mask, ["p_value", "p_adjusted", "monte_carlo_se"]] = np.nan
    return protected


def _protect_trend(trend: pd.DataFrame, history: list[Findings]) -> pd.DataFrame:
    hidden = set().union(*(_total_hidden(findings) for findings in history))
    protected = trend.copy()
    mask = np.array([key in hidden for key in zip(trend["instrument"], trend["item"])], dtype=bool)
    protected.loc[mask, ["z", "chi2", "p_value", "p_adjusted"]] = np.nan
    for column in ("numerators", "proportions"):
        protected[column] = [
            [None if mask[index] else value for value in values] for index, values in enumerate(trend[column])
        ]
    return protected


def protect_analysis(analysis: Analysis) -> Analysis:
    """The analysis as it may be published under its round's disclosure rule, without records.

    Computed once per analysis kept in :data:`auditkit.analysis.memo.MEMO`; a briefing asks for it once per section.

    Returns
    -------
    Analysis
        A copy with ``published=True``, no records, and every figure the rule hides set to missing.
    """
    if analysis.published:
        return analysis
    return MEMO.derived(analysis, "protected", lambda: _protect(analysis))


def _protect(analysis: Analysis) -> Analysis:
    history = tuple(protect_analysis(earlier) for earlier in analysis.history)
    findings = protect_findings(analysis.findings)
    comparison = analysis.comparison
    if comparison is not None:
        comparison = _protect_comparison(comparison, history[-1].findings, findings, analysis.round.disclosure)
    trend = analysis.trend
    if trend is not None:
        trend = _protect_trend(trend, [earlier.findings for earlier in history] + [findings])
    return dataclasses.replace(
        analysis,
        records=MappingProxyType({}),
        findings=findings,
        history=history,
        comparison=comparison,
        trend=trend,
        area_tests=_protect_area_tests(analysis.area_tests, findings),
        next_round=_protect_next_round(analysis.next_round, findings),
        breakdown_tests=protect_breakdown_tests(analysis.breakdown_tests, findings.breakdowns),
        indicator_tables=MappingProxyType(
            {
                name: protect_indicator_table(table, analysis.round.disclosure)
                for name, table in analysis.indicator_tables.items()
            }
        ),
        published=True,
    )
