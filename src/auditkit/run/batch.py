"""Many rounds in one call: ``auditkit run P1.yaml P2.yaml ... --jobs N``.

The rounds run in ``N`` worker processes forked from this one after the heavy imports, so
every worker starts warm and each round pays only for its own work. Rounds share nothing:
each is analysed from its own files and each notebook starts from an empty namespace. A
round that fails is reported and the others go on.

Each round's report is named by its round id, as a single run names it: ``reports/<round id>`` in its
workbook, or ``<--out>/<round id>``. Two rounds that would write the same report (two partnerships'
``round.yaml`` with one id, say) are refused before any round runs.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from auditkit.config.input_files import resolve_path
from auditkit.config.round import read_round_id
from auditkit.config.workbook import REPORTS_FOLDER, workbook_of
from auditkit.errors import AuditkitError, DuplicateRoundError
from auditkit.run.pipeline import run_round

__all__ = ["RoundOutcome", "run_rounds"]


@dataclass(frozen=True)
class RoundOutcome:
    """What became of one round of a batch: the report's folder, or why it failed."""

    parameters: Path
    folder: Path | None
    error: str | None
    bug: bool = False
    #: The briefing in the first format the round was written in (``briefing.html`` unless it was left out).
    briefing: Path | None = None

    @property
    def succeeded(self) -> bool:
        """Whether the round's report was written."""
        return self.error is None


def _warm_up() -> None:
    """Import what every round needs before the workers are forked, so they share it.

    Then freeze what is loaded out of the garbage collector's sight (Python's documented use of
    ``gc.freeze`` before forking): the collector no longer walks the libraries' millions of objects in every
    worker, round after round, nor touches (and so copies) the memory the workers share with this process.
    """
    import gc

    import docx  # noqa: F401
    import nbconvert  # noqa: F401
    import weasyprint  # noqa: F401

    import auditkit.analysis.round_analysis  # noqa: F401
    import auditkit.briefing.docx_document  # noqa: F401
    import auditkit.briefing.html  # noqa: F401
    import auditkit.briefing.page  # noqa: F401
    import auditkit.publish.findings_files  # noqa: F401
    import auditkit.publish.provenance  # noqa: F401
    import auditkit.run.inprocess_engine  # noqa: F401
    from auditkit.briefing.chart_style import load_chart_libraries

    load_chart_libraries()  # seaborn, matplotlib and pyplot: drawn in every round
    gc.collect()
    gc.freeze()


def _run_one(
    parameters: Path,
    output: Path | None,
    force: bool,
    engine: str,
    verbose: bool,
    formats: Sequence[str] | None = None,
) -> RoundOutcome:
    def progress(message: str) -> None:
        if verbose:
            print(f"  {parameters.name}: {message}…", file=sys.stderr, flush=True)

    try:
        result = run_round(
            parameters, output, progress=progress, force=force, engine=engine, parallel=False, formats=formats
        )
    except AuditkitError as exc:
        return RoundOutcome(parameters, None, f"{exc}\nNothing was written for this round.")
    except Exception:  # a bug: keep its traceback, and let the other rounds go on
        return RoundOutcome(parameters, None, traceback.format_exc(), bug=True)
    return RoundOutcome(parameters, result.folder, None, briefing=result.briefings[0])


def _report_folder(parameters: Path, round_id: str, output: Path | None) -> Path | None:
    """Where a round of a batch writes: ``<output>/<round id>``, else ``reports/<round id>`` in its workbook."""
    if output is not None:
        return Path(output).expanduser().resolve() / round_id
    workbook = workbook_of(resolve_path(parameters))
    return None if workbook is None else workbook / REPORTS_FOLDER / round_id


def _plan(parameters: list[Path], output: Path | None) -> tuple[dict[int, Path | None], dict[int, RoundOutcome]]:
    """Each round's ``--out`` folder (None for the default), and the rounds that failed before running.

    A round whose parameters file cannot be read fails here, as it would when run. Raises
    :class:`DuplicateRoundError` when two rounds would write the same report.
    """
    targets: dict[int, Path | None] = {}
    failed: dict[int, RoundOutcome] = {}
    writers: dict[Path, list[tuple[str, Path]]] = {}
    for index, path in enumerate(parameters):
        try:
            round_id = read_round_id(path)
        except AuditkitError as exc:
            failed[index] = RoundOutcome(path, None, f"{exc}\nNothing was written for this round.")
            continue
        folder = _report_folder(path, round_id, output)
        targets[index] = folder if output is not None else None
        if folder is not None:
            writers.setdefault(folder, []).append((round_id, path))
    clashes = [
        (rounds[0][0], [path for _, path in rounds], folder) for folder, rounds in writers.items() if len(rounds) > 1
    ]
    if clashes:
        raise DuplicateRoundError(clashes)
    return targets, failed


def run_rounds(
    parameters: list[Path],
    output: Path | None = None,
    jobs: int = 1,
    force: bool = False,
    engine: str = "inprocess",
    verbose: bool = False,
    on_done: Callable[[RoundOutcome, int, int], None] | None = None,
    formats: Sequence[str] | None = None,
) -> list[RoundOutcome]:
    """Run every round, ``jobs`` at a time, each in a worker forked from this process.

    ``on_done(outcome, done, failed)`` is called as each round finishes, with how many have finished
    and how many of those failed. A round that fails does not stop the others. With ``output``, each
    round's report goes to ``output/<round id>``. Raises :class:`DuplicateRoundError`, before any round
    runs, when two rounds would write the same report.
    ``formats`` chooses the briefing's formats for every round (each round's own when None).

    Returns
    -------
    list of RoundOutcome
        One per round, in the order the rounds were given.
    """
    targets, unreadable = _plan(parameters, output)
    outcomes: dict[int, RoundOutcome] = {}
    failed = 0

    def record(index: int, outcome: RoundOutcome) -> None:
        nonlocal failed
        outcomes[index] = outcome
        failed += not outcome.succeeded
        if on_done is not None:
            on_done(outcome, len(outcomes), failed)

    for index, outcome in unreadable.items():
        record(index, outcome)
    if jobs <= 1 or len(targets) <= 1:
        for index, target in targets.items():
            record(index, _run_one(parameters[index], target, force, engine, verbose, formats))
        return [outcomes[index] for index in range(len(parameters))]
    _warm_up()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(_run_one, parameters[index], target, force, engine, verbose, formats): index
            for index, target in targets.items()
        }
        for future in as_completed(futures):
            record(futures[future], future.result())
    return [outcomes[index] for index in range(len(parameters))]
