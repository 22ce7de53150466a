"""Notebooks are thin and committed clean: no definitions, no loops, no outputs; each runs as shipped."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS as SHIPPED
from conftest import REPO, RoundCopy

from auditkit.run.engines import execute_notebook
from auditkit.run.pipeline import NOTEBOOKS, PARAMETER_NAME

#: The notebooks auditkit ships, inside the package; a workbook may keep its own copies in notebooks/.
NOTEBOOK_PATHS = sorted(SHIPPED.glob("*.ipynb"))

#: Syntax a thin notebook may not contain: logic belongs in src/auditkit.
FORBIDDEN = {
    ast.FunctionDef: "def",
    ast.AsyncFunctionDef: "async def",
    ast.ClassDef: "class",
    ast.Lambda: "lambda",
    ast.For: "for loop",
    ast.AsyncFor: "async for loop",
    ast.While: "while loop",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
}


def forbidden_constructs(source: str) -> list[str]:
    """The names of forbidden constructs in a code cell's source."""
    return [FORBIDDEN[type(node)] for node in ast.walk(ast.parse(source)) if type(node) in FORBIDDEN]


def test_the_run_executes_every_shipped_notebook():
    assert sorted(path.name for path in NOTEBOOK_PATHS) == sorted(NOTEBOOKS)


def test_the_thinness_check_catches_definitions_and_loops():
    assert forbidden_constructs("def f():\n    pass") == ["def"]
    assert forbidden_constructs("class A:\n    pass") == ["class"]
    assert forbidden_constructs("for x in y:\n    total += x") == ["for loop"]
    assert forbidden_constructs("[x for x in y]") == ["list comprehension"]
    assert forbidden_constructs("auditkit.render_section('title', analysis)") == []


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_has_no_definitions_or_loops(path: Path):
    notebook = nbformat.read(path, as_version=4)
    found = {
        f"cell {index}: {name}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for name in forbidden_constructs(cell.source)
    }
    assert not found, f"{path.name} computes in the notebook; move this into src/auditkit: {sorted(found)}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_is_committed_without_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] for cell in code_cells)
    assert all(cell.execution_count is None for cell in code_cells)
    nbformat.validate(notebook)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_has_one_parameters_cell_naming_the_example_round(path: Path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert ast.parse(tagged[0].source).body[0].targets[0].id == PARAMETER_NAME
    # A path inside the workbook, found from the folder the notebook runs in (auditkit.workbook_file).
    assert tagged[0].source == f'{PARAMETER_NAME} = "parameters/llr-2017.yaml"'


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom_with_its_default_parameters(path: Path, tmp_path: Path):
    executed = execute_notebook(path, tmp_path / path.name, {})
    errors = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    displayed = [cell for cell in executed.cells if cell.cell_type == "code" and cell.outputs]
    assert displayed, "the notebook displayed nothing"


def _errors(executed: nbformat.NotebookNode) -> list:
    return [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


@pytest.mark.slow
def test_papermill_run_from_the_workbook_root_finds_the_default_round(tmp_path: Path, monkeypatch):
    import papermill

    from auditkit.run.inprocess_engine import ENGINE_NAME

    monkeypatch.chdir(REPO)  # as `papermill src/auditkit/notebooks/briefing.ipynb out.ipynb` from the root runs it
    executed = papermill.execute_notebook(
        str(SHIPPED / "briefing.ipynb"), str(tmp_path / "out.ipynb"), engine_name=ENGINE_NAME, progress_bar=False
    )
    assert _errors(executed) == []


@pytest.mark.slow
def test_a_workbooks_own_notebook_runs_from_its_notebooks_folder(example_round: RoundCopy, tmp_path: Path):
    example_round.edit_parameters("title: Neglect toolkit survey", "title: ZQX workbook toolkit survey")
    source = example_round.own_notebooks() / "briefing.ipynb"
    executed = execute_notebook(source, tmp_path / "out.ipynb", {})  # in its own folder, as JupyterLab runs it
    assert _errors(executed) == []
    shown = "".join(str(output.get("data", {})) for cell in executed.cells for output in cell.get("outputs", []))
    assert "ZQX workbook toolkit survey" in shown  # the round of the workbook it runs in
