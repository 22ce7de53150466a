"""How long a briefing takes: `auditkit run` against a hand chain of the three standard tools.

    .venv/bin/python benchmarks/bench_run.py [--repeats 5] [--batch 0]

The hand chain is what an analyst would type without auditkit, on a reference notebook that
makes the same imports as auditkit's notebooks and draws one chart:

    papermill ref.ipynb out.ipynb
    jupyter nbconvert --to html --no-input out.ipynb
    weasyprint out.html out.pdf

Everything is timed as a whole process, side by side in this one run (alternating, so machine
load affects each alike), and the medians and their ratios are printed:

1. cold briefing: `auditkit run parameters/llr-2017.yaml` (both notebooks; HTML, PDF and Word,
   everything it writes by default) against the hand chain (issue 21, target 1: at most 0.5);
2. validate: `auditkit validate` and `auditkit findings` of the same round: validate at most as
   slow as findings, and at most 0.2 of the cold run (issue 21, target 2);
3. with --batch N: `auditkit run` of N copies of the example round with --jobs 2, against N hand
   chains (benchmarks/national_batch.py measures the 150-partnership batch of target 4).

The machine's load average is printed with the figures: ratios hold on a shared machine better
than seconds do, but not perfectly.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXAMPLE = REPO / "parameters" / "llr-2017.yaml"

REFERENCE_CELLS = [
    "import auditkit\nimport pandas as pd\nimport seaborn as sns\nfrom matplotlib.figure import Figure",
    "parameters_path = 'unused'",
    "figure = Figure(figsize=(6, 3))\naxes = figure.add_subplot()\n"
    "axes.plot([2016, 2017, 2018], [0.34, 0.32, 0.30], marker='o')\nfigure",
]


def compile_sources() -> None:
    """Byte-compile auditkit's modules, as installing the wheel does (pip compiles them) and as any first run
    does where Python may write ``__pycache__``.

    An editable install on a machine with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile some
    seventy modules from source in every process (about 0.3 s): a cost no user's installed copy pays.
    """
    compileall.compile_dir(REPO / "src" / "auditkit", quiet=1)


def _write_reference(folder: Path) -> Path:
    cells = [new_code_cell(source) for source in REFERENCE_CELLS]
    cells[1].metadata["tags"] = ["parameters"]
    notebook = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    path = folder / "ref.ipynb"
    nbformat.write(notebook, path)
    return path


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def hand_chain(folder: Path) -> float:
    """papermill, then nbconvert, then WeasyPrint, each as its own command, as an analyst runs them."""
    return (
        _timed([str(BIN / "papermill"), "ref.ipynb", "out.ipynb"], folder)
        + _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "out.ipynb"], folder)
        + _timed([str(BIN / "weasyprint"), "out.html", "out.pdf"], folder)
    )


def auditkit_run(folder: Path, *parameters: Path, jobs: int = 1) -> float:
    command = [
        str(BIN / "auditkit"),
        "run",
        *map(str, parameters),
        "--out",
        str(folder / "out"),
        "--force",
        "--quiet",
        "--jobs",
        str(jobs),
    ]
    return _timed(command, folder)


def _batch_rounds(folder: Path, count: int) -> list[Path]:
    """Copies of the example round, each with its own id, in a copy of the project."""
    project = folder / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "auditkit.yaml", project / "auditkit.yaml")
    for name in ("parameters", "data_templates"):
        shutil.copytree(REPO / name, project / name, dirs_exist_ok=True)
    text = (project / "parameters" / "llr-2017.yaml").read_text(encoding="utf-8")
    paths = []
    for index in range(count):
        path = project / "parameters" / f"batch-{index:02d}.yaml"
        path.write_text(text.replace("round: llr-2017", f"round: batch-{index:02d}", 1), encoding="utf-8")
        paths.append(path)
    return paths


def auditkit_command(folder: Path, *arguments: str) -> float:
    """One auditkit command on the example round, as a whole process."""
    return _timed([str(BIN / "auditkit"), *arguments], folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=0, help="also time a batch of N copies with --jobs 2")
    arguments = parser.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="auditkit-bench-") as scratch:
        folder = Path(scratch)
        _write_reference(folder)
        auditkit_run(folder, EXAMPLE)  # warm the file system and font caches for both
        hand_chain(folder)
        times: dict[str, list[float]] = {"hand": [], "run": [], "validate": [], "findings": []}
        load_before = os.getloadavg()[0]
        for _ in range(arguments.repeats):
            times["hand"].append(hand_chain(folder))
            times["run"].append(auditkit_run(folder, EXAMPLE))
            times["validate"].append(auditkit_command(folder, "validate", str(EXAMPLE)))
            times["findings"].append(
                auditkit_command(folder, "findings", str(EXAMPLE), "--out", str(folder / "findings"), "--force")
            )
        hand, run, validate, findings = (statistics.median(times[name]) for name in times)
        n = arguments.repeats
        print(f"load average (1 min) before: {load_before:.2f}; after: {os.getloadavg()[0]:.2f}")
        print(f"hand chain (papermill + nbconvert + weasyprint), median of {n}: {hand:.2f} s")
        print(f"auditkit run parameters/llr-2017.yaml (HTML, PDF, Word), median of {n}: {run:.2f} s")
        print(f"auditkit validate, median of {n}: {validate:.2f} s; auditkit findings, median of {n}: {findings:.2f} s")
        print(f"ratio 1, run / hand chain (target at most 0.5): {run / hand:.2f}")
        print(f"ratio 2a, validate / findings (target at most 1): {validate / findings:.2f}")
        print(f"ratio 2b, validate / run (target at most 0.2): {validate / run:.2f}")
        if arguments.batch:
            rounds = _batch_rounds(folder, arguments.batch)
            batch = auditkit_run(folder, *rounds, jobs=2)
            hands = arguments.batch * hand
            print(f"auditkit run of {arguments.batch} rounds with --jobs 2: {batch:.2f} s")
            print(f"{arguments.batch} hand chains: {hands:.2f} s; ratio {batch / hands:.2f}")


if __name__ == "__main__":
    main()
