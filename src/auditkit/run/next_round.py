"""Scaffolding the next round's parameters file from the previous one (``auditkit new-round``).

The new file names the previous round as its baseline, advances the period by the same
length, carries the actions over with their status, keeps codebooks (a codebook named by name
stays named, a path is re-based to the new file's folder), areas and briefing text,
and leaves the data paths for the user to fill in. Comments say what to change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from pathlib import Path

import yaml

from auditkit.config.round import Round
from auditkit.config.workbook import is_codebook_name
from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import ParametersError
from auditkit.run.yaml_templates import yaml_templates

__all__ = ["advance_period", "suggest_round_id", "write_next_round"]

_ENVIRONMENT = yaml_templates("scaffold")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def advance_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period after ``start``–``end``, of the same length: whole months when it is whole months.

    Returns
    -------
    tuple of (datetime.date, datetime.date)
        The next period's first and last days.
    """
    new_start = end + dt.timedelta(days=1)
    if start.day == 1 and end == _last_day(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        last = new_start.month - 1 + months - 1
        return new_start, _last_day(new_start.year + last // 12, last % 12 + 1)
    return new_start, new_start + (end - start)


def suggest_round_id(previous: str, end: dt.date) -> str:
    """A round id for the next round, from the previous round's id and the new period's end.

    Returns
    -------
    str
        The id with its closing year made the new period's ('llr-2017' → 'llr-2018' when the new period
        ends in 2018); the id with '-next' added when it ends in no year or in that same year.
    """
    match = re.fullmatch(r"(.*?)(\d{4})", previous)
    if match and int(match.group(2)) != end.year:
        return f"{match.group(1)}{end.year}"
    return f"{previous}-next"


def _codebook_entry(raw: object, name: str, path: Path, folder: Path) -> str:
    """An instrument's codebook as the next round names it: by the same name, or by its path from ``folder``."""
    given = raw.get("instruments", {}).get(name, {}).get("codebook") if isinstance(raw, dict) else None
    if isinstance(given, str) and is_codebook_name(given):
        return given.strip()
    return os.path.relpath(path, folder)


def _scaffold_next_round(previous: Round, target: Path) -> str:
    """The text of the next round's parameters file, to be saved at ``target``."""
    start, end = advance_period(previous.period_start, previous.period_end)
    folder = target.resolve().parent
    raw = read_yaml(previous.path, ParametersError, "parameters")
    carried = dict(raw.get("briefing", {}))
    if previous.docx_template is not None:  # the Word template, named from the new file's folder
        carried["docx_template"] = os.path.relpath(previous.docx_template, folder)
    briefing = yaml.safe_dump({"briefing": carried}, sort_keys=False, allow_unicode=True, width=100)
    published = previous.published + (end - previous.period_end) if previous.published else end
    return _ENVIRONMENT.get_template("next_round.yaml.j2").render(
        previous=previous,
        round_id=suggest_round_id(previous.id, end),
        published=published.isoformat(),
        baseline=os.path.relpath(previous.path, folder),
        start=start.isoformat(),
        end=end.isoformat(),
        codebooks=[
            (name, _codebook_entry(raw, name, instrument.codebook.path, folder))
            for name, instrument in previous.instruments.items()
        ],
        actions=previous.actions,
        briefing=briefing.rstrip(),
    )


def write_next_round(previous: Round, target: str | Path) -> Path:
    """Write the next round's parameters file; refuses to overwrite an existing file.

    Returns
    -------
    Path
        The file written: ``target``.
    """
    target = Path(target)
    if target.exists():
        raise ParametersError(f"{target} already exists; choose a new file name for the next round.")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise ParametersError(f"{target.name}: a parameters file must end in .yaml.")
    text = _scaffold_next_round(previous, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
