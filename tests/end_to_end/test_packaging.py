"""The project's own files agree with each other: dependencies, set-up commands, ignored output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import yaml
from conftest import LIBREOFFICE_MISSING, LIBREOFFICE_PACKAGES, REPO
from packaging.requirements import Requirement


def _normalise(requirement: str) -> tuple[str, str]:
    parsed = Requirement(requirement)
    return re.sub(r"[-_.]+", "-", parsed.name).lower(), str(parsed.specifier)


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalise(item) for item in project["dependencies"]}
    declared |= {_normalise(item) for item in project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    packages = [item for item in environment["dependencies"] if isinstance(item, str)]
    conda = {_normalise(item) for item in packages if re.split(r"[<>=!~ ]", item)[0] not in ("python", "pip")}
    assert conda == declared


def test_constraints_pin_every_declared_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {
        _normalise(line.split("==")[0])[0]
        for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    declared = {_normalise(item)[0] for item in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert declared - pinned == set()


def test_readme_starts_with_the_setup_and_test_commands_that_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.S)[0].strip().splitlines()
    assert commands[:2] == ["bash scripts/setup.sh", ".venv/bin/python -m pytest"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh" in ci and ".venv/bin/python -m pytest" in ci


def test_reports_are_ignored_by_git_except_the_readme():
    ignored = subprocess.run(["git", "check-ignore", "-q", "reports/llr-2017/briefing.html"], cwd=REPO, check=False)
    kept = subprocess.run(["git", "check-ignore", "-q", "reports/README.md"], cwd=REPO, check=False)
    assert ignored.returncode == 0
    assert kept.returncode == 1


def test_the_distribution_has_a_name_of_its_own_and_auditkit_looks_up_its_version_by_it():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # "auditkit" on the package index is an unrelated project; the command and the import name stay auditkit.
    assert project["name"] == "neglect-auditkit"
    assert project["scripts"] == {"auditkit": "auditkit.console:run_command_line"}
    assert f'version("{project["name"]}")' in (REPO / "src" / "auditkit" / "__init__.py").read_text(encoding="utf-8")
    from auditkit.publish.provenance import KEY_PACKAGES

    assert project["name"] in KEY_PACKAGES and "auditkit" not in KEY_PACKAGES


def test_the_readme_never_installs_by_a_bare_name_and_shows_a_partnership_its_own_workbook():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"pip install (-U |--upgrade )?(neglect-)?auditkit\b", readme)
    section = readme.split("## Use it for your own partnership", 1)[1].split("\n## ", 1)[0]
    assert readme.index("## Use it for your own partnership") > readme.index(".venv/bin/python -m pytest")
    for command in ("pip install", "auditkit init", "auditkit validate", "auditkit run"):
        assert command in section, command


def test_each_shipped_file_lives_once_in_git():
    # The notebooks and the standard instruments are package data under src/auditkit/ only: no copy elsewhere.
    assert not (REPO / "notebooks").exists()
    shipped = [*(REPO / "src" / "auditkit" / "instruments").glob("*.yaml")]
    shipped += [*(REPO / "src" / "auditkit" / "notebooks").glob("*.ipynb")]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for path in shipped:
        content = path.read_bytes()
        copies = [name for name in tracked if (REPO / name).is_file() and (REPO / name).read_bytes() == content]
        assert copies == [str(path.relative_to(REPO))], copies


def test_the_set_up_installs_libreoffice_as_readme_and_the_skipped_tests_say():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    installed = re.findall(r"missing\+=\(([\w.-]+)\)", setup)
    assert set(LIBREOFFICE_PACKAGES) <= set(installed)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    trouble = readme.split("## If the set-up stops", 1)[1]
    assert all(f"`{package}`" in trouble for package in LIBREOFFICE_PACKAGES)
    assert f"sudo apt-get install {' '.join(LIBREOFFICE_PACKAGES)}" in LIBREOFFICE_MISSING


def test_ci_runs_the_tests_as_ci_so_that_none_that_needs_libreoffice_is_skipped():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "CI=true .venv/bin/python -m pytest" in ci


def test_a_skipped_libreoffice_test_fails_the_run_in_ci_only(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import pytest\n\n"
        "@pytest.mark.libreoffice\n"
        "def test_needs_an_office_suite():\n"
        "    pytest.skip('LibreOffice is not installed')\n\n"
        "def test_other():\n"
        "    pass\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest", str(probe)]
    path = os.pathsep.join([str(REPO / "tests"), str(REPO / "src"), os.environ.get("PYTHONPATH", "")])

    def run(ci: str) -> subprocess.CompletedProcess:
        environment = {**os.environ, "PYTHONPATH": path, "CI": ci}
        return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)

    assert run("").returncode == 0
    in_ci = run("true")
    assert in_ci.returncode == 1, in_ci.stdout
    assert "CI needs LibreOffice: 1 test(s) that need it were skipped" in in_ci.stdout
    assert "test_probe.py::test_needs_an_office_suite" in in_ci.stdout
