"""The one memo of analyses: keyed by the inputs' content, derived values kept with their analysis."""

from __future__ import annotations

from conftest import RoundCopy

import auditkit
from auditkit.analysis.memo import AnalysisMemo
from auditkit.publish.protection import protect_analysis


def test_the_same_inputs_give_the_same_analysis_and_a_changed_file_a_new_one(example_round: RoundCopy):
    first = auditkit.analyse_round(example_round.parameters)
    assert auditkit.analyse_round(example_round.parameters) is first
    example_round.edit_cases("Case closed and reopened twice.", "Case closed and reopened three times.")
    changed = auditkit.analyse_round(example_round.parameters)
    assert changed is not first
    assert [item["sha256"] for item in changed.inputs] != [item["sha256"] for item in first.inputs]


def test_a_protected_copy_is_derived_once_per_analysis(example_round: RoundCopy):
    analysis = auditkit.analyse_round(example_round.parameters)
    assert protect_analysis(analysis) is protect_analysis(analysis)
    assert protect_analysis(auditkit.analyse_round(example_round.parameters, reuse=False)) is not protect_analysis(
        analysis
    )


class _Analysis:
    def __init__(self, inputs):
        self.inputs = inputs


def test_the_memo_keeps_the_last_few_and_forgets_what_was_derived_with_them():
    memo = AnalysisMemo(kept=2)
    analyses = [_Analysis(({"path": f"p{n}", "sha256": "0"},)) for n in range(3)]
    for analysis in analyses:
        memo.analysis((("p" + str(analyses.index(analysis)), "0"),), lambda a=analysis: a)
    assert len(memo) == 2
    calls = []
    assert memo.derived(analyses[2], "x", lambda: calls.append(1) or "value") == "value"
    assert memo.derived(analyses[2], "x", lambda: calls.append(1) or "other") == "value"
    assert calls == [1]
    assert memo.derived(analyses[0], "x", lambda: "fresh") == "fresh"  # evicted: nothing kept for it
    memo.clear()
    assert len(memo) == 0
