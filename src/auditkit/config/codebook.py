"""Instruments as data: the YAML codebook that describes a case-audit tool or a survey.

A codebook lists an instrument's items. Each item has an id (the column in the data
file), the question asked, a type, and for choice items the allowed value codes in
order, which of them count as *met*, and which mean *not applicable* (left out of the
denominator). See ``data_templates/README.md`` for the format.
"""

from __future__ import annotations

import string
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import pydantic

from auditkit.config.input_files import resolve_path
from auditkit.config.model_check import check_model
from auditkit.config.yaml_reader import parse_yaml, read_yaml_bytes
from auditkit.errors import CodebookError

__all__ = [
    "STATEMENT_PLACEHOLDERS",
    "SUMMARY_PLACEHOLDERS",
    "Codebook",
    "Item",
    "ItemType",
    "Quotes",
    "Value",
    "check_placeholders",
    "load_codebook",
]

#: The kinds of item: free text, one value from a list, a date, or the round's area.
ItemType = Literal["text", "choice", "date", "area"]

#: Placeholders an item's ``statement`` may use, filled from its finding.
STATEMENT_PLACEHOLDERS = ("label", "numerator", "denominator", "percent", "ci_low", "ci_high")
#: Placeholders a codebook's ``summary`` may use, filled from its record counts.
SUMMARY_PLACEHOLDERS = ("records", "complete", "by_area", "noun")


def check_placeholders(text: str, allowed: tuple[str, ...]) -> None:
    """Raise ValueError naming the first placeholder in ``text`` that is not one of ``allowed``, written plain.

    Only ``{name}`` is allowed: a format specification (``{percent:>999999999}`` asks for a field a billion
    characters wide), a conversion (``{percent!r}``), an index or an attribute (``{percent[0]}``) is refused.
    """
    try:
        fields = [
            (field, conversion, spec)
            for _, field, spec, conversion in string.Formatter().parse(text)
            if field is not None
        ]
    except ValueError as exc:
        raise ValueError(f"{exc} in {text!r}") from None
    names = ", ".join("{" + name + "}" for name in allowed)
    for field, conversion, spec in fields:
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if field in allowed and not conversion and not spec:
            continue
        if field in allowed or field.split("[", 1)[0].split(".", 1)[0] in allowed:
            raise ValueError(
                f"uses {written}, which is not a plain placeholder: a placeholder takes no format, conversion, "
                f"index or attribute; allowed: {names}"
            )
        raise ValueError(f"uses {written}, which is not a placeholder; allowed: {names}")


def _default_label(code: str) -> str:
    return code.replace("_", " ").capitalize()


class Value(pydantic.BaseModel):
    """One allowed answer: the code stored in data files and the label people read."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    code: str
    label: str


class Item(pydantic.BaseModel):
    """One question of an instrument, and one column of its data file."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    id: str = pydantic.Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: str
    label: str = ""
    type: ItemType
    values: tuple[Value, ...] = ()
    extra_values: tuple[Value, ...] = ()
    met: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    required: bool = False
    unique: bool = False
    identifying: bool = False
    internal: bool = False
    lower_is_better: bool = False
    within_period: bool = False
    ordinal: bool = False
    links_rounds: bool = False
    measure: str = ""
    statement: str = ""
    source: str = ""

    @pydantic.field_validator("values", "extra_values", mode="before")
    @classmethod
    def _values_from_codes(cls, raw: object) -> object:
        if not isinstance(raw, list):
            return raw
        return [
            {"code": str(entry), "label": _default_label(str(entry))} if not isinstance(entry, dict) else entry
            for entry in raw
        ]

    @pydantic.model_validator(mode="after")
    def _check_consistency(self) -> Item:
        codes = [value.code for value in self.values]
        if len(set(codes)) != len(codes):
            raise ValueError(f"item '{self.id}' lists a value code twice")
        if self.type == "choice" and not codes:
            raise ValueError(f"item '{self.id}' is a choice item but lists no values")
        if self.ordinal and self.type != "choice":
            raise ValueError(f"item '{self.id}' is ordinal but not a choice item")
        if self.links_rounds and not self.unique:
            raise ValueError(f"item '{self.id}' links rounds but is not unique")
        if self.type != "choice" and (self.met or self.not_applicable):
            raise ValueError(f"item '{self.id}' has met or not_applicable values but is not a choice item")
        for key in ("met", "not_applicable"):
            unknown = [code for code in getattr(self, key) if code not in codes]
            if unknown:
                raise ValueError(
                    f"item '{self.id}' lists {', '.join(unknown)} under {key}, which is not among its values "
                    f"({', '.join(codes)})"
                )
        if set(self.met) & set(self.not_applicable):
            raise ValueError(f"item '{self.id}' has a value that is both met and not applicable")
        try:
            check_placeholders(self.statement, STATEMENT_PLACEHOLDERS)
        except ValueError as exc:
            raise ValueError(f"item '{self.id}' statement {exc}") from None
        return self

    @property
    def title(self) -> str:
        """The short label for tables and charts, falling back to the question."""
        return self.label or self.question

    @property
    def measure_name(self) -> str:
        """What the item measures, as the subject of a sentence ("Toolkit use")."""
        return self.measure or self.title

    @property
    def is_indicator(self) -> bool:
        """Whether the item has met values, so that a proportion is computed for it."""
        return bool(self.met)

    @property
    def is_published(self) -> bool:
        """Whether values of this item may ever appear in a published output."""
        return not (self.identifying or self.internal)

    @property
    def codes(self) -> tuple[str, ...]:
        """The allowed value codes, in codebook order (extra values not included)."""
        return tuple(value.code for value in self.values)

    def label_of(self, code: str) -> str:
        """The label people read for a value code.

        Returns
        -------
        str
            The label of ``code`` among the item's values and extra values, or ``code`` itself when none has it.
        """
        for value in (*self.values, *self.extra_values):
            if value.code == code:
                return value.label
        return code


class Quotes(pydantic.BaseModel):
    """Which free-text item holds quotable comments, and which item records consent."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    text: str
    consent: str
    consent_value: str = "yes"


class Codebook(pydantic.BaseModel):
    """An instrument: its title, how its records are described, and its items in order."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    codebook: str = pydantic.Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    record: str
    record_plural: str = ""
    records: str
    partial_records: bool = False
    summary: str = "{records} {noun} were included."
    quotes: Quotes | None = None
    items: tuple[Item, ...] = pydantic.Field(min_length=1)
    path: Path = Path()

    @pydantic.model_validator(mode="after")
    def _check_items(self) -> Codebook:
        ids = [item.id for item in self.items]
        repeated = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
        if repeated:
            raise ValueError(f"item id {', '.join(repeated)} appears more than once")
        try:
            check_placeholders(self.summary, SUMMARY_PLACEHOLDERS)
        except ValueError as exc:
            raise ValueError(f"summary {exc}") from None
        if self.quotes is not None:
            for role, item_id in (("text", self.quotes.text), ("consent", self.quotes.consent)):
                if item_id not in ids:
                    raise ValueError(f"quotes → {role} names '{item_id}', which is not an item")
                item = self.items[ids.index(item_id)]
                marks = [mark for mark in ("identifying", "internal") if getattr(item, mark)]
                if marks:
                    raise ValueError(
                        f"quotes → {role} names '{item_id}', which is marked {' and '.join(marks)} and so is never "
                        f"published; a quote's text and consent must be items that are neither identifying nor internal"
                    )
        return self

    @cached_property
    def by_id(self) -> dict[str, Item]:
        """Every item, keyed by its id, in codebook order."""
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> Item:
        """One item, found by its id; raises :class:`CodebookError` naming the codebook when there is none.

        Returns
        -------
        Item
            The item whose id is ``item_id``.
        """
        try:
            return self.by_id[item_id]
        except KeyError:
            raise CodebookError(f"The codebook {self.path.name} has no item '{item_id}'.") from None

    @property
    def plural(self) -> str:
        """The plural of a record ("cases")."""
        return self.record_plural or f"{self.record}s"

    @property
    def linking_item(self) -> Item | None:
        """The item whose value identifies the same record in two rounds (a re-audited case), if any."""
        return next((item for item in self.items if item.links_rounds), None)

    @property
    def indicators(self) -> tuple[Item, ...]:
        """Items with met values, in codebook order."""
        return tuple(item for item in self.items if item.is_indicator)

    @property
    def required_items(self) -> tuple[Item, ...]:
        """Items every record must answer, in codebook order."""
        return tuple(item for item in self.items if item.required)


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook YAML file; raises :class:`CodebookError` listing every problem.

    Returns
    -------
    Codebook
        The instrument, its ``path`` set to the file's resolved path.
    """
    path = resolve_path(path)
    return _checked_codebook(path, read_yaml_bytes(path, CodebookError, "codebook"))


@lru_cache(maxsize=32)
def _checked_codebook(path: Path, data: bytes) -> Codebook:
    """The codebook in ``data``, parsed and checked once for each content: ``auditkit preview`` loads a round again
    on every save, and a codebook that did not change need not be checked again (a Codebook is frozen)."""
    raw = parse_yaml(data, path, CodebookError, "codebook")
    if isinstance(raw, dict) and "path" in raw:
        raise CodebookError(f"The codebook file {path.name} may not set 'path'.")
    codebook = check_model(Codebook, raw, path, CodebookError, "codebook")
    return codebook.model_copy(update={"path": path})
