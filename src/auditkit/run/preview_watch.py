"""Watching a round's files for saved changes, for ``auditkit preview``, with watchfiles.

The folders that hold the files are watched, not the files: an editor that saves by writing a new file and
renaming it over the old one (most do) replaces the file a watch on the file itself would follow. A change is
reported when it touches a watched file, or any file in those folders while the round does not load (the
parameters may name a file that is only now being written). The caller gives the new list of files after each
render, and the watch moves to their folders.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from auditkit.errors import PreviewError

__all__ = ["FileWatcher", "check_folders", "watched_folders"]


def watched_folders(files: Iterable[Path]) -> tuple[Path, ...]:
    """The folders to watch for ``files``.

    Returns
    -------
    tuple of Path
        The folder of each file, each once, sorted.
    """
    return tuple(sorted({Path(path).parent for path in files}))


def check_folders(folders: Iterable[Path]) -> None:
    """Raise :class:`~auditkit.errors.PreviewError` (``folder``) for the first folder that cannot be watched: one
    that does not exist, is not a folder, or that this user may not read."""
    for folder in folders:
        if not folder.exists():
            raise PreviewError("folder", folder, "it does not exist")
        if not folder.is_dir():
            raise PreviewError("folder", folder, "it is not a folder")
        if not os.access(folder, os.R_OK | os.X_OK):
            raise PreviewError("folder", folder, "you may not read it")


def _reason(error: OSError) -> str:
    """An operating system's refusal to watch, as the end of a sentence."""
    if isinstance(error, FileNotFoundError):
        return "it does not exist"
    if isinstance(error, PermissionError) or error.errno == errno.EACCES:
        return "you may not read it"
    text = str(error).strip().rstrip(".") or type(error).__name__
    if "watch limit" in text or error.errno == errno.ENOSPC:
        return f"{text} (raise fs.inotify.max_user_watches, or close other programs that watch files)"
    return text


class FileWatcher:
    """Calls ``on_change()`` in a thread of its own each time a save touches one of the files it watches.

    ``files()`` gives the files to watch now, and ``loaded()`` whether the round loaded at the last render; both
    are asked again after every change. ``on_error(error)`` gets a :class:`~auditkit.errors.PreviewError` when a
    folder cannot be watched any more; the watcher then stops.
    """

    def __init__(
        self,
        files: Callable[[], frozenset[Path]],
        loaded: Callable[[], bool],
        on_change: Callable[[], None],
        on_error: Callable[[PreviewError], None],
    ):
        self._files, self._loaded, self._on_change, self._on_error = files, loaded, on_change, on_error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="auditkit-preview-watch", daemon=True)

    def start(self) -> None:
        """Check the folders now (raising :class:`~auditkit.errors.PreviewError`), then start watching them."""
        check_folders(watched_folders(self._files()))
        self._thread.start()

    def stop(self) -> None:
        """Stop watching, and wait (briefly) for the thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _relevant(self, changed: set[tuple[object, str]], files: frozenset[Path], folders: tuple[Path, ...]) -> bool:
        paths = {Path(path) for _, path in changed}
        if paths & files:
            return True
        # A round that does not load may be waiting for a file it names: any file in the folders counts.
        return not self._loaded() and any(path.parent in folders for path in paths)

    def _run(self) -> None:
        import watchfiles  # the watch loop: the command imports it only when it watches

        while not self._stop.is_set():
            files = self._files()
            folders = watched_folders(files)
            try:
                for changed in watchfiles.watch(
                    *folders,
                    watch_filter=None,
                    debounce=400,
                    step=30,
                    stop_event=self._stop,
                    recursive=False,
                    raise_interrupt=False,
                ):
                    if not self._relevant(changed, files, folders):
                        continue
                    self._on_change()
                    if self._files() != files:  # the parameters name other files now: watch their folders
                        break
                else:
                    return  # stopped
            except OSError as error:
                failed = next((folder for folder in folders if str(folder) in str(error)), folders[0])
                self._on_error(PreviewError("folder", failed, _reason(error)))
                return
