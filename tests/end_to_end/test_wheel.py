"""The wheel: built from this repository, it holds everything a round needs, and a fresh virtual environment
with it installed takes a workbook of its own from `auditkit init` to a briefing, outside the repository.

The wheel is built offline with this environment's setuptools (``pip wheel --no-build-isolation``). The new
environment reuses this one's installed dependencies through a ``.pth`` file (no download) and gets auditkit
from the wheel alone: the test checks that ``auditkit`` imports from the new environment, not from ``src/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from packaging.version import Version

pytestmark = pytest.mark.slow

PACKAGE = REPO / "src" / "auditkit"
#: What a round needs besides code, each kept once in git under src/auditkit/.
PACKAGE_DATA = ("notebooks", "instruments", "templates")
#: Left out of the copy the wheel is built from: what git ignores, and the repository's own machinery.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", "reports"
)


def _environment() -> dict[str, str]:
    """This process's environment without PYTHONPATH, which points the tests at src/.

    The new environment reuses this one's packages but not the data files they install beside them: nbconvert's
    base templates are in this environment's share/jupyter, which JUPYTER_PATH names.
    """
    environment = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    shared = os.path.join(sys.prefix, "share", "jupyter")
    environment["JUPYTER_PATH"] = os.pathsep.join(filter(None, [shared, environment.get("JUPYTER_PATH")]))
    return environment


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=_environment(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the repository's files (so nothing is left in the repository)."""
    if Version(version("setuptools")) < Version("77"):
        pytest.skip(
            f"this environment's setuptools is {version('setuptools')}; building the wheel offline needs 77 or newer "
            "(the [test] extra installs it: run bash scripts/setup.sh)"
        )
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE)
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
        "--wheel-dir", base / "dist", source, cwd=base,
    )  # fmt: skip
    (built,) = (base / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed and this environment's dependencies reused."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv).stdout.strip()
    )
    # A path line in a .pth file adds that folder to sys.path without running the .pth files inside it, so this
    # environment's editable install of auditkit (a .pth of its own) stays out of the new one.
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "test-environment.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--quiet",
        wheel,
        cwd=venv,
    )
    return venv


def test_the_wheel_holds_the_notebooks_templates_and_instruments(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for folder in PACKAGE_DATA:
        shipped = {
            f"auditkit/{path.relative_to(PACKAGE).as_posix()}"
            for path in (PACKAGE / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts
        }
        assert shipped, folder
        assert shipped <= names, sorted(shipped - names)
        assert {name for name in names if name.startswith(f"auditkit/{folder}/")} == shipped
    assert wheel.name.startswith("neglect_auditkit-")


def test_the_installed_auditkit_is_the_wheels_and_ships_its_files(installed: Path, tmp_path: Path):
    probe = (
        "import auditkit, importlib.metadata as m\n"
        "from auditkit.config.workbook import package_folder\n"
        "print(auditkit.__file__)\n"
        "print(package_folder('notebooks'))\n"
        "print(m.version('neglect-auditkit'), auditkit.__version__)\n"
    )
    lines = _run(installed / "bin" / "python", "-c", probe, cwd=tmp_path).stdout.splitlines()
    assert Path(lines[0]).is_relative_to(installed), lines[0]
    assert Path(lines[1]).is_relative_to(installed), lines[1]
    assert lines[2].split() == [version_of_pyproject()] * 2


def version_of_pyproject() -> str:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_a_workbook_made_by_init_runs_a_round_outside_the_repository(installed: Path, tmp_path: Path):
    auditkit = installed / "bin" / "auditkit"
    package = Path(_run(installed / "bin" / "python", "-c", "import auditkit; print(auditkit.__file__)", cwd=tmp_path)
                   .stdout.strip()).parent  # fmt: skip
    before = sorted(str(path) for path in package.rglob("*") if "__pycache__" not in path.parts)
    _run(auditkit, "init", "llr", "--partnership", "Leicester, Leicestershire and Rutland", cwd=tmp_path)
    workbook = tmp_path / "llr"
    (parameters,) = (workbook / "parameters").glob("*.yaml")
    for name in ("llr-2017-cases.csv", "llr-2017-survey.csv"):
        shutil.copyfile(REPO / "data_templates" / "examples" / name, workbook / "data" / name)
    document = yaml.safe_load(parameters.read_text(encoding="utf-8"))
    text = parameters.read_text(encoding="utf-8")
    text = text.replace("areas: [First area, Second area]", "areas: [Leicester, Leicestershire, Rutland]")
    text = text.replace(f"start: {document['period']['start']}", "start: 2016-07-01")
    text = text.replace(f"end: {document['period']['end']}", "end: 2017-04-30")
    text = text.replace('data: ""   # FILL IN: this round\'s case audit', "data: ../data/llr-2017-cases.csv   #", 1)
    text = text.replace('data: ""   # FILL IN: this round\'s survey', "data: ../data/llr-2017-survey.csv   #", 1)
    parameters.write_text(text, encoding="utf-8")
    relative = parameters.relative_to(workbook)
    _run(auditkit, "validate", relative, cwd=workbook)
    ran = _run(auditkit, "run", relative, "--quiet", cwd=workbook)
    report = workbook / "reports" / document["round"]
    assert ran.stdout.startswith(f"Briefing written to {report / 'briefing.html'}")
    for name in ("briefing.html", "briefing.pdf", "findings.json", "findings.csv", "manifest.json"):
        assert (report / name).is_file(), name
    after = sorted(str(path) for path in package.rglob("*") if "__pycache__" not in path.parts)
    assert after == before, "nothing is written into auditkit's own install folder"
