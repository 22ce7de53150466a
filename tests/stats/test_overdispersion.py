"""auditkit.stats.overdispersion: Spiegelhalter's (2005) overdispersion test and τ², against the same formulas in R.

No R package on Debian implements them for proportions (FunnelPlotR, which does, works on an arcsine scale), so
the reference values come from this R script, written from Spiegelhalter (2005), Statistics in Medicine
24:1185–1202, section 6, with FunnelPlotR's Winsorisation (R ``quantile`` type 7 at 10% and 90%):

    od <- function(x, n, t) {
      s <- sqrt(t * (1 - t) / n); z <- (x / n - t) / s
      w <- pmin(pmax(z, quantile(z, 0.1)), quantile(z, 0.9))
      I <- length(z); phi <- sum(w^2) / I; W <- 1 / s^2
      c(phi = phi, p = pchisq(I * phi, I - 1, lower.tail = FALSE),
        tau2 = max(0, (I * phi - (I - 1)) / (sum(W) - sum(W^2) / sum(W))))
    }
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SHARED_STATS

from auditkit.stats.funnel import funnel_limits
from auditkit.stats.overdispersion import OVERDISPERSION_COLUMNS, overdispersion

# The Lancashire districts at March 2018, as published (West Lancs's 22 of 22 included).
X = [26, 56, 35, 69, 21, 37, 73, 24, 22]
N = [98, 179, 157, 181, 126, 88, 214, 62, 22]


def test_lancashire_districts_around_all_districts_together_match_r():
    # od(x, n, sum(x) / sum(n)) -> phi 3.76071040245, p 4.33142278837e-05, tau2 0.00579613869402
    row = overdispersion(X, N, 363 / 1127).iloc[0]
    assert list(overdispersion(X, N, 363 / 1127).columns) == list(OVERDISPERSION_COLUMNS)
    assert row["areas"] == 9
    assert row["phi"] == pytest.approx(3.76071040245, rel=1e-10)
    assert row["statistic"] == pytest.approx(33.846393622, rel=1e-10)
    assert row["p_value"] == pytest.approx(4.33142278837e-05, rel=1e-9)
    assert row["tau2"] == pytest.approx(0.00579613869402, rel=1e-10)
    assert row["adjusted"]


def test_lancashire_districts_around_the_stated_county_figure_match_r():
    # od(x, n, 375 / 1243) -> phi 4.15699986748, p 9.66056242291e-06, tau2 0.00636406643192
    row = overdispersion(X, N, 375 / 1243).iloc[0]
    assert row["phi"] == pytest.approx(4.15699986748, rel=1e-10)
    assert row["p_value"] == pytest.approx(9.66056242291e-06, rel=1e-9)
    assert row["tau2"] == pytest.approx(0.00636406643192, rel=1e-10)


def test_phe_fixture_areas_match_r():
    # The 303 areas of PHEindicatormethods' funnel fixture (shared/reference/stats/testdata_funnel_prop_inputs.csv):
    # od(f$numerator, f$denominator, sum(f$numerator) / sum(f$denominator)) -> phi 238.49809944, tau2 0.000880725630109
    inputs = pd.read_csv(SHARED_STATS / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    x, n = inputs["numerator"].to_numpy(), inputs["denominator"].to_numpy()
    row = overdispersion(x, n, x.sum() / n.sum()).iloc[0]
    assert row["phi"] == pytest.approx(238.49809944, rel=1e-9)
    assert row["tau2"] == pytest.approx(0.000880725630109, rel=1e-9)


def test_widened_limits_match_r():
    # t <- 363/1127; tau2 <- 0.00579613869402; t + c(-1, 1) * qnorm(0.975) * sqrt(t * (1 - t) / 181 + tau2)
    #   -> 0.158082547466 0.48610556256; with qnorm(0.999): 0.0635007016646 0.580687408362
    limits = funnel_limits(363 / 1127, [181], tau2=0.00579613869402).iloc[0]
    assert (limits["lower_95"], limits["upper_95"]) == pytest.approx((0.158082547466, 0.48610556256), rel=1e-9)
    assert (limits["lower_998"], limits["upper_998"]) == pytest.approx((0.0635007016646, 0.580687408362), rel=1e-9)
    with pytest.raises(ValueError, match="tau2 must be a variance of at least 0"):
        funnel_limits(0.3, [181], tau2=-1.0)


def test_few_areas_are_never_widened_and_a_calm_table_has_no_tau2():
    seven = overdispersion(X[:7], N[:7], sum(X[:7]) / sum(N[:7])).iloc[0]
    assert seven["p_value"] < 0.05 and not seven["adjusted"]  # significant, but fewer than eight areas
    calm = overdispersion([30, 31, 29, 30, 30, 31, 29, 30], [100] * 8, 0.3).iloc[0]
    assert calm["tau2"] == 0.0 and not calm["adjusted"]


def test_no_test_without_two_areas_or_with_a_target_of_zero():
    assert np.isnan(overdispersion([3], [10], 0.3).iloc[0]["phi"])
    assert np.isnan(overdispersion([0, 0], [10, 12], 0.0).iloc[0]["phi"])
    with pytest.raises(ValueError, match="between 0 and its denominator"):
        overdispersion([11], [10], 0.3)
