"""auditkit.run.pipeline: a run stage by stage, and nothing written when a stage fails."""

from __future__ import annotations

from pathlib import Path

import pytest


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
