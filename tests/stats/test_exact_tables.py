"""auditkit.stats.exact_tables: Mehta and Patel's network algorithm for the exact r×c test, against R's
``fisher.test`` and a brute-force enumeration (``tests/stats/test_contingency.py`` has more tables)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from auditkit.errors import ExactTestTooLarge
from auditkit.stats.exact_tables import NETWORK_WORK_LIMIT, network_p_value


def test_network_matches_r_on_the_issue_table():
    # Rscript -e 'fisher.test(matrix(c(6,1,3,3, 5,6,1,4, 8,2,3,9, 6,5,4,5, 10,3,6,8), 5, byrow = TRUE),
    #                         workspace = 2e8)$p.value'  -> 0.6547428193
    table = np.array([[6, 1, 3, 3], [5, 6, 1, 4], [8, 2, 3, 9], [6, 5, 4, 5], [10, 3, 6, 8]])
    assert network_p_value(table) == pytest.approx(0.6547428193, rel=1e-9)
    assert network_p_value(table.T) == pytest.approx(0.6547428193, rel=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_network_matches_scipy_on_two_by_two_tables(seed):
    rng = np.random.default_rng(seed)
    table = rng.integers(1, 40, size=(2, 2))
    assert network_p_value(table) == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


def test_network_gives_up_beyond_its_work_limit():
    table = np.array([[6, 1, 3, 3], [5, 6, 1, 4], [8, 2, 3, 9], [6, 5, 4, 5], [10, 3, 6, 8]])
    with pytest.raises(ExactTestTooLarge, match="the exact test would weigh more than 1000 partial tables"):
        network_p_value(table, work_limit=1000)
    assert NETWORK_WORK_LIMIT == 10_000_000


def test_network_refuses_tables_whose_nodes_would_not_fit_a_key():
    # Seven columns of 500 records each: 7 × log2(501) > 62 bits.
    table = np.full((7, 7), 500 // 7 + 1)
    with pytest.raises(ExactTestTooLarge, match="too many and too large"):
        network_p_value(table)
