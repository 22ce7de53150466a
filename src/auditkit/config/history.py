"""A round's history: the chain of baselines its parameters file names, checked before anything runs.

A follow-up round names its predecessor with ``baseline: <parameters file>``; that round may
name its own, and so on. Every round in the chain is computed from its own data.
"""

from __future__ import annotations

from auditkit.config.input_files import file_problem, shown_path
from auditkit.config.round import Round, load_round
from auditkit.errors import AuditkitError, ParametersError

__all__ = ["load_history"]


def _check_codebooks(earlier: Round, later: Round) -> None:
    for name in sorted(set(earlier.instruments) & set(later.instruments)):
        before = earlier.instruments[name].codebook.codebook
        after = later.instruments[name].codebook.codebook
        if before != after:
            raise ParametersError(
                f"{later.path.name}: the instrument '{name}' uses the codebook '{after}', but its baseline "
                f"{earlier.path.name} uses '{before}' for it; rounds can only be compared on the same instrument."
            )


def load_history(round_: Round) -> tuple[Round, ...]:
    """The round and every baseline before it, oldest first.

    Raises :class:`ParametersError` when a baseline file is missing, names the round itself,
    forms a loop, repeats a round id, or uses another codebook for an instrument.

    Returns
    -------
    tuple of Round
        The oldest baseline first and ``round_`` last; just ``(round_,)`` when it names no baseline.
    """
    chain = [round_]
    while chain[-1].baseline is not None:
        current, path = chain[-1], chain[-1].baseline
        if path == current.path:
            raise ParametersError(f"{current.path.name}: baseline names this same file; name the previous round's.")
        visited = [earlier.path for earlier in chain]
        if path in visited:
            loop = " → ".join(p.name for p in [*visited[visited.index(path) :], path])
            raise ParametersError(f"{current.path.name}: the baselines form a loop ({loop}).")
        problem = file_problem(path)
        if problem is not None:
            raise ParametersError(f"{current.path.name}: baseline names {shown_path(path)}, which {problem}.")
        try:
            earlier = load_round(path)
        except AuditkitError as exc:
            raise ParametersError(f"{current.path.name}: its baseline could not be read. {exc}") from None
        if earlier.id in {round_in_chain.id for round_in_chain in chain}:
            raise ParametersError(
                f"{current.path.name}: its baseline {path.name} has the same round id '{earlier.id}'; "
                f"each round needs its own id."
            )
        _check_codebooks(earlier, current)
        chain.append(earlier)
    return tuple(reversed(chain))
