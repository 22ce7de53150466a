"""What the commands tell the user: a checked round, an action plan, a verified report, in plain lines.

The CLI prints these lines and nothing else; keeping them here lets the CLI stay a thin parser
that calls :mod:`auditkit.run` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.analysis.actions import count_actions
from auditkit.analysis.round_analysis import Analysis, analyse_round
from auditkit.briefing.wording import describe_status, format_date
from auditkit.config.codebook import Codebook
from auditkit.errors import ReportChangedError
from auditkit.publish.provenance import verify_report

if TYPE_CHECKING:  # the commands that write these import them; validate need not
    from auditkit.run.codebook_draft import CodebookDraft
    from auditkit.run.new_workbook import NewWorkbook

__all__ = [
    "describe_actions",
    "describe_check",
    "describe_codebook_draft",
    "describe_new_workbook",
    "scaffold_next_round",
    "describe_verification",
    "write_data_entry_template",
]


def describe_check(analysis: Analysis) -> list[str]:
    """``auditkit validate``'s report on a checked round and its baselines.

    Returns
    -------
    list of str
        One line per instrument and indicator table (baselines first), their data-quality notes, and
        the closing "… is ready to run."
    """
    lines = []
    for earlier in analysis.history:
        lines.append(f"baseline {earlier.round.id} ({earlier.round.path.name}):")
        for name, frame in earlier.records.items():
            data = earlier.round.instruments[name].data.name
            lines.append(f"  {name}: {len(frame)} records in {data}: no problems found.")
    for name, frame in analysis.records.items():
        lines.append(
            f"{name}: {len(frame)} records in {analysis.round.instruments[name].data.name}: no problems found."
        )
    for name, table in analysis.indicator_tables.items():
        files = ", ".join(path.name for path in analysis.round.indicator_tables[name].data)
        lines.append(f"{name}: {len(table.rows)} rows in {files}.")
        if not table.checks.empty:
            lines.append(f"  Data-quality notes ({len(table.checks)}; the briefing shows them too):")
            lines.extend(f"  - {message}" for message in table.checks["message"])
    lines.append(f"{analysis.round.path.name} is ready to run.")
    return lines


def describe_actions(parameters: str | Path) -> list[str]:
    """``auditkit actions``: a round's action plan at the end of its period, from its published figures.

    Returns
    -------
    list of str
        A heading, three or four lines per action (status, who and when, the change since the last
        round when there is one, any note) and a closing count of done and overdue actions.
    """
    # Each action's change since the last round and its verdict need the comparison's tests: the whole analysis.
    from auditkit.publish.protection import protect_analysis  # its linked-table audit imports scipy.linalg

    analysis = protect_analysis(analyse_round(parameters))
    table = analysis.actions_table()
    if table.empty:
        return [f"{analysis.round.path.name} lists no actions."]
    compared = analysis.comparison is not None
    lines = [
        f"Actions in {analysis.round.path.name} at the end of its period, {format_date(analysis.round.period_end)}:"
    ]
    for row in table.itertuples():
        status = describe_status(row.status) + (", OVERDUE" if row.overdue else "")
        lines.append(f"{row.ref:>4}  {status}. {row.action}")
        lines.append(f"      {row.who}; due {format_date(row.by_when)}. Standard: {row.label}.")
        if compared:
            verdict = f" ({row.verdict})" if row.change and row.verdict else ""
            lines.append(f"      Since the last round: {row.change or 'not published'}{verdict}.")
        if row.note:
            lines.append(f"      Note: {row.note}")
    counts = count_actions(table)
    lines.append(f"{counts.done} of {counts.total} done; {counts.overdue} overdue.")
    return lines


def describe_verification(report: str | Path) -> tuple[list[str], ReportChangedError | None]:
    """``auditkit verify``: each input's and each report file's status, and the error to raise when any changed.

    Returns
    -------
    tuple of (list of str, ReportChangedError or None)
        One line per input (``unchanged``, ``changed`` or ``missing`` and its path), one per file of the report
        its manifest lists, then the verdict when every one is unchanged; the error naming the changed inputs
        and files otherwise.
    """
    result = verify_report(report)
    lines = [f"  {status:9} {path}" for path, status in result.statuses]
    lines.extend(f"  {status:9} {Path(report) / path}" for path, status in result.outputs)
    if not result.matches:
        changed = [path for path, status in result.statuses if status != "unchanged"]
        outputs = [path for path, status in result.outputs if status != "unchanged"]
        return lines, ReportChangedError(Path(report), changed, outputs)
    lines.append(
        f"{report} matches its data: every input file is unchanged. Its {len(result.outputs)} published file(s) "
        "listed in manifest.json are as auditkit wrote them."
    )
    return lines, None


def scaffold_next_round(parameters: str | Path, output: str | Path) -> Path:
    """``auditkit new-round``: the next round's parameters file, from this one.

    Returns
    -------
    Path
        The file written.
    """
    from auditkit.config.round import load_round  # imported here: the other commands need neither
    from auditkit.run.next_round import write_next_round

    return write_next_round(load_round(parameters), output)


def write_data_entry_template(
    codebook: str | Path, output: str | Path, parameters: str | Path | None = None, force: bool = False
) -> tuple[Path, Codebook]:
    """``auditkit template``: a codebook's data-entry workbook (.xlsx) or header row (.csv).

    ``codebook`` is a path or a name (``toolkit_survey``), looked for in the workbook of ``parameters``
    (or, without it, the workbook that holds the working directory) and then among auditkit's own.

    Returns
    -------
    tuple of (Path, Codebook)
        The file written and the codebook it was made from.
    """
    from auditkit.config.codebook import load_codebook  # imported here: openpyxl is slow to import
    from auditkit.config.input_files import resolve_path
    from auditkit.config.workbook import find_codebook, find_workbook, workbook_of
    from auditkit.run.data_entry import RoundSettings, round_settings, write_template

    here = Path.cwd()
    workbook = workbook_of(resolve_path(parameters)) if parameters is not None else find_workbook(here)
    book = load_codebook(find_codebook(str(codebook), workbook, here, "auditkit template"))
    settings = round_settings(parameters) if parameters is not None else RoundSettings()
    return write_template(book, output, settings, force=force), book


def describe_new_workbook(workbook: NewWorkbook) -> list[str]:
    """``auditkit init``'s report on the workbook it wrote, and the commands that come next.

    Returns
    -------
    list of str
        Where the workbook is, what it holds (or, with ``--force``, which files were kept), then the next steps.
    """
    first = workbook.first_round.relative_to(workbook.folder)
    lines = [f"Wrote the workbook {workbook.folder} for {workbook.partnership}: {len(workbook.written)} files."]
    if workbook.kept:
        kept = ", ".join(str(path) for path in workbook.kept)
        lines.append(f"Kept {len(workbook.kept)} file(s) already there as they were: {kept}.")
    lines += [
        f"  {first}: the first round; change the lines marked CHANGE and fill in those marked FILL IN",
        "  data_templates/: the codebooks, to change here if you need to, and a data-entry workbook for each",
        "  README.md: what to do next",
        "Then, from the workbook's folder:",
        f"  auditkit validate {first}",
        f"  auditkit run {first}",
    ]
    return lines


def describe_codebook_draft(draft: CodebookDraft) -> list[str]:
    """``auditkit draft-codebook``'s report on the codebook it wrote.

    Returns
    -------
    list of str
        What was written from what, the columns left out, and what to do next.
    """
    profile = draft.profile
    items = len(draft.codebook.items)
    lines = [
        f"Wrote {draft.path}: {items} {'item' if items == 1 else 'items'} from {profile.described} "
        f"{profile.path.name} ({profile.responses} responses)."
    ]
    if profile.left_out:
        left = len(profile.left_out)
        lines.append(
            f"Left out {left} {'column' if left == 1 else 'columns'}, listed at its top with why: personal data is "
            f"never read."
        )
    lines.append(
        "Check it (its first lines say what; lines marked CHECK need your decision), name it as an instrument's "
        f"codebook with {profile.path.name} as its data, then check the round with: auditkit validate PARAMETERS"
    )
    return lines
