"""Loading a sheet too large for one load with fastexcel a window of rows at a time, so that calamine never holds
every cell at once.

fastexcel (calamine) holds every cell of the sheet it loads, twice over, while it makes the sheet's Arrow columns:
about 1.6 GB for the largest sheet Excel allows, whatever columns are asked for (its ``n_rows`` and ``use_columns``
are applied once the whole sheet is held), and no library reads an XLSX sheet into columns a part at a time. Only a
sheet whose XML the archive declares larger than one window (:func:`windowed`, :data:`WINDOW_BYTES`) takes this
route; every other sheet is loaded whole, from the workbook itself, with nothing written anywhere. (The archive's
check counts what each part really expands to and bounds it; a part that declares less than it holds is loaded whole,
within those bounds.)

The sheet's XML, as the archive's check (:func:`~auditkit.read.xlsx_archive.scan_archive`) unzips and checks it, is
cut after a row every :data:`WINDOW_BYTES` bytes, and each window is written, uncompressed (on a thread of its own,
while the scan unzips the next), as a sheet of its own into a workbook in a private temporary folder, made by
:class:`tempfile.TemporaryDirectory` and so readable by its owner alone (mode 0700). The folder is removed on every
way out of the read, a read, a refusal or an error alike (:meth:`SheetWindows.discard`, called in a ``finally``).
A window is the window's rows under a copy of the header row numbered as the row just above them, beside the
workbook's own shared strings and styles. Once the whole archive has passed its checks, fastexcel opens that
workbook (its shared strings parsed once) and loads one window after another; a window's rows keep their numbers, so
that each is read where the whole sheet's read puts it, and the windows' columns are put end to end (as the chunks of
one Arrow chunked array a column: nothing is copied).

Written by hand because neither fastexcel nor python-calamine reads a sheet a part at a time. What fastexcel reads is
the sheet's own XML, cut between two rows. :class:`SheetWindows` steps aside (:meth:`SheetWindows.columns` gives None,
and the row-by-row read reads the sheet) wherever the windows might not read as the whole sheet would:

* the header row is not row 1 as a row of its own, a window's first row has no number, or the XML holds a comment or
  a CDATA section (either might hold what looks like a row's end; Excel writes neither);
* a window's header is not the first window's, or a window has more rows than its rows' numbers allow;
* fastexcel refuses a window (a column of mixed types), or a column's type differs between two windows.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from auditkit.read.xlsx_archive import PACKAGE_PARTS, WORKBOOK_PART, WORKBOOK_RELATIONSHIPS, WORKSHEET_ROOT
from auditkit.read.xlsx_columns import load_sheet

__all__ = ["WINDOW_BYTES", "SheetWindows", "windowed"]

#: How many bytes of a sheet's XML each window holds (at least; cut after the row that passes it).
WINDOW_BYTES = 128 << 20
#: How many windows may wait to be written while the scan unzips the next.
_QUEUED = 1
#: The most bytes of a sheet's XML held to find its header row (a real sheet's take a few KB).
_HEAD_MOST = 16 << 20
#: The parts calamine opens with a sheet besides the workbook's own: its shared strings and styles.
_OPENED = re.compile(r"/(sharedStrings|styles)$")
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb"""\s*<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\br\s*=\s*["']([0-9]+)["']""")
#: A cell's or a row's number in the header row (row 1), as its ``r`` attribute gives it.
_HEADER_NUMBER = re.compile(rb"""(\sr\s*=\s*["'][A-Z]*)1(["'])""")
_SHEETS = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheets\b[^>]*>.*?</(?:[A-Za-z_][\w.-]*:)?sheets\s*>", re.DOTALL)
_SHEET_ID = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*?\s([A-Za-z_][\w.-]*:id)\s*=""")
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def windowed(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a worksheet part's XML, as the archive's directory declares its size, is too large for one window.

    Returns
    -------
    bool
        True when the part is larger than :data:`WINDOW_BYTES` (False when the archive holds no such part).
    """
    try:
        return archive.getinfo(part).file_size > WINDOW_BYTES
    except KeyError:
        return False


class SheetWindows:
    """Takes a sheet part's XML a chunk at a time (:meth:`feed`, then :meth:`end`), writing it a window at a time.

    ``archive`` is the workbook, whose parts other than its worksheets have been checked; ``relationships`` maps each
    part the workbook names to its relationship's type. :meth:`columns` loads the windows, once the archive has passed.
    """

    def __init__(self, archive: zipfile.ZipFile, relationships: dict[str, str]) -> None:
        self._window = WINDOW_BYTES
        self._chunks: list[bytes] = []
        self._held = 0
        self._head: tuple[bytes, bytes, bytes] | None = None  # the part's start, its header row, its closing tags
        self._rows: list[int] = []  # each window's first row (2 for the first: its header is row 1)
        self._after_angle = False  # whether the last chunk ended with "<"
        self.failed = False
        names = set(archive.namelist())
        self._workbook = archive.read(WORKBOOK_PART) if WORKBOOK_PART in names else b""
        self._opened = {part: kind for part, kind in relationships.items() if _OPENED.search(kind) and part in names}
        self._folder = tempfile.TemporaryDirectory(prefix="auditkit-sheet-")  # mode 0700
        self._path = Path(self._folder.name) / "windows.xlsx"
        self._writer, self._writing, self._book = ThreadPoolExecutor(max_workers=1), [], None
        try:
            self._book = zipfile.ZipFile(self._path, "w", zipfile.ZIP_STORED, allowZip64=True)
            for part in [name for name in PACKAGE_PARTS if name in names] + list(self._opened):
                self._book.writestr(part, archive.read(part))
        except BaseException:  # a part that fails its checksum, a full disk: nothing is left behind
            self.discard()
            raise

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the sheet's XML; a window is written once enough rows are held.

        Returns
        -------
        None
        """
        if self.failed or not chunk:
            return
        self._chunks.append(chunk)
        self._held += len(chunk)
        if b"!" in chunk and (b"<!" in chunk or (chunk[:1] == b"!" and self._after_angle)):
            self.failed = True  # a comment or CDATA section might hold what looks like a row's end: no cut is made
        self._after_angle = chunk[-1:] == b"<"
        if self._head is None and not self._find_head():
            self.failed = self.failed or self._held > _HEAD_MOST  # a header that long is no sheet to cut in windows
            return
        while not self.failed and self._held >= self._window:
            held = self._held
            self._write_rows(final=False)
            if self._held == held:
                return  # no row ends past the window's size yet

    def end(self) -> None:
        """Write the rows still held (the sheet's XML has all been fed), and the workbook's own parts.

        Returns
        -------
        None
        """
        if not self.failed and (self._head is not None or self._find_head()):
            self._write_rows(final=True)
        self._wait()
        self._writer.shutdown()
        self.failed = self.failed or self._head is None or not self._rows
        self._chunks = []
        try:
            if not self.failed:
                self._write_workbook()
            self._book.close()
        except Exception:  # a workbook whose sheets cannot be named anew: read row by row
            self.failed = True

    def _find_head(self) -> bool:
        """Find the part's start, up to its sheetData, and its header row; hold the rest of the chunks."""
        text = b"".join(self._chunks)
        data = _SHEET_DATA.search(text)
        if data is None:
            return False
        if data.group(2):  # <sheetData/>: no rows
            self.failed = True
            return False
        prefix = data.group(1) or b""
        self._row_end, self._data_end = b"</" + prefix + b"row>", b"</" + prefix + b"sheetData>"
        finish = text.find(self._row_end, data.end())
        if finish < 0:
            return False
        finish += len(self._row_end)
        header = text[data.end() : finish].lstrip()
        number = _ROW_NUMBER.match(header)
        if number is None or number.group(1) != b"1" or header.count(b"<" + prefix + b"row") != 1:
            self.failed = True  # the sheet's first row is not row 1 as a row of its own
            return False
        root = WORKSHEET_ROOT.search(text, 0, data.start())
        closing = self._data_end + b"</" + ((root.group(1) if root else None) or b"") + b"worksheet>"
        self._head = (text[: data.end()], header, closing)
        rest = text[finish:]
        self._chunks, self._held = ([rest], len(rest)) if rest else ([], 0)
        return True

    def _write_rows(self, final: bool) -> None:
        """Write the rows held: a window's worth, up to the end of the row that passes it (up to the end of the sheet's
        data when ``final``)."""
        if final:
            text = b"".join(self._chunks)
            cut = text.rfind(self._data_end)
            if cut < 0:
                self.failed = True
                return
            rows, self._chunks, self._held = [memoryview(text)[:cut]], [], 0
        else:
            last = self._chunks[-1]
            cut = last.find(self._row_end, max(0, self._window - (self._held - len(last))))
            if cut < 0:
                return  # no row ends in the last chunk past the window's size: wait for the next
            cut += len(self._row_end)
            rows, self._chunks = self._chunks[:-1] + [last[:cut]], [last[cut:]]
            self._held = len(self._chunks[0])
        row = _first_row(rows)
        if row is None:
            return  # only white space between the last row and the end of the sheet's data
        first = not self._rows
        if row < 2 or (self._rows and row <= self._rows[-1]):
            self.failed = True  # a window's first row has no number, or not one past the last window's
            return
        start, header, closing = self._head
        # the first window's header is row 1 (rows missing between it and the first are empty rows)
        pieces = [start, header if first else _HEADER_NUMBER.sub(rb"\g<1>%d\2" % (row - 1), header), *rows, closing]
        self._rows.append(2 if first else row)
        # a window is written on the writer's thread while the scan unzips the next (each lets go of the interpreter);
        # one more may wait its turn, so that the scan need not stop for a write that lags a little (held: two windows)
        self._wait(_QUEUED)
        if self.failed:
            return
        self._writing.append(self._writer.submit(self._write, f"xl/worksheets/window{len(self._rows)}.xml", pieces))

    def _write(self, name: str, pieces: list) -> None:
        with self._book.open(name, "w", force_zip64=True) as part:
            for piece in pieces:
                part.write(piece)

    def _wait(self, most: int = 0) -> None:
        """Wait until at most ``most`` windows are being written or wait their turn; a window that could not be written
        leaves the sheet to be read row by row."""
        while len(self._writing) > most:
            if self._writing.pop(0).exception() is not None:
                self.failed = True

    def _write_workbook(self) -> None:
        """The workbook's own part, naming the windows as its sheets, and its relationships."""
        sheets = _SHEETS.search(self._workbook)
        named = _SHEET_ID.search(sheets.group(0)) if sheets else None
        if named is None:
            raise ValueError("the workbook's sheets are not named as calamine reads them")
        prefix, key = sheets.group(1) or b"", named.group(1)
        windows = b"".join(
            b'<%ssheet name="window%d" sheetId="%d" %s="auditkitWindow%d"/>' % (prefix, number, number, key, number)
            for number in range(1, len(self._rows) + 1)
        )
        own = b"<%ssheets>%s</%ssheets>" % (prefix, windows, prefix)
        self._book.writestr(WORKBOOK_PART, self._workbook[: sheets.start()] + own + self._workbook[sheets.end() :])
        links = [
            f'<Relationship Id="auditkitWindow{number}" Type="{_WORKSHEET}" Target="worksheets/window{number}.xml"/>'
            for number in range(1, len(self._rows) + 1)
        ]
        links += [
            f'<Relationship Id="auditkitPart{number}" Type="{kind}" Target="{posixpath.relpath(part, "xl")}"/>'
            for number, (part, kind) in enumerate(self._opened.items())
        ]
        own_links = f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{"".join(links)}</Relationships>'
        self._book.writestr(WORKBOOK_RELATIONSHIPS, own_links)

    def columns(self) -> tuple[list[str], Iterator[object], int] | None:
        """The sheet's header names, its columns (Arrow chunked arrays, a chunk a window, from row 2 on) and how many
        rows it has.

        Returns
        -------
        tuple of (list of str, iterator of pyarrow.ChunkedArray, int) or None
            The names fastexcel gave the header's cells, each column's values put end to end (a null for an empty
            cell; held by the iterator alone, so that :func:`~auditkit.read.xlsx_columns.sheet_grid` lets each go
            once read) and the sheet's rows counting the header; None when the windows might not read as the sheet.
        """
        try:
            loaded = [] if self.failed else self._load()
        except Exception:  # fastexcel refuses a window (a column of mixed types, among others): read row by row
            loaded = []
        finally:
            self.discard()
        return _joined(loaded) if loaded else None

    def discard(self) -> None:
        """Remove the windows' workbook (once read, or when the archive has been refused).

        Returns
        -------
        None
        """
        try:
            self._writer.shutdown(cancel_futures=True)  # a window still waiting its turn is not written
            if self._book is not None:
                self._book.close()
        finally:  # the survey's text leaves the disk even when closing the workbook fails
            self._folder.cleanup()

    def _load(self) -> list[tuple[int, object]]:
        import fastexcel

        reader = fastexcel.read_excel(str(self._path))
        return [(row, load_sheet(reader, index)) for index, row in enumerate(self._rows)]


def _first_row(rows: list) -> int | None:
    """The number of the first row in ``rows`` (None when they hold no row, 0 when it has no number)."""
    start = b""
    for chunk in rows:
        start += bytes(chunk[:4096])
        if b">" in start:
            break
    if not start.strip():
        return None
    number = _ROW_NUMBER.match(start)
    return int(number.group(1)) if number else 0


def _joined(loaded: list[tuple[int, object]]) -> tuple[list[str], Iterator[object], int] | None:
    """The windows' columns put end to end (see :meth:`SheetWindows.columns`)."""
    import pyarrow as pa

    names = list(loaded[0][1].schema.names)
    if any(list(table.schema.names) != names for _, table in loaded):
        return None
    kinds: list[object] = [None] * len(names)
    for _, table in loaded:
        for index, column in enumerate(table.columns):
            if pa.types.is_null(column.type):
                continue
            if kinds[index] is not None and kinds[index] != column.type:
                return None  # fastexcel would refuse the whole sheet's column: read row by row
            kinds[index] = column.type
    # the sheet ends with its last cell (the whole sheet's range does): windows after the last that holds one go
    last = max((index for index, (_, table) in enumerate(loaded) if table.num_rows), default=0)
    loaded = loaded[: last + 1]
    numbers = [row for row, _ in loaded]
    pieces: list[list[object]] = [[] for _ in names]
    for (row, table), following in zip(loaded, numbers[1:] + [None]):
        expected = table.num_rows if following is None else following - row
        if table.num_rows > expected:
            return None  # a cell numbered past the window's rows
        for index, column in enumerate(table.columns):
            kind = kinds[index] or pa.null()
            pieces[index].append(column if column.type == kind else pa.nulls(len(column), kind))
            if expected > table.num_rows:  # empty rows at the window's end: the whole sheet holds them too
                pieces[index].append(pa.nulls(expected - table.num_rows, kind))
    # the windows' arrays, end to end, are each column's chunks: nothing is copied
    columns = [pa.chunked_array(column, type=kind or pa.null()) for column, kind in zip(pieces, kinds)]
    length = (len(columns[0]) if columns else 0) + 1
    return names, iter(columns), length
