"""Jinja environments for the YAML files auditkit writes for a user to edit: a next round's parameters, a
drafted codebook, a new workbook's files.

Each renders YAML, not HTML (so no autoescape), fails on an undefined name, and has two filters: ``yaml``
writes a value as a JSON string or list, which YAML reads as a quoted flow scalar or sequence, so no value
can break out of its line; ``comment`` folds a text onto one line for a ``#`` comment.
"""

from __future__ import annotations

import json
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["yaml_templates"]


@cache
def yaml_templates(folder: str) -> Environment:
    """The environment of the templates in ``src/auditkit/templates/<folder>``.

    Returns
    -------
    jinja2.Environment
        One per folder, made once.
    """
    environment = Environment(
        loader=PackageLoader("auditkit", f"templates/{folder}"),
        autoescape=False,  # noqa: S701 - this renders YAML, not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    environment.filters["comment"] = lambda value: " ".join(str(value).split())
    return environment
