"""How long a large SurveyMonkey XLSX export takes to become validated records.

    .venv/bin/python benchmarks/bench_read_xlsx.py [--rows 50000] [--runs 5]

Builds a SurveyMonkey "All individual responses" export (XLSX, expanded columns, respondent
metadata, a multi-select question) of the example survey's answers repeated to ``--rows``
responses, then times ``validation.check_records`` on it: opening the workbook, reading the
sheet, leaving the personal data behind, matching questions to items, and checking and typing
every value. Prints the median and fastest run and the rows per second. The target is under
1.5 s for 50,000 rows on the project's 2-core machine. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "data_templates" / "examples"))

from make_survey_exports import read_codes, surveymonkey_rows, write_xlsx  # noqa: E402

from auditkit.config.round import load_round  # noqa: E402
from auditkit.read.surveys import read_export  # noqa: E402
from auditkit.read.validation import check_records  # noqa: E402

TARGET_SECONDS = 1.5


def build_export(path: Path, rows: int) -> None:
    """Write a SurveyMonkey XLSX export of ``rows`` responses: the example's answers, over and over."""
    round_ = load_round(REPO / "parameters" / "llr-2017-surveymonkey.yaml")
    codebook = round_.instruments["survey"].codebook
    examples = read_codes(REPO / "data_templates" / "examples" / "llr-2017-survey.csv")
    records = [examples[number % len(examples)] for number in range(rows)]
    write_xlsx(surveymonkey_rows(codebook, records), path, sheet="Sheet")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()

    round_ = load_round(REPO / "parameters" / "llr-2017-surveymonkey.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey-export.xlsx"
        started = time.perf_counter()
        build_export(path, arguments.rows)
        print(
            f"built {path.name}: {arguments.rows:,} responses, {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - started:.1f} s"
        )
        instrument = dataclasses.replace(round_.instruments["survey"], data=path)

        reads, totals = [], []
        for _ in range(arguments.runs):
            started = time.perf_counter()
            table = read_export(path, instrument.codebook, "surveymonkey")
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            records, problems = check_records(instrument, round_)
            totals.append(time.perf_counter() - started)
            assert not problems and records is not None and len(records) == len(table) == arguments.rows

    median = statistics.median(totals)
    print(f"read the export to a table of text: median {statistics.median(reads):.3f} s")
    print(
        f"read and validate to typed records: median {median:.3f} s, fastest {min(totals):.3f} s "
        f"over {arguments.runs} runs; {arguments.rows / median:,.0f} rows/s"
    )
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"{verdict} the {TARGET_SECONDS} s target for {arguments.rows:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
