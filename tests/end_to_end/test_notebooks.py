"""Notebooks are thin and committed clean: no definitions, no loops, no outputs; each runs as shipped."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from auditkit.run.engines import execute_notebook
from auditkit.run.pipeline import NOTEBOOKS, PARAMETER_NAME

NOTEBOOK_PATHS = sorted((REPO / "notebooks").glob("*.ipynb"))

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
    assert "../parameters/llr-2017.yaml" in tagged[0].source


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
