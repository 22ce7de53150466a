"""What a round reads, by content: every input file with its SHA-256, and a short fingerprint of them all.

An analysis is keyed by these hashes (a changed file is a new analysis), the briefing's footer shows the
fingerprint and the manifest lists every file; the files are hashed once per analysis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from auditkit.config.round import Round

__all__ = ["fingerprint", "hash_file", "list_inputs"]


def hash_file(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time.

    Returns
    -------
    str
        The hash as 64 hex digits.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_inputs(rounds: Sequence[Round]) -> list[dict[str, str]]:
    """Every input file of the rounds, oldest round first, each with its role and hash.

    Returns
    -------
    list of dict
        One dict per file, a file named by two rounds listed once, with keys ``round`` (the round's id),
        ``role`` (``parameters``, ``codebook``, ``data``, or ``template``: the last round's Word template), ``path`` and
        ``sha256``.
    """
    inputs, seen = [], set()
    for round_ in rounds:
        files = [("parameters", round_.path)]
        for instrument in round_.instruments.values():
            files += [("codebook", instrument.codebook.path), ("data", instrument.data)]
        for table in round_.indicator_tables.values():
            files += [("codebook", table.codebook.path), *(("data", path) for path in table.data)]
        if round_ is rounds[-1] and round_.docx_template is not None:  # a baseline's briefing is not written
            files.append(("template", round_.docx_template))
        for role, path in files:
            if path in seen:
                continue
            seen.add(path)
            inputs.append({"round": round_.id, "role": role, "path": str(path), "sha256": hash_file(path)})
    return inputs


def fingerprint(inputs: Sequence[dict[str, str]]) -> str:
    """A short fingerprint of all the inputs' contents (not their paths), for a briefing's footer.

    Returns
    -------
    str
        12 hex digits of the SHA-256 of the inputs' sorted hashes.
    """
    digest = hashlib.sha256("\n".join(sorted(item["sha256"] for item in inputs)).encode("ascii"))
    return digest.hexdigest()[:12]
