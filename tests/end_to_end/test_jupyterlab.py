"""The analyst's workbench as an analyst meets it: `auditkit lab` starts JupyterLab on a workbook, each notebook opens
in Debian's Chromium, Run → Run All Cells runs it without an error, and its key headings are on the screen.

JupyterLab runs on 127.0.0.1 with a token, on a free port, with its configuration, runtime and data folders in the
test's own temporary folder. Each notebook's Run All time is printed (the README quotes it).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_workbook

from auditkit.run.screenshot import CHROMIUM_ARGS, find_chromium

pytestmark = pytest.mark.slow

#: Generous: the machines running the suite are shared, and a first kernel start there can take a minute.
_START_SECONDS = 180
_RUN_ALL_MS = 300_000
_STEP_MS = 120_000

#: What each notebook must show once run: headings of its own, and lines of its outputs.
KEY_TEXT = {
    "analysis.ipynb": [
        "Analyst's workbook (internal)",
        "Records",
        "Against the baseline",
        "Aggregate indicator tables",
        "Areas against each other",
        "Quotes",
        "Charts as published",
        "71 records: 10 in deep_dive (10 complete), 61 in survey (39 complete).",
        "No baseline round: parameters/llr-2017.yaml names none, so nothing is compared.",
        "No aggregate indicator tables: parameters/llr-2017.yaml has no indicator_tables:.",
        "8 quotes printed",
        "The figures",
    ],
    "briefing.ipynb": [
        "Neglect toolkit survey and deep dive audit",
        "Background",
        "Methodology",
        "Key findings and recommendations",
        "What practitioners said",
        "The figures",
        "Further information",
    ],
}
#: What an analyst must not see: raw reprs, pandas' cut-off tables, Jupyter's prompts about news and updates.
ABSENT_TEXT = ["QuoteSelection(", "Analysis(round=", "rows × ", "Empty DataFrame", "official Jupyter news"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"auditkit lab stopped ({server.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {_START_SECONDS} s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def lab(tmp_path: Path):
    """`auditkit lab` on a copy of the example workbook: (base URL, token, workbook, server log)."""
    workbook = copy_workbook(tmp_path / "workbook")
    os.utime(workbook / "parameters" / "llr-2017.yaml")  # the newest round: the copied notebooks name it
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
    }
    command = [sys.executable, "-m", "auditkit.cli", "lab", str(workbook), "--port", str(port), "--no-browser"]
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root
    log = tmp_path / "lab.log"
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(f"{base}/api/status?token={token}", server, log)
        yield base, token, workbook, log
    finally:
        for signal_ in (signal.SIGTERM, signal.SIGKILL):
            if server.poll() is not None:
                break
            os.killpg(server.pid, signal_)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                continue
        if server.poll() is None:  # pragma: no cover - SIGKILL always ends it
            server.kill()


#: The notebook on screen (JupyterLab keeps other open notebooks in the page, hidden).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: Every code cell of the notebook on screen has its execution count (none queued, [*]), and its kernel is idle.
_ALL_RUN = f"""() => {{
    const panel = document.querySelector('{PANEL}');
    if (!panel) return false;
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    return prompts.length > 0
        && prompts.every(prompt => /\\[\\d+\\]/.test(prompt.textContent))
        && indicator !== null && indicator.dataset.status === 'idle';
}}"""
#: Some cell of the notebook on screen has started: Run All was taken.
_STARTED = f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputArea-prompt')]
    .some(prompt => prompt.textContent.trim() !== '[ ]:')"""
_KERNEL_IDLE = "() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')"


def _run_all(page, url: str) -> float:
    """Open a notebook, wait for its kernel, run every cell from the Run menu; the seconds Run All took."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=_STEP_MS)
    page.wait_for_function(_KERNEL_IDLE, timeout=_STEP_MS, polling=250)
    for _ in range(10):  # the Run menu acts on the notebook once JupyterLab has given it the focus
        page.click('.lm-MenuBar-itemLabel:text-is("Run")')
        started = time.monotonic()
        page.click('.lm-Menu-item[data-command="runmenu:run-all"]')  # Run → Run All Cells
        try:
            page.wait_for_function(_STARTED, timeout=10_000, polling=250)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    else:
        pytest.fail(f"Run → Run All Cells did not start {url}")
    page.wait_for_function(_ALL_RUN, timeout=_RUN_ALL_MS, polling=250)
    return time.monotonic() - started


def test_each_notebook_runs_all_cells_in_jupyterlab_without_an_error(lab, capsys):
    playwright = pytest.importorskip("playwright.sync_api")
    try:
        chromium = find_chromium()
    except Exception as exc:  # noqa: BLE001 - the reason is in the skip
        pytest.skip(f"needs Chromium: {exc}")
    base, token, workbook, log = lab
    notebooks = workbook / "notebooks"
    timings = {}
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=list(CHROMIUM_ARGS), timeout=_STEP_MS)
        try:
            for name, expected in KEY_TEXT.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(_STEP_MS)
                # The address auditkit lab opens shows the analyst's workbook; the briefing is opened by its path.
                url = (
                    f"{base}/?token={token}"
                    if name == "analysis.ipynb"
                    else f"{base}/lab/tree/notebooks/{name}?reset&token={token}"  # this notebook alone
                )
                try:
                    timings[name] = _run_all(page, url)
                except Exception:  # noqa: BLE001 - the failure below says what JupyterLab showed and logged
                    page.screenshot(path=str(log.with_name(f"{name}.png")))
                    status = page.locator("#jp-main-statusbar").text_content()
                    dialogs = page.locator(".jp-Dialog").all_text_contents()
                    pytest.fail(
                        f"{name} did not run ({status}; dialogs: {dialogs}); JupyterLab's log:\n"
                        + log.read_text(errors="replace")
                    )
                if name == "analysis.ipynb":  # the file browser shows the workbook's root, not only the notebooks
                    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
                    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
                    listed = page.locator(".jp-DirListing-itemText").all_inner_texts()
                    assert {"parameters", "data_templates", "notebooks", "auditkit.yaml"} <= set(listed), listed
                errors = page.locator(
                    f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
                ).all_text_contents()
                assert errors == [], f"{name} wrote to stderr or raised:\n" + "\n".join(errors)
                # textContent: JupyterLab leaves cells out of the rendering (and innerText) while they are off screen.
                shown = " ".join(page.locator(f"{PANEL} .jp-Notebook").text_content().split())
                missing = [text for text in expected if text not in shown]
                assert missing == [], f"{name} does not show {missing}"
                everything = page.locator("body").text_content()
                present = [text for text in ABSENT_TEXT if text in everything]
                assert present == [], f"{name} shows {present}"
                page.keyboard.press("Control+s")  # as an analyst saves: the copy in the workbook gets the outputs
                page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')", timeout=_STEP_MS)
                page.close()
        finally:
            browser.close()
    saved = json.loads((notebooks / "analysis.ipynb").read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in saved["cells"])
    server_log = log.read_text(errors="replace")
    assert "Copied auditkit's notebooks into notebooks/ (analysis.ipynb, briefing.ipynb)" in server_log
    assert "each naming the round parameters/llr-2017.yaml" in server_log
    for noise in ("frozen modules", "Traceback", "[W "):
        assert noise not in server_log, f"the analyst's terminal shows {noise!r}:\n{server_log}"
    with capsys.disabled():
        for name, seconds in timings.items():
            print(f"\nJupyterLab Run All, {name}: {seconds:.1f} s")
