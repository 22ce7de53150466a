"""auditkit.briefing.contexts: each section's data built once per analysis, from the protected analysis."""

from __future__ import annotations

import pytest
from conftest import RoundCopy

import auditkit
from auditkit.briefing.contexts import section_context


def test_a_sections_context_is_built_once_per_analysis_and_shared(example_round: RoundCopy):
    analysis = auditkit.analyse_round(example_round.parameters)
    first = section_context("charts", analysis)
    assert section_context("charts", analysis) is first
    assert first["charts"][0]["figure"].png.startswith(b"\x89PNG")


def test_a_context_is_built_from_the_protected_analysis(example_round: RoundCopy):
    example_round.edit_parameters("disclosure:\n  min_count: 0\n", "")
    context = section_context("charts", auditkit.analyse_round(example_round.parameters))
    cells = [row["numerator"] for chart in context["charts"] for row in chart["rows"]]
    assert "c" in cells  # counts from 1 to 5 hidden under the DfE rule


def test_an_unknown_section_has_no_context(example_round: RoundCopy):
    with pytest.raises(ValueError, match="There is no briefing section 'summary_table'"):
        section_context("summary_table", auditkit.analyse_round(example_round.parameters))
