"""The registry of data formats: the base class a format subclasses, and the registry that finds one by name.

Shaped like papermill's engines (``papermill/engines.py``): a format subclasses :class:`SurveyFormat`,
names itself (``name``, what a parameters file writes as an instrument's ``format:``) and reads a file
into a table of text whose columns are the codebook's item ids (``read``). A format that can recognise
its files from their first row says so in ``detect``. The formats auditkit ships, and the registry that
holds them (``FORMATS``), are in :mod:`auditkit.read.formats`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar, TypeVar

import pandas as pd

from auditkit.config.codebook import Codebook
from auditkit.config.round import DEFAULT_FORMAT, FORMAT_NAME_PATTERN
from auditkit.errors import ParametersError
from auditkit.read.tables import DataFile

__all__ = ["FormatRegistry", "SurveyFormat"]

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

    def read_file(self, data: DataFile, codebook: Codebook) -> pd.DataFrame:
        """Read a file whose rows were read already, to recognise its format.

        A format that can read from those rows overrides this; by default the file is read again with
        :meth:`read`.

        Returns
        -------
        pandas.DataFrame
            As :meth:`read`.
        """
        return self.read(data.path, codebook)


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
