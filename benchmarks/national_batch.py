"""A national batch: 150 partnerships' rounds, each compared with its baseline, in one `auditkit run --jobs 2`.

    .venv/bin/python benchmarks/national_batch.py [--partnerships 150] [--hand-repeats 3] [--keep DIR]

Generates, in a temporary folder, a workbook with one partnership per pair of parameters files: a
baseline round (`pNNN-2017.yaml`) and a follow-up round (`pNNN-2018.yaml`, `baseline: pNNN-2017.yaml`).
Each partnership's data is the example round's (deep dive and survey) with a different random tenth
of the rows left out (seeded by the partnership's number), so that every round's figures differ.

Then, side by side in this one run:
1. the hand chain (papermill, nbconvert, WeasyPrint as three commands; see bench_run.py), median of
   --hand-repeats runs;
2. `auditkit run parameters/p*-2018.yaml --out OUT --jobs 2`, with its progress display, as a whole
   process, while the resident memory of its whole process tree (the command and every worker) is
   sampled every 0.1 s.

It prints both times, the ratio of the batch to N hand chains (issue 21, target 4: at most 0.08), and
the peak resident memory of the tree (target: within 2 GiB). Not a test: timings depend on the machine
and its load (the project's machine has 2 cores), which is printed alongside.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_run import BIN, REPO, _write_reference, compile_sources, hand_chain  # noqa: E402 - a sibling script, not a package

TARGET_RATIO = 0.08
TARGET_BYTES = 2 << 30
EXAMPLES = REPO / "data_templates" / "examples"
ROUNDS = {  # the round each generated file copies: its parameters and its two data files
    "2017": ("llr-2017.yaml", "llr-2017-cases.csv", "llr-2017-survey.csv"),
    "2018": ("llr-2017-followup.yaml", "llr-2017-followup-cases.csv", "llr-2017-followup-survey.csv"),
}


def _sampled(source: Path, target: Path, seed: int) -> None:
    """The example's rows with a random tenth left out (at least one row kept out, never all)."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    left_out = max(1, len(frame) // 10)
    kept = np.sort(rng.choice(len(frame), size=len(frame) - left_out, replace=False))
    frame.iloc[kept].to_csv(target, index=False)


def generate(folder: Path, partnerships: int) -> list[Path]:
    """A workbook of ``partnerships`` baselines and follow-ups; the follow-ups' parameters files."""
    shutil.copyfile(REPO / "auditkit.yaml", folder / "auditkit.yaml")
    (folder / "parameters").mkdir()
    data = folder / "data"
    data.mkdir()
    followups = []
    for number in range(1, partnerships + 1):
        name = f"p{number:03d}"
        for year, (parameters, cases, survey) in ROUNDS.items():
            round_id = f"{name}-{year}"
            _sampled(EXAMPLES / cases, data / f"{round_id}-cases.csv", seed=number * 10 + int(year))
            _sampled(EXAMPLES / survey, data / f"{round_id}-survey.csv", seed=number * 10 + int(year) + 1)
            text = (REPO / "parameters" / parameters).read_text(encoding="utf-8")
            replacements = {
                f"round: {Path(parameters).stem}": f"round: {round_id}",
                "baseline: llr-2017.yaml": f"baseline: {name}-2017.yaml",
                f"../data_templates/examples/{cases}": f"../data/{round_id}-cases.csv",
                f"../data_templates/examples/{survey}": f"../data/{round_id}-survey.csv",
                "partnership: Leicester, Leicestershire and Rutland Safeguarding Children Boards": (
                    f"partnership: Partnership {number:03d} Safeguarding Children Partnership"
                ),
            }
            for old, new in replacements.items():
                text = text.replace(old, new, 1)
            path = folder / "parameters" / f"{round_id}.yaml"
            path.write_text(text, encoding="utf-8")
        followups.append(folder / "parameters" / f"{name}-2018.yaml")
    return followups


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # a worker that ended between the listing and the reading
            continue
    return total


def run_batch(folder: Path, parameters: list[Path]) -> tuple[float, int, str]:
    """Time ``auditkit run`` of every round with --jobs 2; its seconds, the tree's peak RSS, its last output."""
    command = [str(BIN / "auditkit"), "run", *map(str, parameters), "--out", str(folder / "out"), "--jobs", "2"]
    peak = 0
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watched = psutil.Process(child.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, _tree_rss(watched))
            except psutil.Error:
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"auditkit run failed (exit {child.returncode}):\n{output[-3000:]}")
    return seconds, peak, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=150)
    parser.add_argument("--hand-repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate and keep the workbook in this (new) folder")
    arguments = parser.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="auditkit-national-") as scratch:
        folder = arguments.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        followups = generate(folder, arguments.partnerships)
        reference = folder / "reference"
        reference.mkdir()
        _write_reference(reference)
        hand_chain(reference)  # warm the file system and font caches
        hands = [hand_chain(reference) for _ in range(arguments.hand_repeats)]
        hand = statistics.median(hands)
        load_before = os.getloadavg()[0]
        seconds, peak, output = run_batch(folder, followups)
        count = len(followups)
        print(f"load average (1 min) before the batch: {load_before:.2f}; after: {os.getloadavg()[0]:.2f}")
        print(f"hand chain (papermill + nbconvert + weasyprint), median of {len(hands)}: {hand:.2f} s")
        print(f"auditkit run of {count} rounds, each with a baseline, --jobs 2: {seconds:.1f} s")
        print(f"{count} hand chains: {count * hand:.1f} s")
        ratio = seconds / (count * hand)
        print(f"ratio (target at most {TARGET_RATIO}): {ratio:.3f} ({'met' if ratio <= TARGET_RATIO else 'NOT met'})")
        within = "within" if peak <= TARGET_BYTES else "OVER"
        print(f"peak resident memory of the process tree: {peak / 2**20:.0f} MiB ({within} the 2 GiB target)")
        print("the batch's last lines:\n  " + "\n  ".join(output.strip().splitlines()[-3:]))


if __name__ == "__main__":
    main()
