"""Reading YAML the way non-programmers write it, for codebooks and parameters files.

PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on`` and ``off`` become booleans.
Our codebooks use ``yes`` and ``no`` as value codes, so only ``true`` and ``false``
are booleans here; everything else keeps the text the user typed.

PyYAML has no option to refuse what a hostile or mistaken file can do to it, so the loader below is
subclassed to refuse each: a file over 1 MB (checked before parsing); aliases that repeat too often or
expand too far (a "billion laughs": nine lines that expand to a billion strings); an alias inside the very
list or mapping it names (it never ends); and a key given twice in one mapping, at any depth, which PyYAML
silently lets the second win (``min_count: 5`` then ``min_count: 0`` turns disclosure off).
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import stat
from collections import OrderedDict
from pathlib import Path
from typing import Any

import yaml

from auditkit.config.input_files import file_problem, shown_path

__all__ = ["MAX_ALIAS_VALUES", "MAX_ALIASES", "MAX_YAML_BYTES", "parse_yaml", "read_yaml", "read_yaml_bytes"]

#: The largest YAML file read, in bytes: a parameters file or a codebook is a few KB of text.
MAX_YAML_BYTES = 1_000_000
#: The most aliases (``*name``, repeating an ``&name`` anchor) a file may use; most use none.
MAX_ALIASES = 100
#: The most values all of a file's aliases may add once expanded.
MAX_ALIAS_VALUES = 10_000

#: Files already parsed in this process, by a digest of their bytes: PyYAML's pure-Python loader (needed for
#: the refusals above) takes about 50 ms for a codebook, and a run reads each file three or four times (the
#: run, then each notebook's ``analyse_round``). Kept small, and every caller gets its own copy.
_PARSED: OrderedDict[bytes, Any] = OrderedDict()
_PARSED_KEPT = 64
_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_MERGE = "tag:yaml.org,2002:merge"


class _Refused(yaml.YAMLError):
    """A well-formed file that is refused: ``text`` follows the file's name in a sentence and names the line."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _Loader(yaml.SafeLoader):
    """SafeLoader whose only booleans are true and false, and which refuses alias bombs and repeated keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._alias_values = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Compose as PyYAML does, counting each node's expanded size and what aliases add to it."""
        event = self.peek_event()
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event, node)
            return node
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = []
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        return node

    def _count_alias(self, event: yaml.AliasEvent, node: yaml.Node) -> None:
        line = event.start_mark.line + 1
        if id(node) not in self._sizes and not isinstance(node, yaml.ScalarNode):
            raise _Refused(f"has the alias *{event.anchor} at line {line} inside the very list or mapping it repeats")
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise _Refused(
                f"uses more than {MAX_ALIASES} aliases (*name, repeating an &name anchor); the one past that "
                f"is at line {line}"
            )
        self._alias_values += self._sizes.get(id(node), 1)
        if self._alias_values > MAX_ALIAS_VALUES:
            raise _Refused(
                f"has aliases (*name, repeating an &name anchor) that expand to more than {MAX_ALIAS_VALUES:,} "
                f"values by line {line}, as a YAML alias bomb does"
            )

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        """Construct a mapping as PyYAML does, after refusing a key it gives twice."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise _Refused(
                        f"gives the key '{key_node.value}' twice, at lines {first} and {key_node.start_mark.line + 1}; "
                        f"keep the one you mean and delete the other"
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


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


def read_yaml_bytes(path: Path, error: type[Exception], what: str) -> bytes:
    """A YAML file's bytes, raising ``error`` when it cannot be read, is not a regular file or is over
    :data:`MAX_YAML_BYTES`.

    Returns
    -------
    bytes
        The file's content, for :func:`parse_yaml`.
    """
    problem = file_problem(path)
    if problem is not None:
        raise error(f"The {what} file {shown_path(path)} {problem}.")
    try:
        # Non-blocking, and checked again once open: a pipe put in the file's place must not stop the read.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(f"The {what} file {path} cannot be read ({exc.strerror}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise error(f"The {what} file {path} is not a regular file.")
        data = handle.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise error(
            f"The {what} file {path.name} is over 1 MB; a {what} file is a few KB of text, "
            f"so auditkit reads none over 1 MB ({MAX_YAML_BYTES:,} bytes)."
        )
    return data


def read_yaml(path: Path, error: type[Exception], what: str) -> Any:
    """Read a YAML file, raising ``error`` with the file and line when it is malformed or refused.

    Refused: a file over :data:`MAX_YAML_BYTES`, more than :data:`MAX_ALIASES` aliases or aliases that add
    more than :data:`MAX_ALIAS_VALUES` values, and a key given twice in one mapping.

    Returns
    -------
    object
        The file's content as YAML gives it (a mapping, for a codebook or parameters file); only ``true``
        and ``false`` are booleans.
    """
    return parse_yaml(read_yaml_bytes(path, error, what), path, error, what)


def parse_yaml(data: bytes, path: Path, error: type[Exception], what: str) -> Any:
    """The YAML of ``data``, read from ``path``, refused and reported as :func:`read_yaml` does.

    The same bytes are parsed once per process (:data:`_PARSED`); each call gets its own copy.

    Returns
    -------
    object
        The content as YAML gives it; only ``true`` and ``false`` are booleans.
    """
    digest = hashlib.blake2b(data, digest_size=20).digest()
    if digest in _PARSED:
        _PARSED.move_to_end(digest)
        return copy.deepcopy(_PARSED[digest])
    parsed = _parse(path, data, error, what)
    _PARSED[digest] = parsed
    if len(_PARSED) > _PARSED_KEPT:
        _PARSED.popitem(last=False)
    return copy.deepcopy(parsed)


def _parse(path: Path, data: bytes, error: type[Exception], what: str) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"The {what} file {path.name} is not UTF-8 text.") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise error(f"The {what} file {path.name} {exc.text}.") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        hint = _HINTS.get(str(exc.problem))
        hint = f" ({hint})" if hint else ""
        raise error(f"The {what} file {path.name} is not valid YAML{line}: {exc.problem}{hint}.") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise error(
            f"The {what} file {path.name} is not valid YAML at line {line}: it holds the character "
            f"U+{exc.character:04X}, which YAML does not allow."
        ) from None
