"""auditkit.config.redact_list: redact entries too short or too common to screen quotes with are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.config import redact_list
from auditkit.config.redact_list import MIN_REDACT_LETTERS, check_redact_list
from auditkit.config.round import load_round
from auditkit.errors import ParametersError

PARAMETERS = Path("/somewhere/llr-2017.yaml")
ADVICE = "screening would blank that word throughout every quote. Give the name in full, such as 'Jo Bloggs'."


def refusal(entries) -> str:
    with pytest.raises(ParametersError) as caught:
        check_redact_list(PARAMETERS, entries)
    return str(caught.value)


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("a", "which has only one letter"),
        (" a ", "which has only one letter"),
        ("J.", "which has only one letter"),
        ("Jo", "which has only two letters"),
        ("O'B", "which has only two letters"),
        ("--", "which has no letters"),
        ("the", "which is a common English word"),
        ("The", "which is a common English word"),
        ("WILL", "which is a common English word"),
        ("family", "which is a common English word"),
        ("don't", "which is a common English word"),
    ],
)
def test_a_short_or_common_entry_is_refused_with_a_sentence(entry, why):
    assert refusal(["Kayden Smith", entry]) == f"llr-2017.yaml: redact lists {entry.strip()!r}, {why}; {ADVICE}"


def test_every_refused_entry_is_named_at_once():
    assert refusal(["a", "Kayden Smith", "the"]) == (
        f"llr-2017.yaml: redact lists 'a', which has only one letter; {ADVICE}\n"
        f"llr-2017.yaml: redact lists 'the', which is a common English word; {ADVICE}"
    )


@pytest.mark.parametrize(
    "entries",
    [
        ["Kayden Smith", "Ann", "Acacia Avenue", "Joe", "Will Jones", "The Close", "O'Brien", "John", "York"],
        [],
    ],
)
def test_names_are_accepted(entries):
    assert check_redact_list(PARAMETERS, entries) == tuple(entries)


def test_blank_entries_are_left_out_and_spaces_trimmed():
    assert check_redact_list(PARAMETERS, ["", "  ", " Kayden Smith "]) == ("Kayden Smith",)


def test_the_minimum_is_three_letters():
    assert MIN_REDACT_LETTERS == 3
    assert sorted(redact_list.__all__) == ["MIN_REDACT_LETTERS", "check_redact_list"]


def test_load_round_refuses_a_common_word(example_round):
    example_round.parameters.write_text(
        example_round.parameters.read_text(encoding="utf-8") + "\nredact: [Kayden Smith, the]\n", encoding="utf-8"
    )
    with pytest.raises(ParametersError) as caught:
        load_round(example_round.parameters)
    assert str(caught.value) == f"llr-2017.yaml: redact lists 'the', which is a common English word; {ADVICE}"


def test_load_round_keeps_the_names(example_round):
    example_round.parameters.write_text(
        example_round.parameters.read_text(encoding="utf-8") + "\nredact: [Kayden Smith, '', ' Ann ']\n",
        encoding="utf-8",
    )
    assert load_round(example_round.parameters).redact == ("Kayden Smith", "Ann")
