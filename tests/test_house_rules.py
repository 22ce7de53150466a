"""The house rules that CI enforces: layers, lint and format, private names, module size, a light start.

See CONTRIBUTING.md for the rules in words.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit

SOURCE = REPO / "src" / "auditkit"
MODULES = sorted(path for path in SOURCE.rglob("*.py"))
BIN = Path(sys.executable).parent
#: A module past this many lines is doing more than one thing (the house style says "under ~400").
MAX_LINES = 420


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_layers_import_downward_only():
    # The contracts are in pyproject.toml ([tool.importlinter]); lint-imports reads them.
    result = subprocess.run([BIN / "lint-imports"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_finds_nothing_to_lint():
    result = subprocess.run([BIN / "ruff", "check", "."], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_has_nothing_to_change():
    result = subprocess.run(
        [BIN / "ruff", "format", "--check", "."], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("auditkit"):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{path.name}:{node.lineno} imports the private module {node.module}")
            found += [
                f"{path.name}:{node.lineno} imports {alias.name} from {node.module}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_a_private_name_from_another():
    found = [line for path in MODULES for line in _private_imports(path)]
    assert found == []


def test_the_private_name_check_finds_one(tmp_path: Path):
    probe = tmp_path / "probe.py"
    probe.write_text("from auditkit.run.staging import _alive\nfrom auditkit import __version__\n", encoding="utf-8")
    assert _private_imports(probe) == ["probe.py:1 imports _alive from auditkit.run.staging"]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_modules_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize(
    "path", [path for path in MODULES if path.name != "__init__.py"], ids=lambda path: str(path.relative_to(SOURCE))
)
def test_every_module_declares_its_public_names(path: Path):
    module = importlib.import_module(_module_name(path))
    assert isinstance(getattr(module, "__all__", None), list | tuple), f"{module.__name__} has no __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_the_package_declares_its_public_names():
    assert "analyse_round" in auditkit.__all__
    assert all(not name.startswith("_") or name == "__version__" for name in auditkit.__all__)


@pytest.mark.parametrize("name", [name for name in auditkit.__all__ if name != "__version__"])
def test_each_public_name_is_documented_with_what_it_returns(name: str):
    value = getattr(auditkit, name)
    doc = inspect.getdoc(value)
    assert doc, f"auditkit.{name} has no docstring"
    if inspect.isfunction(value):
        assert "\nReturns\n-------\n" in doc, f"auditkit.{name}'s docstring has no Returns section"


def test_validate_imports_nothing_that_renders_or_runs_notebooks():
    # Issue 21: validate is no slower than findings; a run's libraries are imported by the stages that use them.
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from auditkit.cli import main\n"
        f"result = CliRunner().invoke(main, ['validate', {str(EXAMPLE_PARAMETERS)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = ('matplotlib', 'seaborn', 'weasyprint', 'nbformat', 'nbconvert', 'papermill', 'IPython', 'docx',"
        " 'openpyxl', 'scipy.optimize', 'scipy.stats')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _public_functions() -> list:
    found = []
    for path in MODULES:
        module = importlib.import_module(_module_name(path))
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                found.append(pytest.param(value, id=f"{module.__name__}.{name}"))
    return found


@pytest.mark.parametrize("function", _public_functions())
def test_every_public_function_says_what_it_returns(function):
    doc = inspect.getdoc(function) or ""
    assert doc, f"{function.__module__}.{function.__name__} has no docstring"
    returns = inspect.signature(function).return_annotation
    if returns not in (None, "None", inspect.Signature.empty) and "Iterator" not in str(returns):
        assert "\nReturns\n-------\n" in doc, f"{function.__module__}.{function.__name__} has no Returns section"
