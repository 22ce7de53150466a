"""auditkit.config.input_files: what a path turns out to be, said without opening it, and paths made absolute."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from auditkit.config.input_files import file_problem, resolve_path, shown_path


def test_a_regular_file_has_no_problem(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("a\n", encoding="utf-8")
    assert file_problem(path) is None


def test_a_missing_file_does_not_exist(tmp_path):
    assert file_problem(tmp_path / "survey.csv") == "does not exist"


def test_a_path_through_a_file_does_not_exist(tmp_path):
    (tmp_path / "survey.csv").write_text("a\n", encoding="utf-8")
    assert file_problem(tmp_path / "survey.csv" / "inner.csv") == "does not exist"


def test_a_folder_is_named_as_a_folder(tmp_path):
    assert file_problem(tmp_path) == "is a folder, not a regular file"


def test_a_named_pipe_is_named_without_being_opened(tmp_path):
    pipe = tmp_path / "survey.csv"
    os.mkfifo(pipe)
    assert file_problem(pipe) == "is a named pipe (FIFO), not a regular file"


def test_a_device_is_named():
    assert file_problem(Path("/dev/zero")) == "is a device, not a regular file"
    assert file_problem(Path("/dev/null")) == "is a device, not a regular file"


def test_a_socket_is_named(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert file_problem(path) == "is a socket, not a regular file"


def test_a_link_to_a_device_is_named_for_what_it_leads_to(tmp_path):
    link = tmp_path / "survey.csv"
    link.symlink_to("/dev/zero")
    assert file_problem(link) == "is a device, not a regular file"


def test_a_symbolic_link_loop_is_named(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.symlink_to(second)
    second.symlink_to(first)
    assert file_problem(first) == "is a symbolic link that loops back on itself, not a regular file"


def test_a_broken_symbolic_link_names_where_it_leads(tmp_path):
    link = tmp_path / "survey.csv"
    link.symlink_to(tmp_path / "gone.csv")
    assert file_problem(link) == f"is a symbolic link to a file that does not exist ({tmp_path / 'gone.csv'})"


def test_a_nul_character_is_named():
    assert file_problem(Path("/tmp/a\x00b.csv")) == "holds a NUL character (\\0), not allowed in a file name"


def test_a_name_too_long_for_a_file_is_named(tmp_path):
    assert file_problem(tmp_path / ("r" * 300)) == "is too long to be a file's name"


def test_a_file_that_may_not_be_read_is_named(tmp_path, monkeypatch):
    path = tmp_path / "survey.csv"
    path.write_text("a\n", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda *_: False)  # chmod 0 would not stop root, who may run the tests
    assert file_problem(path) == "cannot be read (permission denied)"


def test_shown_path_writes_a_nul_character_as_backslash_zero():
    assert shown_path(Path("/data/a\x00b.csv")) == "/data/a\\0b.csv"


def test_a_relative_path_is_taken_from_the_base_and_its_links_resolved(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert resolve_path("link/survey.csv", tmp_path) == tmp_path.resolve() / "real" / "survey.csv"
    assert resolve_path("../link/survey.csv", tmp_path / "parameters") == tmp_path.resolve() / "real" / "survey.csv"


def test_an_absolute_path_with_a_base_is_used_as_it_is(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path)
    assert resolve_path(str(tmp_path / "link" / "a.csv"), Path("/elsewhere")) == tmp_path / "link" / "a.csv"


def test_without_a_base_a_path_is_taken_from_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_path("round.yaml") == tmp_path.resolve() / "round.yaml"


def test_a_home_folder_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_path("~/round.yaml", Path("/elsewhere")) == tmp_path / "round.yaml"


def test_a_symbolic_link_loop_is_left_for_file_problem_to_name(tmp_path):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    resolved = resolve_path("loop.csv", tmp_path)
    assert resolved.name == "loop.csv"
    assert file_problem(resolved) == "is a symbolic link that loops back on itself, not a regular file"


def test_a_nul_character_is_kept_for_file_problem_to_name(tmp_path):
    resolved = resolve_path("../data/a\x00b.csv", tmp_path / "parameters")
    assert resolved == tmp_path / "data" / "a\x00b.csv"
    assert file_problem(resolved) == "holds a NUL character (\\0), not allowed in a file name"
