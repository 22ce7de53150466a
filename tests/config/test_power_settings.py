"""The ``power`` key of a parameters file: the change the next round should be able to detect."""

from __future__ import annotations

import pytest
from conftest import RoundCopy

import auditkit
from auditkit.config.power_settings import DEFAULT_CHANGE, POWER, SIGNIFICANCE, PowerSettings
from auditkit.errors import ParametersError


def test_without_the_key_the_change_is_20_points():
    assert PowerSettings().change == DEFAULT_CHANGE == 0.20
    assert (POWER, SIGNIFICANCE) == (0.80, 0.05)


def test_the_key_sets_the_change(example_round: RoundCopy):
    example_round.edit_parameters("disclosure:\n", "power: {change: 0.3}\ndisclosure:\n")
    assert auditkit.load_round(example_round.parameters).power.change == 0.3


@pytest.mark.parametrize(
    ("value", "shown"),
    [("20", "20"), ("1.5", "1.5"), ("0", "0"), ("-0.1", "-0.1"), ("lots", "'lots'"), ("true", "true")],
)
def test_a_change_that_is_not_a_share_of_the_scale_is_refused(example_round: RoundCopy, value, shown):
    example_round.edit_parameters("disclosure:\n", f"power: {{change: {value}}}\ndisclosure:\n")
    with pytest.raises(ParametersError) as caught:
        auditkit.load_round(example_round.parameters)
    assert str(caught.value).splitlines()[1] == (
        f"  {example_round.parameters.name}: key 'power → change': {shown} is not a change a round can be sized "
        "for; write it as a proportion above 0 and at most 0.5, such as 0.2 for a change of 20 percentage points."
    )


def test_an_unknown_key_under_power_is_refused(example_round: RoundCopy):
    example_round.edit_parameters("disclosure:\n", "power: {changes: 0.2}\ndisclosure:\n")
    with pytest.raises(ParametersError, match="key 'power → changes' is not a known key; check its spelling."):
        auditkit.load_round(example_round.parameters)
