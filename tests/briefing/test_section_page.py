"""briefing/section_page.py: the sections a briefing notebook shows, read from its code, and the page made of them."""

from __future__ import annotations

import nbformat
from conftest import NOTEBOOKS

import auditkit
from auditkit.briefing.html import SECTION_METADATA, render_section
from auditkit.briefing.section_page import render_sections_page, section_cells, sections_notebook
from auditkit.briefing.sections import SECTION_NAMES


def test_the_packaged_briefing_notebook_shows_every_section_in_order_and_nothing_else():
    cells = section_cells(nbformat.read(NOTEBOOKS / "briefing.ipynb", as_version=4))
    assert cells.names == SECTION_NAMES
    assert cells.other == ()


def test_a_customised_notebook_shows_its_own_sections_and_its_other_cells_are_named():
    notebook = nbformat.read(NOTEBOOKS / "briefing.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    notebook.cells = [cell for cell in notebook.cells if cell.source != 'auditkit.render_section("quotes", analysis)']
    notebook.cells.insert(5, nbformat.v4.new_code_cell("auditkit.render_section('methodology', analysis)"))
    notebook.cells.append(nbformat.v4.new_code_cell("analysis.comparison_table()\n# the change, as a table"))
    notebook.cells.append(nbformat.v4.new_code_cell("auditkit.render_section('no_such_section', analysis)"))
    notebook.cells.append(nbformat.v4.new_code_cell("this is not ( python"))
    notebook.cells.append(nbformat.v4.new_markdown_cell("auditkit.render_section('title', analysis)"))
    cells = section_cells(notebook)
    assert 'auditkit.render_section("quotes", analysis)' in sources
    assert "quotes" not in cells.names
    assert cells.names[:3] == ("title", "methodology", "background")
    assert cells.other == (
        "analysis.comparison_table()",
        "auditkit.render_section('no_such_section', analysis)",
        "this is not ( python",
    )


def test_the_sections_notebook_carries_each_section_as_the_executed_notebook_does(example_round):
    analysis = auditkit.analyse_round(example_round.parameters)
    notebook = sections_notebook([render_section("title", analysis), render_section("actions", analysis)])
    outputs = [cell.outputs[0] for cell in notebook.cells]
    assert [output.metadata[SECTION_METADATA]["section"] for output in outputs] == ["title", "actions"]
    assert outputs[0].data["text/html"] == render_section("title", analysis).html


def test_the_page_shows_the_sections_named_in_their_order_and_no_script(example_round):
    analysis = auditkit.analyse_round(example_round.parameters)
    page = render_sections_page(analysis, ("methodology", "title"))
    assert page.startswith("<!DOCTYPE html>")
    assert page.index('<h2 id="methodology">Methodology</h2>') < page.index("<h1>")
    assert "Key findings" not in page
    assert "<script" not in page
