"""How large a change the next round should be able to detect: the ``power`` key of a parameters file.

``power: {change: 0.20}`` asks how many records each round needs for a change of 20 percentage points to be
detected with 80% power by a two-sided test at the 5% level (:mod:`auditkit.stats.power`); the briefing's
methodology says it. Without the key the change is 0.20.
"""

from __future__ import annotations

import pydantic

__all__ = ["DEFAULT_CHANGE", "POWER", "SIGNIFICANCE", "PowerSettings"]

#: The change (a proportion: 0.20 is 20 percentage points) a round is sized for when the parameters set none.
DEFAULT_CHANGE = 0.20
#: The power every figure is worked out for: the conventional 80%.
POWER = 0.80
#: The level of the two-sided test every power figure assumes: the 5% the comparison's verdict uses.
SIGNIFICANCE = 0.05
# A change above half the scale cannot be detected in both directions from every proportion.
_LARGEST_CHANGE = 0.5


class PowerSettings(pydantic.BaseModel):
    """The ``power`` key: the change in a proportion the next round should be able to detect."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    change: float = DEFAULT_CHANGE

    @pydantic.field_validator("change", mode="before")
    @classmethod
    def _a_share_of_the_scale(cls, change: object) -> float:
        number = isinstance(change, (int, float)) and not isinstance(change, bool)
        if not number or not 0 < change <= _LARGEST_CHANGE:
            shown = f"{change:g}" if number else str(change).lower() if isinstance(change, bool) else repr(change)
            raise ValueError(
                f"{shown} is not a change a round can be sized for; write it as a proportion above 0 and at most "
                f"{_LARGEST_CHANGE:g}, such as 0.2 for a change of 20 percentage points"
            )
        return float(change)
