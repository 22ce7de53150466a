"""Reading YAML the way non-programmers write it, for codebooks and parameters files.

PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on`` and ``off`` become booleans.
Our codebooks use ``yes`` and ``no`` as value codes, so only ``true`` and ``false``
are booleans here; everything else keeps the text the user typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["read_yaml"]

_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(yaml.SafeLoader):
    """SafeLoader whose only booleans are true and false."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOLEAN, list("tTfF"))


def _construct_date(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """Build a date as PyYAML does, but report an impossible one (2017-02-30) at its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


#: Plain-English help for PyYAML's most common complaints.
_HINTS = {
    "mapping values are not allowed here": "a value that contains ': ' must be put in quotes",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "could not find expected ':'": "a key is missing its ':' or a quote is not closed",
}


def read_yaml(path: Path, error: type[Exception], what: str) -> Any:
    """Read a YAML file, raising ``error`` with the file and line when it is malformed.

    Returns
    -------
    object
        The file's content as YAML gives it (a mapping, for a codebook or parameters file); only ``true``
        and ``false`` are booleans.
    """
    if not path.is_file():
        raise error(f"The {what} file {path} does not exist.")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        hint = _HINTS.get(str(exc.problem))
        hint = f" ({hint})" if hint else ""
        raise error(f"The {what} file {path.name} is not valid YAML{line}: {exc.problem}{hint}.") from None
    except UnicodeDecodeError:
        raise error(f"The {what} file {path.name} is not UTF-8 text.") from None
