"""auditkit.run.engines: a notebook run on either engine, and the notebook and cell named when one fails."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import copy_workbook

from auditkit.cli import main
from auditkit.errors import NotebookError
from auditkit.run.engines import execute_notebook


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workbook(tmp_path_factory.mktemp("engines") / "project")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_the_kernel_engine_gives_the_same_findings(project: Path, tmp_path: Path):
    parameters = str(project / "parameters" / "llr-2017.yaml")
    assert invoke("run", parameters, "--out", str(tmp_path / "inprocess"), "--quiet").exit_code == 0
    assert invoke("run", parameters, "--out", str(tmp_path / "kernel"), "--quiet", "--engine", "kernel").exit_code == 0
    for output in ("findings.json", "findings.csv", "briefing.html", "briefing.docx"):
        assert (tmp_path / "inprocess" / output).read_bytes() == (tmp_path / "kernel" / output).read_bytes(), output


def write_notebook(path: Path, *sources: str, parameters: str | None = None) -> Path:
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    if parameters is not None:
        cells.insert(0, nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_an_unknown_engine_is_refused_by_name(tmp_path: Path):
    source = write_notebook(tmp_path / "briefing.ipynb", "1 + 1")
    with pytest.raises(ValueError) as caught:
        execute_notebook(source, tmp_path / "out.ipynb", {}, engine="docker")
    assert str(caught.value) == "engine must be one of inprocess, kernel, not 'docker'"
    assert not (tmp_path / "out.ipynb").exists()


def test_the_parameters_are_injected_and_the_notebook_runs_in_its_own_folder(tmp_path: Path):
    source = write_notebook(
        tmp_path / "notebooks" / "briefing.ipynb",
        "import os\nprint(where)\nprint(os.getcwd())",
        parameters="where = 'default'",
    )
    (tmp_path / "report").mkdir()
    executed = execute_notebook(source, tmp_path / "report" / "briefing.ipynb", {"where": "given"})
    expected = f"given\n{tmp_path / 'notebooks'}\n"
    assert executed.cells[-1].outputs[0]["text"] == expected
    saved = nbformat.read(tmp_path / "report" / "briefing.ipynb", as_version=4)
    assert saved.cells[-1].outputs[0]["text"] == expected


def test_a_failing_cell_is_named_with_its_number_its_first_line_and_the_error(tmp_path: Path):
    source = write_notebook(
        tmp_path / "briefing.ipynb", "total = 0", "\n\nshare = 1 / total\nprint(share)", "print('never')"
    )
    with pytest.raises(NotebookError) as caught:
        execute_notebook(source, tmp_path / "out.ipynb", {})
    # numbered as in the executed copy the notebook's author can open
    number = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[1].execution_count
    assert str(caught.value) == (
        f"The notebook briefing.ipynb, cell [{number}] failed: ZeroDivisionError: division by zero "
        "(the cell starting `share = 1 / total`)"
    )
    assert (caught.value.notebook, caught.value.cell) == ("briefing.ipynb", f"[{number}]")


@pytest.mark.slow
def test_the_kernel_engine_names_a_failing_cell_the_same_way(tmp_path: Path):
    source = write_notebook(tmp_path / "briefing.ipynb", "total = 0", "share = 1 / total")
    with pytest.raises(NotebookError) as caught:
        execute_notebook(source, tmp_path / "out.ipynb", {}, engine="kernel")
    assert str(caught.value) == (
        "The notebook briefing.ipynb, cell [2] failed: ZeroDivisionError: division by zero "
        "(the cell starting `share = 1 / total`)"
    )


def test_a_kernel_that_never_answers_is_a_sentence(monkeypatch, tmp_path):
    import auditkit.run.engines as engines
    from auditkit.errors import NotebookError

    def no_answer(source, target, parameters):
        raise RuntimeError("Kernel didn't respond in 300 seconds")

    monkeypatch.setattr(engines, "_run_in_kernel", no_answer)
    with pytest.raises(NotebookError) as refused:
        engines.execute_notebook(tmp_path / "briefing.ipynb", tmp_path / "out.ipynb", {}, engine="kernel")
    assert str(refused.value) == (
        "The notebook briefing.ipynb failed: its kernel did not answer within 300 seconds of starting (the machine "
        "may be busy); run it again, or without --engine kernel."
    )


def test_another_runtime_error_is_a_bug_and_keeps_its_traceback(monkeypatch, tmp_path):
    import auditkit.run.engines as engines

    def broken(source, target, parameters):
        raise RuntimeError("something else")

    monkeypatch.setattr(engines, "_run_in_kernel", broken)
    with pytest.raises(RuntimeError, match="something else"):
        engines.execute_notebook(tmp_path / "briefing.ipynb", tmp_path / "out.ipynb", {}, engine="kernel")
