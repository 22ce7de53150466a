"""The files a round names (data, codebooks, baselines, parameters files), resolved and checked without opening them.

A path in a parameters file may name something that is not a file at all: a folder, a named pipe (FIFO), a
device such as ``/dev/zero``, a symbolic link that loops back on itself, or text with a NUL character in it.
Opening a pipe waits for a writer that never comes and reading ``/dev/zero`` never ends, so each is named for
what it is from ``os.stat``, which does not open the file. ``pathlib`` answers only yes or no (``is_file``) or
raises (``resolve`` on a loop, anything on a NUL), so the sentences are written here.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["file_problem", "resolve_path", "shown_path"]

_NUL = "\0"

#: What each kind of file that is not a regular file is called, by ``stat``'s test for it.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def shown_path(path: str | Path) -> str:
    """A path as a sentence may show it: a NUL character is written ``\\0`` so that the terminal shows it.

    Returns
    -------
    str
        The path's text, each NUL character replaced by the two characters ``\\0``.
    """
    return str(path).replace(_NUL, "\\0")


def resolve_path(raw: str | Path, base: Path | None = None) -> Path:
    """A path from a parameters file or the command line, made absolute without failing on a loop or a NUL.

    A relative path is taken from ``base`` (the working directory when ``base`` is None) and its symbolic
    links are resolved; an absolute path is used as it is. A path that loops or holds a NUL character is
    returned as it stands, for :func:`file_problem` to name.

    Returns
    -------
    Path
        The absolute path.
    """
    text = str(raw)
    if _NUL in text:
        path = Path(text)
        return Path(os.path.normpath(path if path.is_absolute() else (base or Path.cwd()) / path))
    path = Path(text).expanduser()
    if path.is_absolute() and base is not None:
        return path
    # os.path.realpath, unlike Path.resolve, leaves a symbolic link loop unresolved instead of raising.
    return Path(os.path.realpath((base or Path.cwd()) / path))


def file_problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be read, as the end of a sentence about it; None when it is one.

    Nothing is opened: a named pipe or a device is recognised before anything reads it.

    Returns
    -------
    str or None
        A predicate such as ``"does not exist"`` or ``"is a device, not a regular file"``, to follow the
        path in a sentence; None for a readable regular file.
    """
    text = str(path)
    if _NUL in text:
        return "holds a NUL character (\\0), not allowed in a file name"
    try:
        mode = os.stat(text).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself, not a regular file"
        if exc.errno == errno.ENAMETOOLONG:
            return "is too long to be a file's name"
        if exc.errno == errno.EACCES:
            return "cannot be reached (permission denied)"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            if os.path.islink(text):
                return f"is a symbolic link to a file that does not exist ({os.readlink(text)})"
            return "does not exist"
        return f"cannot be read ({exc.strerror})"
    for test, kind in _KINDS:
        if test(mode):
            return f"is {kind}, not a regular file"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    if not os.access(text, os.R_OK):
        return "cannot be read (permission denied)"
    return None
