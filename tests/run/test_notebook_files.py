"""auditkit.run.notebook_files: a run executes the workbook's own notebooks when it has them, else auditkit's."""

from __future__ import annotations

from pathlib import Path

from conftest import NOTEBOOKS, RoundCopy

from auditkit.run.notebook_files import BRIEFING_NOTEBOOK, notebook_source, packaged_notebooks
from auditkit.run.pipeline import NOTEBOOKS as RUN_ORDER


def test_auditkit_ships_every_notebook_a_run_executes():
    assert sorted(path.name for path in packaged_notebooks()) == sorted(RUN_ORDER)
    assert all(path.parent == NOTEBOOKS.resolve() for path in packaged_notebooks())


def test_without_notebooks_of_its_own_a_workbook_runs_auditkits(example_round: RoundCopy):
    assert notebook_source(BRIEFING_NOTEBOOK, example_round.root) == NOTEBOOKS.resolve() / BRIEFING_NOTEBOOK
    assert notebook_source(BRIEFING_NOTEBOOK, None) == NOTEBOOKS.resolve() / BRIEFING_NOTEBOOK


def test_a_workbooks_own_notebook_wins_and_one_it_lacks_is_auditkits(example_round: RoundCopy):
    own = example_round.own_notebooks()
    (own / "analysis.ipynb").unlink()
    assert notebook_source(BRIEFING_NOTEBOOK, example_round.root) == own / BRIEFING_NOTEBOOK
    assert notebook_source("analysis.ipynb", example_round.root) == NOTEBOOKS.resolve() / "analysis.ipynb"


def test_a_folder_named_like_a_notebook_is_no_notebook(example_round: RoundCopy):
    (example_round.root / "notebooks" / BRIEFING_NOTEBOOK).mkdir(parents=True)
    assert notebook_source(BRIEFING_NOTEBOOK, example_round.root) == Path(NOTEBOOKS.resolve() / BRIEFING_NOTEBOOK)


def test_a_copy_for_a_round_names_it_and_keeps_the_rest():
    import nbformat

    from auditkit.run.notebook_files import notebook_for_round, notebook_parameter

    copy = nbformat.reads(notebook_for_round(NOTEBOOKS / BRIEFING_NOTEBOOK, "parameters/lscp-2025.yaml"), as_version=4)
    original = nbformat.read(NOTEBOOKS / BRIEFING_NOTEBOOK, as_version=4)
    tagged = [cell for cell in copy.cells if "parameters" in cell.metadata.get("tags", [])]
    assert [cell.source for cell in tagged] == ['parameters_path = "parameters/lscp-2025.yaml"']
    assert [cell.source for cell in copy.cells if cell not in tagged] == [
        cell.source for cell in original.cells if "parameters" not in cell.metadata.get("tags", [])
    ]
    assert notebook_parameter(NOTEBOOKS.parents[2] / "parameters" / "llr-2017.yaml") == "parameters/llr-2017.yaml"
