"""auditkit.analysis.round_power: the records each item needs in a round to detect the change the parameters set."""

from __future__ import annotations

import pytest
from conftest import REPO, RoundCopy

import auditkit
from auditkit.analysis.round_power import NEXT_ROUND_COLUMNS, plan_next_round
from auditkit.stats.power import fisher_power, normal_power


@pytest.fixture(scope="module")
def followup() -> auditkit.Analysis:
    return auditkit.analyse_round(REPO / "parameters" / "llr-2017-followup.yaml")


def test_every_item_of_the_round_has_a_size(followup):
    plan = followup.next_round
    assert list(plan.columns) == list(NEXT_ROUND_COLUMNS)
    totals = followup.findings.totals()
    assert list(zip(plan["instrument"], plan["item"])) == list(zip(totals["instrument"], totals["item"]))
    assert (plan["change"] == 0.2).all()  # no power key in the example: 20 points


def test_the_size_detects_the_change_from_the_rounds_own_proportion(followup):
    plan = followup.next_round.set_index("item")
    # Toolkit use, 9 of 12 (75%): a rise to 95% or a fall to 55% with 80% power. Fisher's exact test keeps that
    # from 98 cases a round on (R power.prop.test(p1 = 0.75, p2 = 0.55, power = 0.8)$n = 88.09, the normal
    # approximation, which is too few for the exact test).
    assert (plan.loc["toolkit_used", "n_per_round"], plan.loc["toolkit_used", "method"]) == (98, "exact")
    assert min(fisher_power(0.75, target, 98, 98) for target in (0.95, 0.55)) >= 0.8
    assert min(fisher_power(0.75, target, 97, 97) for target in (0.95, 0.55)) < 0.8
    # Attendance at the launch, 24 of 70: the normal approximation's 96 (R power.prop.test(p1 = 24/70, p2 =
    # 24/70 + 0.2, power = 0.8)$n = 95.64; the fall needs 70.97), as Fisher's test would need more than 100.
    assert (plan.loc["attended_launch", "n_per_round"], plan.loc["attended_launch", "method"]) == (96, "normal")
    assert normal_power(24 / 70, 24 / 70 + 0.2, 96, 96) >= 0.8 > normal_power(24 / 70, 24 / 70 + 0.2, 95, 95)


def test_the_parameters_set_the_change(example_round: RoundCopy):
    example_round.edit_parameters("disclosure:\n", "power: {change: 0.4}\ndisclosure:\n")
    findings = auditkit.analyse_round(example_round.parameters).findings
    plan = plan_next_round(findings).set_index("item")
    assert (plan["change"] == 0.4).all()
    # 2 of 10 at baseline: a rise of 40 points, to 60%, needs far fewer cases than one of 20
    assert plan.loc["toolkit_used", "n_per_round"] < 40
