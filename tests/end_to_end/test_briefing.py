"""The example round rendered end to end by `auditkit run`, and the briefing read as a reader would."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, RoundCopy, copy_workbook

pytestmark = pytest.mark.slow

AUDITKIT = Path(sys.executable).with_name("auditkit")
OUTPUTS = [
    "briefing.docx",
    "briefing.html",
    "briefing.ipynb",
    "briefing.pdf",
    "findings.csv",
    "findings.json",
    "internal",
    "manifest.json",
]
INTERNAL = ["README.txt", "analysis.ipynb", "findings-unsuppressed.csv", "findings-unsuppressed.json"]
SECTIONS = [
    "Background",
    "Methodology",
    "Definition of neglect",
    "What practitioners said",
    "Key findings and recommendations",
    "Action plan",
    "The figures",
    "Further information",
]


class _Outline(HTMLParser):
    """Headings, images, scripts and external references of an HTML page."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.images: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.references: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._heading, self._text = tag, ""
        if tag == "img":
            self.images.append(attributes)
        for name in ("src", "href"):
            if name in attributes and tag != "a":
                self.references.append(attributes[name])

    def handle_data(self, data):
        if self._heading:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, " ".join(self._text.split())))
            self._heading = None


def _run(parameters: Path, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    # A fixed SOURCE_DATE_EPOCH fixes the run date printed in the footer, as reproducible builds do.
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [str(AUDITKIT), "run", str(parameters), *extra],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env=environment,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example round run twice: into reports/ from an unrelated folder, and again with --out."""
    root = copy_workbook(tmp_path_factory.mktemp("rendered") / "project")
    (root / "reports").mkdir()
    project = RoundCopy(root)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    first = _run(project.parameters, elsewhere)
    assert first.returncode == 0, first.stderr
    second = _run(project.parameters, elsewhere, "--out", str(root / "again"), "--quiet")
    assert second.returncode == 0, second.stderr
    return {"project": root, "first": root / "reports" / "llr-2017", "second": root / "again", "stdout": first.stdout}


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return (rendered["first"] / "briefing.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outline(html) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_run_writes_every_output_and_says_where_the_briefing_is(rendered):
    assert sorted(path.name for path in rendered["first"].iterdir()) == OUTPUTS
    assert sorted(path.name for path in (rendered["first"] / "internal").iterdir()) == INTERNAL
    assert "INTERNAL: do not publish" in (rendered["first"] / "internal" / "README.txt").read_text()
    assert f"Briefing written to {rendered['first'] / 'briefing.html'}" in rendered["stdout"]
    assert f"                and {rendered['first'] / 'briefing.docx'}" in rendered["stdout"]
    assert sorted(path.name for path in (rendered["project"] / "reports").iterdir()) == ["llr-2017"]


def test_briefing_has_one_title_and_the_sections_in_order(outline):
    assert [heading for heading in outline.headings if heading[0] == "h1"] == [
        ("h1", "Neglect toolkit survey and deep dive audit")
    ]
    assert [text for tag, text in outline.headings if tag == "h2"] == SECTIONS


def test_briefing_states_partnership_date_period_and_the_computed_counts(html):
    text = _plain(html)
    assert "Leicester, Leicestershire and Rutland Safeguarding Children Boards" in text
    assert "Summary briefing, June 2017" in text
    assert "This round covers 1 July 2016 to 30 April 2017." in text
    assert "10 cases were audited: 4 in Leicester, 4 in Leicestershire and 2 in Rutland." in text
    assert "61 responses were received, of which 39 answered every required question." in text


def test_key_findings_are_numbered_with_figure_interval_and_recommendation(html):
    findings = re.search(r'<ol class="findings">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li class=\"finding[^\"]*\">(.*?)</li>", findings, re.S)
    assert len(items) == 6
    first = _plain(items[0])
    assert first.startswith("The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%).")
    assert "Recommendation: Every partner agency should make the neglect toolkit part of routine" in first
    assert all("Recommendation:" in item for item in items[:5])
    assert "Drift or delay was evident in 7 of the 10 cases audited (70%; 95% CI 40% to 89%)." in _plain(items[1])


def test_briefing_has_no_code_prompts_scripts_or_network_requests(html, outline):
    assert "auditkit.render_section" not in html
    assert "parameters_path" not in html
    assert not re.search(r"In\s*\[\d*\]", html)
    assert "script" not in outline.tags and "link" not in outline.tags and "iframe" not in outline.tags
    assert outline.references == [] or all(ref.startswith("data:") for ref in outline.references)
    assert len(outline.images) == 2
    assert all(image["src"].startswith("data:image/png;base64,") for image in outline.images)
    assert all(len(image["alt"]) > 40 for image in outline.images)
    assert "@page" in html and "size: A4" in html


def test_briefing_never_shows_identifiers_notes_or_unconsented_comments(rendered, html):
    def column(path: Path, name: str) -> list[str]:
        with path.open(encoding="utf-8", newline="") as handle:
            return [row[name] for row in csv.DictReader(handle) if row[name]]

    data = REPO / "data_templates" / "examples"
    with (data / "llr-2017-survey.csv").open(encoding="utf-8", newline="") as handle:
        unconsented = [
            row["comment"] for row in csv.DictReader(handle) if row["comment"] and row["quote_consent"] != "yes"
        ]
    secrets = (
        column(data / "llr-2017-cases.csv", "case_ref")
        + column(data / "llr-2017-cases.csv", "notes")
        + column(data / "llr-2017-survey.csv", "response_id")
        + unconsented
    )
    assert len(secrets) > 70
    published = [html] + [
        (rendered["first"] / name).read_text(encoding="utf-8") for name in ("findings.json", "findings.csv")
    ]
    for text in published:
        leaked = [secret for secret in secrets if re.search(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", text)]
        assert leaked == []


def test_quotes_are_the_consented_comments(html):
    text = _plain(html)
    assert "The scoring gave me firm evidence for my referral" in text
    assert "Please do not quote me" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_is_a4_and_reads_in_order(rendered):
    pdf = rendered["first"] / "briefing.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert "Title:" in info and "Neglect toolkit survey and deep dive audit" in info
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    order = [
        "Background",
        "61 responses were received, of which 39 answered every required question.",
        "The neglect toolkit was used in 2 of the 10 cases audited (20%; 95% CI 6% to 51%).",
        "Drift or delay was evident in 7 of the 10 cases audited",
        "Concerns were escalated in good time in 2 of the 7 cases that needed escalation",
        "Further information",
    ]
    positions = [text.find(phrase) for phrase in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)


def test_the_same_inputs_give_the_same_bytes(rendered):
    for name in ("findings.json", "findings.csv", "briefing.html", "briefing.pdf", "briefing.docx"):
        assert (rendered["first"] / name).read_bytes() == (rendered["second"] / name).read_bytes(), name
