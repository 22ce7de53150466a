"""How long the Fisher–Freeman–Halton test takes, exact or simulated, for tables of a few sizes (issue 18).

    .venv/bin/python benchmarks/exact_tables.py [--repeats 3]

For each table (a fixed seed, so every run times the same tables) it prints the records, the shape, the
method :func:`auditkit.stats.contingency.table_test` chose (exact by the network algorithm, or Monte Carlo
from 100,000 simulated tables once the enumeration would pass its budget of about two seconds) and the median
wall time. The last rows are a mid-size round's area test, 3,000 responses in 150 areas: the exact attempt
gives up after its budget and the simulation takes the rest. Not a test: timings depend on the machine and
its load (the project's machine has 2 shared cores). Compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from auditkit.stats.contingency import EXACT, table_test


def _table(rng: np.random.Generator, rows: int, columns: int, records: int) -> np.ndarray:
    """A table of ``records`` spread over ``rows`` × ``columns`` cells with unequal shares."""
    shares = rng.dirichlet(np.full(rows * columns, 5.0))
    return rng.multinomial(records, shares).reshape(rows, columns)


CASES = (
    ("issue 18's table", np.array([[6, 1, 3, 3], [5, 6, 1, 4], [8, 2, 3, 9], [6, 5, 4, 5], [10, 3, 6, 8]])),
    *((f"{rows} areas × met", (rows, 2, records)) for rows, records in ((3, 60), (10, 200), (20, 200), (30, 200))),
    *((f"{rows} × {columns}", (rows, columns, records)) for rows, columns, records in ((3, 3, 100), (5, 3, 150))),
    ("6 × 4", (6, 4, 120)),
    ("150 areas × met (3,000 responses)", (150, 2, 3000)),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    rng = np.random.default_rng(18)
    print(f"{'table':<36}{'records':>8}  {'method':<12}{'p':>10}{'median s':>10}")
    for name, spec in CASES:
        table = spec if isinstance(spec, np.ndarray) else _table(rng, *spec)
        times, result = [], None
        for _ in range(arguments.repeats):
            start = time.perf_counter()
            result = table_test(table).iloc[0]
            times.append(time.perf_counter() - start)
        method = "exact" if result["method"] == EXACT else "Monte Carlo"
        median = statistics.median(times)
        print(f"{name:<36}{int(table.sum()):>8}  {method:<12}{result['p_value']:>10.4g}{median:>10.2f}")


if __name__ == "__main__":
    main()
