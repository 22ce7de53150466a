"""The ``auditkit`` console script: the command (:func:`auditkit.cli.main`), then a prompt end to its process.

A command that has imported pandas, IPython and the rest spends a tenth to half a second, after its last line,
tearing down every module and freeing every object one by one (an ``auditkit run`` an eighth of its time) when
the operating system frees the whole process at once. So once the command has finished, its exit handlers run
as at any exit (multiprocessing's, weakref finalizers such as temporary folders'), its output is flushed, and
the process ends (``os._exit``) without that teardown. A bug still shows its traceback and exits as usual.
"""

from __future__ import annotations

import atexit
import os
import sys

__all__ = ["run_command_line"]


def _exit_status(code: object) -> int:
    """The process's exit status for ``SystemExit(code)``, as Python gives it: None is 0, text is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run_command_line() -> None:
    """Run the ``auditkit`` command with the process's arguments, then end the process with its exit status (this
    function does not return)."""
    from auditkit.cli import main

    try:
        main()
        status = 0
    except SystemExit as exit_:
        status = _exit_status(exit_.code)
    # atexit's own runner: the one way to run the handlers a normal exit would (there is no public one).
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed (2>&-): nothing was written to it
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(status)
