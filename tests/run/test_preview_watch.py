"""run/preview_watch.py: a save to a watched file is reported, an editor's rename-over included; a folder that
cannot be watched is refused in a sentence."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from auditkit.errors import PreviewError
from auditkit.run.preview_watch import FileWatcher, check_folders, watched_folders


def test_the_folders_of_the_files_are_watched_each_once(tmp_path: Path):
    files = [tmp_path / "a" / "x.yaml", tmp_path / "a" / "y.csv", tmp_path / "b" / "z.csv"]
    assert watched_folders(files) == (tmp_path / "a", tmp_path / "b")


def test_a_folder_that_does_not_exist_cannot_be_watched(tmp_path: Path):
    with pytest.raises(PreviewError) as caught:
        check_folders([tmp_path / "gone"])
    assert str(caught.value) == (
        f"auditkit preview cannot watch the folder {tmp_path / 'gone'} for saved changes: it does not exist."
    )


def test_a_file_in_a_folders_place_cannot_be_watched(tmp_path: Path):
    (tmp_path / "data").write_text("", encoding="utf-8")
    with pytest.raises(PreviewError, match="for saved changes: it is not a folder.$"):
        check_folders([tmp_path / "data"])


def _watch(files: frozenset[Path], loaded: bool = True):
    changed, errors = threading.Event(), []
    watcher = FileWatcher(lambda: files, lambda: loaded, changed.set, errors.append)
    watcher.start()
    return watcher, changed, errors


def test_a_save_to_a_watched_file_is_reported_and_one_to_another_file_is_not(tmp_path: Path):
    watched, other = tmp_path / "round.yaml", tmp_path / "notes.txt"
    watched.write_text("a", encoding="utf-8")
    watcher, changed, errors = _watch(frozenset({watched}))
    try:
        threading.Event().wait(0.3)  # the watch is set up
        other.write_text("b", encoding="utf-8")
        assert not changed.wait(1.5)
        replacement = tmp_path / ".round.yaml.tmp"  # as editors save: a new file renamed over the old one
        replacement.write_text("c", encoding="utf-8")
        os.replace(replacement, watched)
        assert changed.wait(10)
    finally:
        watcher.stop()
    assert errors == []


def test_while_the_round_does_not_load_any_file_in_the_folders_counts(tmp_path: Path):
    watched = tmp_path / "round.yaml"
    watched.write_text("a", encoding="utf-8")
    watcher, changed, _ = _watch(frozenset({watched}), loaded=False)
    try:
        threading.Event().wait(0.3)
        (tmp_path / "new-data.csv").write_text("b", encoding="utf-8")
        assert changed.wait(10)
    finally:
        watcher.stop()


def test_a_watcher_refuses_to_start_on_a_folder_that_is_gone(tmp_path: Path):
    watcher = FileWatcher(lambda: frozenset({tmp_path / "gone" / "round.yaml"}), lambda: True, print, print)
    with pytest.raises(PreviewError, match="gone for saved changes: it does not exist.$"):
        watcher.start()
