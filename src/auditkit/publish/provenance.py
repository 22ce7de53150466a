"""Where a report came from: ``manifest.json``, the data fingerprint, and ``auditkit verify``.

The manifest records the SHA-256 of every input (parameters, codebooks and data of the
round and of every baseline), of every published file of the report (not of itself), the
resolved parameters, the software that produced the report and when. ``verify_report``
re-hashes the inputs and the report's own files and names every file that changed. That finds
accidental change (a file edited, replaced or lost after the run), not tampering: whoever can
rewrite a report's files can rewrite its manifest too.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from auditkit.config.round import Round
from auditkit.errors import ReportError
from auditkit.publish.safe_text import escape_invisible
from auditkit.read.fingerprints import fingerprint, hash_file, list_inputs

__all__ = ["KEY_PACKAGES", "MANIFEST", "Verification", "build_manifest", "verify_report", "write_manifest"]

#: The manifest's file name in a report's folder.
MANIFEST = "manifest.json"
#: Packages whose versions a manifest records, by distribution name (auditkit's is pyproject.toml's name).
KEY_PACKAGES = (
    "neglect-auditkit",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "pandera",
    "papermill",
    "nbconvert",
    "nbformat",
    "matplotlib",
    "seaborn",
    "weasyprint",
    "python-calamine",
    "openpyxl",
    "python-docx",
)


def _package_versions() -> dict[str, str]:
    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _git_commit(folder: Path) -> dict[str, Any] | None:
    try:
        commit = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "uncommitted_changes": bool(dirty)}


def _resolved(round_: Round) -> dict[str, Any]:
    return {
        "round": round_.id,
        "title": round_.title,
        "partnership": round_.partnership,
        "period": {"start": round_.period_start.isoformat(), "end": round_.period_end.isoformat()},
        "baseline": str(round_.baseline) if round_.baseline else None,
        "areas": list(round_.areas),
        "instruments": {
            name: {"codebook": str(instrument.codebook.path), "data": str(instrument.data)}
            for name, instrument in round_.instruments.items()
        },
        "indicator_tables": {
            name: {
                "codebook": str(table.codebook.path),
                "data": [str(path) for path in table.data],
                "benchmarks": None if table.benchmarks is None else {k: dict(v) for k, v in table.benchmarks.items()},
            }
            for name, table in round_.indicator_tables.items()
        },
        "disclosure": {"min_count": round_.disclosure.min_count, "symbol": round_.disclosure.symbol},
        "redact": f"{len(round_.redact)} name(s), not recorded here",
    }


def build_manifest(
    rounds: Sequence[Round],
    project: Path,
    outputs: Sequence[Path],
    started: dt.datetime,
    finished: dt.datetime,
    inputs: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """The manifest of a report: inputs with hashes, resolved parameters, software, commit and times.

    ``inputs`` are the rounds' input files as the analysis read them (:func:`list_inputs`); when not
    given they are hashed now.

    Returns
    -------
    dict
        Keys ``round`` (the last round's id), ``fingerprint``, ``inputs``, ``parameters`` (each round's, resolved),
        ``software`` (python, platform, packages: :data:`KEY_PACKAGES`), ``git`` (commit and uncommitted_changes,
        or None outside a repository), ``started``, ``finished`` and ``outputs`` (each output's name and SHA-256).
    """
    inputs = list(inputs) or list_inputs(rounds)
    return {
        "round": rounds[-1].id,
        "fingerprint": fingerprint(inputs),
        "inputs": inputs,
        "parameters": [_resolved(round_) for round_ in rounds],
        "software": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "packages": _package_versions(),
        },
        "git": _git_commit(project),
        "started": started.isoformat(),
        "finished": finished.isoformat(),
        "outputs": [{"path": path.name, "sha256": hash_file(path)} for path in outputs],
    }


def write_manifest(manifest: dict[str, Any], folder: Path) -> Path:
    """Write a manifest as :data:`MANIFEST` in a report's folder, as indented UTF-8 JSON.

    Invisible characters (:data:`~auditkit.publish.safe_text.INVISIBLE_CHARACTERS`) are written as JSON escapes,
    not removed: the manifest keeps every input's path exactly, so that :func:`verify_report` finds it again.

    Returns
    -------
    Path
        The file written.
    """
    path = folder / MANIFEST
    path.write_text(escape_invisible(json.dumps(manifest, indent=2, ensure_ascii=False)) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Verification:
    """The result of re-hashing a report's inputs and its own files: one status per file."""

    report: Path
    statuses: tuple[tuple[str, str], ...]
    #: The report's own files its manifest lists, each with its status, paths relative to ``report``.
    outputs: tuple[tuple[str, str], ...] = ()

    @property
    def matches(self) -> bool:
        """Whether every input and every file of the report is unchanged."""
        return all(status == "unchanged" for _, status in (*self.statuses, *self.outputs))


def _status(path: Path, sha256: str) -> str:
    if not path.is_file():
        return "missing"
    return "unchanged" if hash_file(path) == sha256 else "changed"


def _own_file(folder: Path, name: str) -> Path:
    """A file the manifest says the report holds; a name that leaves the report's folder is not a manifest's."""
    path = Path(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(name)
    return folder / path


def verify_report(folder: str | Path) -> Verification:
    """Re-hash every input and every file of the report that its manifest names.

    Raises :class:`ReportError` when the report has no readable manifest, or one naming a file outside the report.

    Returns
    -------
    Verification
        The report, each input's path with its status (``unchanged``, ``changed`` or ``missing``) in
        ``statuses``, and each of the report's own files, named relative to it, with its status in ``outputs``.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise ReportError(folder, f"has no {MANIFEST}; it is not an auditkit report, or it predates manifests.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        inputs = [(item["path"], Path(item["path"]), item["sha256"]) for item in manifest["inputs"]]
        outputs = [(item["path"], _own_file(folder, item["path"]), item["sha256"]) for item in manifest["outputs"]]
    except (ValueError, KeyError, TypeError):
        raise ReportError(folder, f"has a {MANIFEST} that is not a readable auditkit manifest.") from None
    return Verification(
        report=folder,
        statuses=tuple((name, _status(source, sha256)) for name, source, sha256 in inputs),
        outputs=tuple((name, _status(source, sha256)) for name, source, sha256 in outputs),
    )
