"""Data formats: how an instrument's data file is laid out, each a class found by name in one registry.

Shaped like papermill's engines (``papermill/engines.py``): a format subclasses :class:`SurveyFormat`,
names itself (``name``, what a parameters file writes as an instrument's ``format:``) and reads a file
into a table of text whose columns are the codebook's item ids (``read``). :data:`FORMATS` holds every
format known; ``table`` (:class:`TableFormat`) is the default and the fallback, and the survey tools'
exports (:class:`SurveyMonkeyFormat`, :class:`MicrosoftFormsFormat`) are registered beside it. A format
that can recognise its files from their first row says so in ``detect``; the plain table uses that to
ask for the right ``format:`` when it is given an export.

To read another layout, subclass :class:`SurveyFormat` and register it::

    @FORMATS.register
    class QualtricsFormat(SurveyFormat):
        name = "qualtrics"
        title = "Qualtrics"

        def read(self, path, codebook):
            ...
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar, TypeVar

import pandas as pd

from auditkit.config.codebook import Codebook
from auditkit.config.round import DEFAULT_FORMAT, FORMAT_NAME_PATTERN, Instrument, Round
from auditkit.errors import DataError, ExportReadAsTableError, ParametersError
from auditkit.read.quick_csv import read_csv_quickly
from auditkit.read.surveys import is_forms_header, is_surveymonkey_header, read_export
from auditkit.read.tables import header_text, read_rows, table_from_rows

__all__ = [
    "FORMATS",
    "FormatRegistry",
    "MicrosoftFormsFormat",
    "SurveyFormat",
    "SurveyMonkeyFormat",
    "TableFormat",
    "read_instrument",
    "round_formats",
]

_Format = TypeVar("_Format", bound=type["SurveyFormat"])


class SurveyFormat(ABC):
    """A layout of an instrument's data file, and how to read it.

    A subclass sets ``name`` (lower-case letters and ``_``: what a parameters file writes as an
    instrument's ``format:``) and ``title`` (the name people know it by), and implements
    :meth:`read`; one whose files can be recognised by their first row also implements :meth:`detect`.
    """

    #: What a parameters file writes as an instrument's ``format:``.
    name: ClassVar[str] = ""
    #: The format's name as people know it, e.g. "Microsoft Forms".
    title: ClassVar[str] = ""

    @abstractmethod
    def read(self, path: str | Path, codebook: Codebook) -> pd.DataFrame:
        """Read a data file of this format.

        Parameters
        ----------
        path : str or Path
            The data file, CSV or XLSX.
        codebook : Codebook
            The instrument's codebook.

        Returns
        -------
        pandas.DataFrame
            A table of text whose columns are the codebook's item ids, its index the rows' numbers as Excel
            shows them. A problem that stops the file being read raises :class:`auditkit.errors.DataError`.
        """

    def detect(self, path: str | Path, header: list[str]) -> bool:
        """Whether a file is of this format, judged from its first row.

        Parameters
        ----------
        path : str or Path
            The data file.
        header : list of str
            The text of each cell of the file's first row.

        Returns
        -------
        bool
            True when the file looks like this format's; False when it does not, or the format cannot tell.
        """
        return False


class FormatRegistry:
    """The data formats known, by name; one of them (``default``) is an instrument's when it names none.

    Parameters
    ----------
    default : str
        The name of the format :meth:`get` gives for no name.
    """

    def __init__(self, default: str = DEFAULT_FORMAT):
        self.default = default
        self._formats: dict[str, SurveyFormat] = {}

    def register(self, format_class: _Format) -> _Format:
        """Register a format under its ``name``; usable as a class decorator.

        Parameters
        ----------
        format_class : type
            A subclass of :class:`SurveyFormat`.

        Returns
        -------
        type
            ``format_class``, unchanged.

        Raises
        ------
        ValueError
            When the class is not a :class:`SurveyFormat`, its name is not lower-case letters and ``_``, or
            a format of that name is registered already.
        """
        if not (isinstance(format_class, type) and issubclass(format_class, SurveyFormat)):
            raise ValueError(f"a data format must be a subclass of SurveyFormat, not {format_class!r}.")
        name = format_class.name
        if not isinstance(name, str) or not re.fullmatch(FORMAT_NAME_PATTERN, name):
            raise ValueError(f"{format_class.__name__}.name must be lower-case letters and '_', not {name!r}.")
        if name in self._formats:
            raise ValueError(
                f"a data format named '{name}' is registered already ({type(self._formats[name]).__name__})."
            )
        self._formats[name] = format_class()
        return format_class

    def unregister(self, name: str) -> SurveyFormat:
        """Remove a format from the registry.

        Returns
        -------
        SurveyFormat
            The format removed. An unknown name raises :class:`ParametersError`, as :meth:`get` does.
        """
        found = self.get(name)
        del self._formats[name]
        return found

    def get(self, name: str | None = None) -> SurveyFormat:
        """The format of a name (the default format for None).

        Returns
        -------
        SurveyFormat
            The registered format.

        Raises
        ------
        ParametersError
            When no format has that name; the message lists the names known.
        """
        name = self.default if name is None else name
        try:
            return self._formats[name]
        except KeyError:
            raise ParametersError(
                f"'{name}' is not a known data format; known formats: {', '.join(self.names())}."
            ) from None

    def names(self) -> tuple[str, ...]:
        """The names of the formats registered.

        Returns
        -------
        tuple of str
            The names, in alphabetical order.
        """
        return tuple(sorted(self._formats))

    def detect(self, path: str | Path, header: list[str]) -> SurveyFormat | None:
        """The format a file looks like, judged from its first row.

        Parameters
        ----------
        path : str or Path
            The data file.
        header : list of str
            The text of each cell of the file's first row.

        Returns
        -------
        SurveyFormat or None
            The first format registered whose :meth:`SurveyFormat.detect` recognises the file; None when none
            does (a plain table recognises nothing: it is the fallback).
        """
        for data_format in self._formats.values():
            if data_format.detect(path, header):
                return data_format
        return None

    def copy(self) -> FormatRegistry:
        """A registry of the same formats and default, to change without changing this one.

        Returns
        -------
        FormatRegistry
            The copy.
        """
        copied = FormatRegistry(self.default)
        copied._formats = dict(self._formats)
        return copied


class TableFormat(SurveyFormat):
    """A table whose header row (row 1) holds the codebook's item ids, one record a row: the default format.

    A plain CSV file is read quickly (:func:`auditkit.read.quick_csv.read_csv_quickly`) when it can be; any
    other file, or one that needs care, as it arrives (:func:`auditkit.read.tables.table_from_rows`). A file
    that no item id heads, yet looks like a survey tool's export, is refused with
    :class:`ExportReadAsTableError`, so that the instrument can be given the export's format.
    """

    name = "table"
    title = "table"

    def read(self, path: str | Path, codebook: Codebook) -> pd.DataFrame:
        """Read a table of item ids.

        Returns
        -------
        pandas.DataFrame
            A table of text (categoricals for the items that are not text, when read quickly), its columns the
            header row's names, its index the rows' numbers as Excel shows them.
        """
        path = Path(path)
        text = frozenset(item.id for item in codebook.items if item.type == "text")
        table = read_csv_quickly(path, text_columns=text)
        if table is not None and set(table.columns) & set(codebook.by_id):
            return table
        rows = read_rows(path)
        header = [header_text(cell) for cell in rows[0]]
        found = FORMATS.detect(path, header)
        if found is not None and not set(header) & set(codebook.by_id):
            raise ExportReadAsTableError(path, found.name, found.title)
        return table_from_rows(path, rows)


class _SurveyExportFormat(SurveyFormat):
    """A survey tool's export, read by :func:`auditkit.read.surveys.read_export`: its questions are matched to the
    codebook's items by their ``source``. Subclasses name the format and recognise its header."""

    #: The row of the export's first response, as Excel numbers it.
    first_row = 2

    def read(self, path: str | Path, codebook: Codebook) -> pd.DataFrame:
        """Read the export.

        Returns
        -------
        pandas.DataFrame
            A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them
            (responses start in row :attr:`first_row`).
        """
        return read_export(path, codebook, self.name)


class SurveyMonkeyFormat(_SurveyExportFormat):
    """SurveyMonkey's "All individual responses" export (CSV or XLSX, expanded columns)."""

    name = "surveymonkey"
    title = "SurveyMonkey"
    first_row = 3

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


#: Every data format known, by name; ``table`` is the default.
FORMATS = FormatRegistry()
FORMATS.register(TableFormat)
FORMATS.register(SurveyMonkeyFormat)
FORMATS.register(MicrosoftFormsFormat)


def round_formats(round_: Round) -> Mapping[str, SurveyFormat]:
    """Each instrument's data format, checked before any data is read.

    Returns
    -------
    Mapping of str to SurveyFormat
        The format of each instrument, by the instrument's name.

    Raises
    ------
    ParametersError
        When an instrument names a format that is not registered: one line naming the parameters file, the
        instrument and the formats known.
    """
    formats = {}
    for name, instrument in round_.instruments.items():
        try:
            formats[name] = FORMATS.get(instrument.format)
        except ParametersError as exc:
            raise ParametersError(f"{round_.path.name}: instruments → {name} → format: {exc}") from None
    return formats


def read_instrument(instrument: Instrument) -> pd.DataFrame:
    """Read an instrument's data file with its format.

    Returns
    -------
    pandas.DataFrame
        A table of text whose columns are the codebook's item ids, rows numbered as Excel shows them. An
        export given as a plain table raises :class:`DataError` asking for the instrument's ``format:``.
    """
    data_format = FORMATS.get(instrument.format)
    try:
        return data_format.read(instrument.data, instrument.codebook)
    except ExportReadAsTableError as exc:
        raise DataError(
            instrument.data,
            f"the file looks like a {exc.format_title} export; add 'format: {exc.format_name}' to the instrument "
            f"'{instrument.name}' in the parameters file, so that its questions are matched to the codebook's "
            f"items by their source.",
        ) from None
