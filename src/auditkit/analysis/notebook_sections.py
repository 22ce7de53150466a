"""The sections of the analyst's workbook as data: the lines each opens with, and its tables.

Each builder takes an analysed round and returns a :class:`SectionContent`: its title, its lines (the first
gives the counts its heading in the notebook promises, or says why the section is empty for this round and what
to add to the parameters file to fill it) and its compact tables. :mod:`auditkit.analysis.notebook_display`
renders them. Lines are :class:`markupsafe.Markup` built with ``Markup.format``, which escapes every value.
Nothing here reads a round's records: they hold identifiers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from auditkit.analysis.findings import ALL_AREAS
from auditkit.analysis.notebook_tables import (
    CompactTable,
    compact_table,
    format_figure,
    format_interval,
    format_p,
)
from auditkit.config.workbook import workbook_relative
from auditkit.formatting import format_date, format_percent

if TYPE_CHECKING:
    from auditkit.analysis.comparison import Comparison
    from auditkit.analysis.indicator_tables import IndicatorTableFindings
    from auditkit.analysis.quotes import QuoteSelection
    from auditkit.analysis.round_analysis import Analysis
    from auditkit.config.round import Round

__all__ = [
    "NOTEBOOK_SECTIONS",
    "SectionContent",
    "comparison_content",
    "indicator_table_content",
    "parameters_name",
    "quotes_content",
]

#: Below this adjusted p-value a test is counted as showing a difference.
_ALPHA = 0.05
#: How many area columns a compact table of figures by area shows (the rest are in its details).
_AREA_COLUMNS = 5


@dataclass(frozen=True)
class SectionContent:
    """A section of the analyst's workbook: its title, its lines, its tables and any quotes it lists."""

    title: str
    lines: tuple[Markup, ...]
    tables: tuple[CompactTable, ...] = ()
    quotes: tuple[str, ...] = ()
    empty: bool = False


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _count(value: int | None) -> str:
    return "hidden" if value is None else str(value)


def parameters_name(round_: Round) -> str:
    """The round's parameters file as the analyst names it: from its workbook when it has one.

    Returns
    -------
    str
        Such as ``'parameters/llr-2017.yaml'``; the file's own path when it is in no workbook.
    """
    return workbook_relative(round_.path)


def _no_instruments(analysis: Analysis, title: str) -> SectionContent:
    line = Markup(
        "No instruments: {} has no <code>instruments:</code> (it has aggregate indicator tables only). Add a case "
        "audit or a survey under <code>instruments:</code> to count its records and standards."
    ).format(parameters_name(analysis.round))
    return SectionContent(title=title, lines=(line,), empty=True)


def _records(analysis: Analysis) -> SectionContent:
    counts = analysis.findings.counts
    if not counts:
        return _no_instruments(analysis, "Records")
    parts = [
        Markup("{} in {} ({} complete)").format(_count(c.records), name, _count(c.complete))
        for name, c in counts.items()
    ]
    total = sum(c.records or 0 for c in counts.values())
    line = Markup("{} records: {}. A record is complete when it answers every required item.").format(
        total, Markup(", ").join(parts)
    )
    table = analysis.findings.counts_table()
    columns = ["instrument", "records", "complete", *[str(c) for c in table.columns[2 : 2 + _AREA_COLUMNS]]]
    return SectionContent("Records", (line,), (compact_table(table, "Records per instrument and area", columns),))


def _no_items(analysis: Analysis, title: str) -> SectionContent | None:
    if not analysis.findings.counts:
        return _no_instruments(analysis, title)
    if analysis.findings.indicators.empty:
        line = Markup(
            "No standards to count: no item of this round's codebooks has <code>met:</code> values. Give an item "
            "the values that meet its standard (<code>met: [yes]</code>) to get its proportion."
        )
        return SectionContent(title=title, lines=(line,), empty=True)
    return None


def _per_instrument(frame: pd.DataFrame) -> Markup:
    counts = frame.groupby("instrument", sort=False).size()
    return Markup(", ").join(Markup("{} in {}").format(count, name) for name, count in counts.items())


def _indicators(analysis: Analysis) -> SectionContent:
    empty = _no_items(analysis, "Indicators")
    if empty is not None:
        return empty
    totals = analysis.findings.totals()
    line = Markup("{}: {}. Each proportion is met over answered and applicable, with its Wilson 95% interval.").format(
        _plural(len(totals), "standard"), _per_instrument(totals)
    )
    readable = pd.DataFrame(
        {
            "instrument": totals["instrument"],
            "item": totals["item"],
            "label": totals["label"],
            "met / answered": [
                format_figure(*row) for row in zip(totals["numerator"], totals["denominator"], totals["proportion"])
            ],
            "95% CI": [format_interval(lo, hi) for lo, hi in zip(totals["ci_low"], totals["ci_high"])],
        }
    )
    return SectionContent("Indicators", (line,), (compact_table(readable, "Standards, all areas", full=totals),))


def _by_area(analysis: Analysis) -> SectionContent:
    empty = _no_items(analysis, "Indicators by area")
    if empty is not None:
        return empty
    table = analysis.findings.by_area_table()
    areas = [str(area) for area in table.columns if area != ALL_AREAS]
    named = ", ".join(areas) if len(areas) <= _AREA_COLUMNS + 1 else f"{len(areas)} areas"
    line = Markup("{} by area ({}): met/answered (percent), all areas first.").format(
        _plural(len(table), "standard"), named
    )
    columns = ["instrument", "item", *[str(c) for c in table.columns[: 1 + _AREA_COLUMNS]]]
    return SectionContent("Indicators by area", (line,), (compact_table(table, "Standards by area", columns),))


def _distributions(analysis: Analysis) -> SectionContent:
    empty = _no_items(analysis, "Distribution of answers")
    if empty is not None:
        return empty
    frame = analysis.findings.distributions
    answers = frame.assign(
        answer=[
            f"{label or value} {count}"
            for value, label, count in zip(frame["value"], frame["value_label"], frame["count"])
        ]
    )
    summary = answers.groupby(["instrument", "item"], sort=False)["answer"].agg(" · ".join).reset_index()
    line = Markup("{} of {}' answers, blank answers left out: one line per item below, every count on demand.").format(
        _plural(len(frame), "count"), _plural(len(summary), "item")
    )
    table = compact_table(summary, "Answers per item", full=frame)
    return SectionContent("Distribution of answers", (line,), (table,))


def _comparison(analysis: Analysis) -> SectionContent:
    if analysis.comparison is None:
        line = Markup(
            "No baseline round: {} names none, so nothing is compared. Add <code>baseline: &lt;earlier round&gt;.yaml"
            "</code> to it (the earlier round's parameters file, from its folder) to compare the two rounds."
        ).format(parameters_name(analysis.round))
        return SectionContent("Against the baseline", (line,), empty=True)
    return comparison_content(analysis.comparison)


def comparison_content(comparison: Comparison) -> SectionContent:
    """A comparison as a section of the workbook: the verdicts counted, a compact table and the whole one.

    Returns
    -------
    SectionContent
        Titled "Against the baseline"; its lines count the items compared and each verdict, and name the items
        asked in one round only.
    """
    items = comparison.items
    verdicts = Counter(items["verdict"].fillna("not published"))
    said = Markup(", ").join(Markup("{} {}").format(count, verdict) for verdict, count in sorted(verdicts.items()))
    cautious = int(items["caution"].fillna("").astype(str).ne("").sum()) if "caution" in items else 0
    lines = [
        Markup("{} compared with {} ({}): {}; {} indicative only (fewer than 20 answers in a round).").format(
            _plural(len(items), "standard"), comparison.baseline_title, comparison.baseline_id, said or "none", cautious
        )
    ]
    for where, names in (("the baseline", comparison.only_in_baseline), ("this round", comparison.only_in_followup)):
        if names:
            lines.append(Markup("Asked in {} only: {}.").format(where, ", ".join(names)))
    readable = pd.DataFrame(
        {
            "instrument": items["instrument"],
            "item": items["item"],
            "label": items["label"],
            "baseline": [
                format_figure(*row)
                for row in zip(items["baseline_numerator"], items["baseline_denominator"], items["baseline_proportion"])
            ],
            "this round": [
                format_figure(*row)
                for row in zip(items["followup_numerator"], items["followup_denominator"], items["followup_proportion"])
            ],
            "difference (95% CI)": [
                format_interval(*row, percent=False) for row in zip(items["diff_ci_low"], items["diff_ci_high"])
            ],
            "p adjusted": [format_p(value) for value in items["p_adjusted"]],
            "verdict": items["verdict"],
        }
    )
    table = compact_table(readable, "Standards against the baseline", full=items)
    return SectionContent("Against the baseline", tuple(lines), (table,))


def _trend(analysis: Analysis) -> SectionContent:
    ids = ", ".join(round_.id for round_ in analysis.rounds)
    if analysis.trend is None:
        line = Markup(
            "No test for trend: it needs three or more rounds, and there {} ({}). Name an earlier round in the "
            "<code>baseline:</code> of the earliest one's parameters file to add another."
        ).format("is 1 round" if len(analysis.rounds) == 1 else f"are {len(analysis.rounds)} rounds", ids)
        return SectionContent("Trend", (line,), empty=True)
    trend = analysis.trend
    clear = int((trend["p_adjusted"] < _ALPHA).sum())
    line = Markup("{} over {} ({}); {} with an adjusted p below 0.05.").format(
        _plural(len(trend), "standard"), _plural(len(analysis.rounds), "round"), ids, clear
    )
    readable = trend[["instrument", "item", "label"]].assign(
        proportions=[" → ".join(format_percent(p) for p in values) for values in trend["proportions"]],
        p_adjusted=[format_p(value) for value in trend["p_adjusted"]],
    )
    return SectionContent("Trend", (line,), (compact_table(readable, "Standards over the rounds", full=trend),))


def _actions(analysis: Analysis) -> SectionContent:
    table = analysis.actions_table()
    if table.empty:
        line = Markup(
            "No action plan: {} lists no <code>actions:</code>. Add them (see parameters/README.md, Actions) to "
            "follow each action's progress and the change in the standard it answers."
        ).format(parameters_name(analysis.round))
        return SectionContent("Actions", (line,), empty=True)
    counts = analysis.action_counts()
    line = Markup("{}: {} done, {} overdue at the end of the period ({}).").format(
        _plural(counts.total, "action"), counts.done, counts.overdue, format_date(analysis.round.period_end)
    )
    columns = ["ref", "label", "status", "by_when", "overdue", "change", "verdict"]
    return SectionContent("Actions", (line,), (compact_table(table, "The action plan", columns),))


def _indicator_tables(analysis: Analysis) -> SectionContent:
    if not analysis.indicator_tables:
        line = Markup(
            "No aggregate indicator tables: {} has no <code>indicator_tables:</code>. Add one, with a codebook such "
            "as <code>cp_plans_neglect</code> and its data, to analyse published counts such as children on a "
            "child protection plan because of neglect."
        ).format(parameters_name(analysis.round))
        return SectionContent("Aggregate indicator tables", (line,), empty=True)
    parts = [indicator_table_content(table, name) for name, table in analysis.indicator_tables.items()]
    lines = tuple(line for part in parts for line in part.lines)
    tables = tuple(table for part in parts for table in part.tables)
    return SectionContent("Aggregate indicator tables", lines, tables)


def indicator_table_content(findings: IndicatorTableFindings, name: str) -> SectionContent:
    """One aggregate indicator table as a section of the workbook.

    Returns
    -------
    SectionContent
        Its lines count the rows, periods and areas, the verdicts against benchmarks and the data-quality notes;
        its tables are the rows with their verdicts and the notes.
    """
    rows = findings.verdict_table()
    verdicts = Counter(findings.verdicts["verdict"].dropna())
    said = ", ".join(f"{verdict} {count}" for verdict, count in sorted(verdicts.items())) or "no benchmark"
    line = Markup("{}: {} in {} and {}; verdicts against benchmarks: {}; {}.").format(
        name,
        _plural(len(rows), "row"),
        _plural(len(findings.periods), "period"),
        _plural(rows["area"].nunique(), "area"),
        said,
        _plural(len(findings.checks), "data-quality note"),
    )
    readable = pd.DataFrame(
        {
            "period": rows["period"],
            "area": rows["area"],
            "figure": [format_figure(*row) for row in zip(rows["numerator"], rows["denominator"], rows["proportion"])],
            "95% CI": [format_interval(lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
            "funnel": rows["funnel"],
            **{benchmark: rows[benchmark] for benchmark in findings.codebook.benchmark_names},
        }
    )
    tables = [compact_table(readable, f"{name}: rows and verdicts", full=rows)]
    if not findings.funnel_targets.empty:  # each funnel's target, and whether its limits were widened (issue 18)
        tables.append(compact_table(findings.funnel_targets, f"{name}: funnel targets and limits"))
    if not findings.checks.empty:
        tables.append(compact_table(findings.checks, f"{name}: data-quality notes", ["message"]))
    return SectionContent("Aggregate indicator tables", (line,), tuple(tables))


def _area_tests(analysis: Analysis) -> SectionContent:
    if not analysis.findings.counts:
        return _no_instruments(analysis, "Areas against each other")
    tests = analysis.area_tests
    if tests.empty:
        line = Markup(
            "No area tests: no standard has answers from two or more areas (the round lists {}). Areas are compared "
            "when records name an area from the round's <code>areas:</code>."
        ).format(_plural(len(analysis.round.areas), "area"))
        return SectionContent("Areas against each other", (line,), empty=True)
    clear = int((tests["p_adjusted"] < _ALPHA).sum())
    line = Markup("{} tested across areas ({}); {} with an adjusted p below 0.05.").format(
        _plural(len(tests), "standard"), "; ".join(dict.fromkeys(tests["test"])), clear
    )
    readable = tests[["instrument", "item", "label"]].assign(
        areas=[len(areas) for areas in tests["areas"]],
        p_value=[format_p(value) for value in tests["p_value"]],
        p_adjusted=[format_p(value) for value in tests["p_adjusted"]],
    )
    return SectionContent("Areas against each other", (line,), (compact_table(readable, "Area tests", full=tests),))


def _breakdowns(analysis: Analysis) -> SectionContent:
    if not analysis.findings.counts:
        return _no_instruments(analysis, "Findings by group")
    figures, tests = analysis.findings.breakdowns, analysis.breakdown_tests
    if figures.empty:
        line = Markup(
            "No breakdowns: {} names none. Add <code>breakdowns: [agency]</code> to it (any item of <code>type: "
            "choice</code>) to give every standard's figures and a test of the groups for each of its answers."
        ).format(parameters_name(analysis.round))
        return SectionContent("Findings by group", (line,), empty=True)
    line = Markup("{} by {} ({}); {} with an adjusted p below 0.05.").format(
        _plural(figures[["instrument", "item"]].drop_duplicates().shape[0], "standard"),
        _plural(figures["breakdown"].nunique(), "breakdown"),
        ", ".join(dict.fromkeys(figures["breakdown"])),
        _plural(int((tests["p_adjusted"] < _ALPHA).sum()), "group test"),
    )
    readable = figures[["instrument", "breakdown", "item", "group_label"]].assign(
        figure=[format_figure(*row) for row in zip(figures["numerator"], figures["denominator"], figures["proportion"])]
    )
    shown = tests.assign(p_adjusted=[format_p(value) for value in tests["p_adjusted"]])
    tables = (compact_table(readable, "Figures by group", full=figures),)
    tables += (compact_table(shown, "Groups against each other", ["breakdown", "item", "p_adjusted", "test"]),)
    return SectionContent("Findings by group", (line,), tables)


def quotes_content(selection: QuoteSelection) -> SectionContent:
    """A quote selection as a section of the workbook: the counts, then the quotes themselves on demand.

    Returns
    -------
    SectionContent
        Its lines count the quotes printed (and redacted), and the comments left out: without consent, over the
        briefing's limit, held back by screening and why.
    """
    reasons = "; ".join(f"{reason}: {count}" for reason, count in selection.held_back_reasons)
    line = Markup(
        "{} printed ({} with details redacted); left out: {} without consent, {} over the limit, {} held back{}."
    ).format(
        _plural(len(selection.quotes), "quote"),
        selection.redacted,
        selection.without_consent,
        selection.over_limit,
        selection.held_back,
        f" ({reasons})" if reasons else "",
    )
    return SectionContent("Quotes", (line,), quotes=selection.quotes, empty=not selection.quotes)


def _quotes(analysis: Analysis) -> SectionContent:
    if not analysis.findings.counts:
        return _no_instruments(analysis, "Quotes")
    has_quotes = any(instrument.codebook.quotes is not None for instrument in analysis.round.instruments.values())
    if not has_quotes:
        line = Markup(
            "No quotes: no instrument's codebook names a comment item and a consent item (<code>quotes:</code>), "
            "so nothing is quoted."
        )
        return SectionContent("Quotes", (line,), empty=True)
    return quotes_content(analysis.quotes)


#: Each section of the analyst's workbook, in its order: name → builder.
NOTEBOOK_SECTIONS: Mapping[str, Callable[[Analysis], SectionContent]] = {
    "records": _records,
    "indicators": _indicators,
    "by_area": _by_area,
    "distributions": _distributions,
    "comparison": _comparison,
    "trend": _trend,
    "actions": _actions,
    "indicator_tables": _indicator_tables,
    "area_tests": _area_tests,
    "breakdowns": _breakdowns,
    "quotes": _quotes,
}
