"""The Word briefing as `auditkit run` writes it: the same words and figures as the HTML and PDF, opened in a
real office suite, accessible, listed in the manifest, and laid out from the sections the notebook shows.

LibreOffice (Debian's libreoffice-writer-nogui, headless) converts briefing.docx to PDF, and poppler's pdftotext
reads that PDF back: the document opens in a real office suite, not only in python-docx.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import nbformat
import pytest
from conftest import RoundCopy, convert_with_libreoffice, copy_workbook, docx_plain_text, run_auditkit_run

import auditkit
from auditkit.briefing.contexts import section_context
from auditkit.briefing.docx_checks import check_docx
from auditkit.briefing.docx_template import DEFAULT_TEMPLATE

pytestmark = pytest.mark.slow

AUDITKIT = Path(sys.executable).with_name("auditkit")
SYMBOL = "[x]"


_run = run_auditkit_run


def _project(root: Path) -> RoundCopy:
    copy_workbook(root)
    (root / "reports").mkdir()
    return RoundCopy(root)


def _words(text: str) -> str:
    """Text with its whitespace normalised and ligatures as their letters, to be searched for sentences."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_text(path: Path) -> str:
    return _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def _html_text(path: Path) -> str:
    from html import unescape

    main = path.read_text(encoding="utf-8").split("<main", 1)[1]
    return _words(unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The example round under the DfE rule, its hidden counts shown as [x], run into reports/llr-2017."""
    project = _project(tmp_path_factory.mktemp("word") / "project")
    project.edit_parameters("disclosure:\n  min_count: 0\n", f'disclosure:\n  symbol: "{SYMBOL}"\n')
    result = _run(project.parameters)
    assert result.returncode == 0, result.stderr
    report = project.reports / "llr-2017"
    return {"project": project, "report": report, "analysis": auditkit.analyse_round(project.parameters)}


def _figures(analysis) -> list[str]:
    """Every row of the figures' tables as a reader reads it: standard, met, out of, percentage, interval."""
    rows = []
    for chart in section_context("charts", analysis)["charts"]:
        for row in chart["rows"]:
            label = f"{row['label']} (lower is better)" if row["lower_is_better"] else row["label"]
            rows.append(f"{label} {row['numerator']} {row['denominator']} {row['percent']} {row['interval']}")
    return rows


def test_every_key_finding_figure_and_suppression_symbol_is_in_all_three_formats(suppressed):
    report, analysis = suppressed["report"], suppressed["analysis"]
    texts = {
        "briefing.html": _html_text(report / "briefing.html"),
        "briefing.pdf": _pdf_text(report / "briefing.pdf"),
        "briefing.docx": _words(docx_plain_text(report / "briefing.docx")),
    }
    context = section_context("key_findings", analysis)
    sentences = [sentence for finding in context["findings"] for sentence in finding["sentences"]]
    sentences += [f"Recommendation: {finding['recommendation']}" for finding in context["findings"]]
    figures = _figures(analysis)
    assert any(SYMBOL in row for row in figures) and any(SYMBOL in sentence for sentence in sentences)
    for name, text in texts.items():
        missing = [_words(wanted) for wanted in sentences + figures if _words(wanted) not in text]
        assert missing == [], name
    counts = {name: text.count(SYMBOL) for name, text in texts.items()}
    assert len(set(counts.values())) == 1 and counts["briefing.html"] > 20, counts


def test_the_word_briefing_passes_the_accessibility_check(suppressed):
    assert check_docx(suppressed["report"] / "briefing.docx") == []


def test_the_manifest_lists_the_word_briefing_and_verify_covers_it(suppressed, tmp_path):
    report = tmp_path / "report"
    shutil.copytree(suppressed["report"], report)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert "briefing.docx" in [output["path"] for output in manifest["outputs"]]
    verify = [str(AUDITKIT), "verify", str(report)]
    assert subprocess.run(verify, capture_output=True, check=False).returncode == 0
    document = docx.Document(str(report / "briefing.docx"))
    document.paragraphs[0].text = "Edited after the run"
    document.save(str(report / "briefing.docx"))
    result = subprocess.run(verify, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"  changed   {report / 'briefing.docx'}" in result.stdout
    assert "1 of its own file(s) changed or missing since it was written (briefing.docx)" in result.stderr


@pytest.mark.libreoffice
def test_libreoffice_opens_the_word_briefing_and_its_pdf_holds_every_key_finding(suppressed, tmp_path):
    pdf = convert_with_libreoffice(suppressed["report"] / "briefing.docx", "pdf", tmp_path / "converted")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert "Title:           Neglect toolkit survey and deep dive audit: Leicester" in info
    text = _pdf_text(pdf)
    context = section_context("key_findings", suppressed["analysis"])
    findings = [_words(sentence) for finding in context["findings"] for sentence in finding["sentences"]]
    positions = [text.find(sentence) for sentence in findings]
    assert -1 not in positions, dict(zip(findings, positions))
    assert positions == sorted(positions)
    assert "Round llr-2017 · data fingerprint" in text and "Page 1 of " in text


@pytest.fixture(scope="module")
def customised(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The example round with the partnership's own Word template and a customised briefing notebook: an extra
    Markdown cell and an extra table, the methodology left out and the figures moved before the key findings. Run
    with --formats docx,html."""
    project = _project(tmp_path_factory.mktemp("custom") / "project")
    template = docx.Document(str(DEFAULT_TEMPLATE))
    template.styles["Heading 1"].font.name = "Georgia"
    template.sections[0].header.paragraphs[0].text = "Our partnership's letterhead"
    template.save(str(project.root / "parameters" / "partnership.docx"))
    project.edit_parameters("briefing:\n", "briefing:\n  docx_template: partnership.docx\n")
    path = project.own_notebooks() / "briefing.ipynb"
    notebook = nbformat.read(path, as_version=4)
    shown = {cell.source: cell for cell in notebook.cells}

    def section(name: str) -> nbformat.NotebookNode:
        return shown[f'auditkit.render_section("{name}", analysis)']

    notebook.cells = [
        *notebook.cells[:4],  # the introduction, the import, the parameters and the analysis
        section("title"),
        nbformat.v4.new_markdown_cell("## ZQX our own introduction"),
        nbformat.v4.new_code_cell("import pandas\npandas.DataFrame({'ZQXTABLE': [1]})"),
        section("background"),
        section("charts"),
        *(section(name) for name in ("definition", "quotes", "key_findings", "change", "actions", "indicators")),
        section("further_information"),
    ]
    nbformat.write(notebook, path)
    result = _run(project.parameters, "--formats", "docx,html")
    assert result.returncode == 0, result.stderr
    return {"project": project, "report": project.reports / "llr-2017", "stdout": result.stdout}


def test_only_the_formats_asked_for_are_written_and_named(customised):
    report = customised["report"]
    assert not (report / "briefing.pdf").exists()
    assert customised["stdout"] == (
        f"Briefing written to {report / 'briefing.html'}\n                and {report / 'briefing.docx'}\n"
    )
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert [output["path"] for output in manifest["outputs"]][:2] == ["briefing.html", "briefing.docx"]
    template = customised["project"].root / "parameters" / "partnership.docx"
    assert {"round": "llr-2017", "role": "template", "path": str(template)} in [
        {key: item[key] for key in ("round", "role", "path")} for item in manifest["inputs"]
    ]


def test_the_word_briefing_lays_out_the_notebooks_sections_in_its_order_and_its_extra_cells_stay_in_the_html(
    customised,
):
    report = customised["report"]
    document = docx.Document(str(report / "briefing.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Background",
        "The figures",
        "Definition of neglect",
        "What practitioners said",
        "Key findings and recommendations",
        "Action plan",
        "Further information",
    ]
    html = (report / "briefing.html").read_text(encoding="utf-8")
    assert "ZQXTABLE" in html and "ZQXTABLE" not in docx_plain_text(document)  # a code cell's own output
    assert "ZQX our own introduction" not in html + docx_plain_text(document)  # Markdown cells are notes
    assert "Methodology" not in docx_plain_text(document)


def test_the_partnerships_template_gives_the_word_briefing_its_styles_and_letterhead(customised):
    document = docx.Document(str(customised["report"] / "briefing.docx"))
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert document.sections[0].header.paragraphs[0].text == "Our partnership's letterhead"
    assert check_docx(document) == []
