"""The Word template a Word briefing is built on: its styles, fonts, page, header and logo.

As pandoc's reference documents do, the briefing takes everything but its words from a Word document: the styles
it uses (:data:`REQUIRED_STYLES`), the page size and margins, and the header (where a partnership's logo goes).
Its body is left out. auditkit ships :data:`DEFAULT_TEMPLATE`, which looks like the PDF briefing; a round may name
its partnership's own with ``briefing → docx_template``. Before anything is written a template is checked:

* that it is a Word document python-docx can read, no larger than :data:`LARGEST_TEMPLATE` and expanding to no
  more than :data:`EXPANSION_RATIO` times its size (a zip "bomb" is refused unread; the zip module reads no more
  of a part than its declared size, so the declared sizes bound what opening it costs);
* that it has every style the briefing uses;
* that it links to nothing outside itself but web and e-mail addresses the briefing could publish
  (:func:`auditkit.config.links.checked_url`): a template attached from a server, a linked picture or an embedded
  object would be carried into the published document and fetched when a reader opens it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from auditkit.briefing.docx_blocks import TABLE_STYLE
from auditkit.config.links import checked_url
from auditkit.errors import DocxTemplateError

__all__ = [
    "DEFAULT_TEMPLATE",
    "EXPANSION_RATIO",
    "LARGEST_TEMPLATE",
    "OPTIONAL_STYLES",
    "REQUIRED_STYLES",
    "ReferenceDocument",
    "load_reference",
]

#: auditkit's own template: python-docx's default, restyled to look like the PDF (``scripts/make_docx_template.py``).
DEFAULT_TEMPLATE = Path(__file__).parent.parent / "templates" / "docx" / "reference.docx"
#: The styles the Word briefing uses, by name and kind; a template without one of them is refused.
REQUIRED_STYLES = {
    **dict.fromkeys(
        (
            "Normal",
            "Title",
            "Subtitle",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Heading 4",
            "List Number",
            "List Bullet",
            "List Continue",
            "Quote",
            "Caption",
            "Footer",
        ),
        WD_STYLE_TYPE.PARAGRAPH,
    ),
    TABLE_STYLE: WD_STYLE_TYPE.TABLE,
}
#: Styles used when a template has them: the summary's panel (else ``Normal``) and links (else underlined).
OPTIONAL_STYLES = ("Block Text", "Hyperlink")
#: The largest template read, in bytes: a template with a logo is well under a megabyte.
LARGEST_TEMPLATE = 50 << 20
#: The most a template may expand once unzipped, as a multiple of its size (auditkit's own expands 23 times).
EXPANSION_RATIO = 100


@dataclass(frozen=True)
class ReferenceDocument:
    """A checked Word template: where it came from and its bytes, read once."""

    path: Path
    data: bytes

    def open(self) -> Any:
        """A new document from the template, its body emptied, for the briefing to fill.

        Returns
        -------
        docx.document.Document
            A fresh python-docx document each call: the template's styles, numbering, page set-up, headers and
            footers, with nothing in its body but the last section's properties.
        """
        document = docx.Document(io.BytesIO(self.data))
        body = document.element.body
        kept = body.sectPr
        for child in list(body):
            if child is not kept:
                body.remove(child)
        return document


def _refuse(path: Path, reason: str) -> DocxTemplateError:
    return DocxTemplateError(path, reason, default=DEFAULT_TEMPLATE if path != DEFAULT_TEMPLATE else None)


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size > LARGEST_TEMPLATE:
        raise _refuse(
            path,
            f"is {size / (1 << 20):.0f} MB, more than a Word template needs (auditkit reads at most "
            f"{LARGEST_TEMPLATE >> 20} MB); save it again with smaller pictures",
        )
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise _refuse(
            path,
            "is not a Word document (.docx): it is not a zip archive, as every .docx is. Open it in Word and save it "
            "as a Word Document (.docx)",
        ) from None
    if declared > EXPANSION_RATIO * max(size, 1):
        raise _refuse(
            path,
            f"expands to more than {EXPANSION_RATIO} times its size once unzipped (real Word documents expand a few "
            f"dozen times at most), so it was refused unread",
        )
    return data


def _open(path: Path, data: bytes) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            raise _refuse(
                path,
                "is not a Word document (.docx): it holds a Word template (.dotx), a macro-enabled document (.docm) "
                "or another kind of file. Open it in Word and save it as a Word Document (.docx)",
            ) from None
        raise _refuse(path, f"could not be read as a Word document (.docx) ({exc})") from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise _refuse(
            path, f"could not be read as a Word document (.docx) ({reason}). Open it in Word and save it again"
        ) from None


def _check_links(path: Path, document: Any) -> None:
    for relationship in document.part.package.iter_rels():
        if not relationship.is_external:
            continue
        target = relationship.target_ref
        if relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK:
            try:
                checked_url(target, "")
                continue
            except ValueError:
                pass
        kind = relationship.reltype.rsplit("/", 1)[-1]
        raise _refuse(
            path,
            f"refers to something outside itself ({kind}: {target}), which a published briefing may not carry: a "
            f"reader's Word would fetch or follow it. Remove it from the template in Word and save it again",
        )


def _missing_styles(document: Any) -> list[str]:
    present = {(style.name, style.type) for style in document.styles}
    return [name for name, kind in REQUIRED_STYLES.items() if (name, kind) not in present]


def load_reference(path: str | Path | None = None) -> ReferenceDocument:
    """Read and check a Word template, or auditkit's own when ``path`` is None.

    Raises :class:`~auditkit.errors.DocxTemplateError`, naming the file and what is wrong (the styles it lacks,
    by name), for a file too large or expanding too far, one that is not a Word document, one that refers to
    something outside itself, or one without a style in :data:`REQUIRED_STYLES`.

    Returns
    -------
    ReferenceDocument
        The template's path and bytes, checked; :meth:`ReferenceDocument.open` makes each new document from them.
    """
    path = Path(path) if path is not None else DEFAULT_TEMPLATE
    data = _read(path)
    document = _open(path, data)
    _check_links(path, document)
    missing = _missing_styles(document)
    if missing:
        raise DocxTemplateError(path, styles=missing, default=DEFAULT_TEMPLATE if path != DEFAULT_TEMPLATE else None)
    return ReferenceDocument(path=path, data=data)
