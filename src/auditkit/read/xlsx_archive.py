"""Looking inside an XLSX file (a zip archive of XML parts) before a parser opens it.

Three things are refused here, each before python-calamine parses anything:

* an archive that expands to more than :data:`EXPANSION_RATIO` times its size on disk, or to more
  than :data:`MOST_EXPANDED` bytes (a "zip bomb"). The sizes an archive declares can lie, so every
  part is decompressed, a chunk at a time, and the bytes that actually come out are counted; reading
  stops as soon as the count passes the limit;
* a part whose XML declares a document type or an entity (``<!DOCTYPE``, ``<!ENTITY``): Excel never
  writes one, and entities can expand without bound. The bytes are searched; no XML parser reads them;
* (reported, not refused) formula cells saved without a value: a program that writes formulas
  without calculating them (openpyxl, for one) leaves them empty, and the reader would see blanks.

Written by hand because the XML parsers that refuse declarations (defusedxml) are not among the
project's dependencies and would parse every sheet a second time; the zip module reads the parts.
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from auditkit.errors import DataError

__all__ = ["EXPANSION_RATIO", "MOST_EXPANDED", "ArchiveScan", "scan_archive"]

#: The most an XLSX file may expand, as a multiple of its size on disk (real workbooks expand 5 to 20 times).
EXPANSION_RATIO = 100
#: The most bytes an XLSX file may expand to, whatever its size.
MOST_EXPANDED = 2 << 30
_CHUNK = 1 << 20
_OVERLAP = 1 << 16  # bytes of one chunk searched again with the next, so that nothing is missed at the seam
_XML = (".xml", ".rels", ".vml")
_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
#: A cell whose formula (<f>, or a shared formula's <f .../>) is followed by no value, or an empty one.
_UNCALCULATED = re.compile(
    rb"<" + _PREFIX + rb"c\b([^>]*)>\s*<" + _PREFIX + rb"f\b[^>]*?(?:/>|>[^<]*</" + _PREFIX + rb"f>)\s*"
    rb"(<" + _PREFIX + rb"v\s*/>|<" + _PREFIX + rb"v\s*>\s*</" + _PREFIX + rb"v>)?\s*</" + _PREFIX + rb"c>"
)
_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]+[0-9]+)["']""")
_TEXT_TYPE = re.compile(rb"""\bt\s*=\s*["']str["']""")


@dataclass
class ArchiveScan:
    """What :func:`scan_archive` found: the worksheets' parts by sheet name, and their formulas without values."""

    #: Each sheet's name → the archive path of its XML part.
    sheets: dict[str, str] = field(default_factory=dict)
    #: A worksheet part → its first formula cell saved without a value (as "D2") and how many there are.
    uncalculated: dict[str, tuple[str, int]] = field(default_factory=dict)

    def uncalculated_cells(self, sheet: str) -> tuple[str, int] | None:
        """The first formula cell of ``sheet`` saved without a value, and how many there are.

        Returns
        -------
        tuple of (str, int) or None
            The cell's name and the count; None when every formula of the sheet has its value.
        """
        return self.uncalculated.get(self.sheets.get(sheet, ""))


def _unopenable(path: Path, reason: object) -> DataError:
    return DataError(path, f"the file could not be opened as an Excel workbook ({reason}).")


def _check_declarations(path: Path, part: str, buffer: bytes) -> None:
    at = buffer.find(b"<!")
    while at >= 0:
        if buffer[at + 2 : at + 9].upper().startswith((b"DOCTYPE", b"ENTITY")):
            raise DataError(
                path,
                f"the workbook's part {part} contains a document type declaration, which Excel never writes and "
                f"which can make a file expand without bound; it was refused unread. Open the file in Excel or "
                f"LibreOffice and save it again as an Excel workbook (.xlsx).",
            )
        at = buffer.find(b"<!", at + 2)


def _scan_part(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, scan: ArchiveScan, kept: dict
) -> int:
    """Read one part, checking it; returns how many bytes it expanded to (past ``budget``: stops there).

    The workbook's own parts are kept in ``kept``, to find each sheet's part once the archive has passed.
    """
    capped = copy.copy(info)
    capped.file_size = budget + 1  # read what really comes out, not what the archive declares
    del capped.CRC  # a part cut off at the budget fails its checksum: its size is the error to report
    xml = info.filename.lower().endswith(_XML)
    sheet = xml and info.filename.startswith("xl/worksheets/")
    wide = False  # UTF-16: searched with its NUL bytes taken out
    expanded, tail, seen, chunks = 0, b"", -1, []
    with archive.open(capped) as part:
        while chunk := part.read(_CHUNK):
            wide = wide or (not expanded and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]))
            expanded += len(chunk)
            if expanded > budget:
                return expanded
            buffer = tail + chunk
            if xml:
                _check_declarations(path, info.filename, buffer.replace(b"\x00", b"") if wide else buffer)
            if sheet and (b"<f" in buffer or b":f" in buffer):
                seen = _find_uncalculated(buffer, expanded - len(buffer), seen, info.filename, scan)
            if info.filename in _WORKBOOK_PARTS and expanded <= _CHUNK * 16:  # a real one is a few KB
                chunks.append(chunk)
            tail = buffer[-_OVERLAP:]
    if chunks and expanded <= _CHUNK * 16:
        kept[info.filename] = b"".join(chunks)
    return expanded


def _find_uncalculated(buffer: bytes, offset: int, seen: int, part: str, scan: ArchiveScan) -> int:
    """Count the cells of ``buffer`` (at ``offset`` in the part) whose formula has no value, past offset ``seen``."""
    for found in _UNCALCULATED.finditer(buffer):
        if offset + found.start() <= seen:
            continue
        seen = offset + found.start()
        attributes = found.group(1)
        if found.group(2) is not None and _TEXT_TYPE.search(attributes):
            continue  # a formula whose value is empty text, as Excel saves ""
        reference = _REFERENCE.search(attributes)
        first, count = scan.uncalculated.get(part, (reference.group(1).decode() if reference else "?", 0))
        scan.uncalculated[part] = (first, count + 1)
    return seen


def _sheet_parts(workbook: bytes, relationships: bytes) -> dict[str, str]:
    """Each sheet's name → its part, from the workbook and its relationships (both free of declarations)."""
    targets = {}
    for relationship in ElementTree.fromstring(relationships):
        target = relationship.get("Target", "")
        targets[relationship.get("Id")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
    parts = {}
    for element in ElementTree.fromstring(workbook).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            ids = [value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == "id"]
            if ids and ids[0] in targets:
                parts[element.get("name", "")] = targets[ids[0]]
    return parts


def _too_large(path: Path, limit: int, size: int) -> DataError:
    if limit < MOST_EXPANDED:
        return DataError(
            path,
            f"the workbook expands to more than {EXPANSION_RATIO} times its size on disk once unzipped (real "
            f"workbooks expand 5 to 20 times), so it was refused unread. If it is a real workbook, open it in Excel "
            f"and save it again.",
        )
    return DataError(
        path,
        f"the workbook expands to more than {MOST_EXPANDED >> 30} GiB once unzipped, more than auditkit reads, so it "
        f"was refused unread. Save the data as CSV (CSV UTF-8) instead.",
    )


def scan_archive(path: str | Path) -> ArchiveScan:
    """Check an XLSX file's archive before it is parsed: its expansion, and declarations in its XML.

    Returns
    -------
    ArchiveScan
        The sheets' parts and the formula cells saved without values. Raises
        :class:`~auditkit.errors.DataError` for a file that is not a zip archive, expands too much, or
        declares a document type or an entity.
    """
    path = Path(path)
    size = path.stat().st_size
    limit = min(EXPANSION_RATIO * size, MOST_EXPANDED)
    scan, kept = ArchiveScan(), {}
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = 0
            for info in archive.infolist():
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise _unopenable(path, f"its part {info.filename} is compressed in a way Excel does not use")
                expanded += _scan_part(path, archive, info, limit - expanded, scan, kept)
                if expanded > limit:
                    raise _too_large(path, limit, size)
        if len(kept) == len(_WORKBOOK_PARTS):
            scan.sheets = _sheet_parts(*(kept[name] for name in _WORKBOOK_PARTS))
    except DataError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise _unopenable(path, exc) from None
    except ElementTree.ParseError:
        pass  # calamine names what is wrong with the workbook
    return scan
