"""The ``auditkit`` command: lets a user write a workbook of their own, validate a round's data, run it into a
briefing, write its findings, verify a report, list its actions, scaffold the next round or make a data-entry
template.

Each command parses its arguments and calls :mod:`auditkit.run`. A user's mistake (an :class:`AuditkitError`)
is printed as plain sentences and exits 1 without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import auditkit
from auditkit.errors import AuditkitError, CommandError, NothingWrittenError

__all__ = [
    "actions",
    "draft_codebook",
    "findings",
    "init",
    "lab",
    "main",
    "new_round",
    "preview",
    "run",
    "template",
    "validate",
    "verify",
]

_PARAMETERS = click.Path(path_type=Path, dir_okay=False)
#: A report's folder. Not ``file_okay=False``: click would refuse a file with a usage error (exit 2), while
#: run/ refuses it, as everything else it cannot write, with a sentence and exit 1.
_OUT = click.Path(path_type=Path)
#: A file draft-codebook reads or writes: run/ names a folder, a pipe or a device given instead, with exit 1.
_FILE = click.Path(path_type=Path)


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


def _show_version(context: click.Context, _parameter: click.Parameter, wanted: bool) -> None:
    # click's version_option needs the version when the command is defined; it is looked up only when asked for.
    if wanted and not context.resilient_parsing:
        click.echo(f"auditkit, version {auditkit.__version__}")
        context.exit()


@click.group(cls=_Group)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Reproducible neglect audit briefings from a round's parameters file."""


@main.command()
@click.argument("parameters", type=_PARAMETERS)
def validate(parameters: Path) -> None:
    """Check a round's parameters, codebooks and data without rendering anything."""
    from auditkit.run.round_check import check_round
    from auditkit.run.summaries import describe_check

    for line in describe_check(check_round(parameters)):
        click.echo(line)


@main.command()
@click.argument("parameters", type=_PARAMETERS, nargs=-1, required=True)
@click.option(
    "--out",
    "output",
    type=_OUT,
    help="Folder to write to (default: reports/<round> in the parameters file's workbook). "
    "With several rounds, each goes to a folder inside it named after its round id.",
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
@click.option(
    "--formats",
    help="The briefing's formats, separated by commas: html, pdf, docx (default: the round's formats: all three "
    "unless its parameters say otherwise).",
)
def run(
    parameters: tuple[Path, ...],
    output: Path | None,
    force: bool,
    jobs: int,
    engine: str,
    quiet: bool,
    screenshot: bool,
    formats: str | None,
) -> None:
    """Validate a round, execute its notebooks and write the briefing as HTML, PDF and Word.

    Name several parameters files to render several rounds; a round that fails is reported
    and the others go on.
    """
    from auditkit.run.pipeline import parse_formats, run_round

    chosen = None if formats is None else parse_formats(formats)
    if len(parameters) > 1:
        if screenshot:
            raise CommandError("--screenshot takes one round at a time; run the rounds you want to see alone.")
        _run_batch(list(parameters), output, force, jobs, engine, quiet, chosen)
        return
    if _shows_progress(quiet):
        click.echo(f"Running {parameters[0]}", err=True)
    try:
        result = run_round(
            parameters[0],
            output,
            progress=_progress(quiet),
            force=force,
            screenshot=screenshot,
            engine=engine,
            formats=chosen,
        )
    except AuditkitError as exc:
        raise NothingWrittenError(exc) from None
    first, *others = result.briefings
    click.echo(f"Briefing written to {first}")
    for path in others:
        click.echo(f"                and {path}")
    if result.screenshot is not None:
        click.echo(f"Screenshot written to {result.screenshot}")


@main.command()
@click.argument("parameters", type=_PARAMETERS)
@click.option(
    "--out",
    "output",
    type=_OUT,
    help="Folder to write to (default: reports/<round> in the parameters file's workbook).",
)
@click.option("--force", is_flag=True, help="Replace an existing report (only once the new findings are complete).")
def findings(parameters: Path, output: Path | None, force: bool) -> None:
    """Validate a round and write only its published findings.json and findings.csv.

    The same files as `auditkit run` writes, under the round's disclosure rule, without
    executing notebooks or rendering the briefing: quick, even for very large surveys.
    """
    from auditkit.run.pipeline import write_round_findings

    try:
        result = write_round_findings(parameters, output, force=force)
    except AuditkitError as exc:
        raise NothingWrittenError(exc) from None
    click.echo(f"Findings written to {result.findings_json}")
    click.echo(f"                and {result.findings_csv}")


def _run_batch(
    parameters: list[Path],
    output: Path | None,
    force: bool,
    jobs: int,
    engine: str,
    quiet: bool,
    formats: tuple[str, ...] | None,
) -> None:
    from auditkit.run.batch import run_rounds

    shown = _shows_progress(quiet)

    def on_done(outcome, done: int, failed: int) -> None:
        if shown:
            click.echo(f"{_bar(done, len(parameters), failed)}  {outcome.parameters.name}", err=True)

    outcomes = run_rounds(
        parameters, output, jobs=jobs, force=force, engine=engine, verbose=shown, on_done=on_done, formats=formats
    )
    for outcome in outcomes:
        if outcome.succeeded:
            click.echo(f"{outcome.parameters.name}: briefing written to {outcome.briefing}")
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
    """Check that a report's input files, and its own files listed in its manifest, are unchanged since it was
    produced.

    This catches accidental change (data or a published file edited, replaced or lost), not tampering by
    someone who can also rewrite manifest.json.
    """
    from auditkit.run.summaries import describe_verification

    lines, changed = describe_verification(report)
    for line in lines:
        click.echo(line)
    if changed is not None:
        raise changed


@main.command()
@click.argument("parameters", type=_PARAMETERS)
def actions(parameters: Path) -> None:
    """Show a round's actions: status, whether overdue, and the change in the standard each answers."""
    from auditkit.run.summaries import describe_actions

    for line in describe_actions(parameters):
        click.echo(line)


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
    from auditkit.run.notebook_files import notebook_parameter
    from auditkit.run.summaries import scaffold_next_round

    written = scaffold_next_round(parameters, output)
    click.echo(f"Wrote {written}. Fill in the data paths marked FILL IN and review the lines marked CHANGE,")
    click.echo(f"then check it with: auditkit validate {written}")
    click.echo(f'In a notebook, set parameters_path = "{notebook_parameter(written)}".')


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--partnership", help="The partnership's name, as its briefings name their publisher (default: FOLDER's)."
)
@click.option("--notebooks", is_flag=True, help="Also copy the notebooks into the workbook, to customise them.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty, keeping every file already there.")
def init(folder: Path, partnership: str | None, notebooks: bool, force: bool) -> None:
    """Write a workbook of your own: a first round to fill in, the codebooks and their data-entry workbooks."""
    from auditkit.run.new_workbook import write_workbook
    from auditkit.run.summaries import describe_new_workbook

    for line in describe_new_workbook(write_workbook(folder, partnership, notebooks=notebooks, force=force)):
        click.echo(line)


@main.command()
@click.argument("workbook", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), help="The port to listen on (default: 8888, or the next free).")
@click.option("--no-browser", is_flag=True, help="Open no browser; JupyterLab prints the address to open.")
@click.option("--allow-root", is_flag=True, help="Run as root, which JupyterLab otherwise refuses (a container, CI).")
def lab(workbook: Path | None, port: int | None, no_browser: bool, allow_root: bool) -> None:
    """Open JupyterLab on a workbook (default: the one you are in), with its notebooks, parameters and data.

    JupyterLab listens on this machine only (127.0.0.1), with a token; the rest of its settings are JupyterLab's
    own (jupyter lab --help-all), in its configuration files.
    """
    from auditkit.run.lab import describe_lab, plan_lab, start_lab

    extra = ("--allow-root",) if allow_root else ()
    plan = plan_lab(workbook, port=port, browser=not no_browser, extra=extra)
    for line in describe_lab(plan):
        click.echo(line)
    start_lab(plan)


@main.command()
@click.argument("parameters", type=_PARAMETERS)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=4848,
    show_default=True,
    help="The port to listen on, on 127.0.0.1 only; 0 picks any free port (the address is printed).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the briefing in your web browser.")
def preview(parameters: Path, port: int, open_browser: bool) -> None:
    """Show a round's briefing in your browser and render it again each time you save its files.

    Watches the parameters file, its codebooks and data files (and a baseline's). A save that does not validate
    shows its errors on the page, as auditkit validate prints them, with a link to the last briefing that rendered;
    fix the file and the briefing comes back. Only the HTML briefing is rendered, in this process, and nothing is
    written: the PDF, the Word document and the report in reports/ are auditkit run's. Listens on 127.0.0.1 only.
    Stop it with Ctrl-C.
    """
    from auditkit.run.preview import serve_preview, start_preview

    try:
        started = start_preview(parameters, port, say=click.echo)
        click.echo(f"Previewing {parameters} at {started.url} (Ctrl-C to stop)")
        serve_preview(started, open_browser=open_browser)
    except KeyboardInterrupt:
        click.echo("Preview stopped.")
        sys.exit(130)
    click.echo("Preview stopped.")


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
    """Write a data-entry template for a codebook: a workbook with drop-down lists, or a CSV header row.

    CODEBOOK is a codebook file, or a codebook's name (toolkit_survey): the workbook's own, else auditkit's.
    """
    from auditkit.run.summaries import write_data_entry_template

    written, book = write_data_entry_template(codebook, output, parameters, force=force)
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


@main.command("draft-codebook")
@click.argument("export", type=_FILE)
@click.option("--out", "output", required=True, type=_FILE, help="The codebook to write (.yaml).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def draft_codebook(export: Path, output: Path, force: bool) -> None:
    """Draft a codebook from a survey export (SurveyMonkey, Microsoft Forms, Google Forms or a plain table, CSV or
    XLSX), to check and use as an instrument's codebook.

    Each question becomes an item whose source is the question as the export writes it. The draft never holds a
    respondent's own words, and leaves personal data out.
    """
    from auditkit.run.codebook_draft import write_codebook_draft
    from auditkit.run.summaries import describe_codebook_draft

    for line in describe_codebook_draft(write_codebook_draft(export, output, force=force)):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    from auditkit.console import run_command_line

    run_command_line()
