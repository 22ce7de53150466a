"""Running a notebook with papermill, and saying which notebook and cell failed, and why."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat

from auditkit.errors import NotebookError

__all__ = [
    "ENGINES",
    "KERNEL_ENVIRONMENT",
    "KERNEL_NAME",
    "KERNEL_START_SECONDS",
    "execute_notebook",
    "load_engine",
]

#: The kernel notebooks run on: the Python that runs auditkit (ipykernel's native kernel).
KERNEL_NAME = "python3"

#: How notebooks run: ``inprocess`` in this Python process (imports paid once; the default), or
#: ``kernel`` in a Jupyter kernel of their own, as JupyterLab runs them.
ENGINES = ("inprocess", "kernel")

#: What a kernel auditkit starts (here, or under ``auditkit lab``) has in its environment beyond this process's:
#: debugpy, which ipykernel imports, otherwise warns on every start that Python's frozen modules may make the
#: debugger miss breakpoints, a warning no analyst can act on.
KERNEL_ENVIRONMENT = {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}

#: How long a kernel may take to start before the run gives up (papermill's default, 60 s, is too short for a
#: machine busy with other jobs).
KERNEL_START_SECONDS = 300

#: The start of jupyter_client's messages for a kernel that never answered.
_NO_ANSWER = ("Kernel didn't respond", "Kernel died before replying")


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else ""


def _ipc_kernel_manager(folder: str) -> type:
    """A kernel manager whose kernel talks over Unix sockets in ``folder``, not TCP ports.

    Nothing then listens on the network, and ipykernel has no unencrypted-TCP warning to print.
    jupyter_client interrupts a kernel before shutting it down; a notebook run by papermill has
    finished by then, and the interrupt only makes ipykernel log "KeyboardInterrupt caught in
    kernel" now and then, so it is not sent during shutdown.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any):
            super().__init__(transport="ipc", ip=os.path.join(folder, "kernel"), **kwargs)

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            kw["env"] = {**kw.get("env", os.environ), **KERNEL_ENVIRONMENT}
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


def _run_in_kernel(source: Path, target: Path, parameters: dict[str, Any]) -> nbformat.NotebookNode:
    import papermill

    with tempfile.TemporaryDirectory(prefix="auditkit-kernel-") as sockets:
        return papermill.execute_notebook(
            str(source),
            str(target),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            start_timeout=KERNEL_START_SECONDS,
            kernel_manager_class=_ipc_kernel_manager(sockets),
        )


def _run_in_process(source: Path, target: Path, parameters: dict[str, Any]) -> nbformat.NotebookNode:
    import papermill

    from auditkit.run.inprocess_engine import ENGINE_NAME

    return papermill.execute_notebook(
        str(source),
        str(target),
        parameters=parameters,
        engine_name=ENGINE_NAME,
        kernel_name=KERNEL_NAME,
        cwd=str(source.parent),
        progress_bar=False,
        log_output=False,
    )


def load_engine(engine: str = "inprocess") -> None:
    """Import what executing a notebook on ``engine`` needs (papermill, and IPython for the in-process engine).

    A run calls this while another process draws the charts, so the imports cost it nothing.
    """
    import papermill  # noqa: F401 - imported for its cost, now

    if engine == "inprocess":
        import auditkit.run.inprocess_engine  # noqa: F401


def execute_notebook(
    source: Path, target: Path, parameters: dict[str, Any], engine: str = "inprocess"
) -> nbformat.NotebookNode:
    """Execute ``source`` with ``parameters`` injected, saving the executed copy to ``target``.

    The notebook runs with its own folder as the working directory, as it does in JupyterLab,
    on the ``engine`` named (see :data:`ENGINES`). A failing cell raises :class:`NotebookError`
    naming the notebook, the cell and the error.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook, as saved to ``target``.
    """
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    logging.getLogger("papermill").setLevel(logging.WARNING)
    run = _run_in_process if engine == "inprocess" else _run_in_kernel
    try:
        return run(source, target, parameters)
    except PapermillExecutionError as exc:
        count = f"[{exc.exec_count}]" if exc.exec_count else f"#{exc.cell_index + 1}"
        code = _first_line(exc.source)
        reason = f"{exc.ename}: {exc.evalue}".strip().rstrip(".")
        raise NotebookError(source.name, count, f"{reason} (the cell starting `{code}`)") from None
    except DeadKernelError as exc:
        raise NotebookError(source.name, None, f"its kernel stopped while running ({exc})") from None
    except RuntimeError as exc:
        if not str(exc).startswith(_NO_ANSWER):
            raise
        reason = (
            f"its kernel did not answer within {KERNEL_START_SECONDS} seconds of starting (the machine may be busy); "
            "run it again, or without --engine kernel."
        )
        raise NotebookError(source.name, None, reason) from None
