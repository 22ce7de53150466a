"""``auditkit lab``: JupyterLab on a workbook, set up for an analyst's day.

JupyterLab opens the workbook's folder, so its file browser shows the parameters files, the codebooks and the
data beside the notebooks, and a notebook finds its round as a path in the workbook (``parameters/llr-2017.yaml``,
:func:`auditkit.workbook_file`). JupyterLab shows only what is under the folder it opens, so the notebooks must be
in the workbook:

- a workbook with notebooks of its own (``notebooks/``, from ``auditkit init --notebooks``) opens those;
- a clone of auditkit's repository, whose root is the example workbook, opens the packaged notebooks where they
  are (``src/auditkit/notebooks/``): one copy in git, which the nbstripout filter keeps without outputs;
- any other workbook gets copies of the packaged notebooks in ``notebooks/``, each naming the workbook's latest
  round, and is told that ``auditkit run`` now uses them.

JupyterLab then runs as this process (``os.execve``, so Control-C reaches it as usual) with what an analyst
needs and nothing they cannot act on: it listens on 127.0.0.1 only, with a token; it logs warnings only; it
fetches no news and checks for no update, and shows no prompt about either (the announcements plugin is off,
through the page config in ``templates/jupyterlab/``); its kernels start without debugpy's frozen-modules
warning (:data:`auditkit.run.engines.KERNEL_ENVIRONMENT`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from auditkit.config.workbook import NOTEBOOKS_FOLDER, PARAMETERS_FOLDER, find_workbook, package_folder
from auditkit.errors import LabError
from auditkit.run.engines import KERNEL_ENVIRONMENT
from auditkit.run.notebook_files import notebook_for_round, packaged_notebooks

__all__ = [
    "LAB_HOST",
    "LabPlan",
    "clean_packaged_notebook",
    "describe_lab",
    "lab_command",
    "lab_notebooks",
    "latest_round",
    "plan_lab",
    "start_lab",
]

#: The only address JupyterLab listens on: this machine. The notebooks hold unpublished figures.
LAB_HOST = "127.0.0.1"
#: The notebook JupyterLab opens first.
_FIRST_NOTEBOOK = "analysis.ipynb"


@dataclass(frozen=True)
class LabPlan:
    """How ``auditkit lab`` starts JupyterLab: the workbook, where its notebooks are, and the command."""

    workbook: Path
    #: The folder of the notebooks JupyterLab opens, inside the workbook.
    notebooks: Path
    #: The notebooks copied into the workbook for this start (none when it had them, or in a clone of auditkit).
    copied: tuple[str, ...]
    #: The round the copies name, as a path in the workbook (None when nothing was copied or it has no round).
    round_path: str | None
    argv: tuple[str, ...]
    env: Mapping[str, str]


def _workbook_for(folder: Path) -> Path:
    if not os.path.lexists(folder):
        raise LabError(folder, "there is no such folder.")
    if not os.path.isdir(folder):
        raise LabError(folder, "it is a file, not a folder; name the workbook's folder.")
    workbook = find_workbook(folder)
    if workbook is None:
        raise LabError(
            folder,
            "it is in no auditkit workbook (neither it nor a folder above it holds auditkit.yaml or parameters/). "
            "Name a workbook's folder, or write a workbook with: auditkit init FOLDER",
        )
    return workbook


def latest_round(workbook: Path) -> str | None:
    """The round an analyst most likely works on: the workbook's most recently changed parameters file.

    Returns
    -------
    str or None
        Its path in the workbook (``parameters/lscp-neglect-2025.yaml``); None when ``parameters/`` has none.
    """
    folder = workbook / PARAMETERS_FOLDER
    try:
        rounds = [path for path in folder.iterdir() if path.suffix == ".yaml" and path.is_file()]
    except OSError:
        return None
    if not rounds:
        return None
    newest = max(rounds, key=lambda path: (path.stat().st_mtime, path.name))
    return f"{PARAMETERS_FOLDER}/{newest.name}"


def lab_notebooks(workbook: Path) -> tuple[Path, tuple[str, ...], str | None]:
    """The notebooks JupyterLab opens in ``workbook``, copying auditkit's in when the workbook has none to open.

    Returns
    -------
    tuple of (Path, tuple of str, str or None)
        The notebooks' folder; the names of those copied now (each copy's parameters cell names the round);
        that round, as a path in the workbook.
    """
    packaged = package_folder("notebooks").resolve()
    own = workbook / NOTEBOOKS_FOLDER
    if packaged.is_relative_to(workbook.resolve()) and not own.exists():
        return packaged, (), None  # a clone of auditkit: its notebooks are inside the example workbook
    if os.path.lexists(own) and not own.is_dir():
        raise LabError(workbook, f"{own} is a file, not a folder of notebooks; rename it, then start again.")
    missing = [source for source in packaged_notebooks() if not os.path.lexists(own / source.name)]
    if not missing:
        return own, (), None
    round_path = latest_round(workbook)
    try:
        own.mkdir(exist_ok=True)
        for source in missing:
            text = notebook_for_round(source, round_path) if round_path else source.read_text(encoding="utf-8")
            partial = own / f".{source.name}.partial"
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, own / source.name)
    except OSError as exc:
        for source in missing:  # nothing half-written: no partial copy stays behind
            with contextlib.suppress(OSError):
                (own / f".{source.name}.partial").unlink(missing_ok=True)
        reason = (exc.strerror or str(exc)).lower()
        raise LabError(
            workbook, f"auditkit's notebooks cannot be copied into {own} ({reason}); make the folder writable."
        ) from None
    return own, tuple(source.name for source in missing), round_path


def lab_command(
    workbook: Path,
    notebooks: Path,
    port: int | None = None,
    browser: bool = True,
    extra: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The command that starts JupyterLab on ``workbook``, and its environment.

    ``extra`` are JupyterLab's own options, passed on last (``--allow-root``). ``environ`` is the environment to
    start from (this process's by default).

    Returns
    -------
    tuple of (tuple of str, dict)
        The arguments (this Python running ``jupyterlab``) and the environment: ``environ`` with auditkit's
        JupyterLab settings first on ``JUPYTER_CONFIG_PATH`` and :data:`auditkit.run.engines.KERNEL_ENVIRONMENT`.
    """
    first = (notebooks / _FIRST_NOTEBOOK).relative_to(workbook).as_posix()
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={workbook}",
        f"--ServerApp.ip={LAB_HOST}",
        "--Application.log_level=ERROR",
        "--MappingKernelManager.transport_encryption=auto",  # CurveZMQ keys: ipykernel warns of plain TCP otherwise
        # The first notebook open, and the file browser at the workbook's root: parameters, codebooks and data.
        f"--LabApp.default_url=/lab/tree/{first}?file-browser-path=/",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ContentsManager.pre_save_hook=auditkit.run.lab.clean_packaged_notebook",
    ]
    if port is not None:
        argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not browser:
        argv.append("--no-browser")
    argv += list(extra)
    env = dict(os.environ if environ is None else environ)
    settings = str(package_folder("templates") / "jupyterlab")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [settings, env.get("JUPYTER_CONFIG_PATH", "")]))
    env.update(KERNEL_ENVIRONMENT)
    return tuple(argv), env


def plan_lab(
    folder: str | Path | None = None, port: int | None = None, browser: bool = True, extra: Sequence[str] = ()
) -> LabPlan:
    """Everything ``auditkit lab`` needs to start JupyterLab on the workbook that holds ``folder``.

    ``folder`` defaults to the working directory. The notebooks are found, or copied in
    (:func:`lab_notebooks`). Raises :class:`~auditkit.errors.LabError` for a folder that is in no workbook,
    missing or a file, and for notebooks that cannot be copied.

    Returns
    -------
    LabPlan
        The workbook, the notebooks' folder, what was copied for which round, the command and its environment.
    """
    start = Path(os.path.abspath(Path(folder).expanduser() if folder is not None else Path.cwd()))
    workbook = _workbook_for(start)
    notebooks, copied, round_path = lab_notebooks(workbook)
    argv, env = lab_command(workbook, notebooks, port=port, browser=browser, extra=extra)
    return LabPlan(workbook, notebooks, copied, round_path, argv, env)


#: Cell metadata JupyterLab records as it runs and shows a notebook, left out of a packaged notebook.
_VIEW_METADATA = ("collapsed", "scrolled", "execution", "ExecuteTime")


def clean_packaged_notebook(model: dict[str, Any], path: str, contents_manager: Any, **kwargs: Any) -> None:
    """JupyterLab's pre-save hook under ``auditkit lab``: a packaged notebook is saved as it is committed.

    In a clone of auditkit, JupyterLab opens the packaged notebooks in place. They ship in the wheel, so an
    analyst's run must not stay in them: its outputs hold figures before disclosure control. A packaged notebook is
    saved without outputs, execution counts or the kernel's details (what the nbstripout filter leaves in git); any
    other notebook is saved as JupyterLab gives it. jupyter_server's contract is that the hook changes ``model``.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    target = Path(os.path.abspath(Path(contents_manager.root_dir) / path))
    if target.parent.resolve() != package_folder("notebooks").resolve():
        return
    content = model["content"]
    for cell in content.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in _VIEW_METADATA:
            cell.get("metadata", {}).pop(key, None)
    language = content.get("metadata", {}).get("language_info")
    if isinstance(language, dict):
        content["metadata"]["language_info"] = {"name": language.get("name", "python")}


def describe_lab(plan: LabPlan) -> list[str]:
    """What ``auditkit lab`` says before JupyterLab starts: where, which notebooks, what it copied, how to stop.

    Returns
    -------
    list of str
        The lines to print.
    """
    folder = plan.notebooks.relative_to(plan.workbook).as_posix()
    names = " and ".join(source.name for source in packaged_notebooks())
    lines = [f"JupyterLab opens the workbook {plan.workbook}, for this machine only ({LAB_HOST})."]
    if plan.copied:
        copied = ", ".join(plan.copied)
        named = f"each naming the round {plan.round_path}" if plan.round_path else "naming no round yet"
        lines.append(
            f"Copied auditkit's notebooks into {folder}/ ({copied}), {named}: auditkit run now executes these "
            f"copies (delete them to go back to auditkit's own)."
        )
    lines += [
        f"The notebooks are in {folder}/ ({names}): set parameters_path in one to a round's parameters file "
        f"(parameters/<round>.yaml), then Run → Run All Cells.",
        "Stop JupyterLab with Control-C.",
    ]
    return lines


def start_lab(plan: LabPlan) -> NoReturn:  # pragma: no cover - replaces the process; tests run the command
    """Become JupyterLab, as ``plan`` says: this process is replaced, so Control-C stops JupyterLab itself.

    Returns
    -------
    NoReturn
        Never: the process runs JupyterLab until it is stopped, with JupyterLab's exit status.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(plan.workbook)
    os.execve(plan.argv[0], list(plan.argv), dict(plan.env))
