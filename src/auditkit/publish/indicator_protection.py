"""An aggregate indicator table as it may be published: small counts, and what would give them away, hidden.

An indicator table's rows are counts per area and period (children on a plan due to neglect, out of all
children on a plan). Under the round's disclosure rule a row whose met or not-met count is small is hidden,
with enough other rows that it cannot be worked out from the areas' sum; the stated total row is hidden
when its own counts are small, when the areas' sum is hidden, or when it differs from the areas' sum by a
small number (the children in no area shown). Everything computed from a hidden row goes with it: its
percentage, intervals, benchmark verdicts, funnel position, the trend test of its area, and the figures
of the data-quality notes about it (the note keeps its place, in words without figures).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from auditkit.analysis.indicator_tables import IndicatorTableFindings, funnel_curves
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.publish.disclosure import suppress_table
from auditkit.read.indicator_checks import CHECK_SUMMARIES

__all__ = ["protect_indicator_table"]


def _small(counts: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    return (counts >= 1) & (counts <= rule.min_count)


def _hidden_indicator_rows(
    rows: pd.DataFrame, total_area: str | None, rule: DisclosureRule
) -> tuple[np.ndarray, set[str]]:
    """Which rows of an aggregate indicator table to hide: per period, the areas' met and not-met
    counts go through :func:`suppress_table` (their sums are published totals); the stated total
    row is hidden when its own counts are small, when the areas' totals are, or when the total less
    the areas' sum is small. Also returns the periods whose areas' totals (their met or not-met counts
    added up) are hidden."""
    hidden = np.zeros(len(rows), dtype=bool)
    sums_hidden: set[str] = set()
    if not rule.active:
        return hidden, sums_hidden
    counted = rows["numerator"].notna() & rows["denominator"].notna()
    for period, group in rows[counted].groupby("period", sort=False):
        positions = [rows.index.get_loc(index) for index in group.index]
        is_total = (group["area"] == total_area).to_numpy()
        met = group["numerator"].astype(int).to_numpy()
        not_met = group["denominator"].astype(int).to_numpy() - met
        small = _small(met, rule) | _small(not_met, rule)
        parts = ~is_total
        if parts.any():
            cells = pd.DataFrame({"met": met[parts], "not_met": not_met[parts]})
            mask = suppress_table(cells, rule).to_numpy()
            part_positions = [position for position, part in zip(positions, parts) if part]
            hidden[part_positions] = mask[:-1, :2].any(axis=1)
            small = small | (is_total & mask[-1, :2].any())
            if mask[-1, :2].any():
                sums_hidden.add(period)
            every_part = parts.sum() == (rows.loc[rows["period"] == period, "area"] != total_area).sum()
            if is_total.any() and every_part:
                # Children counted in the total but in no area shown: a reader subtracts the areas from it.
                gaps = np.array(
                    [met[is_total].sum() - met[parts].sum(), not_met[is_total].sum() - not_met[parts].sum()]
                )
                small = small | (is_total & _small(gaps, rule).any())
        hidden[[position for position, flag in zip(positions, small & is_total) if flag]] = True
    return hidden, sums_hidden


def _protect_checks(
    checks: pd.DataFrame, rows: pd.DataFrame, hidden: np.ndarray, sums_hidden: set[str]
) -> pd.DataFrame:
    """The data-quality notes, with the figures of those about a hidden row (or, for a period's total,
    about a period with any hidden row) replaced by what the check found, in words."""
    hidden_rows = set(zip(rows.loc[hidden, "period"], rows.loc[hidden, "area"]))
    periods = {period for period, _ in hidden_rows} | sums_hidden
    protected = checks.copy()
    for index, check in checks.iterrows():
        whole_period = pd.isna(check["area"])
        if (check["period"] in periods) if whole_period else ((check["period"], check["area"]) in hidden_rows):
            subject = str(check["period"]) if whole_period else f"{check['area']}, {check['period']}"
            protected.at[index, "message"] = (
                f"{subject}: {CHECK_SUMMARIES[check['check']]}. Its figures are withheld under the disclosure rule."
            )
    return protected


def protect_indicator_table(findings: IndicatorTableFindings, rule: DisclosureRule) -> IndicatorTableFindings:
    """An indicator table with small counts, and everything computed from them, hidden.

    Hidden rows lose their figures, benchmark verdicts and funnel positions; the trend loses its test
    when its area has a hidden row; a data-quality note about a hidden row keeps its words but not its
    figures. A period's funnel target is withheld when it rests on a hidden total (the stated total row,
    or the sum of the areas' counts), and with it that period's funnel positions and limits, which would
    bound it. With any area of a period hidden, its overdispersion test and τ² are withheld, and so is its
    funnel when τ² widened the limits or its target pools the areas. The funnel limits of the other periods
    are worked out again (:func:`auditkit.analysis.indicator_tables.funnel_curves`) over the areas that keep a
    position, as the published funnel plot draws them.

    Returns
    -------
    IndicatorTableFindings
        The same frames and columns (``rows`` with one more, ``suppressed``, True where hidden).
    """
    total_area = findings.codebook.total_area
    hidden, sums_hidden = _hidden_indicator_rows(findings.rows, total_area, rule)
    rows = findings.rows.copy()
    rows["suppressed"] = hidden
    figures = ["numerator", "proportion", "ci_low", "ci_high", "ci99_low", "ci99_high"]
    rows[figures] = rows[figures].astype(float)
    rows.loc[hidden, figures] = np.nan
    rows["funnel"] = rows["funnel"].astype(object)
    rows.loc[hidden, "funnel"] = None
    targets = findings.funnel_targets
    totals_hidden = set(rows.loc[hidden & (rows["area"] == total_area).to_numpy(), "period"])
    withheld = np.where(
        targets["basis"] == "total", targets["period"].isin(totals_hidden), targets["period"].isin(sums_hidden)
    ).astype(bool)
    # The overdispersion test and τ² rest on every area's counts, and a pooled target on their sums: with a row
    # of the period hidden they go, and so do a pooled target and limits widened by τ² (and the positions
    # placed against them).
    periods_hidden = set(rows.loc[hidden & (rows["area"] != total_area).to_numpy(), "period"])
    touched = targets["period"].isin(periods_hidden).to_numpy()
    withheld = withheld | (
        touched & (targets["widened"].to_numpy(dtype=bool) | (targets["basis"] == "pooled").to_numpy())
    )
    rows.loc[rows["period"].isin(targets.loc[withheld, "period"]), "funnel"] = None
    targets = targets.copy()
    targets.loc[touched, ["phi", "overdispersion_p", "tau2"]] = np.nan
    targets = targets[~withheld].reset_index(drop=True)
    keys = set(zip(rows.loc[hidden, "period"], rows.loc[hidden, "area"]))
    verdicts = findings.verdicts.copy()
    verdicts["verdict"] = verdicts["verdict"].astype(object)
    verdicts.loc[[key in keys for key in zip(verdicts["period"], verdicts["area"])], "verdict"] = None
    trend = findings.trend.copy()
    if keys and not trend.empty:
        tested = trend["area"].isin([area for _, area in keys])
        trend.loc[tested, ["z", "chi2", "p_value"]] = np.nan
        trend.loc[tested, "significant"] = pd.NA
    return dataclasses.replace(
        findings,
        rows=rows,
        verdicts=verdicts,
        trend=trend,
        funnel_targets=targets,
        funnel_curve=funnel_curves(rows, targets),
        checks=_protect_checks(findings.checks, findings.rows, hidden, sums_hidden),
    )
