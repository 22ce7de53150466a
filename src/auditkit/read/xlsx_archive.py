"""Looking inside an XLSX file (a zip archive of XML parts) before a parser opens it.

Three things are refused here, each before python-calamine parses anything:

* an archive that expands to more than :data:`EXPANSION_RATIO` times its size on disk, or to more
  than :data:`MOST_EXPANDED` bytes (a "zip bomb"). The sizes an archive declares can lie, so every
  part is decompressed, a chunk at a time, and the bytes that actually come out are counted; reading
  stops as soon as the count passes the limit;
* a part whose XML declares a document type or an entity (``<!DOCTYPE``, ``<!ENTITY``): Excel never
  writes one, and entities can expand without bound. The bytes are searched; no XML parser reads them;

and one thing is found for the reader to refuse (:mod:`auditkit.read.xlsx_files`, for the sheet it reads):
formula cells saved without a value, which a program that writes formulas without calculating them
(openpyxl, for one) leaves empty, and which would read as blanks.

Written by hand because the XML parsers that refuse declarations (defusedxml) are not among the
project's dependencies and would parse every sheet a second time; the zip module reads the parts,
and the searches are for bytes.
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

__all__ = [
    "EXPANSION_RATIO",
    "MOST_EXPANDED",
    "PACKAGE_PARTS",
    "WORKBOOK_PART",
    "WORKBOOK_RELATIONSHIPS",
    "WORKSHEET_ROOT",
    "ArchiveScan",
    "scan_archive",
]

#: The most an XLSX file may expand, as a multiple of its size on disk (real workbooks expand 5 to 20 times).
EXPANSION_RATIO = 100
#: The most bytes an XLSX file may expand to, whatever its size.
MOST_EXPANDED = 2 << 30
_CHUNK = 1 << 20
_OVERLAP = 1 << 16  # bytes of one chunk searched again with the next, so that nothing is missed at the seam
_XML = (".xml", ".rels", ".vml")
#: The package's own parts: its content types and its relationships.
PACKAGE_PARTS = ("[Content_Types].xml", "_rels/.rels")
#: The workbook part, which names the sheets, and its relationships, which say where each sheet's part is.
WORKBOOK_PART, WORKBOOK_RELATIONSHIPS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
_WORKBOOK_PARTS = (WORKBOOK_PART, WORKBOOK_RELATIONSHIPS)
_KEPT = 16 << 20  # the most of a workbook part kept to find its sheets (a real one holds a few KB)
#: A worksheet part's root element, with any namespace prefix.
WORKSHEET_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
#: A worksheet part → its first formula cell saved without a value and how many there are.
_Found = dict[str, tuple[str, int]]
_WINDOW = 256  # bytes after a formula in which its value, or the end of its cell, is looked for
_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]+[0-9]+)["']""")
_TEXT_TYPE = re.compile(rb"""\bt\s*=\s*["']str["']""")
_FIRST_CELL = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*["']([A-Z]+[0-9]+)["'][^>]*?(/?)>""")
_HELD_VALUE = re.compile(
    rb"""\s*(?:<(?:[\w.-]+:)?f\b[^>]*/>\s*|<(?:[\w.-]+:)?f\b.*?</(?:[\w.-]+:)?f>\s*)?<(?:[\w.-]+:)?(?:v|is)>"""
)
_MERGED = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref\s*=\s*["']([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)["']""")
_MERGED_KEPT = 16 << 20  # the most of a sheet's merged ranges kept (a real sheet's take a few KB)


@dataclass(frozen=True)
class ArchiveScan:
    """What :func:`scan_archive` found: the worksheets' parts by sheet name, and their formulas without values."""

    #: Each sheet's name → the archive path of its XML part.
    sheets: dict[str, str]
    #: A worksheet part → its first formula cell saved without a value (as "D2") and how many there are.
    uncalculated: dict[str, tuple[str, int]]
    #: The worksheet parts whose first cell is A1 and holds a value: the sheet's range starts there.
    from_a1: frozenset[str] = frozenset()
    #: A worksheet part → its merged ranges (each as "A1:B2"); a part whose merged ranges were too many to keep is
    #: missing.
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
    at = buffer.find(b"!")  # one byte: found far quicker than "<!"
    while at >= 0:
        if at and buffer[at - 1] == ord("<") and buffer[at + 1 : at + 8].upper().startswith((b"DOCTYPE", b"ENTITY")):
            raise DataError(
                path,
                f"the workbook's part {part} contains a document type declaration, which Excel never writes and "
                f"which can make a file expand without bound; it was refused unread. Open the file in Excel or "
                f"LibreOffice and save it again as an Excel workbook (.xlsx).",
            )
        at = buffer.find(b"!", at + 1)


class _Names:
    """A worksheet's element names as its XML writes them, with the namespace prefix it uses (``x:``), if any."""

    def __init__(self, prefix: bytes = b"") -> None:
        self.formula, self.formula_end = b"<" + prefix + b"f", b"</" + prefix + b"f>"
        self.cell, self.cell_end, self.value = b"<" + prefix + b"c", b"</" + prefix + b"c>", b"<" + prefix + b"v"
        escaped = re.escape(prefix)
        self.empty_value = re.compile(rb"<" + escaped + rb"v\s*(?:/>|>\s*</" + escaped + rb"v>)\s*")


def _scan_part(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, found: _Found, kept: dict, sink=None
) -> int:
    """Read one part, checking it; returns how many bytes it expanded to (past ``budget``: stops there).

    The workbook's own parts are kept in ``kept``, to find each sheet's part once the archive has passed. A ``sink``
    is given each chunk of the part once it has been checked (``sink.feed``), and told when the part has passed.
    """
    capped = copy.copy(info)
    capped.file_size = budget + 1  # read what really comes out, not what the archive declares
    del capped.CRC  # a part cut off at the budget fails its checksum: its size is the error to report
    xml = info.filename.lower().endswith(_XML)
    sheet = xml and info.filename.startswith("xl/worksheets/")
    expanded, read, tail, seen, chunks, after_data = 0, 0, b"", -1, [], []
    wide, formulas, names = False, False, _Names()
    with archive.open(capped) as part:
        while chunk := part.read(_CHUNK):
            if not expanded:
                wide = chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]  # UTF-16: NULs taken out
                root = WORKSHEET_ROOT.search(chunk.replace(b"\x00", b"")[:4096])
                names = _Names((root.group(1) if root else None) or b"")
                if sheet and _starts_at_a1(chunk):
                    kept.setdefault("from_a1", set()).add(info.filename)
            expanded += len(chunk)
            if expanded > budget:
                return expanded
            if info.filename in _WORKBOOK_PARTS and expanded <= _KEPT:
                chunks.append(chunk)
            text = chunk.replace(b"\x00", b"") if wide else chunk
            if xml and (b"!" in text or b"!" in tail[-16:]):
                _check_declarations(path, info.filename, tail[-16:] + text)
            # A sheet's first formula (a shared formula's first cell holds its text) comes before any that refers to
            # it: from then on every chunk is searched for formula cells without a value.
            formulas = formulas or (sheet and _holds(text, tail, names.formula_end, b"f"))
            if formulas:
                seen = _find_uncalculated(tail + text, read - len(tail), seen, names, info.filename, found)
            if sheet and (after_data or _holds(text, tail, b"mergeCell", b"g")):
                after_data.append(tail[-16:] + text if not after_data else text)
            read += len(text)
            tail = text[-_OVERLAP:]
            if sink is not None and not wide:
                sink.feed(chunk)
    if sink is not None:
        sink.end()
    if formulas:
        _find_uncalculated(tail, read - len(tail), seen, names, info.filename, found, final=True)
    if chunks and expanded <= _KEPT:
        kept[info.filename] = b"".join(chunks)
    if sheet and sum(map(len, after_data)) <= _MERGED_KEPT:
        ranges = _MERGED.findall(b"".join(after_data))
        kept.setdefault("merged", {})[info.filename] = tuple(dict.fromkeys(ref.decode() for ref in ranges))
    return expanded


def _holds(text: bytes, tail: bytes, name: bytes, letter: bytes) -> bool:
    """Whether ``name`` is in ``text``, or across its seam with the ``tail`` of the chunk before it.

    ``letter``, a byte of ``name`` that a sheet's cells seldom hold, is looked for first: one byte is found many times
    quicker than a name, whose search is slow on a sheet's bytes (its markup is full of the name's last byte, or of
    bytes that the search cannot tell from it at a glance), and a chunk without it cannot hold the name.
    """
    seam = tail[-len(name) :] + text[: len(name)]
    return (letter in text and name in text) or name in seam


def _find_uncalculated(
    buffer: bytes, offset: int, seen: int, names: _Names, part: str, found: _Found, final: bool = False
) -> int:
    """Count the formula cells of ``buffer`` (at ``offset`` in the part) past offset ``seen`` that have no value.

    Returns the offset of the last formula looked at; one too near the end of ``buffer`` to be seen
    whole is left for the next buffer, unless this is the ``final`` one.
    """
    opening, closing, skip = names.formula, names.formula_end, len(names.formula)
    at = buffer.find(opening)
    while at >= 0:
        if buffer[at + skip : at + skip + 1] in (b" ", b">", b"/", b"\t", b"\r", b"\n"):  # not <filter…> and such
            start_end = buffer.find(b">", at)
            if start_end >= 0 and buffer[start_end - 1] == 0x2F:  # "/": a shared formula's other cells
                after = start_end + 1
            else:
                closed = buffer.find(closing, start_end) if start_end >= 0 else -1
                after = closed + len(closing) if closed >= 0 else -1
            if after < 0 or (after + _WINDOW > len(buffer) and not final):
                break  # not whole in this buffer
            if offset + at > seen:
                seen = offset + at
                if not buffer.startswith(names.value, after) or names.empty_value.match(buffer, after):
                    _weigh_formula(buffer, at, after, names, part, found)
        at = buffer.find(opening, at + 1)
    return seen


def _weigh_formula(buffer: bytes, at: int, after: int, names: _Names, part: str, found: _Found) -> None:
    """Count the formula at ``at`` if what follows it (from ``after``) shows its cell has no value."""
    rest = buffer[after : after + _WINDOW].lstrip()
    empty = names.empty_value.match(rest)
    if empty is None and rest.startswith(names.value):
        return  # a value
    if not rest.startswith(names.cell_end, empty.end() if empty else 0):
        return  # something else follows: not a cell saved without a value
    cell = buffer.rfind(names.cell, max(0, at - _WINDOW * 4), at)
    attributes = buffer[cell:at] if cell >= 0 else b""
    if empty is not None and _TEXT_TYPE.search(attributes):
        return  # a formula whose value is empty text, as Excel saves ""
    reference = _REFERENCE.search(attributes)
    first, count = found.get(part, (reference.group(1).decode() if reference else "?", 0))
    found[part] = (first, count + 1)


def _starts_at_a1(chunk: bytes) -> bool:
    """Whether a worksheet's first cell (in the first chunk of its part) is A1 and holds a value."""
    data = chunk.find(b"sheetData")
    first = _FIRST_CELL.search(chunk, data) if data >= 0 else None
    return bool(first and first.group(1) == b"A1" and not first.group(2) and _HELD_VALUE.match(chunk, first.end()))


def _sheet_parts(kept: dict[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
    """Each sheet's name → its part, and each part the workbook names → its relationship's type, from the workbook
    and its relationships (both free of declarations); both empty when the workbook cannot be read so."""
    if any(name not in kept for name in _WORKBOOK_PARTS):
        return {}, {}
    targets, types = {}, {}
    try:
        for relationship in ElementTree.fromstring(kept[WORKBOOK_RELATIONSHIPS]):
            target = relationship.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[relationship.get("Id")], types[target] = target, relationship.get("Type", "")
        parts = {}
        for element in ElementTree.fromstring(kept[WORKBOOK_PART]).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                ids = [value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == "id"]
                if ids and ids[0] in targets:
                    parts[element.get("name", "")] = targets[ids[0]]
    except ElementTree.ParseError:
        return {}, {}  # calamine names what is wrong with the workbook
    return parts, types


def _size(count: int) -> str:
    return f"{count >> 30} GiB" if count % (1 << 30) == 0 else f"{count:,} bytes"


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
        f"the workbook expands to more than {_size(MOST_EXPANDED)} once unzipped, more than auditkit reads, so it "
        f"was refused unread. Save the data as CSV (CSV UTF-8) instead.",
    )


def scan_archive(path: str | Path, stream=None) -> ArchiveScan:
    """Check an XLSX file's archive before it is parsed: its expansion, and declarations in its XML.

    The worksheets' parts are checked last. ``stream``, when given, is called once the others have passed, with the
    open archive, each sheet's name → its part and each part the workbook names → its relationship's type; it
    returns a worksheet part and a sink for its XML (see :func:`_scan_part`), or None. Each chunk the sink is given
    has been checked; a part after it may still be refused, and then what the sink made is of no use.

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
    found: _Found = {}
    kept: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            expanded, streamed = 0, None
            infos = archive.infolist()
            for info in sorted(infos, key=lambda info: info.filename.startswith("xl/worksheets/")):  # stable
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise _unopenable(path, f"its part {info.filename} is compressed in a way Excel does not use")
                if stream is not None and info.filename.startswith("xl/worksheets/") and streamed is None:
                    streamed = stream(archive, *_sheet_parts(kept)) or ("", None)
                sink = streamed[1] if streamed and streamed[0] == info.filename else None
                expanded += _scan_part(path, archive, info, limit - expanded, found, kept, sink)
                if expanded > limit:
                    raise _too_large(path, limit, size)
    except DataError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise _unopenable(path, exc) from None
    sheets = _sheet_parts(kept)[0]
    return ArchiveScan(sheets, found, frozenset(kept.get("from_a1", ())), kept.get("merged", {}))
