"""auditkit.run.lab: JupyterLab on a workbook's root, with its notebooks in it, set up for an analyst."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO, RoundCopy

from auditkit.errors import LabError
from auditkit.run.lab import (
    LAB_HOST,
    clean_packaged_notebook,
    describe_lab,
    lab_command,
    lab_notebooks,
    latest_round,
    plan_lab,
)


def _parameters_cell(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return next(cell.source for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))


def test_a_workbook_without_notebooks_gets_copies_naming_its_latest_round(example_round: RoundCopy):
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    os.utime(followup, (2_000_000_000, 2_000_000_000))
    assert latest_round(example_round.root) == "parameters/llr-2017-followup.yaml"
    folder, copied, round_path = lab_notebooks(example_round.root)
    assert folder == example_round.root / "notebooks"
    assert copied == ("analysis.ipynb", "briefing.ipynb")
    assert round_path == "parameters/llr-2017-followup.yaml"
    assert _parameters_cell(folder / "analysis.ipynb") == 'parameters_path = "parameters/llr-2017-followup.yaml"'
    assert sorted(path.name for path in folder.iterdir()) == ["analysis.ipynb", "briefing.ipynb"]  # no partial file


def test_a_workbooks_own_notebooks_are_kept_and_only_a_missing_one_is_copied(example_round: RoundCopy):
    own = example_round.own_notebooks()
    (own / "briefing.ipynb").write_text("my own briefing", encoding="utf-8")
    (own / "analysis.ipynb").unlink()
    folder, copied, _ = lab_notebooks(example_round.root)
    assert folder == own and copied == ("analysis.ipynb",)
    assert (own / "briefing.ipynb").read_text(encoding="utf-8") == "my own briefing"
    assert lab_notebooks(example_round.root)[1] == ()  # nothing more to copy


def test_auditkits_own_repository_opens_the_packaged_notebooks_where_they_are():
    folder, copied, round_path = lab_notebooks(REPO)
    assert folder == NOTEBOOKS.resolve() and copied == () and round_path is None
    assert not (REPO / "notebooks").exists()  # one copy of each notebook in git


def test_jupyterlab_opens_the_workbooks_root_on_this_machine_only_and_quietly(example_round: RoundCopy):
    notebooks = example_round.root / "notebooks"
    argv, env = lab_command(example_round.root, notebooks, port=8899, browser=False, environ={"PATH": "/bin"})
    assert argv[:3] == (sys.executable, "-m", "jupyterlab")
    assert f"--ServerApp.root_dir={example_round.root}" in argv
    assert f"--ServerApp.ip={LAB_HOST}" in argv and LAB_HOST == "127.0.0.1"
    assert "--LabApp.default_url=/lab/tree/notebooks/analysis.ipynb?file-browser-path=/" in argv
    assert "--Application.log_level=ERROR" in argv
    assert "--LabApp.news_url=None" in argv
    assert "--MappingKernelManager.transport_encryption=auto" in argv
    assert "--ContentsManager.pre_save_hook=auditkit.run.lab.clean_packaged_notebook" in argv
    assert argv[-3:] == ("--ServerApp.port=8899", "--ServerApp.port_retries=0", "--no-browser")
    assert not any("token" in argument.lower() for argument in argv)  # JupyterLab makes one; none is turned off
    assert env["PYDEVD_DISABLE_FILE_VALIDATION"] == "1"
    settings = Path(env["JUPYTER_CONFIG_PATH"])
    page_config = json.loads((settings / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page_config == {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


def test_the_users_own_jupyter_configuration_path_is_kept(example_round: RoundCopy):
    _, env = lab_command(example_round.root, example_round.root / "notebooks", environ={"JUPYTER_CONFIG_PATH": "/x"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[1:] == ["/x"]


def test_a_folder_inside_a_workbook_opens_the_workbook(example_round: RoundCopy):
    plan = plan_lab(example_round.root / "parameters", browser=False)
    assert plan.workbook == example_round.root
    assert plan.notebooks == example_round.root / "notebooks"
    assert describe_lab(plan) == [
        f"JupyterLab opens the workbook {example_round.root}, for this machine only (127.0.0.1).",
        f"Copied auditkit's notebooks into notebooks/ (analysis.ipynb, briefing.ipynb), each naming the round "
        f"{plan.round_path}: auditkit run now executes these copies (delete them to go back to auditkit's own).",
        "The notebooks are in notebooks/ (analysis.ipynb and briefing.ipynb): set parameters_path in one to a "
        "round's parameters file (parameters/<round>.yaml), then Run → Run All Cells.",
        "Stop JupyterLab with Control-C.",
    ]


def test_a_folder_in_no_workbook_is_refused(tmp_path: Path):
    with pytest.raises(LabError) as refused:
        plan_lab(tmp_path)
    assert str(refused.value) == (
        f"JupyterLab cannot be opened on {tmp_path}: it is in no auditkit workbook (neither it nor a folder above it "
        "holds auditkit.yaml or parameters/). Name a workbook's folder, or write a workbook with: auditkit init FOLDER"
    )


def test_a_missing_folder_and_a_file_are_refused(tmp_path: Path):
    with pytest.raises(LabError) as missing:
        plan_lab(tmp_path / "nowhere")
    assert str(missing.value) == f"JupyterLab cannot be opened on {tmp_path / 'nowhere'}: there is no such folder."
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(LabError) as a_file:
        plan_lab(tmp_path / "file.txt")
    assert str(a_file.value) == (
        f"JupyterLab cannot be opened on {tmp_path / 'file.txt'}: it is a file, not a folder; name the workbook's "
        "folder."
    )


def test_a_file_where_the_notebooks_would_go_is_refused(example_round: RoundCopy):
    notebooks = example_round.root / "notebooks"
    notebooks.write_text("a file where the notebooks' folder would be", encoding="utf-8")
    with pytest.raises(LabError) as refused:
        lab_notebooks(example_round.root)
    assert str(refused.value) == (
        f"JupyterLab cannot be opened on {example_round.root}: {notebooks} is a file, not a folder of notebooks; "
        "rename it, then start again."
    )


def _saved(path: str, root: Path) -> dict:
    """A notebook as JupyterLab sends it to be saved after Run All, passed through the pre-save hook."""
    content = json.loads((NOTEBOOKS / "analysis.ipynb").read_text(encoding="utf-8"))
    for cell in content["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "71 records"}]
            cell["execution_count"] = 3
            cell["metadata"]["scrolled"] = True
    content["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    model = {"type": "notebook", "content": content}
    clean_packaged_notebook(model, path, SimpleNamespace(root_dir=str(root)))
    return model["content"]


def test_a_packaged_notebook_is_saved_as_committed_and_any_other_as_it_is(example_round: RoundCopy):
    committed = json.loads((NOTEBOOKS / "analysis.ipynb").read_text(encoding="utf-8"))
    assert _saved("src/auditkit/notebooks/analysis.ipynb", REPO) == committed
    kept = _saved("notebooks/analysis.ipynb", example_round.root)
    assert kept["cells"][1]["outputs"] and kept["metadata"]["language_info"]["version"] == "3.11.2"
