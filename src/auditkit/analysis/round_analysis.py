"""A round analysed: its checked records, findings and quotes, its history and comparisons.

:func:`analyse_round` is what notebooks and the pipeline call; everything a briefing
shows is reachable from the :class:`Analysis` it returns. Every round in a history is
computed from its own data, never from an earlier run's output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from auditkit.analysis.actions import ActionCounts, count_actions, summarise_actions
from auditkit.analysis.area_tests import AREA_TEST_COLUMNS, BREAKDOWN_TEST_COLUMNS, compare_areas, compare_breakdowns
from auditkit.analysis.comparison import COMPARISON_COLUMNS, Comparison, adjust_round_p_values, compare_rounds
from auditkit.analysis.findings import Findings, compute_findings
from auditkit.analysis.indicator_tables import IndicatorTableFindings, summarise_indicator_table
from auditkit.analysis.memo import MEMO, memo_key
from auditkit.analysis.quotes import QuoteSelection, identifying_values, select_quotes
from auditkit.analysis.round_power import NEXT_ROUND_COLUMNS, plan_next_round
from auditkit.analysis.trend import TREND_COLUMNS, trend_over_rounds
from auditkit.config.build_time import run_time
from auditkit.config.history import load_history
from auditkit.config.round import Round, load_round
from auditkit.read.fingerprints import fingerprint, list_inputs
from auditkit.read.indicator_tables import read_indicator_tables
from auditkit.read.validation import load_round_records

__all__ = ["Analysis", "analyse_indicator_tables", "analyse_round"]


@dataclass(frozen=True, repr=False)
class Analysis:
    """One round analysed. ``records`` hold identifiers: they are for the analyst, never published.

    ``history`` holds the earlier rounds (oldest first), ``comparison`` this round against the
    one before, ``trend`` the test for trend when there are three or more rounds,
    ``area_tests`` this round's areas against each other, ``breakdown_tests`` the groups of each breakdown
    against each other (the two adjusted together, a family of their own: :data:`~auditkit.analysis.area_tests.
    GROUP_FAMILY`), and ``next_round`` the records each item needs in a round to detect the change the parameters
    set (:func:`auditkit.analysis.round_power.plan_next_round`).
    ``inputs`` lists every input file with its SHA-256, as read for this analysis (empty when it was computed
    with ``reuse=False``), and ``analysed_at`` when it was computed (``SOURCE_DATE_EPOCH`` when set): the
    briefing's footer shows both.
    ``published`` is True for the protected copy made by :func:`auditkit.publish.protection.protect_analysis`.
    """

    round: Round
    records: Mapping[str, pd.DataFrame]
    findings: Findings
    quotes: QuoteSelection
    history: tuple[Analysis, ...] = ()
    comparison: Comparison | None = None
    trend: pd.DataFrame | None = None
    area_tests: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(AREA_TEST_COLUMNS)))
    breakdown_tests: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(BREAKDOWN_TEST_COLUMNS)))
    indicator_tables: Mapping[str, IndicatorTableFindings] = field(default_factory=dict)
    next_round: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NEXT_ROUND_COLUMNS)))
    inputs: tuple[dict[str, str], ...] = ()
    analysed_at: dt.datetime | None = None
    published: bool = False

    def __repr__(self) -> str:
        # Short, and never the records (they hold identifiers): Jupyter keeps this beside the HTML display.
        instruments = list(self.round.instruments)
        return f"Analysis(round={self.round.id!r}, instruments={instruments}, rounds={len(self.rounds)})"

    def _repr_html_(self) -> str:
        """The round at a glance in Jupyter: one line for each section of the analyst's workbook."""
        from auditkit.analysis.notebook_display import analysis_html  # the display needs Jinja; a run does not

        return analysis_html(self)

    @property
    def fingerprint(self) -> str:
        """A short fingerprint of every input's content (:func:`auditkit.read.fingerprints.fingerprint`).

        Returns
        -------
        str
            12 hex digits; the inputs are hashed now if the analysis did not keep their hashes.
        """
        return fingerprint(self.inputs or list_inputs(self.rounds))

    def action_counts(self) -> ActionCounts:
        """How many of the round's actions there are, are done and are overdue.

        Returns
        -------
        ActionCounts
            ``total``, ``done`` and ``overdue``.
        """
        return count_actions(self.actions_table())

    def comparison_table(self) -> pd.DataFrame:
        """Every item compared with the baseline and every test with its inputs (empty without a baseline).

        Returns
        -------
        pandas.DataFrame
            Columns in :data:`auditkit.analysis.comparison.COMPARISON_COLUMNS`, one row per compared item.
        """
        if self.comparison is None:
            return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
        return self.comparison.items

    def actions_table(self) -> pd.DataFrame:
        """The round's actions: status, whether overdue, and the change in the item each answers.

        Returns
        -------
        pandas.DataFrame
            Columns in :data:`auditkit.analysis.actions.ACTION_COLUMNS`, one row per action.
        """
        items = self.comparison.items if self.comparison is not None else None
        return summarise_actions(self.round.actions, self.round.period_end, items)

    def indicator_rows(self) -> pd.DataFrame:
        """Every aggregate indicator table's rows, verdicts and funnel positions, one frame (empty without any).

        Returns
        -------
        pandas.DataFrame
            The verdict table of each indicator table with a ``table`` column naming it.
        """
        frames = [table.verdict_table().assign(table=name) for name, table in self.indicator_tables.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def indicator_checks(self) -> pd.DataFrame:
        """Every aggregate indicator table's data-quality checks, one frame (empty without any).

        Returns
        -------
        pandas.DataFrame
            Columns ``row``, ``check``, ``message`` and ``table``.
        """
        frames = [table.checks.assign(table=name) for name, table in self.indicator_tables.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["row", "check", "message"])

    def trend_table(self) -> pd.DataFrame:
        """The test for trend over three or more rounds (empty with fewer).

        Returns
        -------
        pandas.DataFrame
            Columns in :data:`auditkit.analysis.trend.TREND_COLUMNS`, one row per item.
        """
        return self.trend if self.trend is not None else pd.DataFrame(columns=list(TREND_COLUMNS))

    @property
    def rounds(self) -> tuple[Round, ...]:
        """Every round of the history and this one, oldest first (a tuple of :class:`Round`)."""
        return (*(earlier.round for earlier in self.history), self.round)


def analyse_indicator_tables(round_: Round) -> Mapping[str, IndicatorTableFindings]:
    """Read, check and summarise each of a round's aggregate indicator tables.

    Returns
    -------
    Mapping of str to IndicatorTableFindings
        By the table's name in the parameters file, read-only.
    """
    summaries = {}
    for name, table in round_.indicator_tables.items():
        rows, _ = read_indicator_tables(table.data, table.codebook)
        summaries[name] = summarise_indicator_table(rows, table.codebook, table.benchmarks, round_.funnel_target)
    return MappingProxyType(summaries)


def _analyse_alone(round_: Round, earlier_identifiers: frozenset[str] = frozenset()) -> Analysis:
    records = load_round_records(round_)
    return Analysis(
        round=round_,
        records=records,
        findings=compute_findings(round_, records),
        quotes=select_quotes(round_, records, earlier_identifiers),
        indicator_tables=analyse_indicator_tables(round_),
    )


def analyse_round(parameters: str | Path | Round, reuse: bool = True, tests: bool = True) -> Analysis:
    """Load a round (or take a loaded one) and its baselines, check all their data and compute everything.

    Within one process the same inputs (the same files with the same content) give the same
    :class:`Analysis` object without computing it again (:data:`auditkit.analysis.memo.MEMO`): a run
    validates a round and then its notebooks analyse it. Treat an Analysis as read-only.
    ``reuse=False`` computes afresh and keeps nothing, for a process that analyses a round once (it
    skips hashing the inputs). ``tests=False`` checks and counts the data but runs no statistical test and no
    power calculation (``comparison`` and ``trend`` None, ``area_tests``, ``breakdown_tests`` and ``next_round``
    empty): ``auditkit validate`` needs none of them, and an exact table test may take seconds.

    Returns
    -------
    Analysis
        The round analysed, with its history, comparison, trend, area tests and indicator tables.
    """
    round_ = parameters if isinstance(parameters, Round) else load_round(parameters)
    history = load_history(round_)
    if not reuse:
        return dataclasses.replace(_analyse_history(history, tests), analysed_at=run_time())
    inputs = tuple(list_inputs(history))  # hashed once: the key here, the footer and the manifest later

    def compute() -> Analysis:
        return dataclasses.replace(_analyse_history(history, tests), inputs=inputs, analysed_at=run_time())

    return MEMO.analysis(memo_key(inputs) + (() if tests else (("tests", "left out"),)), compute)


def _analyse_history(history: tuple[Round, ...], tests: bool = True) -> Analysis:
    # A comment may name a case audited in an earlier round: each round's quotes are screened for its
    # own identifiers and those of every round before it.
    analyses: list[Analysis] = []
    identifiers: frozenset[str] = frozenset()
    for round_ in history:
        analyses.append(_analyse_alone(round_, identifiers))
        if round_ is not history[-1]:
            identifiers |= identifying_values(round_, analyses[-1].records)
    current = analyses[-1]
    if not tests:  # auditkit validate: the data checked and counted, no test and no power calculation run
        return dataclasses.replace(current, history=tuple(analyses[:-1]))
    comparison = None
    if len(analyses) > 1:
        before = analyses[-2]
        comparison = compare_rounds(before.findings, current.findings, before.records, current.records)
    trend = trend_over_rounds([analysis.findings for analysis in analyses]) if len(analyses) >= 3 else None
    items, trend, areas, groups = adjust_round_p_values(
        None if comparison is None else comparison.items,
        trend,
        compare_areas(current.findings),
        compare_breakdowns(current.findings),
    )
    if comparison is not None:
        comparison = dataclasses.replace(comparison, items=items)
    return dataclasses.replace(
        current,
        history=tuple(analyses[:-1]),
        comparison=comparison,
        trend=trend,
        area_tests=areas,
        breakdown_tests=groups,
        next_round=plan_next_round(current.findings),
    )
