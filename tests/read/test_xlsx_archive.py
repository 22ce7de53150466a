"""An XLSX file's archive, checked before it is parsed: expansion, declarations, formulas saved without values."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditkit.errors import DataError
from auditkit.read import xlsx_archive
from auditkit.read.xlsx_archive import scan_archive

HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ROOT = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
EXPANDS = (
    "cases.xlsx: the workbook expands to more than 100 times its size on disk once unzipped (real workbooks expand 5 "
    "to 20 times), so it was refused unread. If it is a real workbook, open it in Excel and save it again."
)
DECLARES = (
    "cases.xlsx: the workbook's part {part} contains a document type declaration, which Excel never writes and which "
    "can make a file expand without bound; it was refused unread. Open the file in Excel or LibreOffice and save it "
    "again as an Excel workbook (.xlsx)."
)


def workbook_with(path: Path, parts: dict[str, bytes]) -> Path:
    """A workbook (one sheet, "Data") whose named parts are replaced with ``parts``."""
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["case_ref", "area"])
    book.save(path)
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, parts.get(item.filename, source.read(item.filename)))
    rebuilt.replace(path)
    return path


def sheet(cells: bytes) -> bytes:
    return HEAD + ROOT + b"<sheetData>" + cells + b"</sheetData></worksheet>"


def scan_error(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        scan_archive(path)
    return str(caught.value)


# --- expansion ------------------------------------------------------------------------------------------


def test_a_workbook_that_expands_a_hundredfold_is_refused_unread(tmp_path):
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": sheet(b" " * (20 << 20))})
    assert scan_error(path) == EXPANDS


def test_sizes_the_archive_declares_are_not_believed(tmp_path):
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": sheet(b" " * (20 << 20))})
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        header = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    struct.pack_into("<I", raw, header + 22, 100)  # the local header says 100 bytes,
    entry = next(
        at
        for at in range(len(raw) - 46)
        if raw[at : at + 4] == b"PK\x01\x02" and struct.unpack_from("<I", raw, at + 42)[0] == header
    )
    struct.pack_into("<I", raw, entry + 24, 100)  # and so does the central directory
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 100
    assert scan_error(path) == EXPANDS


def test_a_workbook_over_the_most_auditkit_reads_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_archive, "MOST_EXPANDED", 4096)  # 2 GiB for real
    path = workbook_with(tmp_path / "cases.xlsx", {})
    assert scan_error(path) == (
        "cases.xlsx: the workbook expands to more than 4,096 bytes once unzipped, more than auditkit reads, so it was "
        "refused unread. Save the data as CSV (CSV UTF-8) instead."
    )


def test_a_real_workbook_expands_well_within_the_limit(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    data = book.create_sheet("Data")
    data.append(["case_ref", "area", *(f"q{number}" for number in range(20))])
    for number in range(20_000):
        data.append(
            [
                f"C{number:06d}",
                f"Area {number % 150}",
                *(("yes", "no", None)[(number + column) % 3] for column in range(20)),
            ]
        )
    path = tmp_path / "cases.xlsx"
    book.save(path)
    expanded = sum(item.file_size for item in zipfile.ZipFile(path).infolist())
    assert expanded < 25 * path.stat().st_size  # measured: 15 times (and 10 for Excel's shared strings)
    assert scan_archive(path).sheets == {"Data": "xl/worksheets/sheet1.xml"}


def test_a_file_that_is_not_a_zip_archive_is_not_a_workbook(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_text("case_ref,area\n", encoding="utf-8")
    assert scan_error(path) == "cases.xlsx: the file could not be opened as an Excel workbook (File is not a zip file)."


# --- declarations ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "declaration",
    [b'<!DOCTYPE worksheet [<!ENTITY a "ZQX">]>', b"<!doctype worksheet>", b'<!ENTITY a "ZQX">'],
    ids=["doctype with an entity", "lower case", "an entity alone"],
)
def test_a_sheet_that_declares_a_document_type_or_an_entity_is_refused(tmp_path, declaration):
    path = workbook_with(
        tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": HEAD + declaration + sheet(b"")[len(HEAD) :]}
    )
    assert scan_error(path) == DECLARES.format(part="xl/worksheets/sheet1.xml")


def test_a_declaration_in_any_part_is_refused(tmp_path):
    workbook = b'<?xml version="1.0"?><!DOCTYPE workbook SYSTEM "http://example.org/x.dtd"><workbook/>'
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/workbook.xml": workbook})
    assert scan_error(path) == DECLARES.format(part="xl/workbook.xml")


def test_a_declaration_in_utf16_is_refused_too(tmp_path):
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY a "b">]><styleSheet/>'.encode("utf-16")
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/styles.xml": text})
    assert scan_error(path) == DECLARES.format(part="xl/styles.xml")


def test_a_declaration_across_two_chunks_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_archive, "_CHUNK", 64)
    cells = b"<!-- " + b"x" * 50 + b" -->"
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": sheet(cells) + b"<!DOCTYPE x>"})
    assert scan_error(path) == DECLARES.format(part="xl/worksheets/sheet1.xml")


# --- formulas saved without values ----------------------------------------------------------------------


def test_formula_cells_without_values_are_counted_from_the_first(tmp_path):
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(["case_ref", "total"])
    data.append(["C1", "=1+1"])
    data.append(["C2", "=B2*2"])
    book.save(tmp_path / "cases.xlsx")  # openpyxl writes formulas and no values
    assert scan_archive(tmp_path / "cases.xlsx").uncalculated_cells("Data") == ("B2", 2)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (b'<row r="2"><c r="B2"><f>1+1</f><v>2</v></c></row>', None),
        (b'<row r="2"><c r="B2" t="str"><f>IF(A2="","",A2)</f><v></v></c></row>', None),  # a formula giving ""
        (b'<row r="2"><c r="B2"><f>1+1</f></c></row>', ("B2", 1)),
        (
            b'<row r="2"><c r="B2"><f t="shared" ref="B2:B3" si="0">A2</f><v>1</v></c></row>'
            b'<row r="3"><c r="B3"><f t="shared" si="0"/></c></row>',
            ("B3", 1),
        ),
    ],
    ids=["calculated", "empty text", "no value", "a shared formula's cell"],
)
def test_formula_cells_are_told_apart_by_their_value(tmp_path, cells, expected):
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": sheet(cells)})
    assert scan_archive(path).uncalculated_cells("Data") == expected


def test_formula_cells_of_a_sheet_with_prefixed_names_are_found(tmp_path):
    prefixed = (
        HEAD + b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="2"><x:c r="C2"><x:f>1+1</x:f><x:v/></x:c></x:row></x:sheetData></x:worksheet>'
    )
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": prefixed})
    assert scan_archive(path).uncalculated_cells("Data") == ("C2", 1)


def test_formula_cells_across_chunks_are_each_counted_once(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_archive, "_CHUNK", 4096)
    monkeypatch.setattr(xlsx_archive, "_OVERLAP", 1024)
    rows = b'<row r="2"><c r="B2"><f t="shared" ref="B2:B401" si="0">A2*2</f><v>2</v></c></row>' + b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><f t="shared" si="0"/>%s</c></row>'
        % (number, number, number, b"<v>2</v>" if number % 2 else b"")
        for number in range(3, 402)
    )
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": sheet(rows)})
    assert scan_archive(path).uncalculated_cells("Data") == ("B4", 199)  # rows 4, 6, … 400


@pytest.mark.parametrize("cut", range(1, 9))
def test_a_formula_and_merged_cells_across_a_chunks_seam_are_found(tmp_path, monkeypatch, cut):
    monkeypatch.setattr(xlsx_archive, "_CHUNK", 4096)
    monkeypatch.setattr(xlsx_archive, "_OVERLAP", 1024)
    first = HEAD + ROOT + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    formula = b'<row r="2"><c r="B2"><f>1+1</f></c></row></sheetData>'
    first += b" " * (4096 - cut - len(first) - formula.index(b"</f>")) + formula  # the seam: within "</f>" or after
    merged = b'<mergeCells count="1"><mergeCell ref="A4:A5"/></mergeCells></worksheet>'
    xml = first + b" " * (8192 - cut - len(first) - merged.index(b"mergeCell")) + merged
    assert xml[4096 - cut : 4096 - cut + 4] == b"</f>" and xml[8192 - cut : 8192 - cut + 9] == b"mergeCell"
    path = workbook_with(tmp_path / "cases.xlsx", {"xl/worksheets/sheet1.xml": xml})
    scan = scan_archive(path)
    assert scan.uncalculated_cells("Data") == ("B2", 1)
    assert scan.merged["xl/worksheets/sheet1.xml"] == ("A4:A5",)
