"""`auditkit preview` as a person writing a briefing meets it, in Debian's Chromium: the briefing on the page, a
saved change to the parameters on the page by itself, a save that breaks the data shown as its errors (file, row,
column) with the last good briefing kept, and the briefing back once the file is fixed. Nothing is written to
reports/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import edit_text

from auditkit.run.screenshot import CHROMIUM_ARGS, find_chromium

pytestmark = pytest.mark.slow

_START_SECONDS = 180
_STEP_MS = 60_000
_RECOMMENDATION = "Every partner agency should make the neglect toolkit part of routine assessment"
_EDITED = "Every partner agency should make the neglect toolkit part of PREVIEW-RELOADED assessment"


def _tree(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(path.relative_to(folder)), path.stat().st_mtime_ns) for path in folder.rglob("*"))


@pytest.fixture
def preview(example_round, tmp_path: Path):
    """`auditkit preview` of a copy of the example round on a free port: (its address, the copy)."""
    log = tmp_path / "preview.log"
    command = [
        str(Path(sys.executable).with_name("auditkit")),
        "preview",
        str(example_round.parameters),
        "--port",
        "0",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + _START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            lines = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("Previewing")]
            if lines:
                yield lines[0].split(" at ")[1].split()[0], example_round, log
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"auditkit preview did not start:\n{log.read_text(errors='replace')}")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def test_a_save_reloads_the_page_a_broken_save_shows_its_errors_and_a_fix_brings_the_briefing_back(preview):
    playwright = pytest.importorskip("playwright.sync_api")
    try:
        chromium = find_chromium()
    except Exception as exc:  # noqa: BLE001 - the reason is in the skip
        pytest.skip(f"needs Chromium: {exc}")
    url, workbook, log = preview
    reports_before = _tree(workbook.reports)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=list(CHROMIUM_ARGS), timeout=_STEP_MS)
        try:
            page = browser.new_page()
            page.set_default_timeout(_STEP_MS)
            page.goto(url, wait_until="load")
            page.get_by_text(_RECOMMENDATION).wait_for()
            assert page.title() == (
                "Neglect toolkit survey and deep dive audit: Leicester, Leicestershire and Rutland Safeguarding "
                "Children Boards"
            )

            edit_text(workbook.parameters, _RECOMMENDATION, _EDITED)  # the page reloads itself
            page.get_by_text(_EDITED).wait_for()

            workbook.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no,", "DD17-L01,Leicester,2017-04-03,0-1,maybe,")
            errors = page.locator("#errors")
            errors.wait_for()
            assert errors.inner_text() == (
                "Error: The data has 1 problem:\n"
                "  llr-2017-cases.csv, row 2, column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no."
            )
            page.get_by_role("link", name="the last briefing that rendered").click()
            page.get_by_text(_EDITED).wait_for()  # the last good briefing, still there

            workbook.edit_cases("0-1,maybe,", "0-1,no,")  # fixed: the briefing comes back at /
            page.wait_for_url(url)
            page.get_by_text(_EDITED).wait_for()
            assert page.locator("#errors").count() == 0
        finally:
            browser.close()
    assert _tree(workbook.reports) == reports_before == []
    said = log.read_text(errors="replace")
    assert "llr-2017.yaml has problems; the page shows them (Error: The data has 1 problem:)" in said
    assert "Traceback" not in said
