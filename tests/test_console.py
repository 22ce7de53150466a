"""auditkit.console: the console script ends its process as soon as the command is done, with the command's status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.console import _exit_status

AUDITKIT = Path(sys.executable).with_name("auditkit")


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2)])
def test_the_exit_status_is_the_one_python_would_give(code, status):
    assert _exit_status(code) == status


def test_a_message_given_to_exit_is_printed_and_the_status_is_1(capsys):
    assert _exit_status("stopped") == 1
    assert capsys.readouterr().err == "stopped\n"


def test_a_users_mistake_still_exits_1_with_its_sentence_and_no_traceback(tmp_path: Path):
    done = subprocess.run([str(AUDITKIT), "validate", str(tmp_path / "missing.yaml")], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == f"Error: The parameters file {tmp_path / 'missing.yaml'} does not exist.\n"
    assert done.stdout == ""


def test_output_written_before_the_prompt_end_is_all_there(example_round):
    # The process ends without Python's teardown: what the command printed must have been flushed first,
    # into a pipe as into a file.
    done = subprocess.run([str(AUDITKIT), "validate", str(example_round.parameters)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("llr-2017.yaml is ready to run.")


def test_exit_handlers_still_run(tmp_path: Path):
    # multiprocessing's and weakref finalizers' handlers (a temporary folder's removal) run as at any exit.
    script = (
        "import atexit, sys\n"
        "from pathlib import Path\n"
        f"atexit.register(lambda: Path({str(tmp_path / 'handled')!r}).write_text('yes'))\n"
        "sys.argv = ['auditkit', '--version']\n"
        "from auditkit.console import run_command_line\n"
        "run_command_line()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("auditkit, version ")
    assert (tmp_path / "handled").read_text() == "yes"


def test_a_bug_still_shows_its_traceback_and_fails():
    script = (
        "import sys\n"
        "import auditkit.cli\n"
        "def broken(*args, **kwargs):\n"
        "    raise KeyError('a bug')\n"
        "auditkit.cli.main.callback = None\n"
        "auditkit.cli.main.commands['validate'].callback = broken\n"
        "sys.argv = ['auditkit', 'validate', 'x.yaml']\n"
        "from auditkit.console import run_command_line\n"
        "run_command_line()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr and "KeyError: 'a bug'" in done.stderr


def test_a_closed_standard_stream_is_no_failure():
    # Started with stderr closed (2>&-), Python gives sys.stderr as None: nothing to flush, and no traceback.
    done = subprocess.run(
        ["sh", "-c", f"'{AUDITKIT}' --version 2>&-; echo status $?"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("auditkit, version ") and done.stdout.rstrip().endswith("status 0")
