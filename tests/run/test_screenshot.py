"""auditkit.run.screenshot: which Chromium a screenshot uses, and what the user reads when there is none.

A real browser showing a real briefing is checked end to end in tests/end_to_end/test_accessibility.py;
these tests use stand-in programs and need no browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditkit.run import screenshot
from auditkit.run.screenshot import CHROMIUM_VARIABLE, ScreenshotError, find_chromium, open_page, screenshot_browser

INSTALL_HELP = (
    "On Debian or Ubuntu install it with: sudo apt-get install chromium "
    "(or set AUDITKIT_CHROMIUM to the path of a Chromium or Chrome browser)."
)


def program(folder: Path, name: str = "chromium", executable: bool = True) -> Path:
    """A stand-in for a browser: a script that says it is not one and stops."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text('#!/bin/sh\necho "not a browser" >&2\nexit 3\n', encoding="utf-8")
    path.chmod(0o755 if executable else 0o644)
    return path


@pytest.fixture
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No AUDITKIT_CHROMIUM, no chromium on the PATH and none at the default place."""
    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(screenshot, "DEFAULT_CHROMIUM", tmp_path / "usr" / "bin" / "chromium")
    return tmp_path


def test_the_variable_names_the_browser_to_use(no_chromium: Path, monkeypatch):
    named = program(no_chromium / "opt" / "chrome", "chrome")
    program(no_chromium / "empty-bin")  # one on the PATH too: the variable wins
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(named))
    assert find_chromium() == named


def test_the_variable_may_start_from_the_home_folder(no_chromium: Path, monkeypatch):
    named = program(no_chromium / "home" / "bin")
    monkeypatch.setenv("HOME", str(no_chromium / "home"))
    monkeypatch.setenv(CHROMIUM_VARIABLE, "~/bin/chromium")
    assert find_chromium() == named


@pytest.mark.parametrize("made", ["missing", "not executable", "a folder"])
def test_a_variable_naming_no_program_is_a_clear_error(no_chromium: Path, monkeypatch, made: str):
    named = no_chromium / "opt" / "chromium"
    if made == "not executable":
        program(named.parent, executable=False)
    elif made == "a folder":
        named.mkdir(parents=True)
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(named))
    with pytest.raises(ScreenshotError) as caught:
        find_chromium()
    assert str(caught.value) == (
        f"The screenshot needs the Chromium browser, but AUDITKIT_CHROMIUM names {named}, which is not a program "
        f"that can be run. {INSTALL_HELP}"
    )


def test_a_blank_variable_is_as_if_it_were_not_set(no_chromium: Path, monkeypatch):
    on_path = program(no_chromium / "empty-bin")
    monkeypatch.setenv(CHROMIUM_VARIABLE, "   ")
    assert find_chromium() == on_path


def test_without_the_variable_chromium_on_the_path_is_used(no_chromium: Path):
    on_path = program(no_chromium / "empty-bin")
    assert find_chromium() == on_path


def test_without_the_variable_or_the_path_the_default_place_is_used(no_chromium: Path):
    default = program(no_chromium / "usr" / "bin")
    assert find_chromium() == default


def test_a_default_that_cannot_be_run_does_not_count(no_chromium: Path):
    program(no_chromium / "usr" / "bin", executable=False)
    with pytest.raises(ScreenshotError, match="which is not installed"):
        find_chromium()


def test_no_chromium_anywhere_says_how_to_install_it(no_chromium: Path):
    with pytest.raises(ScreenshotError) as caught:
        find_chromium()
    assert str(caught.value) == f"The screenshot needs the Chromium browser, which is not installed. {INSTALL_HELP}"


def test_without_playwright_the_error_says_to_run_the_set_up_again(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if it were not installed
    with pytest.raises(ScreenshotError) as caught:
        screenshot_browser()
    assert str(caught.value) == (
        "The screenshot needs the Python package playwright, which is not installed; "
        "run bash scripts/setup.sh again to install it."
    )


def test_screenshot_browser_is_the_chromium_found(no_chromium: Path):
    pytest.importorskip("playwright.sync_api")
    on_path = program(no_chromium / "empty-bin")
    assert screenshot_browser() == on_path


def test_a_program_that_is_not_a_browser_fails_as_a_sentence_naming_it_and_the_page(tmp_path: Path):
    pytest.importorskip("playwright.sync_api")
    fake = program(tmp_path / "bin")
    page = tmp_path / "briefing.html"
    page.write_text("<!DOCTYPE html><title>Briefing</title><p>Hello</p>", encoding="utf-8")
    with pytest.raises(ScreenshotError) as caught, open_page(page, fake):
        pass
    message = str(caught.value)
    assert message.startswith(f"Chromium ({fake}) could not show briefing.html: ")
    assert message.endswith(".") and "\n" not in message
