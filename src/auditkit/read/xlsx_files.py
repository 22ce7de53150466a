"""Reading a workbook's data sheet (XLSX) as rows of values, with python-calamine.

The archive is checked first (:mod:`auditkit.read.xlsx_archive`: its expansion, document type
declarations). The data is on the visible sheet named "Data" (any case), or on the workbook's only
visible sheet, or (a Google Form's linked Sheet) on its one visible sheet named "Form Responses 1" (any
number). Merged cells are refused outside the header rows: each row needs its own value in each column;
and so are formula cells saved without their values, which would read as blanks. Cells formatted as
dates are read as dates, so an Excel date serial number shows as the date it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import DataError
from auditkit.read.cells import cell_name, cell_text
from auditkit.read.grid import Grid
from auditkit.read.xlsx_archive import PACKAGE_PARTS, WORKBOOK_PART, WORKBOOK_RELATIONSHIPS, scan_archive
from auditkit.read.xlsx_columns import read_sheet_grid, sheet_grid, sheet_range
from auditkit.read.xlsx_windows import SheetWindows, windowed

__all__ = ["DATA_SHEET", "XlsxSheet", "check_merged", "read_xlsx_rows", "read_xlsx_sheet"]

#: The sheet of a workbook that holds the data, when there is more than one visible sheet.
DATA_SHEET = "Data"
#: The sheet a Google Form writes its responses to, in the Sheet linked to it.
_FORM_RESPONSES = re.compile(r"form responses \d+")
#: The parts of a workbook that name its sheets.
_WORKBOOK_PARTS = (*PACKAGE_PARTS, WORKBOOK_PART, WORKBOOK_RELATIONSHIPS)
#: A merged range: its first and last cells, each (row, column) counted from 0.
_Range = tuple[tuple[int, int], tuple[int, int]]


def _data_sheet(path: Path, workbook) -> str:
    """The visible sheet named "Data" (any case), or the workbook's only visible sheet."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [sheet for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
    visible = [sheet.name for sheet in sheets if sheet.visible == SheetVisibleEnum.Visible]
    named = [sheet for sheet in sheets if sheet.name.strip().casefold() == DATA_SHEET.casefold()]
    if named and named[0].visible == SheetVisibleEnum.Visible:
        return named[0].name
    if named:
        raise DataError(
            path,
            f"the sheet '{named[0].name}' is hidden; unhide it (right-click a sheet tab, Unhide) "
            "so that it can be read.",
        )
    if len(visible) == 1:
        return visible[0]
    responses = [name for name in visible if _FORM_RESPONSES.fullmatch(name.strip().casefold())]
    if len(responses) == 1:
        return responses[0]
    if not visible:
        raise DataError(path, "the workbook has no visible worksheet.")
    raise DataError(
        path,
        f"the workbook has no sheet named '{DATA_SHEET}' and more than one sheet ({', '.join(visible)}); "
        f"name the sheet that holds the data '{DATA_SHEET}'.",
    )


def check_merged(path: Path, sheet: str, merged: tuple[_Range, ...], header_rows: int) -> None:
    """Refuse merged cells outside the header rows (they are allowed within them when there are two).

    Returns
    -------
    None
        Raises :class:`~auditkit.errors.DataError` naming the first five merged ranges.
    """
    ranges = [(start, end) for start, end in merged if not (header_rows > 1 and end[0] < header_rows)]
    if not ranges:
        return
    names = ", ".join(f"{cell_name(*start)}:{cell_name(*end)}" for start, end in sorted(ranges)[:5])
    more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
    raise DataError(
        path,
        f"the sheet '{sheet}' has merged cells ({names}{more}). Unmerge them and fill in every cell: each row "
        f"needs its own value in each column, and each column its own header.",
    )


def _check_calculated(path: Path, sheet: str, uncalculated: tuple[str, int] | None) -> None:
    """Formula cells saved without their values would read as blanks: name the first."""
    if uncalculated is None:
        return
    cell, count = uncalculated
    more = f" (and {count - 1} more {'cell' if count == 2 else 'cells'} like it)" if count > 1 else ""
    raise DataError(
        path,
        f"the workbook was saved without calculated values: cell {cell} of the sheet '{sheet}' holds a formula but "
        f"no value{more}. It was probably written by a program that does not calculate formulas; open it in Excel "
        f"or LibreOffice and save it again, so that each formula's value is saved with it.",
    )


def _check_first_row(path: Path, sheet: XlsxSheet) -> None:
    rows = sheet.rows
    if not any(cell_text(cell).strip() for cell in (rows[0] if rows else ())):
        if not any(cell_text(cell).strip() for row in rows for cell in row):
            raise DataError(path, f"the sheet '{sheet.name}' is empty: it has no header row and no data.")
        raise DataError(
            path, f"row 1 of the sheet '{sheet.name}' is blank; the header (the item ids) must be in row 1."
        )


def _open_workbook(path: Path):
    """The workbook opened by python-calamine (a context manager that closes it); DataError when it cannot be."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise DataError(path, f"the file could not be opened as an Excel workbook ({exc}).") from None


def _workbook_alone(archive: zipfile.ZipFile):
    """The workbook's own parts (its sheets' names, types and states) opened by python-calamine without its shared
    strings, styles and sheets: their names are all it is asked for, quicker than the whole workbook is opened."""
    from python_calamine import CalamineWorkbook

    names = set(archive.namelist())
    alone = io.BytesIO()
    with zipfile.ZipFile(alone, "w") as target:
        for name in _WORKBOOK_PARTS:
            if name in names:
                target.writestr(name, archive.read(name))
    alone.seek(0)
    return CalamineWorkbook.from_filelike(alone)


@dataclass(frozen=True)
class XlsxSheet:
    """A workbook's data sheet as read: its ``name``, its ``rows`` of values and its ``merged`` ranges."""

    name: str
    rows: Grid | list[list[object]]
    merged: tuple[_Range, ...]


def read_xlsx_sheet(path: Path) -> XlsxSheet:
    """A workbook's data sheet, read after its archive has been checked; its merged cells are judged by
    :func:`check_merged` once its header rows are known.

    Returns
    -------
    XlsxSheet
        The sheet's name, its rows from row 1 on (each a list of its cells' values: text, numbers, dates, all of
        one length) and its merged ranges. A sheet whose row 1 is blank raises :class:`DataError`.
    """
    chosen: dict[str, object] = {}

    def stream(archive, sheets: dict[str, str], relationships: dict[str, str]):
        """The data sheet's part and the windows that load it as the scan checks it, where its XML is too large for
        one load (None otherwise: the sheet is read whole once the scan has passed)."""
        if not any(windowed(archive, part) for part in sheets.values()):
            return None  # every workbook but the largest: nothing named or written here
        try:
            with _workbook_alone(archive) as workbook:  # the parts it opens have passed the scan
                name = _data_sheet(path, workbook)
        except Exception:  # python-calamine's own errors among them
            return None  # said again once the scan has passed
        part = sheets.get(name)
        if part is None or not windowed(archive, part):
            return None
        chosen["name"], chosen["windows"] = name, SheetWindows(archive, relationships)
        return part, chosen["windows"]

    try:
        scan = scan_archive(path, stream)
        windows = chosen.get("windows")
        if windows is None:
            with _open_workbook(path) as workbook:
                chosen["name"] = _data_sheet(path, workbook)
        name = chosen["name"]
        _check_calculated(path, name, scan.uncalculated_cells(name))
        part = scan.sheets.get(name, "")
        # read a column at a time where the sheet's range starts at A1 and its merged ranges are as the archive lists
        columnar = part in scan.merged and part in scan.from_a1
        # the workbook is closed first: its shared strings, held by calamine, need not stay beside fastexcel's
        if windows is None:
            grid = read_sheet_grid(path, name) if columnar else None
        else:
            columns = windows.columns() if columnar else None
    finally:
        if "windows" in chosen:
            chosen.pop("windows").discard()
    if windows is not None:
        grid = sheet_grid(*columns) if columns else None
        del columns
    if grid is not None:
        read = XlsxSheet(name, grid, tuple(sheet_range(reference) for reference in scan.merged[part]))
    else:
        with _open_workbook(path) as workbook:
            sheet = workbook.get_sheet_by_name(name)
            merged = tuple(sheet.merged_cell_ranges or ())
            read = XlsxSheet(name, sheet.to_python(skip_empty_area=False), merged)
    _check_first_row(path, read)
    return read


def read_xlsx_rows(path: Path, header_rows: int = 1) -> Grid | list[list[object]]:
    """Every row of a workbook's data sheet, as calamine reads its values.

    ``header_rows`` is how many rows at the top are headers; merged cells are refused outside them.

    Returns
    -------
    Grid or list of list
        The rows from row 1 on, each a list of its cells' values (text, numbers, dates), all of one length (held as
        columns when the sheet could be read a column at a time).
    """
    sheet = read_xlsx_sheet(path)
    check_merged(path, sheet.name, sheet.merged, header_rows)
    return sheet.rows
