"""Saving a Word document so that the same document gives the same bytes.

A ``.docx`` is a zip archive of XML parts. python-docx writes each part with the time it was saved, so two saves
of one document differ; this module saves it, then writes the archive again with every part dated ``when``
(the run's time: ``SOURCE_DATE_EPOCH`` when set), in a fixed order (``[Content_Types].xml`` first, as Office
writes it, then the package's relationships, then every other part by name) with fixed permissions and
compression. The document's own dates (created, modified) are set to ``when`` by the caller. Written by hand
because python-docx offers no way to fix the times it writes, and the zip module is all it takes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["ZIP_EPOCH", "save_docx"]

#: The earliest time a zip archive can record; an earlier ``when`` is written as this.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def save_docx(document: Any, path: str | Path, when: dt.datetime) -> Path:
    """Save a python-docx document to ``path``, the same document always as the same bytes.

    Returns
    -------
    pathlib.Path
        ``path``, a ``.docx`` whose parts are dated ``when`` (in UTC, no earlier than :data:`ZIP_EPOCH`) and
        written in a fixed order; the document is not changed.
    """
    path = Path(path)
    saved = io.BytesIO()
    document.save(saved)
    stamp = max(when.astimezone(dt.UTC), ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(saved) as source:
        names = sorted(source.namelist(), key=_order)
        parts = {name: source.read(name) for name in names}
    with zipfile.ZipFile(path, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes it
            info.external_attr = 0o644 << 16
            target.writestr(info, parts[name], compresslevel=6)
    return path
