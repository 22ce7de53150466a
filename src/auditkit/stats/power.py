"""Power: the smallest change two rounds of a given size could detect, and the size a round needs.

Two methods, both for a two-sided test at the 5% level with 80% power by default:

- the normal approximation of R's ``power.prop.test`` (strict = FALSE), which for rounds of n1 and n2 records
  and proportions p1 and p2 gives the power

      Φ((|p1 − p2| − z·sqrt(p̄(1 − p̄)(1/n1 + 1/n2))) / sqrt(p1(1 − p1)/n1 + p2(1 − p2)/n2)),

  with z the two-sided critical value and p̄ = (n1·p1 + n2·p2)/(n1 + n2) (Fleiss, Levin and Paik 2003,
  "Statistical methods for rates and proportions", 3rd edition, section 4.2; with n1 = n2 it is R's formula);
- the exact power of Fisher's exact test, by enumerating every pair of counts (x1, x2): the probability,
  under the two binomial distributions, of the tables Fisher's test rejects at the 5% level. Used for
  rounds of up to :data:`EXACT_POWER_MAX` records together, where the approximation can be far out.

No Python library computes the exact power of Fisher's test or this form of ``power.prop.test``, so both are
written out here; ``tests/stats/test_power.py`` checks them against R.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

__all__ = [
    "DETECTABLE_COLUMNS",
    "EXACT_POWER_MAX",
    "SAMPLE_SIZE_COLUMNS",
    "detectable_change",
    "fisher_power",
    "normal_power",
    "sample_size",
]

#: Columns of :func:`detectable_change`, in order.
DETECTABLE_COLUMNS = ("detectable_change", "method")
#: Columns of :func:`sample_size`, in order.
SAMPLE_SIZE_COLUMNS = ("n_per_round", "method")
#: Rounds of up to this many records together get the exact power of Fisher's test; larger ones the normal
#: approximation (there the two agree closely, and the enumeration of (n1 + 1)(n2 + 1) tables grows slow).
EXACT_POWER_MAX = 200
# R's fisher.test counts a table as extreme when its probability is at most the observed one's times (1 + 1e-7).
_RELATIVE_TOLERANCE = 1e-7
# The grid of changes searched before the power is refined by root finding.
_GRID = 0.025


def _check(name: str, value: float, low: float, high: float) -> float:
    value = float(value)
    if not low < value < high:
        raise ValueError(f"{name} must lie between {low:g} and {high:g}, not {value}")
    return value


def _check_proportion(name: str, value: float) -> float:
    value = float(value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a proportion between 0 and 1, not {value}")
    return value


def _check_size(name: str, value) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or value < 1:
        raise ValueError(f"{name} must be a whole number of records, at least 1, not {value!r}")
    return int(value)


def normal_power(p1: float, p2: float, n1: int, n2: int, alpha: float = 0.05) -> float:
    """Power of the two-sided test of p1 = p2 with n1 and n2 records, by the normal approximation.

    R ``power.prop.test(n, p1, p2, sig.level = alpha)$power`` when n1 = n2 = n (its ``strict = FALSE``).

    Returns
    -------
    float
        The power, between 0 and 1.
    """
    from scipy.special import ndtr, ndtri  # here, not at the top: validate needs none of scipy

    p1, p2 = _check_proportion("p1", p1), _check_proportion("p2", p2)
    n1, n2 = _check_size("n1", n1), _check_size("n2", n2)
    alpha = _check("alpha", alpha, 0, 1)
    pooled = (n1 * p1 + n2 * p2) / (n1 + n2)
    null = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    spread = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    critical = -float(ndtri(alpha / 2))
    if spread == 0:
        return 1.0 if abs(p1 - p2) > critical * null else 0.0
    return float(ndtr((abs(p1 - p2) - critical * null) / spread))


@functools.lru_cache(maxsize=512)
def _log_choose(n: int) -> np.ndarray:
    """log C(n, k) for k = 0…n."""
    from scipy.special import gammaln  # here, not at the top: validate needs none of scipy

    k = np.arange(n + 1)
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _binomial(n: int, p: float) -> np.ndarray:
    """Binomial probabilities of 0…n successes (scipy.stats.binom.pmf, without importing scipy.stats)."""
    if p in (0.0, 1.0):
        pmf = np.zeros(n + 1)
        pmf[0 if p == 0 else n] = 1.0
        return pmf
    k = np.arange(n + 1)
    return np.exp(_log_choose(n) + k * math.log(p) + (n - k) * math.log1p(-p))


@functools.lru_cache(maxsize=512)
def _rejected(n1: int, n2: int, alpha: float) -> np.ndarray:
    """Which tables (x1 of n1 against x2 of n2) Fisher's two-sided test rejects at ``alpha``, as R's fisher.test."""
    rejected = np.zeros((n1 + 1, n2 + 1), dtype=bool)
    first, second, both = _log_choose(n1), _log_choose(n2), _log_choose(n1 + n2)
    total = n1 + n2
    for met in range(total + 1):
        x1 = np.arange(max(0, met - n2), min(n1, met) + 1)
        log_p = first[x1] + second[met - x1] - both[met]
        p = np.exp(log_p - log_p.max())
        p /= p.sum()
        order = np.sort(p)
        tails = np.cumsum(order)
        p_values = tails[np.searchsorted(order, p * (1 + _RELATIVE_TOLERANCE), side="right") - 1]
        rejected[x1, met - x1] = p_values <= alpha
    return rejected


def fisher_power(p1: float, p2: float, n1: int, n2: int, alpha: float = 0.05) -> float:
    """Exact power of Fisher's two-sided exact test of x1 of n1 against x2 of n2 at level ``alpha``.

    The sum, over every pair (x1, x2) that R's ``fisher.test`` rejects at ``alpha``, of the binomial
    probabilities Bin(x1; n1, p1)·Bin(x2; n2, p2).

    Returns
    -------
    float
        The power, between 0 and 1.
    """
    p1, p2 = _check_proportion("p1", p1), _check_proportion("p2", p2)
    n1, n2 = _check_size("n1", n1), _check_size("n2", n2)
    alpha = _check("alpha", alpha, 0, 1)
    return float(min(1.0, _binomial(n1, p1) @ _rejected(n1, n2, alpha) @ _binomial(n2, p2)))


def _smallest_change(power, baseline: float, target: float) -> float:
    """The smallest |δ| with power(baseline, baseline ± δ) ≥ target, either way; NaN when none reaches it."""
    found = []
    for sign in (1.0, -1.0):
        room = 1 - baseline if sign > 0 else baseline
        if room <= 0:
            continue
        steps = [*np.arange(_GRID, room, _GRID), room]

        def reached(step: float, sign: float = sign) -> float:
            return power(baseline, min(1.0, max(0.0, baseline + sign * step))) - target

        for before, step in zip([0.0, *steps[:-1]], steps):
            if reached(step) >= 0:
                from scipy.optimize import brentq  # imported when needed: scipy.optimize is slow to import

                low = max(before, 1e-12)  # no change has the power of the test's level, below any target
                found.append(brentq(reached, low, step, xtol=1e-10) if reached(low) < 0 else step)
                break
    return min(found) if found else math.nan


def _at_sizes(test, n1: int, n2: int, alpha: float, p1: float, p2: float) -> float:
    return test(p1, p2, n1, n2, alpha)


def detectable_change(baseline, n1, n2, power: float = 0.8, alpha: float = 0.05) -> pd.DataFrame:
    """The smallest change in a proportion that rounds of n1 and n2 records detect with the given power.

    From the ``baseline`` proportion (the first round's; 0.5 when it has none), the smallest rise or fall δ of
    the second round's proportion that a two-sided test at ``alpha`` detects with probability ``power``: the
    smaller of the rise and the fall (a fall from 20% can be at most 20 points). Rounds of up to
    :data:`EXACT_POWER_MAX` records together use :func:`fisher_power`, larger ones :func:`normal_power`. The
    rounds are taken as independent samples: re-audited records, if any, make the true figure a little smaller.

    Returns
    -------
    pandas.DataFrame
        One row per element, columns in :data:`DETECTABLE_COLUMNS`: detectable_change (a proportion; missing
        when no change within 0 to 1 reaches the power, or a round is empty) and method (``"exact"`` or
        ``"normal"``).
    """
    power = _check("power", power, 0, 1)
    baselines, firsts, seconds = (np.atleast_1d(np.asarray(value, dtype=float)) for value in (baseline, n1, n2))
    if not baselines.shape == firsts.shape == seconds.shape:
        raise ValueError("baseline, n1 and n2 must have the same length")
    rows = []
    for p0, first, second in zip(baselines, firsts, seconds):
        p0 = 0.5 if math.isnan(p0) else _check_proportion("baseline", p0)
        if first < 1 or second < 1:
            rows.append((math.nan, ""))
            continue
        first, second = _check_size("n1", first), _check_size("n2", second)
        exact = first + second <= EXACT_POWER_MAX
        test = fisher_power if exact else normal_power
        change = _smallest_change(functools.partial(_at_sizes, test, first, second, alpha), p0, power)
        rows.append((change, "exact" if exact else "normal"))
    return pd.DataFrame(rows, columns=list(DETECTABLE_COLUMNS))


def _normal_size(p1: float, p2: float, power: float, alpha: float) -> float:
    """R ``power.prop.test(p1 = p1, p2 = p2, power = power, sig.level = alpha)$n``, in closed form."""
    from scipy.special import ndtri  # here, not at the top: validate needs none of scipy

    critical, wanted = -float(ndtri(alpha / 2)), float(ndtri(power))
    root = critical * math.sqrt((p1 + p2) * (2 - p1 - p2) / 2) + wanted * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return (root / abs(p1 - p2)) ** 2


def sample_size(proportion, change, power: float = 0.8, alpha: float = 0.05) -> pd.DataFrame:
    """Records needed in each of two rounds to detect a change of ``change`` from ``proportion`` with ``power``.

    Both directions that stay within 0 to 1 are considered and the larger size kept, so that a rise or a fall
    of that size is detected (0.5 stands for a missing proportion). The normal approximation is R's
    ``power.prop.test`` (its n, rounded up); when that is at most half of :data:`EXACT_POWER_MAX`, the size is
    instead the smallest n from which Fisher's exact test keeps at least ``power`` (:func:`fisher_power`; its
    power is not monotone in n), searched up to that limit.

    Returns
    -------
    pandas.DataFrame
        One row per element, columns in :data:`SAMPLE_SIZE_COLUMNS`: n_per_round (a whole number) and method
        (``"exact"`` or ``"normal"``).
    """
    power = _check("power", power, 0, 1)
    proportions, changes = (np.atleast_1d(np.asarray(value, dtype=float)) for value in (proportion, change))
    if proportions.shape != changes.shape:
        raise ValueError("proportion and change must have the same length")
    rows = []
    for p0, delta in zip(proportions, changes):
        p0 = 0.5 if math.isnan(p0) else _check_proportion("proportion", p0)
        delta = _check("change", delta, 0, 1)
        targets = [p0 + sign * delta for sign in (1, -1) if 0 <= p0 + sign * delta <= 1]
        if not targets:
            rows.append((pd.NA, ""))
            continue
        normal = max(math.ceil(_normal_size(p0, target, power, alpha) - 1e-9) for target in targets)
        limit = EXACT_POWER_MAX // 2
        exact = _exact_size(p0, targets, power, alpha, limit) if normal <= limit else None
        rows.append((normal, "normal") if exact is None else (exact, "exact"))
    table = pd.DataFrame(rows, columns=list(SAMPLE_SIZE_COLUMNS))
    table["n_per_round"] = table["n_per_round"].astype("Int64")
    return table


def _exact_size(p0: float, targets: list[float], power: float, alpha: float, limit: int) -> int | None:
    """The smallest n from which Fisher's test keeps ``power`` for every target up to ``limit``; None if none."""
    n = limit + 1
    while n > 1 and all(fisher_power(p0, target, n - 1, n - 1, alpha) >= power for target in targets):
        n -= 1
    return None if n > limit else n
