"""Data formats: how an instrument's data file is laid out, each a class found by name in one registry.

:data:`FORMATS` holds every format known (the registry itself is :class:`FormatRegistry`, in
:mod:`auditkit.read.format_registry`): ``table`` (:class:`TableFormat`) is the default and the fallback, and the
survey tools' exports (:class:`SurveyMonkeyFormat`, :class:`MicrosoftFormsFormat`, :class:`GoogleFormsFormat`)
are registered beside it. An instrument whose entry names no ``format:`` has its file's format recognised from
the file (:func:`recognise_format`: each format's ``detect`` judges the first row; a plain table when none
recognises it); an explicit ``format:`` wins.

To read another layout, subclass :class:`SurveyFormat` and register it::

    @FORMATS.register
    class QualtricsFormat(SurveyFormat):
        name = "qualtrics"
        title = "Qualtrics"

        def read(self, path, codebook):
            ...
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from auditkit.config.codebook import Codebook
from auditkit.config.round import Instrument, Round
from auditkit.errors import DataError, ExportReadAsTableError, ParametersError
from auditkit.read.csv_files import read_csv_header
from auditkit.read.export_columns import header_rows, is_forms_header, is_google_header, is_surveymonkey_header
from auditkit.read.format_registry import FormatRegistry, SurveyFormat
from auditkit.read.matching import normalise
from auditkit.read.quick_csv import read_csv_quickly
from auditkit.read.surveys import read_export, read_export_rows
from auditkit.read.tables import DataFile, read_data_file, table_from_rows

__all__ = [
    "FORMATS",
    "FormatRegistry",
    "GoogleFormsFormat",
    "MicrosoftFormsFormat",
    "SurveyFormat",
    "SurveyMonkeyFormat",
    "TableFormat",
    "read_instrument",
    "recognise_format",
    "round_formats",
]


def _names_questions(header: list[str], codebook: Codebook) -> bool:
    """Whether a header names no item id but some item's source: a plain table of questions."""
    if set(header) & set(codebook.by_id):
        return False
    sources = {normalise(item.source) for item in codebook.items if item.source}
    return any(normalise(name) in sources for name in header if name)


class TableFormat(SurveyFormat):
    """A table, one record a row, whose header row (row 1) holds the codebook's item ids, or the questions that the
    items' ``source`` names (a plain export): the default format, and the one a file no format recognises has.

    A plain CSV file of item ids is read quickly (:func:`auditkit.read.quick_csv.read_csv_quickly`) when it can
    be; any other file, or one that needs care, as it arrives (:func:`auditkit.read.tables.table_from_rows`). A
    file that no item id heads, yet looks like a survey tool's export, is refused with
    :class:`ExportReadAsTableError`: an instrument that says ``format: table`` for an export.
    """

    name = "table"
    title = "table"

    def read(self, path: str | Path, codebook: Codebook) -> pd.DataFrame:
        """Read a table of item ids, or of questions.

        Returns
        -------
        pandas.DataFrame
            A table of text (categoricals for the items that are not text, when read quickly), its columns the
            header row's names (or, for a table of questions, the ids of the items that name them), its index the
            rows' numbers as Excel shows them.
        """
        path = Path(path)
        text = frozenset(item.id for item in codebook.items if item.type == "text")
        table = read_csv_quickly(path, text_columns=text)
        if table is not None and set(table.columns) & set(codebook.by_id):
            return table
        return self.read_file(read_data_file(path), codebook)

    def read_file(self, data: DataFile, codebook: Codebook) -> pd.DataFrame:
        """Read a table whose rows were read already.

        Returns
        -------
        pandas.DataFrame
            As :meth:`read`.
        """
        rows = data.rows_under(1)
        header = data.header
        found = FORMATS.detect(data.path, header)
        if found is not None and not set(header) & set(codebook.by_id):
            raise ExportReadAsTableError(data.path, found.name, found.title)
        if _names_questions(header, codebook):
            return read_export_rows(data.path, rows, codebook, self.name)
        return table_from_rows(data.path, rows, frozenset(item.id for item in codebook.items if item.type == "text"))


class _SurveyExportFormat(SurveyFormat):
    """A survey tool's export, read by :func:`auditkit.read.surveys.read_export`: its questions are matched to the
    codebook's items by their ``source``. Subclasses name the format and recognise its header."""

    def read(self, path: str | Path, codebook: Codebook) -> pd.DataFrame:
        """Read the export.

        Returns
        -------
        pandas.DataFrame
            A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them
            (responses start below the export's header rows).
        """
        return read_export(path, codebook, self.name)

    def read_file(self, data: DataFile, codebook: Codebook) -> pd.DataFrame:
        """Read the export from its rows, read already.

        Returns
        -------
        pandas.DataFrame
            As :meth:`read`.
        """
        return read_export_rows(data.path, data.rows_under(header_rows(self.name)), codebook, self.name)


class SurveyMonkeyFormat(_SurveyExportFormat):
    """SurveyMonkey's "All individual responses" export (CSV or XLSX, expanded columns): two header rows."""

    name = "surveymonkey"
    title = "SurveyMonkey"

    def detect(self, path: str | Path, header: list[str]) -> bool:
        """Whether the first row has SurveyMonkey's ``Respondent ID`` column.

        Returns
        -------
        bool
            True for a SurveyMonkey export.
        """
        return is_surveymonkey_header(header)


class MicrosoftFormsFormat(_SurveyExportFormat):
    """Microsoft Forms' Excel download of its responses."""

    name = "msforms"
    title = "Microsoft Forms"

    def detect(self, path: str | Path, header: list[str]) -> bool:
        """Whether the first row has Forms' ``ID``, ``Start time`` and ``Completion time`` columns.

        Returns
        -------
        bool
            True for a Microsoft Forms export.
        """
        return is_forms_header(header)


class GoogleFormsFormat(_SurveyExportFormat):
    """Google Forms' responses: the CSV downloaded from Forms, or its linked Sheet downloaded as XLSX or CSV."""

    name = "googleforms"
    title = "Google Forms"

    def detect(self, path: str | Path, header: list[str]) -> bool:
        """Whether the first row starts with Google's ``Timestamp`` column.

        Returns
        -------
        bool
            True for a Google Forms export.
        """
        return is_google_header(header)


#: Every data format known, by name; ``table`` is the default.
FORMATS = FormatRegistry()
FORMATS.register(TableFormat)
FORMATS.register(SurveyMonkeyFormat)
FORMATS.register(MicrosoftFormsFormat)
FORMATS.register(GoogleFormsFormat)


def recognise_format(path: str | Path) -> tuple[SurveyFormat, DataFile | None]:
    """The format a data file looks like, judged from its first row by each registered format's ``detect``.

    A CSV file's first row is read alone; a workbook is read whole (its sheet cannot be read in part), and its
    rows are returned so that it is not read twice.

    Returns
    -------
    data_format : SurveyFormat
        The first registered format that recognises the file; the default (a plain table) when none does.
    data : DataFile or None
        The workbook's rows, read to recognise it; None for a CSV file.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv" or not path.is_file():
        header, data = (read_csv_header(path) if path.is_file() else []), None
    else:
        data = read_data_file(path)
        header = data.header
    return FORMATS.detect(path, header) or FORMATS.get(), data


def round_formats(round_: Round) -> Mapping[str, SurveyFormat | None]:
    """Each instrument's data format as its entry names it, checked before any data is read.

    Returns
    -------
    Mapping of str to SurveyFormat or None
        The format of each instrument, by the instrument's name; None for one whose entry names no format, whose
        format is recognised from its file when it is read.

    Raises
    ------
    ParametersError
        When an instrument names a format that is not registered: one line naming the parameters file, the
        instrument and the formats known.
    """
    formats: dict[str, SurveyFormat | None] = {}
    for name, instrument in round_.instruments.items():
        try:
            formats[name] = None if instrument.format is None else FORMATS.get(instrument.format)
        except ParametersError as exc:
            raise ParametersError(f"{round_.path.name}: instruments → {name} → format: {exc}") from None
    return formats


def read_instrument(instrument: Instrument) -> pd.DataFrame:
    """Read an instrument's data file with its format: the one its entry names, else the one its file looks like.

    Returns
    -------
    pandas.DataFrame
        A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them. An export
        given ``format: table`` raises :class:`DataError` asking for that line to go.
    """
    if instrument.format is None:
        data_format, data = recognise_format(instrument.data)
        if data is not None:
            return data_format.read_file(data, instrument.codebook)
        return data_format.read(instrument.data, instrument.codebook)
    try:
        return FORMATS.get(instrument.format).read(instrument.data, instrument.codebook)
    except ExportReadAsTableError as exc:
        raise DataError(
            instrument.data,
            f"the file looks like a {exc.format_title} export, but the instrument '{instrument.name}' in the "
            f"parameters file says 'format: {instrument.format}'; delete that line (auditkit recognises "
            f"{exc.format_title} exports), so that its questions are matched to the codebook's items by their source.",
        ) from None
