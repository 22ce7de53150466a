"""Committed notebooks stay clean: the nbstripout git filter that scripts/setup.sh sets up strips what JupyterLab
autosaves (outputs, execution counts, the kernel's details), so git sees the notebook as committed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOTEBOOKS, REPO


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


def test_every_notebook_goes_through_the_nbstripout_filter():
    attributes = _git(REPO, "check-attr", "filter", "diff", "--", "src/auditkit/notebooks/analysis.ipynb")
    assert "filter: nbstripout" in attributes
    assert "diff: ipynb" in attributes


def test_the_setup_sets_up_the_filter_with_the_environments_python():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'bash scripts/notebook_filter.sh "$PWD/.venv/bin/python"' in setup
    assert setup.index("notebook_filter.sh") > setup.index('-e ".[test]"')  # nbstripout is installed by then


def _autosaved(committed: dict) -> dict:
    """The notebook as JupyterLab saves it after Run All: outputs, counts and the kernel's language details."""
    saved = json.loads(json.dumps(committed))
    count = 0
    for cell in saved["cells"]:
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            cell["outputs"] = [
                {
                    "output_type": "execute_result",
                    "execution_count": count,
                    "metadata": {},
                    "data": {"text/plain": ["ZQX output"], "text/html": ["<p>ZQX output</p>"]},
                }
            ]
            cell["metadata"]["scrolled"] = True
    saved["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.2",
    }
    return saved


@pytest.mark.slow  # git runs nbstripout in a Python of its own for each notebook it reads
@pytest.mark.parametrize("name", ["analysis.ipynb", "briefing.ipynb"])
def test_a_notebook_autosaved_with_outputs_is_unchanged_in_gits_eyes(name: str, tmp_path: Path):
    pytest.importorskip("nbstripout", reason="nbstripout is in the test extra; scripts/setup.sh installs it")
    if shutil.which("git") is None:
        pytest.skip("needs git")
    clone = tmp_path / "clone"
    (clone / "scripts").mkdir(parents=True)
    shutil.copyfile(REPO / ".gitattributes", clone / ".gitattributes")
    shutil.copyfile(REPO / "scripts" / "notebook_filter.sh", clone / "scripts" / "notebook_filter.sh")
    _git(clone, "init", "--quiet")
    _git(clone, "config", "user.email", "test@example.org")
    _git(clone, "config", "user.name", "Test")
    subprocess.run(["bash", "scripts/notebook_filter.sh", sys.executable], cwd=clone, check=True, capture_output=True)
    committed = (NOTEBOOKS / name).read_bytes()
    notebook = clone / name
    notebook.write_bytes(committed)
    _git(clone, "add", ".")
    _git(clone, "commit", "--quiet", "-m", "notebook")
    # The committed notebooks are already in the filter's form: git stores them byte for byte.
    assert _git(clone, "show", f"HEAD:{name}").encode("utf-8") == committed

    notebook.write_text(json.dumps(_autosaved(json.loads(committed)), indent=1) + "\n", encoding="utf-8")
    assert "ZQX output" in notebook.read_text(encoding="utf-8")
    assert _git(clone, "diff") == ""  # JupyterLab's save leaves git no change to show
    _git(clone, "add", name)
    staged = _git(clone, "show", f":{name}")
    assert "ZQX output" not in staged
    assert staged.encode("utf-8") == committed  # nor to commit
    assert _git(clone, "status", "--porcelain") == ""
