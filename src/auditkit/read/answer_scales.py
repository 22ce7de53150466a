"""The answer scales surveys use, recognised from their labels: yes/no, agreement, satisfaction, frequency and more.

``auditkit draft-codebook`` proposes a question's values from the answers in an export. Answers repeated fewer
than three times are never copied (they may be a respondent's own words), so a scale whose lowest level nobody
chose would lose it. A scale known here is written whole, in its order, from this vocabulary: each level with
the spelling the export uses when it is one of the level's known spellings, else its first. The ``met`` values
each scale proposes are a first guess, marked for checking.

Written by hand: no library lists survey answer scales.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from auditkit.read.matching import normalise

__all__ = ["SCALES", "Level", "Scale", "recognise_scale"]


@dataclass(frozen=True)
class Level:
    """One level of a scale: its ``code`` and the ways surveys write it (``spellings``, the first the usual one).

    An ``optional`` level ("Don't know") is part of the scale only when the export has it.
    """

    code: str
    spellings: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True)
class Scale:
    """An answer scale: its ``name``, its ``levels`` (lowest first), the codes proposed as ``met`` and as
    ``not_applicable``, and whether its levels are ordered (``ordinal``)."""

    name: str
    levels: tuple[Level, ...]
    met: tuple[str, ...]
    not_applicable: tuple[str, ...] = ()
    ordinal: bool = True

    def level_of(self, answer: str) -> Level | None:
        """The level an answer is, whatever its case, spacing, quotes and dashes; an answer may be its code.

        Returns
        -------
        Level or None
            The level whose spellings or code include ``answer``; None when none does.
        """
        wanted = normalise(answer)
        return next(
            (level for level in self.levels if wanted == level.code or wanted in map(normalise, level.spellings)),
            None,
        )


_DONT_KNOW = Level("dont_know", ("Don't know", "Do not know", "Not sure", "Unsure"), optional=True)
_NOT_APPLICABLE = Level("not_applicable", ("Not applicable", "N/A", "NA"), optional=True)
_UNSURE = ("dont_know", "not_applicable")

#: The scales known, in the order they are tried: the first whose levels hold every answer is the one.
SCALES = (
    Scale(
        "yes/no", (Level("yes", ("Yes",)), Level("no", ("No",)), _DONT_KNOW, _NOT_APPLICABLE), ("yes",), _UNSURE, False
    ),
    Scale(
        "agreement",
        (
            Level("strongly_disagree", ("Strongly disagree",)),
            Level("disagree", ("Disagree", "Tend to disagree", "Somewhat disagree")),
            Level("neutral", ("Neither agree nor disagree", "Neither agree or disagree", "Neutral", "Neither")),
            Level("agree", ("Agree", "Tend to agree", "Somewhat agree")),
            Level("strongly_agree", ("Strongly agree",)),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("agree", "strongly_agree"),
        _UNSURE,
    ),
    Scale(
        "satisfaction",
        (
            Level("very_dissatisfied", ("Very dissatisfied",)),
            Level("dissatisfied", ("Dissatisfied", "Fairly dissatisfied", "Somewhat dissatisfied")),
            Level("neutral", ("Neither satisfied nor dissatisfied", "Neither satisfied or dissatisfied", "Neutral")),
            Level("satisfied", ("Satisfied", "Fairly satisfied", "Somewhat satisfied")),
            Level("very_satisfied", ("Very satisfied",)),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("satisfied", "very_satisfied"),
        _UNSURE,
    ),
    Scale(
        "frequency",
        (
            Level("never", ("Never",)),
            Level("rarely", ("Rarely", "Seldom", "Hardly ever")),
            Level("sometimes", ("Sometimes", "Occasionally")),
            Level("often", ("Often", "Usually", "Most of the time", "Frequently", "Very often")),
            Level("always", ("Always", "All of the time")),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("often", "always"),
        _UNSURE,
    ),
    Scale(
        "quality",
        (
            Level("very_poor", ("Very poor",), optional=True),
            Level("poor", ("Poor",)),
            Level("fair", ("Fair", "Adequate", "Average")),
            Level("good", ("Good",)),
            Level("very_good", ("Very good",)),
            Level("excellent", ("Excellent",)),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("good", "very_good", "excellent"),
        _UNSURE,
    ),
    Scale(
        "confidence",
        (
            Level("not_at_all_confident", ("Not at all confident",)),
            Level("not_very_confident", ("Not very confident", "Slightly confident")),
            Level("fairly_confident", ("Fairly confident", "Quite confident", "Somewhat confident")),
            Level("very_confident", ("Very confident", "Extremely confident")),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("fairly_confident", "very_confident"),
        _UNSURE,
    ),
    Scale(
        "helpfulness",
        (
            Level("not_at_all_helpful", ("Not at all helpful", "Not helpful at all")),
            Level("not_very_helpful", ("Not very helpful", "Slightly helpful")),
            Level("fairly_helpful", ("Fairly helpful", "Quite helpful", "Somewhat helpful", "Helpful")),
            Level("very_helpful", ("Very helpful", "Extremely helpful")),
            _DONT_KNOW,
            _NOT_APPLICABLE,
        ),
        ("fairly_helpful", "very_helpful"),
        _UNSURE,
    ),
)


def recognise_scale(answers: Iterable[str]) -> tuple[Scale, tuple[tuple[str, str], ...]] | None:
    """The scale whose levels hold every answer, and its levels as the draft writes them.

    Parameters
    ----------
    answers : Iterable of str
        The distinct answers a question was given (not blank), in the order first given.

    Returns
    -------
    tuple of (Scale, tuple of (code, label)) or None
        The first scale of :data:`SCALES` that holds every answer, with each of its levels (in order; an optional
        one only when an answer is that level) as a code and the label to write: the export's spelling when the
        export uses one the level knows, else the level's usual one. None when no scale holds them all, or there
        are no answers.
    """
    answers = list(answers)
    if not answers:
        return None
    for scale in SCALES:
        seen: dict[str, str] = {}
        for answer in answers:
            level = scale.level_of(answer)
            if level is None:
                break
            spelling = next((known for known in level.spellings if normalise(known) == normalise(answer)), None)
            seen.setdefault(level.code, spelling or level.spellings[0])  # a code is labelled as usual
        else:
            written = tuple(
                (level.code, seen.get(level.code, level.spellings[0]))
                for level in scale.levels
                if not level.optional or level.code in seen
            )
            return scale, written
    return None
