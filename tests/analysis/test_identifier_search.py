"""auditkit.analysis.identifier_search: a round's own identifiers found in free text, however they are written."""

from __future__ import annotations

import pytest

from auditkit.analysis import identifier_search
from auditkit.analysis.identifier_search import (
    IdentifierIndex,
    compact_form,
    find_identifiers,
    index_identifiers,
)

INDEX = index_identifiers(["DD17-L01", "DD17-L02", "R1000", "2017/045"])


def found(text: str, index: IdentifierIndex = INDEX) -> list[str]:
    return [text[start:stop] for start, stop in find_identifiers(text, index)]


def test_compact_form_keeps_letters_and_digits_in_one_case():
    assert compact_form("DD17-L01") == "dd17l01"
    assert compact_form(" dd 17 / l-01. ") == "dd17l01"
    assert compact_form("Straße") == "strasse"
    assert compact_form("--") == ""


@pytest.mark.parametrize(
    "written",
    ["DD17-L01", "dd17-l01", "dd17 l01", "DD17L01", "dd-17-l01", "DD 17 L 01", "Dd17 – L01", "DD17/L01", "DD17.L01"],
)
def test_a_case_reference_is_found_however_it_is_written(written):
    assert found(f"We discussed {written} in supervision.") == [written]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As I said in response R1000, it helped", ["R1000"]),
        ("As I said in response r 1000, it helped", ["r 1000"]),
        ("R1000's plan was reviewed", ["R1000"]),
        ("(R1000) and [DD17-L02] were both open", ["R1000", "DD17-L02"]),
        ("The file 2017/045 and 2017-045 are the same", ["2017/045", "2017-045"]),
    ],
)
def test_identifiers_are_found_at_the_edges_of_words(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Response R10000 is not one of ours",
        "Response XR1000 is not one of ours",
        "The case DD17-L011 is not one of ours",
        "The case DD17-L0 is not one of ours",
        "We saw 1000 families and the R team",
    ],
)
def test_longer_or_shorter_words_are_not_identifiers(text):
    assert found(text) == []


def test_the_longest_identifier_is_taken():
    index = index_identifiers(["DD17", "DD17-L01"])
    assert found("Case DD17 L01 and DD17 alone", index) == ["DD17 L01", "DD17"]


def test_short_values_and_common_words_are_not_looked_for():
    index = index_identifiers(["7", "A1", "n/a", "None", "Not known", "TBC", "the", "Yes", "", "  ", "R10"])
    assert index == IdentifierIndex(forms=frozenset({"r10"}), lengths=frozenset({3}))
    assert found("Case 7, A1 and the n/a box: yes, none of R10, not known, tbc", index) == ["R10"]


def test_an_empty_index_finds_nothing():
    assert found("DD17-L01", index_identifiers([])) == []
    assert IdentifierIndex().longest == 0


def test_identifiers_must_be_strings():
    with pytest.raises(TypeError, match="each identifier must be a string, not float: nan"):
        index_identifiers(["R1000", float("nan")])
    with pytest.raises(TypeError, match="not one string"):
        index_identifiers("R1000")


def test_public_names():
    assert sorted(identifier_search.__all__) == [
        "IdentifierIndex",
        "MIN_IDENTIFIER_CHARACTERS",
        "compact_form",
        "find_identifiers",
        "index_identifiers",
    ]
