"""The ``auditkit`` command: validate a round's data, or run it into a briefing.

A user's mistake (an :class:`AuditkitError`) is printed as plain sentences and exits 1
without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import auditkit
from auditkit.errors import AuditkitError

_PARAMETERS = click.Path(path_type=Path, dir_okay=False)


class _Group(click.Group):
    """Prints user errors as sentences and exits 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AuditkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


def _progress(quiet: bool):
    if quiet:
        return lambda message: None
    return lambda message: click.echo(f"  {message}…", err=True)


@click.group(cls=_Group)
@click.version_option(auditkit.__version__, prog_name="auditkit")
def main() -> None:
    """Reproducible neglect audit briefings from a round's parameters file."""


@main.command()
@click.argument("parameters", type=_PARAMETERS)
def validate(parameters: Path) -> None:
    """Check a round's parameters, codebooks and data without rendering anything."""
    from auditkit.pipeline import check_round

    round_, records = check_round(parameters)
    for name, frame in records.items():
        click.echo(f"{name}: {len(frame)} records in {round_.instruments[name].data.name}: no problems found.")
    click.echo(f"{round_.path.name} is ready to run.")


@main.command()
@click.argument("parameters", type=_PARAMETERS)
@click.option("--out", "output", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write to (default: reports/<round> in the project folder).")
@click.option("--quiet", is_flag=True, help="Print only where the briefing is.")
def run(parameters: Path, output: Path | None, quiet: bool) -> None:
    """Validate a round, execute its notebooks and write the briefing as HTML and PDF."""
    from auditkit.pipeline import run_round

    if not quiet:
        click.echo(f"Running {parameters}", err=True)
    try:
        result = run_round(parameters, output, progress=_progress(quiet))
    except AuditkitError as exc:
        raise AuditkitError(f"{exc}\nNothing was written.") from None
    click.echo(f"Briefing written to {result.briefing_html}")
    click.echo(f"                and {result.briefing_pdf}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
