"""auditkit.run.pipeline: a run stage by stage, and nothing written when a stage fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RoundCopy

from auditkit.errors import DataValidationError


@pytest.mark.slow
def test_a_screenshot_that_fails_leaves_no_half_written_report(example_round, monkeypatch):
    from auditkit.run import pipeline
    from auditkit.run.screenshot import ScreenshotError

    def broken(html, png, chromium=None):
        assert Path(html).is_file() and (Path(html).parent / "briefing.pdf").is_file()
        raise ScreenshotError("Chromium could not show briefing.html: it crashed.")

    monkeypatch.setattr(pipeline, "take_screenshot", broken)
    with pytest.raises(ScreenshotError):
        pipeline.run_round(example_round.parameters, screenshot=True)
    assert list(example_round.reports.iterdir()) == []


def test_bad_data_stops_the_run_before_anything_is_written(example_round: RoundCopy):
    from auditkit.run.pipeline import run_round

    example_round.edit_cases("DD17-L02,Leicester", "DD17-L02,Leicster")
    with pytest.raises(DataValidationError, match="'Leicster' is not one of the round's areas"):
        run_round(example_round.parameters)
    assert list(example_round.reports.iterdir()) == []


def test_a_missing_browser_stops_the_run_before_anything_is_written(example_round: RoundCopy, monkeypatch):
    from auditkit.run.pipeline import run_round
    from auditkit.run.screenshot import CHROMIUM_VARIABLE, ScreenshotError

    monkeypatch.setenv(CHROMIUM_VARIABLE, str(example_round.root / "no-such-browser"))
    progress = []
    with pytest.raises(ScreenshotError, match="AUDITKIT_CHROMIUM names"):
        run_round(example_round.parameters, screenshot=True, progress=progress.append)
    assert progress == []  # not even validated: the browser is looked for first
    assert list(example_round.reports.iterdir()) == []
