"""Drafting a codebook from a survey export (``auditkit draft-codebook EXPORT --out instrument.yaml``).

The export is profiled by :func:`auditkit.read.export_profile.profile_export` (which answers are a scale, a list
of choices, the options of a multi-select question, dates or free text; which columns hold personal data), and
each question (or each option of a multi-select question, each row of a matrix) becomes an item: its ``source``
the export's question exactly, a short unique ``id`` made from its words, a ``label`` shortened to a readable
phrase, its type and values. The YAML is written from ``templates/scaffold/codebook_draft.yaml.j2``, with
comments saying what to check; the draft is loaded as a codebook before it is kept, and the file appears only
once it is complete. The draft never holds a respondent's own words: only the profile's proposed values reach it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from auditkit.config.codebook import Codebook, load_codebook
from auditkit.config.input_files import file_problem, shown_path
from auditkit.errors import CodebookDraftError
from auditkit.read.export_profile import MIN_REPEATS, ColumnProfile, ExportProfile, profile_export
from auditkit.read.matching import normalise
from auditkit.run.yaml_templates import yaml_templates

__all__ = ["CodebookDraft", "DraftItem", "draft_items", "write_codebook_draft"]

_ENVIRONMENT = yaml_templates("scaffold")

#: Words an item's id leaves out: they say little about what a question asks.
_SMALL_WORDS = frozenset(
    "a an the of for to in on at by with and or but not no do does did done you your yours i i'm my me we our us "
    "is are was were be been being have has had which what who whom whose how when where why this that these "
    "those it its if any all please tick apply would could should can will shall may might about from as than "
    "more most one main mainly there their them they he she his her feel today before after so such each every "
    "choose select answer".split()
)
_AUXILIARY = re.compile(r"^(did|do|does|have|has|are|is|were|was|will|would|can|could)\s+you\s+", re.IGNORECASE)
_LEADING_CLAUSE = re.compile(r"^[^,:?]{1,40},\s+(?=(did|do|does|have|has|are|is|were|was|will|would|can|could)\b)")
_LONGEST_LABEL = 70
_ITEM_ID = re.compile(r"[a-z][a-z0-9_]*")
_LONGEST_ID = 32
_CONSENT = re.compile(r"\b(quote|quoting|quoted|consent|permission|may we use|can we use)\b")
#: A free-text answer this long, on average, may be worth quoting.
_QUOTABLE_LENGTH = 20


@dataclass(frozen=True)
class DraftItem:
    """One item of a draft codebook: its keys as the YAML writes them, and the comments said beside it."""

    id: str
    question: str
    label: str
    source: str
    type: str
    values: tuple[tuple[str, str], ...] = ()
    met: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    ordinal: bool = False
    required: bool = False
    unique: bool = False
    identifying: bool = False
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CodebookDraft:
    """A draft written: its ``path``, the ``codebook`` it loads as, and the ``profile`` of the export it came from."""

    path: Path
    codebook: Codebook
    profile: ExportProfile


def _label(text: str) -> str:
    """A question shortened to a readable phrase for tables and charts."""
    text = re.sub(r"\s*\([^)]*\)", "", " ".join(text.split())).strip()
    head, colon, tail = text.partition(":")
    if colon and tail.strip():
        text = tail.strip()
    text = _AUXILIARY.sub("", _LEADING_CLAUSE.sub("", text)).rstrip("?.:; ")
    if len(text) > _LONGEST_LABEL:
        words = text[: _LONGEST_LABEL + 1].split()[:-1]
        while words and words[-1].casefold() in _SMALL_WORDS:
            words.pop()
        text = " ".join(words) or text[:_LONGEST_LABEL]
    return text[:1].upper() + text[1:] if text else "Question"


def _words(text: str, count: int) -> list[str]:
    words = [word for word in re.findall(r"[a-z0-9]+", normalise(text)) if word not in _SMALL_WORDS]
    return words[:count]


def _unique_id(words: list[str], taken: set[str]) -> str:
    base = "_".join(words)[:_LONGEST_ID].strip("_") or "question"
    if not base[0].isalpha():
        base = f"q_{base}"
    found, number = base, 2
    while found in taken:
        found, number = f"{base}_{number}", number + 1
    taken.add(found)
    return found


def _notes(column: ColumnProfile) -> tuple[str, ...]:
    kind = column.kind
    if kind == "scale" and column.met:
        met = ", ".join(column.met)
        return (f"CHECK met: the {column.scale} answers proposed as meeting the standard ({met}).",)
    if kind == "numbered_scale":
        return ("A numbered scale: add met values (the points that meet the standard) to report a percentage.",)
    if kind == "ticked":
        more = (
            f" {column.left_out} options ticked fewer than {MIN_REPEATS} times are not copied; add them by hand."
            if column.left_out
            else ""
        )
        return (f"An option of a multi-select question: yes when ticked.{more}",)
    if kind == "numbers":
        return ("Answered with numbers: auditkit reads them as text.",)
    if kind == "unanswered":
        return ("Nobody answered this question in the export: CHECK its type.",)
    if kind == "text" and column.left_out:
        return (
            f"Looks like a list of choices, but {column.left_out} answers were given fewer than {MIN_REPEATS} times "
            f"and are not copied (they may be a respondent's own words): to make it a choice item, list every "
            f"answer under values by hand.",
        )
    if kind == "text":
        quotable = " (a possible quote)" if column.mean_length >= _QUOTABLE_LENGTH else ""
        return (f"Free text{quotable}.",)
    return ()


def _item_id(column: ColumnProfile, label: str, taken: set[str]) -> str:
    """A short id, unique in the draft: a table of item ids keeps its header; else the question's first words."""
    if column.kind in ("response_id", "row_number"):
        return _unique_id(["response", "id"], taken)
    if not column.option and _ITEM_ID.fullmatch(column.question) and column.question not in taken:
        taken.add(column.question)
        return column.question
    if column.option:
        return _unique_id(_words(label, 2) + _words(column.option, 3), taken)
    return _unique_id(_words(label, 3), taken)


def _item(column: ColumnProfile, taken: set[str]) -> DraftItem:
    label = _label(column.question)
    item_id = _item_id(column, label, taken)
    if column.kind in ("response_id", "row_number"):
        google = "Google Forms numbers no response: its row in the export stands for it."
        return DraftItem(
            item_id,
            "Response number (unique; never published)",
            "",
            column.source,
            "text",
            required=True,
            unique=True,
            identifying=True,
            notes=(google,) if column.kind == "row_number" else (),
        )
    question = " ".join(column.question.split())
    if column.option:
        question, label = f"{question}: {column.option}", _label(column.option)
    types = {"date": "date", "scale": "choice", "choice": "choice", "numbered_scale": "choice", "ticked": "choice"}
    return DraftItem(
        item_id,
        question,
        label,
        column.source,
        types.get(column.kind, "text"),
        values=column.values,
        met=column.met,
        not_applicable=column.not_applicable,
        ordinal=column.ordinal,
        notes=_notes(column),
    )


def draft_items(profile: ExportProfile) -> tuple[tuple[DraftItem, ...], dict[str, str] | None]:
    """The items a profiled export drafts, and the quotes it proposes.

    Returns
    -------
    items : tuple of DraftItem
        One item per profiled column, in the export's order, each id unique.
    quotes : dict or None
        ``{"text": item id, "consent": item id}`` when there is a yes/no question that asks consent to quote
        and a free-text question before it; None otherwise.
    """
    taken: set[str] = set()
    items = tuple(_item(column, taken) for column in profile.columns)
    consent = next(
        (
            (index, item)
            for index, (item, column) in enumerate(zip(items, profile.columns))
            if column.scale == "yes/no" and _CONSENT.search(normalise(column.question).replace("_", " "))
        ),
        None,
    )
    if consent is None:
        return items, None
    texts = [
        (column.mean_length, item.id)
        for item, column in zip(items[: consent[0]], profile.columns[: consent[0]])
        if column.kind == "text" and column.mean_length >= _QUOTABLE_LENGTH
    ]
    if not texts:
        return items, None
    index, item = consent
    note = "Consent to quote the free text named under quotes: not a standard, so no met values."
    consenting = dataclasses.replace(item, met=(), not_applicable=(), notes=(note,))
    return (*items[:index], consenting, *items[index + 1 :]), {"text": max(texts)[1], "consent": item.id}


def _codebook_id(target: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", normalise(target.stem)).strip("_") or "survey"
    return slug if slug[0].isalpha() else f"survey_{slug}"


def _render(profile: ExportProfile, target: Path) -> str:
    items, quotes = draft_items(profile)
    title = re.sub(r"[-_]+", " ", profile.path.stem).strip()
    return _ENVIRONMENT.get_template("codebook_draft.yaml.j2").render(
        profile=profile,
        export=profile.path.name,
        codebook_id=_codebook_id(target),
        title=(title[:1].upper() + title[1:]) or "Survey",
        items=items,
        quotes=quotes,
        min_repeats=MIN_REPEATS,
    )


def write_codebook_draft(export: str | Path, target: str | Path, force: bool = False) -> CodebookDraft:
    """Draft a codebook from an export and write it to ``target``.

    An existing ``target`` is replaced only with ``force``; the file appears only once it is complete, and only
    once it loads as a codebook.

    Returns
    -------
    CodebookDraft
        The file written, the codebook it loads as and the export's profile.
    """
    target = Path(target).expanduser()
    if "\0" in str(target):
        raise CodebookDraftError(f"{shown_path(target)} holds a NUL character (\\0), not allowed in a file name.")
    if target.is_dir():
        raise CodebookDraftError(f"{target} is a folder; give --out the codebook file to write, ending in .yaml.")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise CodebookDraftError(f"{target.name}: a codebook is a YAML file; end its name with .yaml.", target)
    if not target.parent.is_dir():
        raise CodebookDraftError(
            f"The folder {target.parent} does not exist; create it first or choose another --out.", target
        )
    if target.exists() and not force:
        raise CodebookDraftError(f"{target} already exists; choose another name, or add --force to replace it.", target)
    problem = file_problem(Path(export))
    if problem is not None:
        raise CodebookDraftError(f"The export {shown_path(export)} {problem}.", Path(export))
    profile = profile_export(export)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".yaml", dir=target.parent)
    os.close(handle)
    try:
        Path(temporary).write_text(_render(profile, target), encoding="utf-8")
        codebook = load_codebook(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return CodebookDraft(target, codebook.model_copy(update={"path": target.resolve()}), profile)
