"""auditkit.config.common_words: the common English words no redact entry may be."""

from __future__ import annotations

import re

from auditkit.config import common_words
from auditkit.config.common_words import COMMON_WORDS


def test_the_list_holds_a_few_hundred_lower_case_words():
    assert len(COMMON_WORDS) == 478
    assert all(re.fullmatch(r"[a-z]+(?:'[a-z]+)?", word) for word in COMMON_WORDS)


def test_the_most_common_words_are_there():
    assert {"the", "a", "i", "and", "will", "may", "family", "school", "home", "children"} <= COMMON_WORDS


def test_names_numbers_and_fragments_are_left_out():
    assert not COMMON_WORDS & {"john", "york", "1", "s", "t", "u.s"}


def test_public_names():
    assert common_words.__all__ == ["COMMON_WORDS"]
