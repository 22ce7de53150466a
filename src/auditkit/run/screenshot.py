"""The briefing as a reader's browser shows it: Chromium, driven by Playwright.

``auditkit run --screenshot`` saves the first screen of ``briefing.html`` as ``briefing.png`` so an
auditor can look at the page before publishing; the accessibility tests open the page the same way.
The browser is the system's own Chromium (Debian's ``chromium`` package), never one downloaded by
Playwright: the set-up installs it, and ``AUDITKIT_CHROMIUM`` names another one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from auditkit.errors import ScreenshotError

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_VARIABLE",
    "DEFAULT_CHROMIUM",
    "VIEWPORT",
    "find_chromium",
    "open_page",
    "screenshot_browser",
    "take_screenshot",
]

#: The environment variable that names the Chromium binary to use.
CHROMIUM_VARIABLE = "AUDITKIT_CHROMIUM"
#: Where Debian's ``chromium`` package installs the browser, tried last.
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and nothing that reaches the network or needs a display, a GPU or a sandbox.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: A laptop screen: what a reader sees first.
VIEWPORT = {"width": 1280, "height": 900}
_TIMEOUT_MS = 60_000

_INSTALL_HELP = (
    "On Debian or Ubuntu install it with: sudo apt-get install chromium "
    f"(or set {CHROMIUM_VARIABLE} to the path of a Chromium or Chrome browser)"
)


def find_chromium() -> Path:
    """Find the Chromium binary; raises :class:`ScreenshotError` saying how to install it when there is none.

    Returns
    -------
    Path
        ``$AUDITKIT_CHROMIUM``, else ``chromium`` on the PATH, else /usr/bin/chromium.
    """
    named = os.environ.get(CHROMIUM_VARIABLE, "").strip()
    if named:
        candidate = Path(named).expanduser()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
        raise ScreenshotError(
            f"The screenshot needs the Chromium browser, but {CHROMIUM_VARIABLE} names {candidate}, "
            f"which is not a program that can be run. {_INSTALL_HELP}."
        )
    found = shutil.which("chromium")
    if found:
        return Path(found)
    if DEFAULT_CHROMIUM.is_file() and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    raise ScreenshotError(f"The screenshot needs the Chromium browser, which is not installed. {_INSTALL_HELP}.")


def _playwright():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise ScreenshotError(
            "The screenshot needs the Python package playwright, which is not installed; "
            "run bash scripts/setup.sh again to install it."
        ) from None
    return sync_playwright, Error


def screenshot_browser() -> Path:
    """Check that Playwright and Chromium are there before a run writes anything.

    Returns
    -------
    Path
        The Chromium binary a screenshot will use (:func:`find_chromium`).
    """
    _playwright()
    return find_chromium()


@contextmanager
def open_page(html: str | Path, chromium: Path | None = None) -> Iterator[Any]:
    """Show the HTML file ``html`` in headless Chromium for the ``with`` block, then close the browser.

    Yields
    ------
    playwright.sync_api.Page
        The page, loaded, in a :data:`VIEWPORT` window.
    """
    sync_playwright, PlaywrightError = _playwright()
    browser_path = chromium or find_chromium()
    url = Path(html).resolve().as_uri()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(browser_path), args=list(CHROMIUM_ARGS), timeout=_TIMEOUT_MS
            )
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(_TIMEOUT_MS)
                page.goto(url, wait_until="load")
                yield page
            finally:
                browser.close()
    except PlaywrightError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScreenshotError(f"Chromium ({browser_path}) could not show {Path(html).name}: {reason}.") from None


def take_screenshot(html: str | Path, png: str | Path, chromium: Path | None = None) -> Path:
    """Save the first screen of the HTML page ``html``, as Chromium shows it, as the PNG ``png``.

    Returns
    -------
    Path
        The PNG written.
    """
    png = Path(png)
    with open_page(html, chromium) as page:
        page.screenshot(path=str(png), full_page=False)
    return png
