"""The briefing publishes no number that findings.json does not (issue 14).

``tests/publish/test_findings_disclosure.py`` audits every number of findings.json for hidden counts that
could be worked out. This test closes the loop for the briefing: it renders rounds under the DfE rule with
``auditkit run``, reads every number in the HTML's text and its charts' alt texts, and explains each one:
a count published in findings.json, a percentage or percentage-point figure within rounding of one of its
proportions, intervals or differences, a p-value within rounding of one of its p-values, or a number an
author wrote (the parameters file and codebooks, the templates' fixed text, dates, the footer's provenance).
Any other number fails the test: the briefing would be publishing a figure the audit has not seen. The PDF is
printed from the same HTML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from publish.published_numbers import leaves

import auditkit
from auditkit.briefing.wording import describe_intervals
from auditkit.stats.funnel import FUNNEL_LABELS

pytestmark = pytest.mark.slow

AUDITKIT = Path(sys.executable).with_name("auditkit")
TEMPLATES = Path(auditkit.__file__).parent / "templates"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{_MONTHS}) \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b")
_FOOTER = re.compile(r"Round \S+ · data fingerprint [0-9a-f]+ · auditkit \S+ · produced [^.]+\.")
_NUMBER = re.compile(
    r"(?<![\w.])([−-]?\d[\d,]*(?:\.\d+)?)(\s*%|\s+(?:percentage )?points?\b)?"
    r"(\s+(?:standards?|areas?|districts?|periods?|quotes?|comments? (?:was|were) held back)\b)?"
)


def _plain(text: str) -> str:
    return " ".join(text.split())


#: Numbers of findings.json that are not figures of the data: a source file's row, the rule's threshold.
_SETTINGS = {"row", "min_count"}

#: The confidence levels the methods use, printed beside intervals and funnel limits.
_CONFIDENCE_LEVELS = ("95%", "99.8%")


def _mark_percent_columns(page: BeautifulSoup) -> None:
    """Give the numbers of table columns headed as percentages or points a % sign, as their header implies."""
    for table in page.find_all("table"):
        headers = [_plain(cell.get_text(" ")) for cell in table.select("thead th")]
        for row in table.select("tbody tr"):
            for header, cell in zip(headers, row.find_all(["td", "th"])):
                if re.search(r"Percentage|points|CI", header):
                    cell.string = _NUMBER.sub(lambda match: f"{match.group(1)}%", cell.get_text(" "))


def _static_texts() -> list[str]:
    """The fixed text of the templates that holds digits (outside Jinja tags), without markup; and the methodology's
    worked example of an interval (5 in 10: 24% to 76%), the same in every briefing."""
    found = [describe_intervals()]
    for path in sorted(TEMPLATES.rglob("*.j2")):
        for segment in re.split(r"{{.*?}}|{%.*?%}|{#.*?#}", path.read_text(encoding="utf-8"), flags=re.S):
            text = _plain(re.sub(r"<[^>]+>", " ", segment)).strip(" .,;:")
            if re.search(r"\d", text):
                found.append(text)
    return found


_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
).split()


def _authored_texts(parameters: Path) -> list[str]:
    """The round's parameters file and its instruments' codebooks, as written."""
    round_ = auditkit.load_round(parameters)
    texts = [parameters.read_text(encoding="utf-8")]
    texts += [instrument.codebook.path.read_text(encoding="utf-8") for instrument in round_.instruments.values()]
    texts += [table.codebook.path.read_text(encoding="utf-8") for table in round_.indicator_tables.values()]
    return texts


def _authored_numbers(parameters: Path) -> set[str]:
    """Every number written in the round's parameters file and its instruments' codebooks."""
    return {match.group(1).replace(",", "") for text in _authored_texts(parameters) for match in _NUMBER.finditer(text)}


def _counts_in_words(text: str, parameters: Path) -> list[tuple[str, int]]:
    """Numbers written as words before a record noun ("seven cases"), with their values; those an author
    wrote in the parameters file or a codebook are left out."""
    round_ = auditkit.load_round(parameters)
    nouns = {
        noun
        for instrument in round_.instruments.values()
        for noun in (instrument.codebook.record, instrument.codebook.plural)
    }
    if not nouns:
        return []
    pattern = re.compile(rf"\b({'|'.join(_WORDS)})\s+(?:{'|'.join(map(re.escape, nouns))})\b", re.IGNORECASE)
    authored = {
        match.group(0).lower() for written in _authored_texts(parameters) for match in pattern.finditer(written)
    }
    return [
        (match.group(0), _WORDS.index(match.group(1).lower()) + 1)
        for match in pattern.finditer(text)
        if match.group(0).lower() not in authored
    ]


def _sizes(document: object) -> set[int]:
    """How many things the document lists (standards, areas, rounds, an indicator table's areas per period):
    the briefing says "each of 4 standards" or "9 districts"."""
    sizes = set()
    if isinstance(document, (dict, list)):
        sizes.add(len(document))
        for value in document.values() if isinstance(document, dict) else document:
            sizes |= _sizes(value)
    if isinstance(document, dict) and "rows" in document and "checks" in document:
        periods = [row["period"] for row in document["rows"]]
        sizes |= {periods.count(period) for period in periods} | {periods.count(period) - 1 for period in periods}
    return sizes


def unexplained_numbers(html: str, document: dict, parameters: Path, quote_counts: set[int]) -> list[str]:
    """Numbers in the briefing's text and alt texts that nothing published or authored explains."""
    page = BeautifulSoup(html, "html.parser")
    for element in page(["style", "script"]) + page.select(".quote-list"):
        element.decompose()
    _mark_percent_columns(page)
    text = _plain(page.body.get_text(" ") + " " + " ".join(image.get("alt", "") for image in page.find_all("img")))
    text = _FOOTER.sub(" ", text)
    strings = sorted(
        (_plain(value) for _, value in leaves(document) if isinstance(value, str) and re.search(r"\d", value)),
        key=len,
        reverse=True,
    )  # findings.json's own texts (notes, changes, labels): audited there, so not read twice
    for fixed in [*strings, *_static_texts(), *FUNNEL_LABELS]:
        text = text.replace(fixed, " ")
    text = _DATE.sub(" ", text)
    for level in _CONFIDENCE_LEVELS:
        text = text.replace(level, " ")
    numbers = [
        value for _, value in leaves(document) if isinstance(value, (int, float)) and not isinstance(value, bool)
    ]
    counts = {int(value) for value in numbers if float(value).is_integer()}
    sizes = quote_counts | _sizes(document)
    authored = _authored_numbers(parameters)
    # Benchmarks are written as fractions (0.475) and printed as percentages.
    fractions = [float(value) for value in numbers] + [float(value) for value in authored]
    found = [f"{words!r}" for words, value in _counts_in_words(text, parameters) if value not in counts]
    for match in _NUMBER.finditer(text):
        token, unit, noun = match.group(1).replace(",", "").replace("−", "-"), match.group(2), match.group(3)
        value = float(token)
        places = len(token.split(".")[1]) if "." in token else 0
        tolerance = 0.5 * 10**-places + 1e-9
        if noun:  # how many standards, areas, periods or quotes
            explained = int(value) in sizes
        elif unit:  # a percentage, or percentage points
            explained = any(abs(abs(100 * fraction) - abs(value)) <= tolerance for fraction in fractions)
        elif places and text[: match.start()].endswith("< "):  # "p < 0.001": a published p-value below it
            explained = any(0 <= fraction < value for fraction in fractions)
        elif places:  # a p-value or a statistic
            explained = any(abs(fraction - value) <= tolerance for fraction in fractions)
        else:
            explained = int(value) in counts
        if not explained and token.lstrip("-") not in authored:
            start = max(match.start() - 60, 0)
            found.append(f"{match.group(0)!r} in '…{text[start : match.end() + 20]}…'")
    return found


def _render(project: Path, parameters: str, out: Path) -> tuple[str, dict, Path]:
    path = project / "parameters" / parameters
    result = subprocess.run(
        [str(AUDITKIT), "run", str(path), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return (out / "briefing.html").read_text(encoding="utf-8"), document, path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with the DfE rule (counts from 1 to 5 hidden) in every parameters file."""
    root = tmp_path_factory.mktemp("numbers") / "project"
    for folder in ("parameters", "data_templates", "notebooks"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in (root / "parameters").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("min_count: 0", "min_count: 5"), "utf-8")
    return root


@pytest.mark.parametrize("parameters", ["llr-2017-followup.yaml", "lancashire-2018.yaml", "llr-2017.yaml"])
def test_every_number_in_the_briefing_is_one_findings_json_publishes(project: Path, tmp_path: Path, parameters: str):
    html, document, path = _render(project, parameters, tmp_path / "out")
    quotes = auditkit.analyse_round(path).quotes
    assert document["disclosure"]["applied"] and document["disclosure"]["min_count"] == 5
    assert unexplained_numbers(html, document, path, {quotes.redacted, quotes.held_back}) == []


def test_the_check_finds_a_number_findings_json_does_not_publish(project: Path, tmp_path: Path):
    """A number the briefing prints but findings.json hides is caught: the test can fail."""
    html, document, path = _render(project, "llr-2017-followup.yaml", tmp_path / "out")
    published = {value for _, value in leaves(document) if isinstance(value, int)}
    word = next(word for value, word in enumerate(_WORDS, start=1) if value not in published)
    planted = html.replace(
        "</main>", f"<p>Escalation was timely in 3 of the cases (27%), and late in {word} cases.</p></main>"
    )
    found = unexplained_numbers(planted, document, path, {0, 1})
    assert [entry.split(" in ")[0] for entry in found] == [f"'{word} cases'", "'3'", "'27%'"]


@pytest.mark.parametrize("rule", ["min_count: 5", "min_count: 0"])
def test_every_number_of_the_breakdowns_is_one_findings_json_publishes(project: Path, tmp_path: Path, rule: str):
    # Issue 18: a round broken down by agency and by the child's age band, under the DfE rule and without it.
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    path = copy / "parameters" / "llr-2017-followup.yaml"
    text = path.read_text(encoding="utf-8").replace("min_count: 5", rule)
    path.write_text(text.replace("\ninstruments:", "\nbreakdowns: [agency, child_age_band]\ninstruments:", 1), "utf-8")
    html, document, path = _render(copy, "llr-2017-followup.yaml", tmp_path / "out")
    assert "Findings by group" in html and "breakdowns" in document["instruments"]["survey"]
    quotes = auditkit.analyse_round(path).quotes
    assert unexplained_numbers(html, document, path, {quotes.redacted, quotes.held_back}) == []
