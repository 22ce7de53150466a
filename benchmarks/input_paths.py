"""Every input path at scale: auditkit's read of a file against the fastest plain library read of the same file.

    .venv/bin/python benchmarks/input_paths.py [--cache DIR] [--paths xlsx,careful_csv,...] [--rows N]
                                               [--export-rows N] [--repeats 3]

Generates each file once into ``--cache`` (a temporary folder unless given; a file already there is reused):

* ``xlsx``: the largest sheet Excel allows (1,048,576 rows: the header and 1,048,575 responses × 20 items × 150
  areas), written a row at a time as Excel writes it (shared strings);
* ``careful_csv``: 1,000,000 responses whose header cells hold the item id over the question (two lines in one
  quoted cell, as auditkit's data-entry template writes them) and a comment column of quoted text over several
  lines: the quick path leaves it to the careful reader;
* ``plain_csv``: 1,000,000 responses, no quotes, UTF-8;
* ``surveymonkey``, ``msforms``, ``googleforms``: the example survey's exports (``make_survey_exports``) of
  100,000 responses (CSV, XLSX and CSV).

For each path, in the same run, it times in a new process (median of ``--repeats``) auditkit's read of the file
(``auditkit.read.formats.read_instrument``, what ``auditkit findings`` reads a round's data with) and the reference
read (``pandas.read_csv``; ``fastexcel``'s load of the sheet to Arrow columns), each process under
``/usr/bin/time -v`` for its peak resident memory, and prints the ratio beside its target (issue 21, target 5).
The seconds are those of the read itself (imports left out); the memory that of the whole process.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "data_templates" / "examples"))

import bench_scale  # noqa: E402

PATHS = ("xlsx", "careful_csv", "plain_csv", "surveymonkey", "msforms", "googleforms")
#: Each path's target: the most auditkit's read may take, as a multiple of the reference; the most memory (bytes).
TARGETS = {
    "xlsx": (1.5, 1.5 * 2**30),
    "careful_csv": (3.0, 1 << 30),
    "plain_csv": (2.0, None),
    "surveymonkey": (2.0, None),
    "msforms": (2.0, None),
    "googleforms": (2.0, None),
}
XLSX_ROWS = 1_048_575  # responses under the header: Excel's 1,048,576 rows
CSV_ROWS = 1_000_000
EXPORT_ROWS = 100_000
_BLOCK = 50_000

# --- the files --------------------------------------------------------------------------------------------------


def _columns(rows: int) -> dict[str, np.ndarray]:
    """The survey of bench_scale (response id, area, 20 items) as columns of text, the same on every run."""
    rng = np.random.default_rng(bench_scale.SEED + rows)
    areas = rng.integers(0, len(bench_scale.AREAS), rows)
    columns = {
        "response_id": np.char.add("R", np.char.zfill(np.arange(1, rows + 1).astype(str), 7)).astype(object),
        "area": np.array(bench_scale.AREAS, dtype=object)[areas],
    }
    for item in bench_scale._items():
        columns[item["id"]] = bench_scale._answers(rng, item, rows, areas)
    return columns


def _comments(rows: int) -> np.ndarray:
    """A comment on every fifth response, some over two or three lines, some with commas and quotes."""
    texts = np.array(
        ["", "", "", "", "Good training, well run.", 'Said "useful"\nwould use again', "Line one\nline two\nline 3"],
        dtype=object,
    )
    return texts[np.arange(rows) % len(texts)]


def write_careful_csv(path: Path, rows: int, codebook: Path) -> None:
    """Header cells of two lines (item id, question), a comment column over several lines: the careful reader's."""
    columns = _columns(rows)
    columns["comment"] = _comments(rows)
    header = [f"{name}\nQuestion {name}" for name in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for start in range(0, rows, _BLOCK):
            writer.writerows(zip(*(column[start : start + _BLOCK] for column in columns.values())))
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(
        text.replace("  - {id: area,", "  - {id: comment, question: Any comment, type: text}\n  - {id: area,"),
        encoding="utf-8",
    )


def _sheet_cells(row: int, values, strings: dict[str, int]) -> str:
    cells = []
    for column, value in enumerate(values):
        if value == "":
            continue
        index = strings.setdefault(value, len(strings))
        cells.append(f'<c r="{_letter(column)}{row}" t="s"><v>{index}</v></c>')
    return f'<row r="{row}">{"".join(cells)}</row>'


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def write_xlsx(path: Path, rows: int) -> None:
    """A one-sheet workbook ("Data") as Excel writes it (shared strings), streamed a block of rows at a time.

    Written by hand, part by part, because it is quicker than openpyxl's write-only mode by minutes at this size and
    xlsxwriter is not among the project's libraries; python-calamine and fastexcel read it as they read Excel's.
    """
    columns = _columns(rows)
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(_sheet_cells(1, list(columns), strings).encode())
            for start in range(0, rows, _BLOCK):
                block = zip(*(column[start : start + _BLOCK] for column in columns.values()))
                text = "".join(_sheet_cells(start + 2 + offset, values, strings) for offset, values in enumerate(block))
                sheet.write(text.encode())
            sheet.write(b"</sheetData></worksheet>")
        shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst '
            f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{shared}</sst>',
        )


def _example_exports(folder: Path, rows: int) -> dict[str, Path]:
    """The example survey's SurveyMonkey (CSV), Microsoft Forms (XLSX) and Google Forms (CSV) exports."""
    import make_survey_exports as exports

    from auditkit.config.codebook import load_codebook
    from auditkit.config.workbook import package_folder

    codebook = load_codebook(package_folder("instruments") / "toolkit_survey.yaml")
    examples = exports.read_codes(REPO / "data_templates" / "examples" / "llr-2017-survey.csv")
    records = [examples[number % len(examples)] for number in range(rows)]
    files = {
        "surveymonkey": folder / f"surveymonkey-{rows}.csv",
        "msforms": folder / f"msforms-{rows}.xlsx",
        "googleforms": folder / f"googleforms-{rows}.csv",
    }
    if not files["surveymonkey"].exists():
        exports.write_csv(exports.surveymonkey_rows(codebook, records), files["surveymonkey"])
    if not files["msforms"].exists():
        exports.write_xlsx(exports.msforms_rows(codebook, records), files["msforms"])
    if not files["googleforms"].exists():
        exports.write_csv(exports.google_rows(codebook, records, "forms"), files["googleforms"], False, True)
    return files


def build(folder: Path, paths: list[str], rows: int | None, export_rows: int) -> dict[str, tuple[Path, Path, int]]:
    """Each path's data file, the codebook it is read with, and its number of responses (files kept in ``folder``)."""
    from auditkit.config.workbook import package_folder

    built = {}
    for name in paths:
        if name in ("surveymonkey", "msforms", "googleforms"):
            data = _example_exports(folder, export_rows)[name]
            built[name] = (data, package_folder("instruments") / "toolkit_survey.yaml", export_rows)
            continue
        count = rows or (XLSX_ROWS if name == "xlsx" else CSV_ROWS)
        codebook = folder / f"codebook-{name}.yaml"
        bench_scale.write_codebook(codebook)
        data = folder / f"{name}-{count}.{'xlsx' if name == 'xlsx' else 'csv'}"
        if name == "careful_csv":
            if not data.exists():
                write_careful_csv(data, count, codebook)
            else:
                write_careful_csv(folder / "unused.csv", 1, codebook)
        elif not data.exists() and name == "xlsx":
            write_xlsx(data, count)
        elif not data.exists():
            bench_scale.write_data(data, count, "plain")
        built[name] = (data, codebook, count)
    return built


# --- the timings ------------------------------------------------------------------------------------------------

_AUDITKIT = """
import sys, time, json
from pathlib import Path
from auditkit.config.codebook import load_codebook
from auditkit.config.round import Instrument
from auditkit.read.formats import read_instrument
data, codebook = Path(sys.argv[1]), load_codebook(Path(sys.argv[2]))
instrument = Instrument(name="survey", codebook=codebook, data=data)
started = time.perf_counter()
table = read_instrument(instrument)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(table)}))
"""

_REFERENCE = """
import sys, time, json
from pathlib import Path
data = Path(sys.argv[1])
if data.suffix == ".csv":
    import pandas as pd
    started = time.perf_counter()
    table = pd.read_csv(data)
    rows = len(table)
else:
    import fastexcel
    started = time.perf_counter()
    table = fastexcel.read_excel(data).load_sheet(0, eager=True)
    rows = table.num_rows
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


def _timed(script: str, data: Path, codebook: Path) -> tuple[float, int]:
    """The read's seconds (as the process measured it) and the process's peak resident bytes."""
    command = ["/usr/bin/time", "-v", sys.executable, "-c", script, str(data), str(codebook)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"reading {data} failed:\n{result.stdout}\n{result.stderr}")
    seconds = json.loads(result.stdout.strip().splitlines()[-1])["seconds"]
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) * 1024
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="keep the generated files in this folder (reused next time)")
    parser.add_argument("--paths", default=",".join(PATHS), help=f"comma-separated, of {', '.join(PATHS)}")
    parser.add_argument("--rows", type=int, help="responses in the xlsx and CSV files (default 1,048,575 / 1,000,000)")
    parser.add_argument("--export-rows", type=int, default=EXPORT_ROWS, help="responses in each survey export")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each read; the median is shown (default 3)")
    arguments = parser.parse_args()
    paths = [name.strip() for name in arguments.paths.split(",") if name.strip()]
    unknown = sorted(set(paths) - set(PATHS))
    if unknown:
        raise SystemExit(f"unknown paths: {', '.join(unknown)}; known: {', '.join(PATHS)}")
    if not Path("/usr/bin/time").is_file():
        raise SystemExit("This benchmark needs GNU time as /usr/bin/time (Debian: apt-get install time).")
    folder = arguments.cache or Path(tempfile.mkdtemp(prefix="auditkit-inputs-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        built = build(folder, paths, arguments.rows, arguments.export_rows)
        print(f"Files in {folder}; each figure the median of {arguments.repeats} runs, each in a new process.")
        print(subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip())
        head = f"{'path':<13} {'rows':>10} {'MB':>6} {'reference s':>11} {'auditkit s':>10} {'ratio':>6}"
        print(f"\n{head} {'target':>7} {'peak RSS MB':>11} {'within target':>13}")
        for name in paths:
            data, codebook, count = built[name]
            runs = []
            for _ in range(arguments.repeats):  # side by side: each auditkit read beside a reference read
                runs.append((_timed(_REFERENCE, data, codebook), _timed(_AUDITKIT, data, codebook)))
            reference = statistics.median(run[0][0] for run in runs)
            seconds = statistics.median(run[1][0] for run in runs)
            peak = statistics.median(run[1][1] for run in runs)
            ratio_target, memory_target = TARGETS[name]
            ratio = seconds / reference
            within = ratio <= ratio_target and (memory_target is None or peak <= memory_target)
            target = f"{ratio_target:g}×" + (f", {memory_target / 2**30:g} GiB" if memory_target else "")
            print(
                f"{name:<13} {count:>10,} {data.stat().st_size / 1e6:>6.0f} {reference:>11.2f} {seconds:>10.2f} "
                f"{ratio:>6.2f} {target:>7} {peak / 2**20:>11.0f} {'yes' if within else 'NO':>13}"
            )
        print(subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip())
    finally:
        if arguments.cache is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
