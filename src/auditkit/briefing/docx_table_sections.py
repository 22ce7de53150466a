"""The Word layout of the briefing's sections of figures: change since the baseline, the action plan, the
indicator tables, the figures and the findings by group.

As :mod:`auditkit.briefing.docx_text_sections` does for the sections of words, each layout writes what the
section's HTML template writes, from the same context: the same sentences, each chart as its PNG with the same
alt text and caption (:func:`auditkit.briefing.docx_blocks.add_figure`), and each table of figures as a Word
table whose header row is marked as such (:func:`auditkit.briefing.docx_blocks.add_table`). The HTML hides a
chart's table under "The figures in this chart as a table", and prints it open; Word shows it open.
"""

from __future__ import annotations

from typing import Any

from auditkit.briefing.docx_blocks import add_figure, add_heading, add_paragraph, add_table

__all__ = ["TABLE_LAYOUTS"]


def _labelled(row: dict[str, Any]) -> str:
    return f"{row['label']} (lower is better)" if row["lower_is_better"] else str(row["label"])


def _bullets(document: Any, items: list[str]) -> None:
    for item in items:
        add_paragraph(document, item, style="List Bullet")


def _compared(document: Any, context: dict[str, Any], instrument: dict[str, Any]) -> None:
    add_heading(document, instrument["title"], 2)
    if instrument["clear_changes"]:
        _bullets(document, instrument["clear_changes"])
    elif instrument["no_clear_change"] or instrument.get("apparent_changes"):
        add_paragraph(document, "No standard changed clearly between the rounds.")
    if instrument.get("apparent_changes"):
        add_paragraph(
            document,
            "These changes look large on their own, but not once the number of standards compared is allowed for:",
        )
        _bullets(document, instrument["apparent_changes"])
    if instrument["no_clear_change"]:
        add_paragraph(document, f"No clear change in: {'; '.join(instrument['no_clear_change'])}.")
    if instrument["not_shown"]:
        add_paragraph(
            document,
            f"Not compared here, because the numbers are too small to publish: {'; '.join(instrument['not_shown'])}.",
        )
    add_figure(document, instrument["figure"])
    baseline, followup = context["baseline_label"], context["followup_label"]
    add_table(
        document,
        f"{instrument['title']}: {baseline} against {followup}",
        ["Standard", baseline, followup, "Change in points (95% CI)", "Adjusted p", "Verdict"],
        [
            [
                _labelled(row),
                row["baseline"],
                row["followup"],
                row["change"],
                row["p_adjusted"],
                f"{row['verdict']}{'*' if row['caution'] else ''}",
            ]
            for row in instrument["table"]
        ],
        numbers=(1, 2, 3, 4),
        widths=(0.25, 0.14, 0.14, 0.18, 0.11, 0.18),
    )
    if instrument["caution_note"]:
        add_paragraph(document, instrument["caution_note"])


def _change(document: Any, context: dict[str, Any]) -> None:
    if not context["comparison"]:
        return
    baseline, followup = context["baseline_label"], context["followup_label"]
    add_heading(document, f"Change since {context['comparison'].baseline_title}", 1)
    add_paragraph(
        document,
        f"This section compares {followup} with {baseline}. Both rounds are computed afresh from their own data. A "
        "p-value (p) is the chance of seeing a difference at least this large if practice had not really changed: the "
        "smaller it is, the stronger the evidence of a real change. Comparing many standards at once, some would show "
        "a difference by chance, so each p is adjusted for the number of standards compared (Benjamini–Hochberg), and "
        "a change counts as clear only when its adjusted p is below 0.05; with small samples, only large changes can "
        "show as clear. Cases audited in both rounds are compared as pairs: with McNemar's exact test when every case "
        "was audited again, with the partially overlapping samples z-test when some were, and with Fisher's exact "
        "test when none were.",
    )
    if not context["instruments"]:
        add_paragraph(document, "The two rounds have no standards in common, so nothing can be compared.")
    for instrument in context["instruments"]:
        _compared(document, context, instrument)
    only = []
    if context["only_in_baseline"]:
        only.append(f"in {baseline} only, {', '.join(context['only_in_baseline'])}")
    if context["only_in_followup"]:
        only.append(f"in {followup} only, {', '.join(context['only_in_followup'])}")
    if only:
        add_paragraph(document, f"Not compared, because they were asked in one round only: {'; '.join(only)}.")
    if context["trend"]:
        add_heading(document, f"Trend over {len(context['rounds'])} rounds", 2)
        add_table(
            document,
            "Percentage meeting each standard in each round, and the test for trend",
            ["Standard", *context["rounds"], "Direction", "Adjusted p"],
            [[row["label"], *row["shares"], row["direction"], row["p_adjusted"]] for row in context["trend"]],
            numbers=tuple(range(1, len(context["rounds"]) + 1)) + (len(context["rounds"]) + 2,),
        )


def _action_summary(context: dict[str, Any]) -> str:
    count = len(context["actions"])
    words = [f"{context['done']} of {count} {'action is' if count == 1 else 'actions are'} done."]
    overdue = context["overdue"]
    if overdue:
        words.append(
            f"{overdue} {'is' if overdue == 1 else 'are'} overdue: due before {context['period_end']} and neither "
            f"done nor dropped."
        )
    else:
        words.append("None is overdue.")
    if context["compared"]:
        words.append("Beside each action is the change since the last round in the standard it answers.")
    return " ".join(words)


def _action_row(action: dict[str, Any], compared: bool) -> list[Any]:
    what = [(action["action"], ""), (f"Standard: {action['label']}", "small")]
    if action["note"]:
        what.append((action["note"], "small"))
    # "Overdue" in words, in bold: as in the HTML, the status never rests on colour alone.
    status = [(action["status"], "")] + ([("Overdue", "bold")] if action["overdue"] else [])
    row = [action["ref"], what, action["who"], action["by_when"], status]
    if compared:
        change = [(action["change"], "")] if action["change"] else [("not published", "")]
        if action["change"] and action["verdict"]:
            change.append((action["verdict"], ""))
        row.append(change)
    return row


def _actions(document: Any, context: dict[str, Any]) -> None:
    if not context["actions"]:
        return
    add_heading(document, context["heading"], 1)
    add_paragraph(document, _action_summary(context))
    compared = context["compared"]
    add_table(
        document,
        "Actions, who leads them, when they are due and where they stand",
        ["Ref", "Action", "Who", "By", "Status"] + (["Change in the standard"] if compared else []),
        [_action_row(action, compared) for action in context["actions"]],
        widths=(0.07, 0.35, 0.16, 0.13, 0.11, 0.18) if compared else (0.07, 0.43, 0.2, 0.16, 0.14),
        keep_together=False,  # a long action plan runs on over pages, row by row, as in the PDF
    )


def _measure(document: Any, measure: dict[str, Any]) -> None:
    add_heading(document, measure["title"], 3)
    sentence = f" {measure['sentence']}" if measure["sentence"] else ""
    add_paragraph(document, f"The count is {measure['numerator']}, out of {measure['denominator']}.{sentence}")
    add_figure(document, measure["trend"])
    add_figure(document, measure["funnel"])
    if measure["limits"]:  # which limits the funnel plot shows: its target, and whether they were widened
        add_paragraph(document, measure["limits"])
    against = f", against {' and '.join(measure['benchmarks'])}" if measure["benchmarks"] else ""
    add_table(
        document,
        f"{measure['title']}: each period and area{against}",
        ["Period", "Area", "Count", "Out of", "Percentage (95% CI)"]
        + [f"Against {name}" for name in measure["benchmarks"]]
        + ["Against the county"],
        [
            [
                row["period"],
                row["area"],
                row["numerator"],
                row["denominator"],
                f"{row['percent']} ({row['interval']})",
                *row["verdicts"],
                row["funnel"],
            ]
            for row in measure["rows"]
        ],
        row_header=1,
        numbers=(2, 3, 4),
        widths=(0.09, 0.17, 0.09, 0.09, 0.2)
        + (0.36 / (len(measure["benchmarks"]) + 1),) * (len(measure["benchmarks"]) + 1),
    )
    if measure["checks"]:
        add_heading(document, "Data-quality notes", 4)
        _bullets(document, measure["checks"])
    if measure["source"]:
        add_paragraph(document, f"Source: {measure['source']}.")


def _indicators(document: Any, context: dict[str, Any]) -> None:
    if not context["groups"]:
        return
    add_heading(document, "How we will know our practice is good", 1)
    add_paragraph(
        document,
        "Each measure is grouped by the question it answers: how much did we do, how well did we do it, and is anyone "
        'better off. A benchmark verdict says "similar" when the benchmark lies inside the area\'s 95% confidence '
        "interval, and otherwise whether the area is higher or lower. The funnel plot compares each area with a "
        "target, named below the plot, allowing for how many children each area has. A row whose figures do not "
        "agree with each other has no verdict and no place on the funnel plot, only its data-quality note.",
    )
    for question, measures in context["groups"]:
        add_heading(document, question, 2)
        for measure in measures:
            _measure(document, measure)


def _charts(document: Any, context: dict[str, Any]) -> None:
    if not context["charts"]:
        return
    add_heading(document, "The figures", 1)
    for chart in context["charts"]:
        add_heading(document, chart["title"], 2)
        add_figure(document, chart["figure"])
        if chart["left_out"]:
            add_paragraph(
                document,
                f"Not charted, because the numbers are too small to publish: {'; '.join(chart['left_out'])}.",
            )
        add_table(
            document,
            f"{chart['title']}: percentage meeting each standard",
            ["Standard", "Met", "Out of", "Percentage", "95% CI"],
            [
                [_labelled(row), row["numerator"], row["denominator"], row["percent"], row["interval"]]
                for row in chart["rows"]
            ],
            numbers=(1, 2, 3, 4),
            widths=(0.46, 0.1, 0.1, 0.14, 0.2),
        )


def _breakdowns(document: Any, context: dict[str, Any]) -> None:
    if not context["tables"]:
        return
    add_heading(document, "Findings by group", 1)
    add_paragraph(
        document,
        "Each standard for every group the round was asked to break the findings down by, as met out of answered "
        "(percentage). The last column is the p-value of a test of whether the groups differ (the "
        "Fisher–Freeman–Halton exact test unless marked), adjusted together with the other tests of groups and areas "
        "in this round.",
    )
    for table in context["tables"]:
        share = 0.6 / max(len(table["groups"]), 1)
        add_table(
            document,
            table["title"],
            ["Standard", *table["groups"], "Groups differ: adjusted p"],
            [[_labelled(row), *row["cells"], row["test"]] for row in table["rows"]],
            numbers=tuple(range(1, len(table["groups"]) + 2)),
            widths=(0.28, *(share,) * len(table["groups"]), 0.12),
        )
        if table["simulated"]:
            add_paragraph(
                document,
                "† A table too large to test exactly: its p-value is worked out from 100,000 random tables with the "
                "same totals (Monte Carlo), and may differ slightly from the exact one (its standard error before "
                f"adjustment is at most {table['monte_carlo_se']}).",
            )
        if table["chi_squared"]:
            add_paragraph(
                document,
                "‡ A table too large to test exactly, in which every group would expect at least 5 answers of each "
                "kind: its p-value is from Pearson's chi-squared test, which is then close to the exact one (Cochran, "
                "1954).",
            )
    if context["symbol_used"]:
        add_paragraph(document, f"{context['symbol']}: too small to publish, or would reveal a number that is.")


#: Each section of figures, by name, and the function that lays its context out in a Word document.
TABLE_LAYOUTS = {
    "change": _change,
    "actions": _actions,
    "indicators": _indicators,
    "charts": _charts,
    "breakdowns": _breakdowns,
}
