"""Make auditkit's default Word template, src/auditkit/templates/docx/reference.docx, from python-docx's own.

    .venv/bin/python scripts/make_docx_template.py            # write it again (commit the result)
    .venv/bin/python scripts/make_docx_template.py --check    # exit 1 if the committed file is not what this makes

The template is python-docx's default document (its styles, numbering and theme), restyled to look like the PDF
briefing (templates/nbconvert/auditkit_briefing/briefing.css): A4 with the PDF's margins, a sans-serif body at
10.5 pt in dark grey, headings in the briefing's blue, section headings ruled beneath, quotes with a rule to
their left, the summary on a pale panel ("Block Text"), and tables ruled between rows with a bold header
row ("Table Grid"). Its language is British English. The same python-docx gives the same bytes, and
tests/briefing/test_docx_template.py checks that the committed file is what this script makes.

Styles are python-docx's elements; a style's paragraph and run properties are replaced whole with the XML below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from auditkit.briefing.docx_package import save_docx
from auditkit.briefing.docx_template import DEFAULT_TEMPLATE

#: The template's own dates: fixed, so that it is made the same every time (a briefing sets its own).
MADE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
INK, MUTED, ACCENT, RULE, PANEL = "1B1B1B", "4A4A4A", "005A8C", "C8D3DC", "F2F6F9"
FONT = "Arial"  # the PDF's DejaVu Sans is not on most Windows machines; LibreOffice shows Arial as a metric twin

_W = nsdecls("w")
#: Each style: (paragraph properties, run properties), as the XML inside ``w:pPr`` and ``w:rPr``.
STYLES = {
    "Title": (
        '<w:keepNext/><w:spacing w:before="0" w:after="80"/>',
        f'<w:b/><w:color w:val="{ACCENT}"/><w:kern w:val="28"/><w:sz w:val="40"/><w:szCs w:val="40"/>',
    ),
    "Subtitle": (
        '<w:spacing w:before="0" w:after="60"/>',
        f'<w:b/><w:color w:val="{MUTED}"/><w:sz w:val="21"/><w:szCs w:val="21"/>',
    ),
    "Heading 1": (
        f'<w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="2" w:color="{RULE}"/>'
        '</w:pBdr><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="27"/><w:szCs w:val="27"/>',
    ),
    "Heading 2": (
        '<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="1"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>',
    ),
    "Heading 3": (
        '<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="2"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="21"/><w:szCs w:val="21"/>',
    ),
    "Heading 4": (
        '<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="3"/>',
        f'<w:b/><w:bCs/><w:color w:val="{INK}"/><w:sz w:val="21"/><w:szCs w:val="21"/>',
    ),
    "List Number": ('<w:numPr><w:numId w:val="5"/></w:numPr><w:spacing w:before="160" w:after="60"/>', ""),
    "List Continue": ('<w:spacing w:before="0" w:after="60"/><w:ind w:left="360"/>', ""),
    "List Bullet": ('<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:before="0" w:after="80"/>', ""),
    "Quote": (
        f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{RULE}"/></w:pBdr>'
        '<w:spacing w:before="0" w:after="120"/><w:ind w:left="240"/>',
        f'<w:i/><w:iCs/><w:color w:val="{INK}"/>',
    ),
    "Caption": (
        '<w:spacing w:before="40" w:after="160" w:line="240" w:lineRule="auto"/>',
        f'<w:color w:val="{MUTED}"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    ),
    "Footer": (
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        f'<w:color w:val="{MUTED}"/><w:sz w:val="17"/><w:szCs w:val="17"/>',
    ),
    "Block Text": (
        f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{PANEL}"/><w:spacing w:before="120" w:after="120"/>'
        '<w:ind w:left="240" w:right="120"/>',
        "",
    ),
}
TABLE = (
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
    '<w:sz w:val="19"/><w:szCs w:val="19"/>',
    f'<w:tblPr {_W}><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/>'
    f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/><w:right w:val="nil"/>'
    f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/><w:insideV w:val="nil"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
    '<w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>',
    f'<w:tblStylePr {_W} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders>'
    f'<w:bottom w:val="single" w:sz="12" w:space="0" w:color="{ACCENT}"/></w:tcBorders></w:tcPr></w:tblStylePr>',
)


def _replace(style, tag: str, inner: str | None = None, whole: str | None = None) -> None:
    """Replace the style's ``w:<tag>`` with ``<w:tag>inner</w:tag>`` (or ``whole``), in schema order."""
    for old in style.element.findall(qn(f"w:{tag}")):
        style.element.remove(old)
    if inner is None and whole is None:
        return
    style.element.append(parse_xml(whole or f"<w:{tag} {_W}>{inner}</w:{tag}>"))


def _restyle(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).getparent().replace(
        defaults.find(qn("w:rPrDefault")),
        parse_xml(
            f'<w:rPrDefault {_W}><w:rPr><w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" '
            f'w:cs="{FONT}"/><w:color w:val="{INK}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
            '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        ),
    )
    defaults.replace(
        defaults.find(qn("w:pPrDefault")),
        parse_xml(
            f'<w:pPrDefault {_W}><w:pPr><w:spacing w:after="140" w:line="300" w:lineRule="auto"/></w:pPr>'
            "</w:pPrDefault>"
        ),
    )
    for name in ("Block Text",):
        if name not in [style.name for style in document.styles]:
            document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    _replace(link, "rPr", f'<w:color w:val="{ACCENT}"/><w:u w:val="single"/>')
    for name, (paragraph, run) in STYLES.items():
        style = document.styles[name]
        for flag in ("semiHidden",):
            _replace(style, flag)
        _replace(style, "pPr", paragraph)
        _replace(style, "rPr", run)
    table = document.styles["Table Grid"]
    for tag in ("pPr", "rPr", "tblPr", "tblStylePr"):
        _replace(table, tag)
    _replace(table, "pPr", TABLE[0])
    _replace(table, "rPr", TABLE[1])
    _replace(table, "tblPr", whole=TABLE[2])
    _replace(table, "tblStylePr", whole=TABLE[3])


def _number_as_the_pdf(document) -> None:
    """The key findings' numbers ("1.") in bold and the briefing's blue, as the PDF's list markers."""
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"].element
    number = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    instance = next(item for item in numbering.findall(qn("w:num")) if item.get(qn("w:numId")) == number)
    abstract = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
    definition = next(
        item for item in numbering.findall(qn("w:abstractNum")) if item.get(qn("w:abstractNumId")) == abstract
    )
    level = next(item for item in definition.findall(qn("w:lvl")) if item.get(qn("w:ilvl")) == "0")
    for old in level.findall(qn("w:rPr")):
        level.remove(old)
    level.append(parse_xml(f'<w:rPr {_W}><w:b/><w:bCs/><w:color w:val="{ACCENT}"/></w:rPr>'))


def make_template(path: Path) -> Path:
    """Write the default template to ``path``: python-docx's default document, restyled and emptied."""
    document = docx.Document()
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:  # a picture of python-docx's sample page
            del package.rels[key]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    section.left_margin = section.right_margin = Mm(16)
    section.header_distance = section.footer_distance = Mm(8)
    _restyle(document)
    _number_as_the_pdf(document)
    properties = document.core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "category", "last_modified_by"):
        setattr(properties, name, "")
    properties.language = "en-GB"
    properties.created = properties.modified = MADE
    properties.revision = 1
    return save_docx(document, path, MADE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed template, write nothing")
    if not parser.parse_args().check:
        DEFAULT_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        print(f"Wrote {make_template(DEFAULT_TEMPLATE)}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        made = make_template(Path(folder) / "reference.docx").read_bytes()
    same = DEFAULT_TEMPLATE.is_file() and DEFAULT_TEMPLATE.read_bytes() == made
    print(f"{DEFAULT_TEMPLATE} is {'what this script makes' if same else 'NOT what this script makes'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
