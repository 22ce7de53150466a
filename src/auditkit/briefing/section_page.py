"""The briefing page from the sections its notebook shows, without executing the notebook.

``auditkit run`` executes the briefing notebook, whose cells each show one section
(:func:`auditkit.briefing.html.render_section`), and turns the executed notebook into the page
(:func:`auditkit.briefing.page.render_briefing_html`). ``auditkit preview`` renders the page again on every
save and cannot pay for papermill or a kernel each time, so it reads which sections the notebook shows, in its
order, from the cells' code (:func:`section_cells`), renders them with the same ``render_section`` and lays them
out as a notebook's outputs through the same ``render_briefing_html`` (:func:`render_sections_page`): the page is
the run's page, section for section. A customised notebook's other cells (a table, a chart of its own) need a
kernel: :attr:`SectionCells.other` lists them so that the preview can say they are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

import nbformat

from auditkit.analysis.round_analysis import Analysis
from auditkit.briefing.html import Section, render_section
from auditkit.briefing.page import render_briefing_html
from auditkit.briefing.sections import SECTION_NAMES

__all__ = ["SectionCells", "render_sections_page", "section_cells", "sections_notebook"]

#: The code of the cells a thin briefing notebook holds besides its sections: they show nothing.
_SILENT_CELLS = frozenset(
    ast.dump(ast.parse(code))
    for code in ("import auditkit", "analysis = auditkit.analyse_round(auditkit.workbook_file(parameters_path))")
)


@dataclass(frozen=True)
class SectionCells:
    """What a briefing notebook's cells show: the ``names`` of its sections, in order, and the ``other`` cells
    (their first lines) whose output only an executed notebook has."""

    names: tuple[str, ...]
    other: tuple[str, ...] = ()


def _section_name(tree: ast.Module) -> str | None:
    """The NAME of a cell that is exactly ``auditkit.render_section("NAME", analysis)``, else None."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if not (
        isinstance(call, ast.Call)
        and ast.dump(call.func) == ast.dump(ast.parse("auditkit.render_section", mode="eval").body)
        and len(call.args) == 2
        and not call.keywords
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and isinstance(call.args[1], ast.Name)
        and call.args[1].id == "analysis"
    ):
        return None
    return call.args[0].value if call.args[0].value in SECTION_NAMES else None


def section_cells(notebook: nbformat.NotebookNode) -> SectionCells:
    """The sections a briefing notebook's code cells show, read from their code, without running them.

    A cell ``auditkit.render_section("name", analysis)`` shows that section; the import, the cell tagged
    ``parameters``, the cell that analyses the round, empty cells and Markdown show nothing in the briefing. Any
    other code cell is listed in ``other``.

    Returns
    -------
    SectionCells
        ``names``: the sections in the order of their cells, such as ``('title', 'background', …)``; ``other``: the
        first line of each other code cell, such as ``('display(analysis.comparison_table())',)``.
    """
    names, other = [], []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.source.strip() or "parameters" in cell.metadata.get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            tree = None
        name = _section_name(tree) if tree is not None else None
        if name is not None:
            names.append(name)
        elif tree is None or ast.dump(tree) not in _SILENT_CELLS:
            other.append(cell.source.strip().splitlines()[0])
    return SectionCells(names=tuple(names), other=tuple(other))


def sections_notebook(sections: Sequence[Section]) -> nbformat.NotebookNode:
    """A notebook whose cells show ``sections``, one a cell, as the executed briefing notebook shows them.

    Returns
    -------
    nbformat.NotebookNode
        One code cell a section, its output the section's HTML with the section's name in its metadata (what
        :meth:`Section._repr_mimebundle_` gives Jupyter).
    """
    notebook = nbformat.v4.new_notebook()
    for count, section in enumerate(sections, start=1):
        data, metadata = section._repr_mimebundle_()
        output = nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=count)
        notebook.cells.append(nbformat.v4.new_code_cell(execution_count=count, outputs=[output]))
    return notebook


def render_sections_page(analysis: Analysis, names: Sequence[str] = SECTION_NAMES) -> str:
    """The briefing page showing the sections ``names`` of ``analysis``, as ``auditkit run`` renders it.

    Each section comes from :func:`~auditkit.briefing.html.render_section` (over the protected analysis, drawn
    once per analysis) and the page from :func:`~auditkit.briefing.page.render_briefing_html`.

    Returns
    -------
    str
        The whole page, ``<!DOCTYPE html>`` on, without a script: what ``briefing.html`` holds when the briefing
        notebook shows these sections.
    """
    notebook = sections_notebook([render_section(name, analysis) for name in names])
    return render_briefing_html(notebook, analysis.round)
