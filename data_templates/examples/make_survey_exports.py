"""Write the example survey as SurveyMonkey, Microsoft Forms, Google Forms and a plain export would give it.

    .venv/bin/python data_templates/examples/make_survey_exports.py

reads ``llr-2017-survey.csv`` (value codes, one row per response) and writes, beside it:

* ``llr-2017-survey-surveymonkey.csv``: SurveyMonkey's "All individual responses" export with
  expanded columns (UTF-8 with a byte order mark, CRLF): respondent metadata, two header rows, a
  multi-select question spread over one column per option, and an "Other (please specify)" column;
* ``llr-2017-survey-msforms.xlsx``: a Microsoft Forms export: ID, Start time, Completion time,
  Email, Name, Last modified time, then one column per question; a multi-select answer lists the
  options ticked, each followed by ";";
* ``llr-2017-survey-googleforms.csv``: the CSV Google Forms downloads (every field quoted, CRLF):
  Timestamp as "2016/10/03 9:00:00 am GMT+1", Email address, an optional name question, then one column
  per question; a multi-select answer joins the options ticked with ", " (one option holds a comma);
* ``llr-2017-survey-googlesheet.xlsx``: the same responses as the Form's linked Sheet downloads them as
  Excel: the sheet "Form Responses 1", Timestamp as a date cell, blank rows after the last response;
* ``llr-2017-survey-googlesheet.csv``: the linked Sheet downloaded as CSV, Timestamp as the Sheet's
  (UK) locale writes it, "03/10/2016 09:00:00";
* ``llr-2017-survey-plain.csv``: a plain export of another tool: ID, then one column per question, its
  header the question, answers as labels, multi-select answers joined with ", ".

The answers are the CSV's, written as labels; the questions are the ``source`` lines of auditkit's
``toolkit_survey`` codebook, so the standard codebook reads every one of these files as it is. The
personal data in them (IP addresses, names, email addresses) is invented, and is there to show that
auditkit leaves it behind. The same rows are written on every run. The benchmark in ``benchmarks/``
uses the same functions to build a large export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from auditkit.config.codebook import Codebook, load_codebook  # noqa: E402
from auditkit.config.workbook import package_folder  # noqa: E402

PARTS_QUESTION = "Which parts of the toolkit have you used? (Tick all that apply.)"
PARTS = ("Home conditions", "Health and development", "Emotional care", "Supervision and safety")
#: The same question's options in the Google Form: one of them holds a comma, as options may.
GOOGLE_PARTS = ("Home conditions", "Health, growth and development", "Emotional care", "Supervision and safety")
NAME_QUESTION = "What is your name? (optional)"
LONDON = ZoneInfo("Europe/London")
OTHER_AGENCIES = ("Housing", "Probation", "Youth offending service")
FIRST_NAMES = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin")
START = dt.datetime(2016, 10, 3, 9, 0)


def read_codes(path: Path) -> list[dict[str, str]]:
    """The example survey's responses, one dict of value codes per response."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _label(codebook: Codebook, item_id: str, code: str) -> str:
    return codebook.item(item_id).label_of(code) if code else ""


def _answers(codebook: Codebook, record: dict[str, str]) -> dict[str, str]:
    return {item.id: _label(codebook, item.id, record.get(item.id, "")) for item in codebook.items}


def _parts_ticked(number: int, record: dict[str, str]) -> list[str]:
    if record.get("used_toolkit") != "yes":
        return []
    return [part for offset, part in enumerate(PARTS) if (number + offset) % 3 != 1]


def _times(number: int) -> tuple[dt.datetime, dt.datetime]:
    start = START + dt.timedelta(days=(number * 37) % 110, hours=(number * 5) % 8, minutes=(number * 13) % 60)
    return start, start + dt.timedelta(minutes=4 + number % 11, seconds=(number * 7) % 60)


def _contact(number: int) -> tuple[str, str, str]:
    """An invented name and email address for every third respondent (invited by email)."""
    if number % 3:
        return "", "", ""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    return first, "Example", f"{first.lower()}.example{number}@example.org"


def surveymonkey_rows(codebook: Codebook, records: list[dict[str, str]]) -> list[list[object]]:
    """The rows of a SurveyMonkey export (two header rows, then one row per response)."""
    source = {item.id: item.source for item in codebook.items}
    metadata = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    top = [
        *metadata,
        source["agency"],
        "",
        source["area"],
        source["attended_launch"],
        source["aware_of_toolkit"],
        source["used_toolkit"],
        PARTS_QUESTION,
        *[""] * (len(PARTS) - 1),
        source["toolkit_helpful"],
        source["confident_recognising"],
        source["aware_of_escalation"],
        source["confident_challenging"],
        source["comment"],
        source["quote_consent"],
    ]
    sub = [
        *[""] * len(metadata),
        "Response",
        "Other (please specify)",
        *["Response"] * 4,
        *PARTS,
        *["Response"] * 4,
        "Open-Ended Response",
        "Response",
    ]
    rows: list[list[object]] = [top, sub]
    for number, record in enumerate(records):
        answer = _answers(codebook, record)
        start, end = _times(number)
        first, last, email = _contact(number)
        ticked = _parts_ticked(number, record)
        other = OTHER_AGENCIES[number % len(OTHER_AGENCIES)] if record.get("agency") == "other" else ""
        rows.append(
            [
                10_598_230_000 + 1_117 * number,
                214_880_101 if number % 3 else 214_880_102,
                start.strftime("%m/%d/%Y %I:%M:%S %p"),
                end.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"198.51.100.{(number * 29) % 254 + 1}",
                email,
                first,
                last,
                "",
                answer["agency"],
                other,
                answer["area"],
                answer["attended_launch"],
                answer["aware_of_toolkit"],
                answer["used_toolkit"],
                *[part if part in ticked else "" for part in PARTS],
                answer["toolkit_helpful"],
                answer["confident_recognising"],
                answer["aware_of_escalation"],
                answer["confident_challenging"],
                answer["comment"],
                answer["quote_consent"],
            ]
        )
    return rows


def msforms_rows(codebook: Codebook, records: list[dict[str, str]]) -> list[list[object]]:
    """The rows of a Microsoft Forms export (one header row, then one row per response)."""
    questions = [item for item in codebook.items if item.id != "response_id"]
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += [item.source for item in questions[:5]] + [PARTS_QUESTION] + [item.source for item in questions[5:]]
    rows: list[list[object]] = [header]
    for number, record in enumerate(records):
        answer = _answers(codebook, record)
        start, end = _times(number)
        first, last, email = _contact(number)
        values = [answer[item.id] for item in questions]
        parts = "".join(f"{part};" for part in _parts_ticked(number, record))
        rows.append(
            [
                number + 1,
                start,
                end,
                email or "anonymous",
                f"{first} {last}".strip(),
                None,
                *values[:5],
                parts,
                *values[5:],
            ]
        )
    return rows


def _forms_timestamp(moment: dt.datetime) -> str:
    """A time as the CSV that Google Forms downloads writes it: "2016/10/03 9:00:00 am GMT+1"."""
    hours = int(moment.replace(tzinfo=LONDON).utcoffset().total_seconds() // 3600)
    zone = f"GMT+{hours}" if hours else "GMT"
    return f"{moment:%Y/%m/%d} {moment.hour % 12 or 12}:{moment:%M:%S} {'am' if moment.hour < 12 else 'pm'} {zone}"


def google_rows(codebook: Codebook, records: list[dict[str, str]], timestamps: str) -> list[list[object]]:
    """The rows of a Google Forms export: one header row, then one row per response.

    ``timestamps``: ``forms`` (text, as the Forms CSV writes them), ``sheet`` (dates, as the linked Sheet holds
    them) or ``sheet-csv`` (text in the Sheet's UK locale).
    """
    questions = [item for item in codebook.items if item.id != "response_id"]
    header = ["Timestamp", "Email address", NAME_QUESTION]
    header += [item.source for item in questions[:5]] + [PARTS_QUESTION] + [item.source for item in questions[5:]]
    rows: list[list[object]] = [header]
    for number, record in enumerate(records):
        answer = _answers(codebook, record)
        _, end = _times(number)
        first, last, _ = _contact(number)
        stamp = {"forms": _forms_timestamp(end), "sheet": end, "sheet-csv": f"{end:%d/%m/%Y %H:%M:%S}"}[timestamps]
        email = f"{FIRST_NAMES[number % len(FIRST_NAMES)].lower()}.example{number}@example.org"
        values = [answer[item.id] for item in questions]
        ticked = [GOOGLE_PARTS[PARTS.index(part)] for part in _parts_ticked(number, record)]
        rows.append([stamp, email, f"{first} {last}".strip(), *values[:5], ", ".join(ticked), *values[5:]])
    return rows


def plain_rows(codebook: Codebook, records: list[dict[str, str]]) -> list[list[object]]:
    """The rows of a plain export: ID, then a column per question headed by the question."""
    questions = [item for item in codebook.items if item.id != "response_id"]
    header = ["ID", *[item.source for item in questions[:5]], PARTS_QUESTION]
    header += [item.source for item in questions[5:]]
    rows: list[list[object]] = [header]
    for number, record in enumerate(records):
        answer = _answers(codebook, record)
        values = [answer[item.id] for item in questions]
        rows.append([number + 1, *values[:5], ", ".join(_parts_ticked(number, record)), *values[5:]])
    return rows


def write_csv(rows: list[list[object]], path: Path, byte_order_mark: bool = True, quote_all: bool = False) -> None:
    """Write rows as CSV with CRLF line ends: as SurveyMonkey writes it, UTF-8 with a byte order mark; as Google
    Forms writes it, without one and every field quoted (``quote_all``)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if byte_order_mark else b"") + out.getvalue().encode("utf-8"))


def write_xlsx(rows: list[list[object]], path: Path, sheet: str = "Sheet1", blank_rows: int = 0) -> None:
    """Write rows to a one-sheet workbook; empty text becomes an empty cell, as the tools write it. ``blank_rows``
    rows of empty cells follow, as a Google Sheet's grid has them below its last response."""
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append([None if value == "" else value for value in row])
    for _ in range(blank_rows):
        worksheet.append([""] * len(rows[0]))
    workbook.save(path)


def main() -> None:
    codebook = load_codebook(package_folder("instruments") / "toolkit_survey.yaml")
    records = read_codes(HERE / "llr-2017-survey.csv")
    write_csv(surveymonkey_rows(codebook, records), HERE / "llr-2017-survey-surveymonkey.csv")
    write_xlsx(msforms_rows(codebook, records), HERE / "llr-2017-survey-msforms.xlsx", sheet="Form1")
    google = HERE / "llr-2017-survey-googleforms.csv"
    write_csv(google_rows(codebook, records, "forms"), google, byte_order_mark=False, quote_all=True)
    sheet = google_rows(codebook, records, "sheet")
    write_xlsx(sheet, HERE / "llr-2017-survey-googlesheet.xlsx", sheet="Form Responses 1", blank_rows=20)
    write_csv(google_rows(codebook, records, "sheet-csv"), HERE / "llr-2017-survey-googlesheet.csv", False)
    write_csv(plain_rows(codebook, records), HERE / "llr-2017-survey-plain.csv")


if __name__ == "__main__":
    main()
