"""A papermill engine that runs a notebook's cells in this Python process.

Starting a Jupyter kernel and importing pandas, matplotlib and friends into it costs more
than the briefing's own work. This engine runs the cells in an IPython shell inside the
process that already imported them, so the cost is paid once per process, however many
notebooks and rounds it runs. Each notebook starts from an empty namespace
(``shell.reset(new_session=True)``) in its own folder, so nothing one notebook or round
defines is seen by the next.

papermill still does everything else: parameters, the executed notebook, its metadata and
the error that names the failing cell. Register name: ``auditkit-inprocess``.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from papermill.engines import Engine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

__all__ = ["ENGINE_NAME", "InProcessEngine"]

#: The name papermill knows this engine by (``engine_name=``).
ENGINE_NAME = "auditkit-inprocess"


class _RecordingDisplayHook(DisplayHook):
    """Keeps each cell's result as rich data for the notebook instead of printing ``Out[n]:``."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.results: list[tuple[dict, dict]] = []

    def write_output_prompt(self) -> None:
        """No prompt: the result goes into the notebook, not to the terminal."""

    def write_format_data(self, format_dict: dict, md_dict: dict | None = None) -> None:
        self.results.append((format_dict, md_dict or {}))

    def finish_displayhook(self) -> None:
        """Nothing to flush."""

    def log_output(self, format_dict: dict) -> None:
        """No output history is kept between notebooks."""

    def flush(self) -> None:
        """Forget the last results, without IPython's full garbage collection.

        IPython's own ``flush`` (called by every ``reset``) ends with ``gc.collect()``, which walks every
        object in the process: once pandas, matplotlib and WeasyPrint are loaded that is 0.3 to 0.7 s, twice
        per notebook, most of a warm round's cost in a batch. The reset that calls this empties the namespace
        that held the results, and Python's collector frees them in its own time.
        """
        self._, self.__, self.___ = "", "", ""
        history = self.shell.user_ns.get("_oh")
        if history is not None:
            history.clear()


def _shell() -> InteractiveShell:
    # No history database: IPython would open ~/.ipython's SQLite file and commit a session to it at every
    # reset (twice a notebook, a tenth of a second of a warm round), though no cell is stored in it.
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config, displayhook_class=_RecordingDisplayHook)
    if not isinstance(shell.displayhook, _RecordingDisplayHook):  # pragma: no cover - someone else made the shell
        raise RuntimeError("the in-process engine needs its own IPython shell; use the kernel engine here")
    return shell


@contextmanager
def _working_directory(folder: str | None) -> Iterator[None]:
    previous = os.getcwd()
    if folder:
        os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _outputs(captured: Any, results: list[tuple[dict, dict]], count: int) -> list[nbformat.NotebookNode]:
    outputs = []
    for name, text in (("stdout", captured.stdout), ("stderr", captured.stderr)):
        if text:
            outputs.append(nbformat.v4.new_output("stream", name=name, text=text))
    for rich in captured.outputs:
        outputs.append(nbformat.v4.new_output("display_data", data=rich.data, metadata=rich.metadata or {}))
    for data, metadata in results:
        outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=count))
    return outputs


def _error_output(error: BaseException) -> nbformat.NotebookNode:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return nbformat.v4.new_output(
        "error", ename=type(error).__name__, evalue=str(error), traceback=[line.rstrip("\n") for line in lines]
    )


@contextmanager
def _saved_once(nb_man: Any) -> Iterator[None]:
    """Let papermill save the notebook when it completes or fails, not before and after every cell.

    papermill writes (and validates against the notebook schema) the whole notebook at each cell's start
    and end, so that a long kernel run shows its progress; cells that run in this process finish in
    milliseconds, and the 60-odd saves of a round cost more than its cells. papermill still saves once,
    after the last cell or the failing one, with every output and the error.
    """
    output_path = nb_man.output_path
    nb_man.output_path = None
    try:
        yield
    finally:
        nb_man.output_path = output_path


class InProcessEngine(Engine):
    """Executes each code cell with IPython in this process; see the module docstring."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, cwd: str | None = None, **kwargs: Any) -> None:
        """Run every code cell of papermill's notebook in turn, in ``cwd``, from an empty namespace.

        Outputs and errors are recorded in the notebook through ``nb_man``; a failing cell raises
        papermill's ``PapermillExecutionError``. The namespace is emptied again afterwards.
        """
        shell = _shell()
        shell.reset(new_session=True)
        try:
            with _working_directory(cwd), _saved_once(nb_man):
                cls._run_cells(shell, nb_man)
        finally:
            shell.reset(new_session=True)

    @staticmethod
    def _run_cells(shell: InteractiveShell, nb_man: Any) -> None:
        count = 0
        for index, cell in enumerate(nb_man.nb.cells):
            if cell.cell_type != "code":
                continue
            nb_man.cell_start(cell, index)
            count += 1
            shell.displayhook.results = []
            with capture_output() as captured:
                result = shell.run_cell(cell.source, store_history=False)
            error = result.error_before_exec or result.error_in_exec
            cell.execution_count = count
            cell.outputs = _outputs(captured, [] if error else shell.displayhook.results, count)
            if error is not None:
                cell.outputs.append(_error_output(error))
                nb_man.cell_exception(cell, index)
                raise PapermillExecutionError(
                    cell_index=index,
                    exec_count=count,
                    source=cell.source,
                    ename=type(error).__name__,
                    evalue=str(error),
                    traceback=cell.outputs[-1].traceback,
                )
            nb_man.cell_complete(cell, index)


papermill_engines.register(ENGINE_NAME, InProcessEngine)
