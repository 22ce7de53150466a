"""The hostile-input corpus (issues 14 and 15): every case is refused with a sentence or published safely.

Each case runs the ``auditkit`` command in a fresh process on its own copy of the example project,
with an earlier report in place, bounded by 60 s and 1 GiB (see ``runner.py``). Cases marked
``pending`` are expected to fail until their fix lands; the strict mark fails the suite once one passes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import CASES, Case  # noqa: E402
from runner import run_case  # noqa: E402
from workspace import make_workspace  # noqa: E402


def _param(case: Case):
    marks = [pytest.mark.slow]
    if case.pending:
        marks.append(pytest.mark.xfail(strict=True, reason=f"issue {case.issue}: not fixed yet"))
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_hostile_case(case: Case, earlier_report: Path, tmp_path: Path):
    outcome = run_case(case, make_workspace(tmp_path / "project", earlier_report))
    assert outcome.ok, f"{outcome.kind}: {outcome.detail}"


def test_every_case_has_a_distinct_id_and_an_expected_outcome():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert all(case.token or case.refusal for case in CASES)
