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


def _symlink_loop(ws: Workspace) -> None:
    loop = ws.examples / "loop.csv"
    os.symlink(loop, loop)
    ws.replace(ws.parameters, "../data_templates/examples/llr-2017-survey.csv", "../data_templates/examples/loop.csv")


def _fifo(ws: Workspace) -> None:
    os.mkfifo(ws.examples / "pipe.csv")
    ws.replace(ws.parameters, "../data_templates/examples/llr-2017-survey.csv", "../data_templates/examples/pipe.csv")


def _codebook_fifo(ws: Workspace) -> None:
    os.mkfifo(ws.root / "data_templates" / "pipe.yaml")
    ws.replace(ws.parameters, "../data_templates/toolkit_survey.yaml", "../data_templates/pipe.yaml")


def _edited_findings(ws: Workspace) -> None:
    path = ws.report / "findings.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"records": 61', '"records": 62', 1), encoding="utf-8")


def _survey_row(ws: Workspace, old: str, new: str) -> None:
    ws.replace(ws.survey, old, new)


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
    # ------------------------------------------------------------------ issue 18: breakdowns and the funnel's target
    Case(
        "breakdown-by-identifier",
        18,
        "a breakdown by the survey's response number, which would publish a row per respondent",
        _parameters("instruments:\n", "breakdowns: [response_id]\ninstruments:\n"),
        refusal="breakdowns names 'response_id', which is not a categorical item (type: choice)",
        command=VALIDATE,
    ),
    Case(
        "breakdown-unknown-item",
        18,
        "a breakdown by an item no instrument has",
        _parameters("instruments:\n", "breakdowns: [agencies]\ninstruments:\n"),
        refusal="breakdowns names 'agencies', which is not a categorical item",
        command=VALIDATE,
    ),
    Case(
        "funnel-target-typo",
        18,
        "a funnel target that is not one of the two allowed",
        _parameters("instruments:\n", "funnel: {target: pooled}\ninstruments:\n"),
        refusal="'pooled' is not a funnel target; allowed: pooled_areas, stated_total",
        command=VALIDATE,
    ),
)
