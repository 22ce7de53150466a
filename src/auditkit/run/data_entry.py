"""Data-entry templates made from a codebook: an Excel workbook, or a CSV header row.

The workbook's sheets:

* **Data**: one column per item, in codebook order. Each header cell holds the item id on its
  first line, which is what :func:`auditkit.read.tables.read_table` reads, and the question below it.
  Choice items get a drop-down list of their labels (labels are read back as codes), dates a date
  check and a dd/mm/yyyy format, unique items a check against repeats; the header row is frozen.
* **Instructions**: how to fill it in, what each item asks, which are required, and what
  "not applicable" means.
* **Codebook**: every item with its values, as the codebook defines them.
* **Lists** (hidden, and so never read as data): the labels the drop-down lists offer.

No cell holds a formula: a label such as ``=HYPERLINK(…)`` is stored, shown and edited as text (OWASP's advice).

With a round's parameters file the area column lists the round's areas, and dates that must fall
within the round's period are checked against it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditkit.config.codebook import Codebook, Item, Value
from auditkit.config.round import read_areas_and_period
from auditkit.errors import TemplateError
from auditkit.formatting import format_date
from auditkit.publish.safe_text import is_formula, neutralise_formula
from auditkit.read.tables import DATA_SHEET

__all__ = [
    "LIST_SHEET",
    "TEMPLATE_SUFFIXES",
    "RoundSettings",
    "build_workbook",
    "csv_header",
    "round_settings",
    "write_template",
]

#: The files a template may be: a workbook, or a CSV header row.
TEMPLATE_SUFFIXES = (".xlsx", ".csv")
#: The hidden sheet that holds the drop-down lists' labels.
LIST_SHEET = "Lists"
_LAST_ROW = 1_048_576  # Excel's last row: checks cover the whole column below the header
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class RoundSettings:
    """What a template takes from a round: its areas and its period."""

    areas: tuple[str, ...] = ()
    period: tuple[dt.date, dt.date] | None = None


def round_settings(path: str | Path) -> RoundSettings:
    """A parameters file's areas and period, checked as ``auditkit validate`` checks them.

    Its data files may not exist yet.

    Returns
    -------
    RoundSettings
        The round's areas and its period's first and last days.
    """
    areas, start, end = read_areas_and_period(path)
    return RoundSettings(areas=areas, period=(start, end))


def _choices(item: Item, settings: RoundSettings) -> tuple[Value, ...]:
    """The values a column's drop-down list offers (none for an area item without the round's areas)."""
    if item.type == "choice":
        return item.values
    if item.type == "area" and settings.areas:
        return (*(Value(code=area, label=area) for area in settings.areas), *item.extra_values)
    return ()


def _period_text(settings: RoundSettings) -> str:
    start, end = settings.period or (None, None)
    return f"{format_date(start)} to {format_date(end)}" if start and end else ""


def _how_to_answer(item: Item, settings: RoundSettings) -> str:
    """One sentence on what a cell of this item may hold."""
    choices = _choices(item, settings)
    if choices:
        text = "Choose from the list: " + "; ".join(value.label for value in choices) + "."
    elif item.type == "area":
        text = "The round's area (make the template with --params to list the areas)."
    elif item.type == "date":
        text = "A date, written 30/04/2017 or 2017-04-30."
        if item.within_period and settings.period:
            text += f" It must fall within the round's period, {_period_text(settings)}."
        elif item.within_period:
            text += " It must fall within the round's period."
    else:
        text = "Text."
    if item.unique:
        text += " Each row's value must be different."
    if item.identifying or item.internal:
        text += " Never published."
    return text


def _not_applicable(item: Item) -> str:
    labels = [item.label_of(code) for code in item.not_applicable]
    return "; ".join(labels) + (": left out of the percentage" if labels else "")


def _header_text(item: Item) -> str:
    return f"{item.id}\n{item.question}" + ("\n(required)" if item.required else "")


def _width(item: Item, settings: RoundSettings) -> int:
    longest = max((len(value.label) for value in _choices(item, settings)), default=0)
    if item.type == "date":
        longest = 12
    elif item.type == "text":
        longest = 16 if item.unique else 40
    return min(max(len(item.id) + 2, longest + 4, 16), 45)


def _list_formula(sheet: Worksheet, column: int, item: Item, choices: tuple[Value, ...]) -> str:
    """Write a drop-down list's labels to the hidden list sheet; the range that validation refers to."""
    letter = get_column_letter(column)
    sheet.cell(row=1, column=column, value=item.id).font = Font(bold=True)
    for row, value in enumerate(choices, start=2):
        sheet.cell(row=row, column=column, value=value.label)
    sheet.column_dimensions[letter].width = max(len(value.label) for value in choices) + 2
    return f"'{LIST_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"


def _validation(item: Item, letter: str, settings: RoundSettings, formula: str | None) -> DataValidation | None:
    """The check Excel and LibreOffice apply as each cell of the item's column is typed."""
    common = {
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": True,
        "promptTitle": item.id[:32],
        "prompt": item.question[:255],
    }
    if formula is not None:
        return DataValidation(
            type="list",
            formula1=formula,
            errorTitle="Not in the list",
            error=f"Choose a value from the list for {item.id}."[:255],
            **common,
        )
    if item.type == "date":
        start, end = (
            settings.period if item.within_period and settings.period else (dt.date(1900, 1, 1), dt.date(2999, 12, 31))
        )
        during = f" from {_period_text(settings)}" if item.within_period and settings.period else ""
        return DataValidation(
            type="date",
            operator="between",
            errorTitle="Not a date",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
            error=f"Enter a date{during}, such as 30/04/2017."[:255],
            **common,
        )
    if item.unique:
        return DataValidation(
            type="custom",
            formula1=f"COUNTIF(${letter}:${letter},{letter}2)=1",
            errorTitle="Already used",
            error=f"Each {item.id} must be different.",
            **common,
        )
    return None


def _data_sheet(sheet: Worksheet, lists: Worksheet, codebook: Codebook, settings: RoundSettings) -> int:
    """Fill in the Data sheet's header, formats and checks; return how many columns have a drop-down list."""
    dropdowns = 0
    for column, item in enumerate(codebook.items, start=1):
        letter = get_column_letter(column)
        cell = sheet.cell(row=1, column=column, value=_header_text(item))
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEADER_FILL, _WRAP_TOP
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width(item, settings)
        dimension.number_format = "DD/MM/YYYY" if item.type == "date" else "@"
        choices = _choices(item, settings)
        formula = _list_formula(lists, dropdowns + 1, item, choices) if choices else None
        dropdowns += bool(choices)
        validation = _validation(item, letter, settings, formula)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.add_data_validation(validation)
    lines = max(
        sum(
            math.ceil(max(len(line), 1) / max(_width(item, settings) - 2, 1)) for line in _header_text(item).split("\n")
        )
        for item in codebook.items
    )
    sheet.row_dimensions[1].height = 15 * lines + 4
    sheet.freeze_panes = "A2"
    return dropdowns


def _lines(texts, widths) -> int:
    """How many lines the tallest of a row's wrapped cells needs, roughly."""
    return max(math.ceil(len(str(text)) / max(width - 2, 1)) or 1 for text, width in zip(texts, widths))


def _instructions(codebook: Codebook, settings: RoundSettings) -> list[str]:
    record, records = codebook.record, codebook.plural
    paragraphs = [
        f"Enter one row per {record} on the {DATA_SHEET} sheet, starting in row 2. Keep row 1 as it is: the first "
        "line of each heading is the item id that auditkit reads; the question is below it.",
        "Choose answers from the drop-down lists. A value's label or its code may also be typed or pasted: "
        "capitals and spaces do not matter.",
        "Write dates as 30/04/2017 (or 2017-04-30).",
    ]
    if codebook.partial_records:
        paragraphs.append(
            f"Leave a cell blank when a question was not answered. The {record} then counts as incomplete, and is "
            "left out of that question's figures only."
        )
    else:
        paragraphs.append(
            f"Every required item must be filled in for every {record}; an optional item may be left blank."
        )
    if any(item.not_applicable for item in codebook.items):
        paragraphs.append(
            '"Not applicable" answers are for questions that do not apply to a '
            f"{record}, not for answers that are unknown. They are left out of the item's percentage: its "
            f"denominator counts only the {records} to which the item applies."
        )
    hidden = [item.id for item in codebook.items if not item.is_published]
    if hidden:
        paragraphs.append(f"Identifiers and internal notes ({', '.join(hidden)}) are never published.")
    if any(item.type == "area" for item in codebook.items) and not settings.areas:
        paragraphs.append("The area column takes the round's areas as its parameters file names them.")
    paragraphs.append(
        "Do not merge cells, add totals rows or rename the Data sheet; blank rows are skipped. When the data is "
        "entered, name this file in the round's parameters file and check it with: auditkit validate PARAMETERS."
    )
    return paragraphs


def _instructions_sheet(sheet: Worksheet, codebook: Codebook, settings: RoundSettings) -> None:
    widths = {"A": 12, "B": 18, "C": 50, "D": 50, "E": 10, "F": 28}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet["A1"] = f"{codebook.title}: data entry"
    sheet["A1"].font = Font(bold=True, size=14)
    row = 3
    for paragraph in _instructions(codebook, settings):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        sheet.cell(row=row, column=1, value=paragraph).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = 15 * math.ceil(len(paragraph) / 150) + 2
        row += 1
    row += 1
    for column, heading in enumerate(
        ("Column", "Item id", "Question", "How to answer", "Required", "Not applicable"), start=1
    ):
        cell = sheet.cell(row=row, column=column, value=heading)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for column, item in enumerate(codebook.items, start=1):
        values = (
            get_column_letter(column),
            item.id,
            item.question,
            _how_to_answer(item, settings),
            "yes" if item.required else "no",
            _not_applicable(item),
        )
        for offset, value in enumerate(values, start=1):
            sheet.cell(row=row + column, column=offset, value=value).alignment = _WRAP_TOP
        sheet.row_dimensions[row + column].height = 15 * _lines(values, widths.values())
    sheet.freeze_panes = f"A{row + 1}"


def _codebook_sheet(sheet: Worksheet, codebook: Codebook) -> None:
    headings = (
        "Item id",
        "Question",
        "Label",
        "Type",
        "Values (code = label)",
        "Met",
        "Not applicable",
        "Required",
        "Unique",
        "Never published",
        "Lower is better",
        "Source",
    )
    widths = (18, 45, 30, 8, 45, 16, 16, 9, 8, 10, 10, 40)
    for column, (heading, width) in enumerate(zip(headings, widths), start=1):
        cell = sheet.cell(row=1, column=column, value=heading)
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEADER_FILL, _WRAP_TOP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 15 * _lines(headings, widths)
    for row, item in enumerate(codebook.items, start=2):
        values = "; ".join(f"{value.code} = {value.label}" for value in (*item.values, *item.extra_values))
        cells = (
            item.id,
            item.question,
            item.title,
            item.type,
            values,
            ", ".join(item.met),
            ", ".join(item.not_applicable),
            "yes" if item.required else "no",
            "yes" if item.unique else "no",
            "no" if item.is_published else "yes",
            "yes" if item.lower_is_better else "no",
            item.source,
        )
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=row, column=column, value=value).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = 15 * _lines(cells, widths)
    sheet.freeze_panes = "A2"
    sheet.cell(row=len(codebook.items) + 3, column=1, value=f"From {codebook.path.name}: {codebook.title}.")


def _print_on_one_page_wide(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


def build_workbook(codebook: Codebook, settings: RoundSettings = RoundSettings()) -> Workbook:
    """The data-entry workbook for a codebook (not yet saved).

    Returns
    -------
    openpyxl.Workbook
        The sheets Data, Instructions, Codebook and the hidden Lists (the module docstring says what each holds).
    """
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    instructions = workbook.create_sheet("Instructions")
    codebook_sheet = workbook.create_sheet("Codebook")
    lists = workbook.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    _data_sheet(data, lists, codebook, settings)
    _instructions_sheet(instructions, codebook, settings)
    _codebook_sheet(codebook_sheet, codebook)
    for sheet in (instructions, codebook_sheet):
        _print_on_one_page_wide(sheet)
    for cell in (cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row):
        if isinstance(cell.value, str) and is_formula(cell.value):  # a text cell, with Excel's quote prefix
            cell.data_type, cell.quotePrefix = "s", True
    workbook.active = 0
    return workbook


def csv_header(codebook: Codebook) -> str:
    """A CSV file's header row for a codebook.

    Returns
    -------
    str
        The item ids in codebook order, as one CSV row ending in CRLF.
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([neutralise_formula(item.id) for item in codebook.items])
    return out.getvalue()


def write_template(
    codebook: Codebook, path: str | Path, settings: RoundSettings = RoundSettings(), force: bool = False
) -> Path:
    """Write the codebook's template to ``path`` (.xlsx: the workbook; .csv: the header row).

    An existing file is replaced only with ``force``; the file appears only once it is complete.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path).expanduser()
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise TemplateError(
            f"{path.name}: a template is written as .xlsx (a workbook with drop-down lists) or .csv (a header row "
            f"of item ids); end the file name with one of those."
        )
    if not path.parent.is_dir():
        raise TemplateError(f"The folder {path.parent} does not exist; create it first or choose another --out.")
    if path.exists() and not force:
        raise TemplateError(
            f"{path} already exists and may hold data; choose another name, or add --force to replace it."
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        if path.suffix.lower() == ".csv":
            Path(temporary).write_text(csv_header(codebook), encoding="utf-8", newline="")
        else:
            build_workbook(codebook, settings).save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
