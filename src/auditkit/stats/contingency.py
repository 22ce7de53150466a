"""r×c tables of counts: the Fisher–Freeman–Halton test, exact or from simulated tables, and Pearson's chi-squared.

Areas (or groups) against each other, one row per area with its met and not-met counts, are tested here.
:func:`table_test` dispatches (issue 18): the exact p-value (:func:`fisher_freeman_halton_test`, by the network
algorithm of :mod:`auditkit.stats.exact_tables`) for a table of at most :data:`EXACT_ALWAYS_RECORDS` records or
one whose enumeration stays within its budget of work, about two seconds; beyond that Pearson's chi-squared test
when every expected count is at least 5 (Cochran's rule), and otherwise a Monte Carlo p-value from 100,000
tables with the same margins and a fixed seed (:mod:`auditkit.stats.simulated_tables`), with its Monte Carlo
standard error; its ``method`` says which. ``tests/stats/test_contingency.py`` checks them against R.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditkit.errors import ExactTestTooLarge
from auditkit.stats.exact_tables import NETWORK_WORK_LIMIT, network_p_value
from auditkit.stats.simulated_tables import SIMULATED_TABLES, SIMULATION_SEED, simulated_p_value

__all__ = [
    "CHI_SQUARED",
    "COCHRAN_MIN_EXPECTED",
    "EXACT",
    "EXACT_ALWAYS_RECORDS",
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
#: The ``method`` of a p-value from Pearson's chi-squared test, for a table too large to enumerate whose expected
#: counts are all at least :data:`COCHRAN_MIN_EXPECTED`.
CHI_SQUARED = "Pearson's chi-squared test"
#: Cochran's rule: the chi-squared distribution is close enough to the statistic's when every expected count
#: is at least 5 (W. G. Cochran 1954, "Some methods for strengthening the common χ² tests", Biometrics
#: 10:417–451; R's ``chisq.test`` warns below it).
COCHRAN_MIN_EXPECTED = 5
#: Tables of at most this many records are always tested exactly (issue 18: "every table up to N = 200").
EXACT_ALWAYS_RECORDS = 200


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
    from scipy.special import chdtrc  # here, not at the top: validate needs none of scipy

    counts = as_counts("table", table)
    if counts.ndim != 2:
        raise ValueError("table must be two-dimensional: one row per area (or round), one column per outcome")
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(counts.shape) < 2:
        return 1.0
    expected = _expected_counts(counts)
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


def _expected_counts(counts: np.ndarray) -> np.ndarray:
    """The counts each cell would hold under independence: row total × column total / N."""
    return np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()


#: A two-column table (areas or groups × met and not met) with at least this many rows, this many records and
#: this many in its smaller column is out of the network's reach: of random such tables (10 to 150 rows, 3,000
#: to 10,000 records, 100 to 5,000 in the smaller column) none finished within the budget, each giving up after
#: one to seven seconds on the project's machine. Smaller ones (three rows of 10,000 records, ten rows of 1,000
#: with 100 met) often finish, and are tried.
_OUT_OF_REACH = {"rows": 10, "records": 3_000, "smaller_column": 100}
#: A table of more than two columns with at least this many rows (the longer side) and more than
#: :data:`EXACT_ALWAYS_RECORDS` records is out of reach too: six groups × four answers of 360 records gave up
#: only after more than a minute, as filling a row of four cells in every way costs more than the work counts.
_WIDE_OUT_OF_REACH_ROWS = 5


def _beyond_enumeration(counts: np.ndarray) -> bool:
    """Whether a table is clearly too large for the network to finish within its budget, judged from its
    records and shape before any enumeration, so that the budget is not spent on it first.

    Past :data:`EXACT_MAX_RECORDS` records the exact test refuses outright; a two-column table is judged by
    :data:`_OUT_OF_REACH`, a wider one by :data:`_WIDE_OUT_OF_REACH_ROWS`. Other tables are tried within the budget.
    """
    total = int(counts.sum())
    if total <= EXACT_ALWAYS_RECORDS or min(counts.shape) < 2:
        return False
    if total > EXACT_MAX_RECORDS:
        return True
    if min(counts.shape) != 2:
        return max(counts.shape) >= _WIDE_OUT_OF_REACH_ROWS
    smaller = int(np.min(counts.sum(axis=0 if counts.shape[1] == 2 else 1)))
    reach = _OUT_OF_REACH
    return max(counts.shape) >= reach["rows"] and total >= reach["records"] and smaller >= reach["smaller_column"]


def table_test(table, simulations: int = SIMULATED_TABLES, seed: int = SIMULATION_SEED) -> pd.DataFrame:
    """The test of independence of an r×c table: exact when it can be, else chi-squared or Monte Carlo.

    The dispatch (issue 18):

    1. the exact Fisher–Freeman–Halton p-value (:func:`fisher_freeman_halton_test`, R ``fisher.test(x)``) for a
       table of at most :data:`EXACT_ALWAYS_RECORDS` records, or one whose enumeration finishes within
       :data:`EXACT_WORK_LIMIT` (about two seconds); a table clearly beyond that, judged from its records and
       shape, is not tried;
    2. otherwise, when every expected count is at least :data:`COCHRAN_MIN_EXPECTED` (Cochran's rule, 1954),
       Pearson's chi-squared test (:func:`pearson_chi_squared_test`, R ``chisq.test(x)$p.value``): at that size
       it agrees with the exact test, and it takes microseconds where simulating takes seconds;
    3. otherwise ``simulations`` random tables with the observed margins (seeded with ``seed``, so the same table
       always gets the same p-value) give :func:`auditkit.stats.simulated_tables.simulated_p_value`, as R
       ``fisher.test(x, simulate.p.value = TRUE, B = 1e5)``, and its Monte Carlo standard error.

    A table of two or three hundred records whose enumeration would pass the budget (five rows or more of four
    answers, say) is the one case where a table of at most :data:`EXACT_ALWAYS_RECORDS` records is not exact:
    the budget keeps a run from hanging.

    Returns
    -------
    pandas.DataFrame
        One row, columns in :data:`TABLE_TEST_COLUMNS`: ``p_value``; ``method`` (:data:`EXACT`,
        :data:`CHI_SQUARED` or :data:`MONTE_CARLO`); ``monte_carlo_se``, the standard error of a simulated
        p-value (missing otherwise); ``simulated``, how many tables were simulated (0 otherwise).
    """
    counts = _table(table)
    if not _beyond_enumeration(counts):
        try:
            p_value = fisher_freeman_halton_test(counts)
            return pd.DataFrame([[p_value, EXACT, np.nan, 0]], columns=list(TABLE_TEST_COLUMNS))
        except ExactTestTooLarge:
            pass
    if _expected_counts(counts).min() >= COCHRAN_MIN_EXPECTED:
        p_value = pearson_chi_squared_test(counts)
        return pd.DataFrame([[p_value, CHI_SQUARED, np.nan, 0]], columns=list(TABLE_TEST_COLUMNS))
    p_value, error = simulated_p_value(counts, simulations, seed)
    method = MONTE_CARLO.replace(f"{SIMULATED_TABLES:,}", f"{simulations:,}")
    return pd.DataFrame([[p_value, method, error, simulations]], columns=list(TABLE_TEST_COLUMNS))
