"""auditkit.run.inprocess_engine: notebooks run in this process, each from an empty namespace in its own folder."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from auditkit.errors import NotebookError
from auditkit.run.engines import execute_notebook


@pytest.mark.slow
def test_one_notebook_sees_nothing_another_defined(tmp_path: Path):
    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("left_behind = 42")])
    second = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("'left_behind' in globals()")])
    for notebook, name in ((first, "first.ipynb"), (second, "second.ipynb")):
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, tmp_path / name)
    execute_notebook(tmp_path / "first.ipynb", tmp_path / "first-out.ipynb", {})
    executed = execute_notebook(tmp_path / "second.ipynb", tmp_path / "second-out.ipynb", {})
    assert executed.cells[-1].outputs[0]["data"]["text/plain"] == "False"


def write_notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell("A note between the cells."))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def test_each_cell_keeps_what_it_printed_displayed_and_returned(tmp_path: Path, capsys):
    source = write_notebook(
        tmp_path / "briefing.ipynb",
        "import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)",
        "from IPython.display import HTML, display\ndisplay(HTML('<p>a section</p>'))\n6 * 7",
        "x = 1",
    )
    executed = execute_notebook(source, tmp_path / "out.ipynb", {})
    first, second, third = (cell for cell in executed.cells if cell.cell_type == "code")
    assert [(output.output_type, output.name, output.text) for output in first.outputs] == [
        ("stream", "stdout", "to stdout\n"),
        ("stream", "stderr", "to stderr\n"),
    ]
    assert [output.output_type for output in second.outputs] == ["display_data", "execute_result"]
    assert second.outputs[0]["data"]["text/html"] == "<p>a section</p>"
    assert second.outputs[1]["data"]["text/plain"] == "42"
    assert second.outputs[1]["execution_count"] == second.execution_count == 2
    assert third.outputs == [] and third.execution_count == 3
    printed = capsys.readouterr()
    assert "to stdout" not in printed.out and "Out[" not in printed.out  # into the notebook, not the terminal


def test_a_failing_cell_records_its_error_and_the_cells_after_it_do_not_run(tmp_path: Path):
    source = write_notebook(tmp_path / "briefing.ipynb", "total = 0", "share = 1 / total", "print('never')")
    with pytest.raises(NotebookError):
        execute_notebook(source, tmp_path / "out.ipynb", {})
    saved = [cell for cell in nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if cell.cell_type == "code"]
    error = saved[1].outputs[-1]
    assert (error.output_type, error.ename, error.evalue) == ("error", "ZeroDivisionError", "division by zero")
    assert any("share = 1 / total" in line for line in error.traceback)
    assert saved[2].outputs == [] and saved[2].execution_count is None


def test_the_working_folder_is_given_back_after_a_run_that_fails(tmp_path: Path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    source = write_notebook(folder / "briefing.ipynb", "import os\nassert os.getcwd().endswith('notebooks')", "1 / 0")
    before = os.getcwd()
    with pytest.raises(NotebookError, match="ZeroDivisionError"):
        execute_notebook(source, tmp_path / "out.ipynb", {})
    assert os.getcwd() == before


def test_notebooks_run_in_process_leave_no_ipython_history_behind(tmp_path: Path):
    # IPython's history is an SQLite file in the user's profile; the engine keeps none (nor its cost).
    import subprocess
    import sys

    source = write_notebook(tmp_path / "briefing.ipynb", "secret = 'Child A'", "secret")
    profile = tmp_path / "ipython"
    script = (
        "from auditkit.run.engines import execute_notebook\n"
        "from pathlib import Path\n"
        f"execute_notebook(Path({str(source)!r}), Path({str(tmp_path / 'out.ipynb')!r}), {{}})\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "IPYTHONDIR": str(profile)})
    assert (tmp_path / "out.ipynb").is_file()
    assert not list(profile.rglob("history.sqlite*"))
