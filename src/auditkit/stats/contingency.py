"""r×c tables of counts: the Fisher–Freeman–Halton test, exact or from simulated tables, and Pearson's chi-squared.

Areas (or groups) against each other, one row per area with its met and not-met counts, are tested here.
:func:`table_test` gives the exact p-value (:func:`fisher_freeman_halton_test`, by the network algorithm of
:mod:`auditkit.stats.exact_tables`) whenever the enumeration stays within its budget of work, about two
seconds, and otherwise a Monte Carlo p-value from 100,000 tables with the same margins and a fixed seed
(:mod:`auditkit.stats.simulated_tables`), with its Monte Carlo standard error; its ``method`` says which.
``tests/stats/test_contingency.py`` checks them against R's ``fisher.test``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import chdtrc

from auditkit.errors import ExactTestTooLarge
from auditkit.stats.exact_tables import NETWORK_WORK_LIMIT, network_p_value
from auditkit.stats.simulated_tables import SIMULATED_TABLES, SIMULATION_SEED, simulated_p_value

__all__ = [
    "EXACT",
    "EXACT_MAX_RECORDS",
    "EXACT_WORK_LIMIT",
    "MONTE_CARLO",
    "TABLE_TEST_COLUMNS",
    "ExactTestTooLarge",
    "as_counts",
    "fisher_freeman_halton_test",
    "pearson_chi_squared_test",
    "table_test",
]

# R's fisher.test counts a table as "no more probable than the observed" when its probability is at most
# the observed one times (1 + 1e-7) for 2×2 tables (its r×c C code allows 3.45e-7 on the log scale).
_RELATIVE_TOLERANCE = 1e-7
#: The exact r×c test enumerates tables only up to this many records, and only while its work stays under
#: :data:`EXACT_WORK_LIMIT` (R's fisher.test likewise stops at its workspace limit).
EXACT_MAX_RECORDS = 10_000
#: The most work the exact r×c test does before it gives up: about two seconds
#: (:data:`auditkit.stats.exact_tables.NETWORK_WORK_LIMIT`).
EXACT_WORK_LIMIT = NETWORK_WORK_LIMIT
#: Columns of :func:`table_test`, in order.
TABLE_TEST_COLUMNS = ("p_value", "method", "monte_carlo_se", "simulated")
#: The ``method`` of an exact p-value.
EXACT = "Fisher–Freeman–Halton exact test"
#: The ``method`` of a Monte Carlo p-value.
MONTE_CARLO = f"Fisher–Freeman–Halton test, Monte Carlo p-value from {SIMULATED_TABLES:,} simulated tables"


def as_counts(name: str, values) -> np.ndarray:
    """Check that ``values`` are counts: finite, whole and not negative; a ValueError names ``name`` if not.

    Returns
    -------
    numpy.ndarray
        The counts as floats, with at least one dimension.
    """
    try:
        array = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be counts: whole numbers with no missing values") from error
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be counts: whole numbers with no missing values")
    if np.any(array < 0):
        raise ValueError(f"{name} must not be negative")
    if np.any(array != np.floor(array)):
        raise ValueError(f"{name} must be whole numbers")
    return array


def fisher_freeman_halton_test(table) -> float:
    """Exact p-value for independence in an r×c table of counts (Fisher–Freeman–Halton), as R ``fisher.test``.

    The p-value sums the probabilities of every table with the observed row and column totals whose
    probability, ∏ rᵢ! ∏ cⱼ! / (N! ∏ xᵢⱼ!), is no more than the observed table's times (1 + 1e-7). The
    tables are enumerated exactly, never sampled, by Mehta and Patel's network algorithm
    (:func:`auditkit.stats.exact_tables.network_p_value`), so the answer is the same on every run (scipy's
    r×c ``fisher_exact`` is Monte Carlo). Rows and columns that are all zero are dropped first; a table
    with fewer than two non-empty rows or columns gives 1.0. On a 2×2 table this is Fisher's exact test.

    The test is Freeman and Halton's (1951), Biometrika 38:141–149. Raises :class:`ExactTestTooLarge`
    for a table of more than :data:`EXACT_MAX_RECORDS` records, or one whose enumeration would take more
    than :data:`EXACT_WORK_LIMIT` work (about two seconds); :func:`table_test` then simulates.

    Returns
    -------
    float
        The two-sided p-value, at most 1.
    """
    counts = _table(table)
    if min(counts.shape) < 2:
        return 1.0
    total = int(counts.sum())
    if total > EXACT_MAX_RECORDS:
        raise ExactTestTooLarge(f"the table has {total} records; the exact test takes at most {EXACT_MAX_RECORDS}")
    return network_p_value(counts, _RELATIVE_TOLERANCE, EXACT_WORK_LIMIT)


def pearson_chi_squared_test(table) -> float:
    """p-value of Pearson's chi-squared test of independence in an r×c table, as R ``chisq.test(correct = FALSE)``.

    For tables too large for :func:`fisher_freeman_halton_test`. Rows and columns that are all zero are
    dropped first; a table with fewer than two non-empty rows or columns gives 1.0.

    Returns
    -------
    float
        The p-value of the statistic on (r − 1)(c − 1) degrees of freedom, without continuity correction.
    """
    counts = as_counts("table", table)
    if counts.ndim != 2:
        raise ValueError("table must be two-dimensional: one row per area (or round), one column per outcome")
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(counts.shape) < 2:
        return 1.0
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
    statistic = float(((counts - expected) ** 2 / expected).sum())
    freedom = (counts.shape[0] - 1) * (counts.shape[1] - 1)
    return float(chdtrc(freedom, statistic))  # scipy.stats.chi2.sf


def _table(table) -> np.ndarray:
    """The counts of a table as whole numbers, rows and columns that are all zero dropped."""
    counts = as_counts("table", table)
    if counts.ndim != 2:
        raise ValueError("table must be two-dimensional: one row per area (or round), one column per outcome")
    counts = counts.astype(np.int64)
    return counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]


def table_test(table, simulations: int = SIMULATED_TABLES, seed: int = SIMULATION_SEED) -> pd.DataFrame:
    """The Fisher–Freeman–Halton test of an r×c table: exact when it can be, otherwise Monte Carlo.

    The exact p-value (:func:`fisher_freeman_halton_test`, R ``fisher.test(x)``) whenever the enumeration
    finishes within :data:`EXACT_WORK_LIMIT` (about two seconds) and the table has at most
    :data:`EXACT_MAX_RECORDS` records. Otherwise ``simulations`` random tables with the observed margins
    (seeded with ``seed``, so the same table always gets the same p-value) give
    :func:`auditkit.stats.simulated_tables.simulated_p_value`, as R
    ``fisher.test(x, simulate.p.value = TRUE, B = 1e5)``, and its Monte Carlo standard error.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`TABLE_TEST_COLUMNS`: ``p_value``; ``method`` (:data:`EXACT` or
        :data:`MONTE_CARLO`); ``monte_carlo_se``, the standard error of a simulated p-value (missing when
        exact); ``simulated``, how many tables were simulated (0 when exact).
    """
    counts = _table(table)
    try:
        row = {"p_value": fisher_freeman_halton_test(counts), "method": EXACT, "monte_carlo_se": np.nan, "simulated": 0}
    except ExactTestTooLarge:
        p_value, error = simulated_p_value(counts, simulations, seed)
        method = (
            MONTE_CARLO
            if simulations == SIMULATED_TABLES
            else MONTE_CARLO.replace(f"{SIMULATED_TABLES:,}", f"{simulations:,}")
        )
        row = {"p_value": p_value, "method": method, "monte_carlo_se": error, "simulated": simulations}
    return pd.DataFrame([row], columns=list(TABLE_TEST_COLUMNS))
