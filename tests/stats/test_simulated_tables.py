"""auditkit.stats.simulated_tables: the Monte Carlo p-value of the Fisher–Freeman–Halton test, as R's
``fisher.test(x, simulate.p.value = TRUE)``: (1 + hits) / (B + 1), with a fixed seed."""

from __future__ import annotations

import numpy as np
import pytest

from auditkit.stats.simulated_tables import SIMULATED_TABLES, SIMULATION_SEED, simulated_p_value

# Rscript -e 'fisher.test(matrix(c(6,1,3,3, 5,6,1,4, 8,2,3,9, 6,5,4,5, 10,3,6,8), 5, byrow = TRUE),
#                         workspace = 2e8)$p.value'  -> 0.6547428193 (exact)
ISSUE_18 = np.array([[6, 1, 3, 3], [5, 6, 1, 4], [8, 2, 3, 9], [6, 5, 4, 5], [10, 3, 6, 8]])


def test_simulated_p_value_is_within_its_error_of_r_exact():
    p_value, error = simulated_p_value(ISSUE_18)
    assert SIMULATED_TABLES == 100_000 and SIMULATION_SEED == 20_180_331
    assert error == pytest.approx(np.sqrt(0.655 * 0.345 / 100_000), rel=0.02)
    assert abs(p_value - 0.6547428193) < 4 * error


def test_the_p_value_counts_the_observed_table_as_r_does():
    # With one simulated table the p-value is (1 + hits) / 2: never 0, as R's never is.
    p_value, error = simulated_p_value(np.array([[10, 0], [0, 10]]), simulations=1)
    assert p_value in (0.5, 1.0) and error == 0.0
    # The most extreme 2×2 table of its margins: R fisher.test(matrix(c(10,0,0,10), 2))$p.value = 1.082509e-05,
    # so almost no simulated table is as improbable; the p-value is close to 1 / (B + 1).
    p_value, _ = simulated_p_value(np.array([[10, 0], [0, 10]]), simulations=1000)
    assert p_value < 0.01


def test_simulation_is_reproducible_and_changes_with_the_seed():
    first = simulated_p_value(ISSUE_18, simulations=5_000)
    assert simulated_p_value(ISSUE_18, simulations=5_000) == first
    assert simulated_p_value(ISSUE_18, simulations=5_000, seed=1) != first


def test_simulation_needs_at_least_one_table():
    with pytest.raises(ValueError, match="at least 1"):
        simulated_p_value(ISSUE_18, simulations=0)
