"""Run the hostile-input corpus (tests/hostile/corpus.py) and count the outcomes.

    .venv/bin/python benchmarks/hostile_corpus.py [--jobs 2] [--only ID,ID]

Prints one line per case, then: cases, clear refusals, safe outputs, leaks, tracebacks, hangs, runaway
memory, lost or partial outputs, and wrong words (a refusal that does not say what the case expects, or a
run that should have refused). Targets (issues 14 and 15): 0 leaks, 0 tracebacks, 0 hangs, 0 lost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HOSTILE = Path(__file__).resolve().parents[1] / "tests" / "hostile"
sys.path.insert(0, str(HOSTILE))

from corpus import CASES  # noqa: E402
from runner import AUDITKIT, run_case  # noqa: E402
from workspace import make_workspace  # noqa: E402

KINDS = ("refused", "published", "leak", "traceback", "hang", "memory", "lost", "wrong-words")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated case ids")
    args = parser.parse_args()
    chosen = [case for case in CASES if not args.only or case.id in args.only.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        earlier = make_workspace(base / "earlier", None)
        subprocess.run([AUDITKIT, "run", str(earlier.parameters), "--quiet"], check=True, cwd=earlier.root)

        def one(index_case):
            index, case = index_case
            return run_case(case, make_workspace(base / f"case-{index}", earlier.report))

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(one, enumerate(chosen)))
    for case, outcome in zip(chosen, outcomes):
        flag = "ok " if outcome.ok else "BAD"
        print(
            f"{flag} {outcome.kind:11} {outcome.seconds:5.1f}s {outcome.peak_mib:6.0f}MiB  issue {case.issue}  "
            f"{case.id}: {outcome.detail[:110]}"
        )
    counts = Counter(outcome.kind for outcome in outcomes)
    print()
    print(
        f"cases {len(outcomes)}: clear refusals {counts['refused']}, safe outputs {counts['published']}, "
        f"leaks {counts['leak']}, tracebacks {counts['traceback']}, hangs {counts['hang']}, "
        f"runaway memory {counts['memory']}, lost or partial {counts['lost']}, wrong words {counts['wrong-words']}"
    )
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
