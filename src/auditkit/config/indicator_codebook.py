"""Aggregate indicator tables as data: the YAML codebook that describes one published measure.

An indicator table has one row per period and area with a numerator and a denominator (children on a
child protection plan due to neglect, out of all children on a plan), perhaps with the percentage the
publisher printed. Its codebook says what the measure is, what the counts count, which area is the total
of the others, whether higher or lower is better (or neither), which results-based-accountability
question it answers, and the benchmarks (England, the region) for each period. An example:
``data_templates/lancashire_cp_plans.yaml``. Its keys:

============== ======== =====================================================================================
key            required what it holds
============== ======== =====================================================================================
``indicator``  yes      the measure's id (lower case, ``_``)
``measure``    yes      its name in briefings: "Children on a child protection plan due to neglect"
``label``      no       a short label for tables and charts (defaults to ``measure``)
``numerator``  yes      what the numerator counts, as a sentence says it: "children on a plan due to neglect"
``denominator`` yes     what the denominator counts: "children on a child protection plan"
``period``     no       what a period is, for axis labels: "year (as at the end of March)"
``area``       no       what an area is, singular: "district" (default "area")
``total_area`` no       the area that is the total of the others ("Lancashire"): its proportion is the
                        funnel plot's target, its periods the trend, and the other areas are checked against it
``polarity``   no       ``higher_is_better``, ``lower_is_better`` or ``neither`` (default): whether a verdict
                        against a benchmark says better/worse or higher/lower
``rba``        no       the results-based-accountability question: ``how_much`` ("How much did we do?"),
                        ``how_well`` ("How well did we do it?") or ``better_off`` ("Is anyone better off?");
                        the question's words are accepted too
``benchmarks`` no       per period, each comparator's proportion: ``2018: {England: 0.475, North West: 0.405}``
``source``     no       where the figures come from
============== ======== =====================================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pydantic

from auditkit.config.input_files import resolve_path
from auditkit.config.model_check import check_model
from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import CodebookError

__all__ = ["Benchmark", "IndicatorCodebook", "POLARITIES", "RBA_QUESTIONS", "load_indicator_codebook"]

#: The results-based-accountability questions a measure may answer, by code, in the order a briefing groups them.
RBA_QUESTIONS = {
    "how_much": "How much did we do?",
    "how_well": "How well did we do it?",
    "better_off": "Is anyone better off?",
}

#: Whether a higher proportion is better, a lower one, or neither (a verdict then says higher or lower).
POLARITIES = ("higher_is_better", "lower_is_better", "neither")


def _period_text(value: object) -> str:
    """A period as the data file holds it: YAML's 2018 (a number) is the text '2018'."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a period; write the period as the data file does, such as 2018")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        raise ValueError("a period is blank")
    return text


class Benchmark(pydantic.BaseModel):
    """One comparator's value for one period: England's proportion in 2018."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    period: str
    name: str
    value: float


def _benchmark_entries(raw: object) -> list[dict[str, Any]]:
    """The YAML mapping ``{period: {name: proportion}}`` as a list of :class:`Benchmark` fields."""
    if not isinstance(raw, dict):
        raise ValueError("must map each period to its benchmarks, such as 2018: {England: 0.475}")
    entries = []
    for period_key, values in raw.items():
        period = _period_text(period_key)
        if not isinstance(values, dict) or not values:
            raise ValueError(f"period {period} must map each benchmark's name to a proportion, such as England: 0.475")
        for name, value in values.items():
            name = str(name).strip()
            if not name:
                raise ValueError(f"period {period} has a benchmark with no name")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(
                    f"{period} → {name} is {value!r}; it must be a proportion between 0 and 1, such as 0.475 for 47.5%"
                )
            if not 0 <= value <= 1:
                hint = f" ({value}% is {value / 100:g})" if 1 < value <= 100 else ""
                raise ValueError(f"{period} → {name} is {value}; it must be a proportion between 0 and 1{hint}")
            entries.append({"period": period, "name": name, "value": float(value)})
    return entries


class IndicatorCodebook(pydantic.BaseModel):
    """One aggregate measure: what it counts, its total area, polarity, RBA question and benchmarks."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    indicator: str = pydantic.Field(pattern=r"^[a-z][a-z0-9_]*$")
    measure: str
    label: str = ""
    numerator: str
    denominator: str
    period: str = "period"
    area: str = "area"
    total_area: str | None = None
    polarity: Literal["higher_is_better", "lower_is_better", "neither"] = "neither"
    rba: Literal["how_much", "how_well", "better_off"] | None = None
    benchmarks: tuple[Benchmark, ...] = ()
    source: str = ""
    path: Path = Path()

    @pydantic.field_validator("benchmarks", mode="before")
    @classmethod
    def _benchmarks_from_mapping(cls, raw: object) -> object:
        if raw is None:
            return ()
        if isinstance(raw, (list, tuple)):
            return raw
        return _benchmark_entries(raw)

    @pydantic.field_validator("rba", mode="before")
    @classmethod
    def _rba_from_question(cls, raw: object) -> object:
        """Accept the question as well as its code: 'How much did we do?' is ``how_much``."""
        if not isinstance(raw, str):
            return raw
        text = raw.strip().lower().rstrip("?").strip()
        for code, question in RBA_QUESTIONS.items():
            if text in (code, question.lower().rstrip("?")):
                return code
        allowed = ", ".join(f"{code} ('{question}')" for code, question in RBA_QUESTIONS.items())
        raise ValueError(f"'{raw}' is not a results-based-accountability question; allowed: {allowed}")

    @pydantic.field_validator("total_area", mode="before")
    @classmethod
    def _total_as_text(cls, raw: object) -> object:
        if raw is None:
            return None
        text = str(raw).strip()
        if not text:
            raise ValueError(
                "the total area is blank; name the area that is the total of the others, or leave the key out"
            )
        return text

    @pydantic.model_validator(mode="after")
    def _check_benchmarks(self) -> IndicatorCodebook:
        seen = set()
        for benchmark in self.benchmarks:
            key = (benchmark.period, benchmark.name)
            if key in seen:
                raise ValueError(f"benchmark {benchmark.name} is given twice for {benchmark.period}")
            seen.add(key)
        return self

    @property
    def title(self) -> str:
        """The short label for tables and charts, falling back to the measure."""
        return self.label or self.measure

    @property
    def rba_question(self) -> str | None:
        """The RBA question as a briefing heading ("How much did we do?"), or None."""
        return RBA_QUESTIONS[self.rba] if self.rba else None

    @property
    def benchmark_names(self) -> tuple[str, ...]:
        """Every benchmark's name, in the order the codebook first gives it."""
        return tuple(dict.fromkeys(benchmark.name for benchmark in self.benchmarks))

    def benchmarks_for(self, period: str) -> dict[str, float]:
        """The benchmarks given for one period.

        Returns
        -------
        dict of str to float
            Each comparator's proportion, keyed by its name, in codebook order; empty when the period has none.
        """
        return {b.name: b.value for b in self.benchmarks if b.period == str(period)}

    def with_benchmarks(self, benchmarks: dict) -> IndicatorCodebook:
        """A copy whose benchmarks are ``{period: {name: proportion}}`` instead (from a round's parameters).

        Returns
        -------
        IndicatorCodebook
            The copy, checked as a codebook file's benchmarks are; no benchmarks when ``benchmarks`` is empty.
        """
        entries = _benchmark_entries(benchmarks) if benchmarks else []
        return self.model_validate({**self.model_dump(exclude={"benchmarks"}), "benchmarks": entries})


def load_indicator_codebook(path: str | Path) -> IndicatorCodebook:
    """Read and check an indicator table's codebook YAML file; raises :class:`CodebookError` listing every problem.

    Returns
    -------
    IndicatorCodebook
        The measure, its ``path`` set to the file's resolved path.
    """
    path = resolve_path(path)
    raw = read_yaml(path, CodebookError, "indicator codebook")
    if isinstance(raw, dict) and "path" in raw:
        raise CodebookError(f"The indicator codebook file {path.name} may not set 'path'.")
    codebook = check_model(IndicatorCodebook, raw, path, CodebookError, "indicator codebook")
    return codebook.model_copy(update={"path": path})
