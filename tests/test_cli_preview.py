"""`auditkit preview`: what it refuses in one line, how it stops, and its help (tests/end_to_end/test_preview.py
drives it in Chromium)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.cli import main


def test_preview_refuses_a_parameters_file_that_does_not_exist_in_one_line(tmp_path: Path):
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "llr-2099.yaml"), "--port", "0"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The parameters file {tmp_path / 'llr-2099.yaml'} does not exist: auditkit preview needs a round's "
        "parameters file.\n"
    )


def test_preview_refuses_a_port_in_use_in_one_line(example_round):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", str(example_round.parameters), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: auditkit preview cannot listen on 127.0.0.1:{port}: another program is listening on that port; "
        "choose another --port.\n"
    )


def test_preview_refuses_a_folder_it_cannot_watch_in_one_line(example_round, monkeypatch):
    # The suite runs as root in CI, where every folder is readable: this user may not read the data's folder.
    folder = example_round.cases.parent
    readable = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != folder and readable(path, mode, **kw))
    result = CliRunner().invoke(main, ["preview", str(example_round.parameters), "--port", "0"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: auditkit preview cannot watch the folder {folder} for saved changes: you may not read it."
    )
    assert not (example_round.reports / "llr-2017").exists()


def test_preview_opens_the_browser_when_asked_and_ctrl_c_stops_it(example_round, monkeypatch):
    import webbrowser

    opened = []

    def open_then_stop(url: str) -> bool:
        opened.append(url)
        raise KeyboardInterrupt  # as Ctrl-C while it serves

    monkeypatch.setattr(webbrowser, "open", open_then_stop)
    result = CliRunner().invoke(main, ["preview", str(example_round.parameters), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1 and opened[0].startswith("http://127.0.0.1:")
    assert result.output.endswith(
        f"Previewing {example_round.parameters} at {opened[0]} (Ctrl-C to stop)\nPreview stopped.\n"
    )
    assert not (example_round.reports / "llr-2017").exists()


def test_preview_says_what_it_does_and_where_it_listens():
    result = CliRunner().invoke(main, ["preview", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Show a round's briefing in your browser and render it again each time you save its files." in text
    assert "Listens on 127.0.0.1 only." in text
    assert "0 picks any free port" in text
    for option in ("--port", "--open"):
        assert option in result.output


@pytest.mark.slow
def test_ctrl_c_stops_the_preview_cleanly(example_round):
    command = [str(Path(sys.executable).with_name("auditkit")), "preview", str(example_round.parameters), "--port", "0"]
    preview = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        lines = []
        while time.monotonic() < deadline:
            line = preview.stdout.readline()
            lines.append(line)
            if line.startswith("Previewing") or not line:
                break
        assert lines[-1].startswith(f"Previewing {example_round.parameters} at http://127.0.0.1:"), lines
        preview.send_signal(signal.SIGINT)
        out, err = preview.communicate(timeout=60)
    finally:
        if preview.poll() is None:
            preview.kill()
    assert preview.returncode in (0, 130)
    assert "Traceback" not in err
    assert err == ""
    assert out.endswith("Preview stopped.\n")
