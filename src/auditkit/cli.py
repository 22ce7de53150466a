"""The ``auditkit`` command: validate a round's data, or run it into a briefing.

A user's mistake (an :class:`AuditkitError`) is printed as plain sentences and exits 1
without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

# jsonschema, which nbformat uses, imports rfc3987_syntax when it is installed, and that module
# builds dozens of grammars at import: about a second of every command's start-up. auditkit never
# validates RFC 3987 IRIs, so the command keeps it out (jsonschema then skips that one format).
sys.modules.setdefault("rfc3987_syntax", None)

import click  # noqa: E402

import auditkit  # noqa: E402
from auditkit.errors import AuditkitError  # noqa: E402

_PARAMETERS = click.Path(path_type=Path, dir_okay=False)


class _Group(click.Group):
    """Prints user errors as sentences and exits 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AuditkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


def _shows_progress(quiet: bool) -> bool:
    """Progress goes to a terminal only: not with --quiet, and not into a log file or a pipe."""
    return not quiet and sys.stderr.isatty()


def _progress(quiet: bool):
    if not _shows_progress(quiet):
        return lambda message: None
    return lambda message: click.echo(f"  {message}…", err=True)


def _bar(done: int, total: int, failed: int) -> str:
    width = 20
    filled = round(width * done / total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} done, {failed} failed"


@click.group(cls=_Group)
@click.version_option(auditkit.__version__, prog_name="auditkit")
def main() -> None:
    """Reproducible neglect audit briefings from a round's parameters file."""


@main.command()
@click.argument("parameters", type=_PARAMETERS)
def validate(parameters: Path) -> None:
    """Check a round's parameters, codebooks and data without rendering anything."""
    from auditkit.run.pipeline import check_round

    analysis = check_round(parameters)
    for earlier in analysis.history:
        click.echo(f"baseline {earlier.round.id} ({earlier.round.path.name}):")
        for name, frame in earlier.records.items():
            click.echo(
                f"  {name}: {len(frame)} records in {earlier.round.instruments[name].data.name}: no problems found."
            )
    for name, frame in analysis.records.items():
        click.echo(f"{name}: {len(frame)} records in {analysis.round.instruments[name].data.name}: no problems found.")
    for name, table in analysis.indicator_tables.items():
        files = ", ".join(path.name for path in analysis.round.indicator_tables[name].data)
        click.echo(f"{name}: {len(table.rows)} rows in {files}.")
        if not table.checks.empty:
            click.echo(f"  Data-quality notes ({len(table.checks)}; the briefing shows them too):")
            for message in table.checks["message"]:
                click.echo(f"  - {message}")
    click.echo(f"{analysis.round.path.name} is ready to run.")


@main.command()
@click.argument("parameters", type=_PARAMETERS, nargs=-1, required=True)
@click.option(
    "--out",
    "output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write to (default: reports/<round> in the project folder). "
    "With several rounds, each goes to a folder inside it named after its parameters file.",
)
@click.option("--force", is_flag=True, help="Replace an existing report (only once the new one is complete).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With several rounds, how many to run at once.",
)
@click.option(
    "--engine",
    type=click.Choice(["inprocess", "kernel"]),
    default="inprocess",
    show_default=True,
    help="Run the notebooks in this process (fast), or each in a Jupyter kernel of its own.",
)
@click.option("--quiet", is_flag=True, help="Print only where the briefing is.")
@click.option(
    "--screenshot", is_flag=True, help="Also save the briefing's first screen, as Chromium shows it, as briefing.png."
)
def run(
    parameters: tuple[Path, ...],
    output: Path | None,
    force: bool,
    jobs: int,
    engine: str,
    quiet: bool,
    screenshot: bool,
) -> None:
    """Validate a round, execute its notebooks and write the briefing as HTML and PDF.

    Name several parameters files to render several rounds; a round that fails is reported
    and the others go on.
    """
    if len(parameters) > 1:
        if screenshot:
            raise AuditkitError("--screenshot takes one round at a time; run the rounds you want to see alone.")
        _run_batch(list(parameters), output, force, jobs, engine, quiet)
        return
    from auditkit.run.pipeline import run_round

    if _shows_progress(quiet):
        click.echo(f"Running {parameters[0]}", err=True)
    try:
        result = run_round(
            parameters[0], output, progress=_progress(quiet), force=force, screenshot=screenshot, engine=engine
        )
    except AuditkitError as exc:
        raise AuditkitError(f"{exc}\nNothing was written.") from None
    click.echo(f"Briefing written to {result.briefing_html}")
    click.echo(f"                and {result.briefing_pdf}")
    if result.screenshot is not None:
        click.echo(f"Screenshot written to {result.screenshot}")


@main.command()
@click.argument("parameters", type=_PARAMETERS)
@click.option(
    "--out",
    "output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write to (default: reports/<round> in the project folder).",
)
@click.option("--force", is_flag=True, help="Replace an existing report (only once the new findings are complete).")
def findings(parameters: Path, output: Path | None, force: bool) -> None:
    """Validate a round and write only its published findings.json and findings.csv.

    The same files as `auditkit run` writes, under the round's disclosure rule, without
    executing notebooks or rendering the briefing: quick, even for very large surveys.
    """
    from auditkit.analysis.round_analysis import analyse_round
    from auditkit.publish.findings_files import write_findings
    from auditkit.run.staging import check_replaceable, default_output_folder, staged_folder

    try:
        analysis = analyse_round(parameters, reuse=False)  # analysed once here: no need to hash the inputs
        target = output.expanduser().resolve() if output else default_output_folder(analysis.round)
        check_replaceable(target, force)
        with staged_folder(target) as staging:
            write_findings(analysis, staging)
    except AuditkitError as exc:
        raise AuditkitError(f"{exc}\nNothing was written.") from None
    click.echo(f"Findings written to {target / 'findings.json'}")
    click.echo(f"                and {target / 'findings.csv'}")


def _run_batch(parameters: list[Path], output: Path | None, force: bool, jobs: int, engine: str, quiet: bool) -> None:
    from auditkit.run.batch import run_rounds

    shown = _shows_progress(quiet)

    def on_done(outcome, done: int, failed: int) -> None:
        if shown:
            click.echo(f"{_bar(done, len(parameters), failed)}  {outcome.parameters.name}", err=True)

    outcomes = run_rounds(parameters, output, jobs=jobs, force=force, engine=engine, verbose=shown, on_done=on_done)
    for outcome in outcomes:
        if outcome.succeeded:
            click.echo(f"{outcome.parameters.name}: briefing written to {outcome.folder / 'briefing.html'}")
        else:
            click.echo(f"{outcome.parameters.name} failed:", err=True)
            click.echo("  " + outcome.error.rstrip().replace("\n", "\n  "), err=True)
    failed = sum(not outcome.succeeded for outcome in outcomes)
    click.echo(f"{len(outcomes) - failed} of {len(outcomes)} rounds written; {failed} failed.")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("report", type=click.Path(path_type=Path, file_okay=False))
def verify(report: Path) -> None:
    """Check that a report's input files are unchanged since it was produced."""
    from auditkit.publish.provenance import verify_report

    result = verify_report(report)
    for path, status in result.statuses:
        click.echo(f"  {status:9} {path}")
    if not result.matches:
        changed = [path for path, status in result.statuses if status != "unchanged"]
        raise AuditkitError(
            f"{report} no longer matches its data: {len(changed)} input file(s) changed or missing since it was "
            f"produced ({', '.join(Path(path).name for path in changed)}). Rerun it with --force to bring it up to date."
        )
    click.echo(f"{report} matches its data: every input file is unchanged.")


@main.command()
@click.argument("parameters", type=_PARAMETERS)
def actions(parameters: Path) -> None:
    """Show a round's actions: status, whether overdue, and the change in the standard each answers."""
    from auditkit.briefing.wording import format_date
    from auditkit.config.actions import describe_status
    from auditkit.publish.protection import protect_analysis
    from auditkit.run.pipeline import check_round

    analysis = protect_analysis(check_round(parameters))
    table = analysis.actions_table()
    if table.empty:
        click.echo(f"{analysis.round.path.name} lists no actions.")
        return
    compared = analysis.comparison is not None
    click.echo(
        f"Actions in {analysis.round.path.name} at the end of its period, {format_date(analysis.round.period_end)}:"
    )
    for row in table.itertuples():
        status = describe_status(row.status) + (", OVERDUE" if row.overdue else "")
        click.echo(f"{row.ref:>4}  {status}. {row.action}")
        click.echo(f"      {row.who}; due {format_date(row.by_when)}. Standard: {row.label}.")
        if compared:
            click.echo(
                f"      Since the last round: {row.change or 'not published'}"
                f"{' (' + row.verdict + ')' if row.change and row.verdict else ''}."
            )
        if row.note:
            click.echo(f"      Note: {row.note}")
    overdue = int(table["overdue"].sum())
    click.echo(f"{int((table['status'] == 'done').sum())} of {len(table)} done; {overdue} overdue.")


@main.command("new-round")
@click.argument("parameters", type=_PARAMETERS)
@click.option(
    "--out",
    "output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The new round's parameters file to write (it must not exist yet).",
)
def new_round(parameters: Path, output: Path) -> None:
    """Scaffold the next round's parameters file from this one, with the actions carried over."""
    from auditkit.config.round import load_round
    from auditkit.run.next_round import write_next_round

    written = write_next_round(load_round(parameters), output)
    click.echo(f"Wrote {written}. Fill in the data paths marked FILL IN and review the lines marked CHANGE,")
    click.echo(f"then check it with: auditkit validate {written}")


@main.command()
@click.argument("codebook", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write: .xlsx for the data-entry workbook, .csv for a header row of item ids.",
)
@click.option(
    "--params",
    "parameters",
    type=_PARAMETERS,
    help="A round's parameters file: its areas fill the area column's list, its period bounds the dates.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def template(codebook: Path, output: Path, parameters: Path | None, force: bool) -> None:
    """Write a data-entry template for a codebook: a workbook with drop-down lists, or a CSV header row."""
    from auditkit.config.codebook import load_codebook
    from auditkit.run.data_entry import RoundSettings, round_settings, write_template

    book = load_codebook(codebook)
    settings = round_settings(parameters) if parameters is not None else RoundSettings()
    written = write_template(book, output, settings, force=force)
    if written.suffix.lower() == ".csv":
        click.echo(f"Wrote {written}: the header row of {book.title} ({len(book.items)} item ids).")
    else:
        click.echo(
            f"Wrote {written}: a {book.title} workbook with {len(book.items)} columns on its Data sheet, "
            f"instructions and the codebook."
        )
    click.echo(
        "Fill it in, name it as an instrument's data in a round's parameters file, then check it with: "
        "auditkit validate PARAMETERS"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
