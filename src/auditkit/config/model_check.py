"""Turn pydantic's validation errors into sentences a non-programmer can act on.

Codebooks and parameters files are checked here, so whoever wrote the YAML reads every problem at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pydantic

__all__ = ["check_model"]

_Model = TypeVar("_Model", bound=pydantic.BaseModel)

_EXPECTED = {
    "string_type": "text",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_type": "a date such as 2017-04-30",
    "date_parsing": "a date such as 2017-04-30",
    "date_from_datetime_parsing": "a date such as 2017-04-30",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
}

#: What a name must be, by the pattern a model gives it (codebook and item ids are the one pattern used).
_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "a name of lower-case letters a-z, digits and '_', starting with a letter, with no spaces",
}


def _location(loc: tuple[Any, ...]) -> str:
    parts = [f"item {part + 1}" if isinstance(part, int) else str(part) for part in loc]
    return " → ".join(parts) if parts else "the top level"


def _sentence(error: dict[str, Any]) -> str:
    kind = error["type"]
    where = _location(error["loc"])
    if kind == "missing":
        return f"key '{where}' is required but missing."
    if kind == "extra_forbidden":
        return f"key '{where}' is not a known key; check its spelling."
    if kind in _EXPECTED:
        return f"key '{where}' has {error['input']!r}; it must be {_EXPECTED[kind]}."
    if kind == "string_pattern_mismatch":
        rule = _PATTERNS.get(error["ctx"]["pattern"], "a short name of letters, digits, '-' or '_', with no spaces")
        return f"key '{where}' has {error['input']!r}; it must be {rule}."
    message = error["msg"].removeprefix("Value error, ").rstrip(".")
    return f"key '{where}': {message}."


def check_model(model: type[_Model], raw: Any, path: Path, error: type[Exception], what: str) -> _Model:
    """Validate ``raw`` against ``model``; on failure raise ``error`` listing every problem.

    Returns
    -------
    pydantic.BaseModel
        An instance of ``model`` built from ``raw``.
    """
    if not isinstance(raw, dict):
        raise error(f"The {what} file {path.name} must hold a mapping of keys to values.")
    try:
        return model.model_validate(raw)
    except pydantic.ValidationError as exc:
        lines = [f"The {what} file {path} has {exc.error_count()} problem(s):"]
        lines.extend(f"  {path.name}: {_sentence(item)}" for item in exc.errors())
        raise error("\n".join(lines)) from None
