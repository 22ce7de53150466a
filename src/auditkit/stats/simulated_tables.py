"""A Monte Carlo p-value for the Fisher–Freeman–Halton test, for tables too large to enumerate exactly.

As R ``fisher.test(x, simulate.p.value = TRUE, B)``: draw ``B`` random tables with the observed row and
column totals (R's ``r2dtable``, Patefield's algorithm AS 159, 1981, Applied Statistics 30:91–97; here
scipy's ``random_table(...).rvs(method="patefield")``), and count those whose probability is at most the
observed table's. The statistic is the table's log-probability up to a constant, −Σ log xᵢⱼ!, and R's
p-value is (1 + the number of simulated tables at most as probable) / (B + 1), with R's tolerance of
64 machine epsilons. The seed is fixed, so a table always gets the same p-value; the Monte Carlo standard
error, √(p̂(1 − p̂)/B) with p̂ the share of simulated tables counted, says how far another seed could move it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SIMULATED_TABLES", "SIMULATION_SEED", "simulated_p_value"]

#: How many random tables a Monte Carlo p-value is worked out from.
SIMULATED_TABLES = 100_000
#: The seed of the random tables: the same table always gets the same p-value.
SIMULATION_SEED = 20_180_331
# Tables are drawn this many at a time, so that a table of 150 areas needs tens of megabytes, not hundreds.
_BATCH = 10_000
# R's fisher.test: almost.1 <- 1 + 64 * .Machine$double.eps.
_ALMOST_ONE = 1.0 + 64.0 * np.finfo(float).eps


def simulated_p_value(counts, simulations: int = SIMULATED_TABLES, seed: int = SIMULATION_SEED) -> tuple[float, float]:
    """The Monte Carlo p-value of a table of whole counts and its standard error.

    ``counts`` is two-dimensional, whole and not negative, with at least two non-empty rows and columns.

    Returns
    -------
    tuple of (float, float)
        ``(p_value, standard_error)``: R's (1 + hits) / (B + 1), and √(p̂(1 − p̂)/B) with p̂ = hits / B.
    """
    from scipy import stats  # imported when needed: scipy.stats takes a third of a second to import

    counts = np.asarray(counts, dtype=np.int64)
    if simulations < 1:
        raise ValueError("simulations must be at least 1")
    total = int(counts.sum())
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, total + 1, dtype=float)))])
    observed = -log_factorial[counts].sum()
    limit = observed / _ALMOST_ONE
    tables = stats.random_table(counts.sum(axis=1), counts.sum(axis=0), seed=np.random.default_rng(seed))
    hits = 0
    for start in range(0, simulations, _BATCH):
        drawn = tables.rvs(size=min(_BATCH, simulations - start), method="patefield")
        statistic = -log_factorial[drawn].sum(axis=(1, 2))
        hits += int((statistic <= limit).sum())
    share = hits / simulations
    return (1 + hits) / (simulations + 1), math.sqrt(share * (1.0 - share) / simulations)
