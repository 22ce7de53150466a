"""auditkit.run.inprocess_engine: notebooks run in this process, each from an empty namespace in its own folder."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

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
