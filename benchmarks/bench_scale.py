"""How `auditkit findings` scales: a synthetic survey from CSV to findings.json, as a whole process.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 100000,300000,1000000] [--repeats 3] [--keep DIR]
                                               [--style plain|quoted|excel]

Builds, in a temporary folder, a survey codebook of 20 choice items (yes/no items, five-level
agreement items written as labels, items with a "not applicable" answer, items left blank by
some responses) plus a response id and an area, a parameters file with 150 areas and the
default disclosure rule, and one CSV per size (a fixed seed, so every run reads the same data;
--style says how the CSV is written: see STYLES).
Then it times `auditkit findings PARAMS --out DIR --force` for each size as a whole process
under `/usr/bin/time -v` (Python start-up and imports included) and prints the median wall
time, the peak memory ("Maximum resident set size") and the cost per 1,000 rows, so that
linear growth shows as a flat last column.

Targets (issue 7, target 3): at 1,000,000 rows at most 3 s and at most 1 GiB. Not a test:
timings depend on the machine and its load (the project's machine has 2 cores).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

BIN = Path(sys.executable).parent
TARGET_SECONDS = 3.0
TARGET_BYTES = 1 << 30
AREAS = tuple(f"Area {number:03d}" for number in range(1, 151))
AGREEMENT = (
    ("strongly_disagree", "Strongly disagree"),
    ("disagree", "Disagree"),
    ("neutral", "Neither agree nor disagree"),
    ("agree", "Agree"),
    ("strongly_agree", "Strongly agree"),
)
SEED = 20170630
#: How the CSV can be written (--style).
STYLES = {
    "plain": "in UTF-8, no quotes, as a database export writes",
    "quoted": "in UTF-8, every cell in double quotes, as SurveyMonkey and many survey tools export",
    "excel": "in Windows-1252, as Excel's \"CSV (Comma delimited)\" saves, a '°' in every response number",
}


def _items() -> list[dict]:
    """Twenty choice items: what each is, its values as written in the CSV, and their chances."""
    items = []
    for number in range(1, 21):
        kind = ("yes_no", "agreement", "applicable", "yes_no_rare")[number % 4]
        items.append({"id": f"q{number:02d}", "kind": kind, "required": number % 5 != 0})
    return items


def write_codebook(path: Path) -> None:
    lines = [
        "codebook: scale_survey",
        "title: Synthetic practitioner survey",
        "record: response",
        "records: practitioners who answered",
        "partial_records: true",
        "items:",
        "  - {id: response_id, question: Response number, type: text, required: true, unique: true, identifying: true}",
        "  - {id: area, question: Area worked in, type: area, required: true}",
    ]
    for item in _items():
        head = (
            f"  - id: {item['id']}\n    question: Question {item['id']}\n    label: Standard {item['id']}\n"
            f"    type: choice\n    required: {str(item['required']).lower()}\n"
        )
        if item["kind"] == "agreement":
            values = "".join(f"      - {{code: {code}, label: {label}}}\n" for code, label in AGREEMENT)
            lines.append(head + "    ordinal: true\n    values:\n" + values + "    met: [agree, strongly_agree]")
        elif item["kind"] == "applicable":
            lines.append(
                head + "    values: [yes, no, not_applicable]\n    met: [yes]\n    not_applicable: [not_applicable]"
            )
        else:
            lines.append(head + "    values: [yes, no]\n    met: [yes]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_parameters(path: Path, codebook: Path, data: Path) -> None:
    areas = "\n".join(f"  - {area}" for area in AREAS)
    path.write_text(
        f"round: scale-{data.stem}\ntitle: Synthetic survey\npartnership: Synthetic partnership\n"
        f"period:\n  start: 2024-04-01\n  end: 2025-03-31\nareas:\n{areas}\n"
        f"instruments:\n  survey:\n    codebook: {codebook}\n    data: {data}\n",
        encoding="utf-8",
    )


def _answers(rng: np.random.Generator, item: dict, rows: int, area_codes: np.ndarray) -> np.ndarray:
    """One column of answers as text: codes for yes/no, labels for the agreement scale, some blanks."""
    if item["kind"] == "agreement":
        choices = np.array([label for _, label in AGREEMENT] + [""], dtype=object)
        shift = (area_codes % 7) / 60  # areas differ a little, so the area tests have something to find
        weights = np.array([0.08, 0.14, 0.2, 0.38, 0.17, 0.03])
        picks = np.searchsorted(np.cumsum(weights), rng.random(rows) * (1 - shift) + shift * 0.5)
    elif item["kind"] == "applicable":
        choices = np.array(["yes", "no", "not_applicable", ""], dtype=object)
        picks = np.searchsorted(np.cumsum([0.55, 0.3, 0.13, 0.02]), rng.random(rows))
    elif item["kind"] == "yes_no_rare":  # small counts in some areas: disclosure control has work to do
        choices = np.array(["yes", "no", ""], dtype=object)
        picks = np.searchsorted(np.cumsum([0.002, 0.978, 0.02]), rng.random(rows))
    else:
        choices = np.array(["yes", "no", ""], dtype=object)
        picks = np.searchsorted(np.cumsum([0.62, 0.37, 0.01]), rng.random(rows))
    if item["required"]:
        choices = np.where(choices == "", choices[0], choices)
    return choices[np.minimum(picks, len(choices) - 1)]


def write_data(path: Path, rows: int, style: str = "plain") -> None:
    """``rows`` responses in a CSV written in one of :data:`STYLES`, the same for the same size on every run."""
    rng = np.random.default_rng(SEED + rows)
    area_codes = rng.integers(0, len(AREAS), rows)
    columns = {
        "response_id": np.char.add(
            "N°" if style == "excel" else "R", np.char.zfill(np.arange(1, rows + 1).astype(str), 7)
        ).astype(object),
        "area": np.array(AREAS, dtype=object)[area_codes],
    }
    for item in _items():
        columns[item["id"]] = _answers(rng, item, rows, area_codes)
    separator, edge = ('","', '"') if style == "quoted" else (",", "")
    with path.open("w", encoding="cp1252" if style == "excel" else "utf-8", newline="") as handle:
        handle.write(edge + separator.join(columns) + edge + "\n")
        step = 100_000
        for start in range(0, rows, step):
            block = [column[start : start + step] for column in columns.values()]
            handle.write("\n".join(edge + separator.join(row) + edge for row in zip(*block)) + "\n")


def data_path(folder: Path, rows: int, style: str) -> Path:
    """The CSV of ``rows`` responses written in ``style``."""
    return folder / f"survey-{rows}{'' if style == 'plain' else '-' + style}.csv"


def build(folder: Path, sizes: list[int], style: str = "plain") -> dict[int, Path]:
    """The codebook, and for each size a CSV and a parameters file; returns the parameters files."""
    codebook = folder / "scale_survey.yaml"
    write_codebook(codebook)
    rounds = {}
    for rows in sizes:
        data = data_path(folder, rows, style)
        write_data(data, rows, style)
        rounds[rows] = folder / f"scale-{data.stem.removeprefix('survey-')}.yaml"
        write_parameters(rounds[rows], codebook, data)
    return rounds


def timed(parameters: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of one `auditkit findings` process, from /usr/bin/time -v."""
    command = ["/usr/bin/time", "-v", str(BIN / "auditkit"), "findings", str(parameters), "--out", str(out), "--force"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"auditkit findings failed:\n{result.stdout}\n{result.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = (float(part or 0) for part in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) * 1024
    return hours * 3600 + minutes * 60 + seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100000,300000,1000000",
        help="comma-separated numbers of responses (default: 100000,300000,1000000)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the median is shown (default 3)")
    parser.add_argument("--keep", type=Path, help="build the data in this folder and keep it")
    parser.add_argument("--style", choices=list(STYLES), default="plain", help="how the CSV is written (default plain)")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    if not Path("/usr/bin/time").is_file():
        raise SystemExit("This benchmark needs GNU time as /usr/bin/time (Debian: apt-get install time).")

    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="auditkit-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        rounds = build(folder, sizes, arguments.style)
        print(
            f"Synthetic survey: 20 choice items, {len(AREAS)} areas, seed {SEED}, in {folder}"
            f"; CSV {STYLES[arguments.style]}"
        )
        print(
            f"Each figure: the median of {arguments.repeats} runs of "
            f"`auditkit findings PARAMS --out DIR --force` under /usr/bin/time -v.\n"
        )
        print(f"{'responses':>10}  {'CSV MB':>7}  {'seconds':>8}  {'peak MB':>8}  {'ms per 1,000 rows':>18}")
        results = {}
        for rows in sizes:
            runs = [timed(rounds[rows], folder / f"out-{rows}") for _ in range(arguments.repeats)]
            seconds = statistics.median(run[0] for run in runs)
            peak = statistics.median(run[1] for run in runs)
            results[rows] = seconds, peak
            size = data_path(folder, rows, arguments.style).stat().st_size / 1e6
            print(f"{rows:>10,}  {size:>7.0f}  {seconds:>8.2f}  {peak / 2**20:>8.0f}  {seconds / rows * 1e6:>18.2f}")
        if len(sizes) >= 2:
            small, large = sizes[0], sizes[-1]
            marginal = (results[large][0] - results[small][0]) / (large - small) * 1e6
            print(
                f"\nCost of each further 1,000 rows between {small:,} and {large:,}: {marginal:.2f} ms "
                f"(the rest is start-up)."
            )
        if 1_000_000 in results:
            seconds, peak = results[1_000_000]
            print(
                f"At 1,000,000 rows: {seconds:.2f} s (target {TARGET_SECONDS:g} s: "
                f"{'met' if seconds <= TARGET_SECONDS else 'NOT met'}), {peak / 2**20:.0f} MB peak "
                f"(target {TARGET_BYTES / 2**20:.0f} MB: {'met' if peak <= TARGET_BYTES else 'NOT met'})."
            )
    finally:
        if arguments.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
