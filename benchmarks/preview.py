"""How soon a saved change is on the screen: `auditkit preview` against a cold `auditkit run`, side by side.

    .venv/bin/python benchmarks/preview.py [--saves 10] [--runs 5]

On a copy of the example workbook, in one run:

1. cold: `auditkit run parameters/llr-2017.yaml` as a whole process (everything it writes by default), `--runs`
   times;
2. warm: `auditkit preview` of the same round open in Debian's Chromium (driven by Playwright, never a downloaded
   browser); each save edits the first recommendation's text and the time is taken from the save until the
   reloaded page has loaded (the render, the reload and the browser's parsing), which is then checked to show the
   new text, `--saves` times.

The cold runs and the saves alternate, so machine load falls on both. Prints the medians, the ratio
(target, issue 21: at most 0.2), the preview's own render times (from its log) and the machine's load (`uptime`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from auditkit.run.screenshot import CHROMIUM_ARGS, find_chromium  # noqa: E402

_RECOMMENDATION = "Every partner agency should make the neglect toolkit part of routine assessment"
_TARGET = 0.2


def _copy_workbook(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copyfile(REPO / "auditkit.yaml", root / "auditkit.yaml")
    for folder in ("parameters", "data_templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root / "parameters" / "llr-2017.yaml"


def _cold_run(parameters: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "auditkit"), "run", str(parameters), "--force", "--quiet"],
        cwd=parameters.parent.parent,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _start_preview(parameters: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(BIN / "auditkit"), "preview", str(parameters), "--port", "0"],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and server.poll() is None:
        found = re.search(r"^Previewing .* at (http://\S+) ", log.read_text(errors="replace"), re.MULTILINE)
        if found:
            return server, found.group(1)
        time.sleep(0.1)
    raise SystemExit(f"auditkit preview did not start:\n{log.read_text(errors='replace')}")


def _save(parameters: Path, current: str, new: str) -> None:
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text.replace(current, new, 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=10, help="saves timed in the browser (default 10)")
    parser.add_argument("--runs", type=int, default=5, help="cold auditkit runs (default 5)")
    arguments = parser.parse_args()
    from bench_run import compile_sources  # a sibling script, not a package
    from playwright.sync_api import sync_playwright

    compile_sources()

    load_before = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="auditkit-bench-preview-") as folder:
        parameters = _copy_workbook(Path(folder) / "workbook")
        log = Path(folder) / "preview.log"
        server, url = _start_preview(parameters, log)
        cold, warm = [], []
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=str(find_chromium()), args=list(CHROMIUM_ARGS))
                page = browser.new_page()
                page.set_default_timeout(120_000)
                page.goto(url, wait_until="load")
                page.get_by_text(_RECOMMENDATION).wait_for()
                current = "routine assessment"
                per_run = max(1, -(-arguments.saves // arguments.runs))
                while len(cold) < arguments.runs or len(warm) < arguments.saves:
                    if len(cold) < arguments.runs:
                        cold.append(_cold_run(parameters))
                    for _ in range(per_run):
                        if len(warm) >= arguments.saves:
                            break
                        new = f"routine assessment {len(warm) + 1}"
                        started = time.perf_counter()
                        # Timed to the reloaded page's load, then checked to show the edit: a locator waiting
                        # across the reload would poll the old page with Playwright's back-off (up to half a
                        # second between looks) and time that instead.
                        with page.expect_navigation(wait_until="load"):
                            _save(parameters, current, new)
                        loaded = time.perf_counter()
                        page.get_by_text(f"toolkit part of {new}", exact=False).wait_for(timeout=1_000)
                        warm.append(loaded - started)
                        current = new
                        time.sleep(0.5)  # the page settles (its next long poll) before the next save
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)
        renders = [float(value) for value in re.findall(r"^Rendered \S+ in ([\d.]+) s\.$", log.read_text(), re.M)]
    load_after = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    ratio = warm_median / cold_median
    print(f"cold auditkit run, whole process (median of {len(cold)}): {cold_median:.2f} s")
    print(f"auditkit preview, save to reloaded page in Chromium (median of {len(warm)}): {warm_median:.2f} s")
    print(f"  of which the preview's render (median of {len(renders[1:])}): {statistics.median(renders[1:]):.2f} s")
    print(f"ratio: {ratio:.2f} (target at most {_TARGET}: {'met' if ratio <= _TARGET else 'NOT met'})")
    print(f"cold runs: {', '.join(f'{value:.2f}' for value in cold)}")
    print(f"saves: {', '.join(f'{value:.2f}' for value in warm)}")
    print(f"load before: {load_before}")
    print(f"load after:  {load_after}")


if __name__ == "__main__":
    main()
