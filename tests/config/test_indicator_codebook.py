"""auditkit.config.indicator_codebook: an aggregate indicator's codebook, and its mistakes in plain sentences.

The example is the Lancashire measure (shared/reference/002_e4f81a11ce781c57.txt), with England 47.5% and
North West 40.5% in 2018 as its benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LANCASHIRE_CODEBOOK

from auditkit.config.indicator_codebook import load_indicator_codebook
from auditkit.errors import CodebookError

CODEBOOK = LANCASHIRE_CODEBOOK


@pytest.fixture(scope="module")
def codebook():
    return load_indicator_codebook(CODEBOOK)


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The codebook


def test_example_codebook_describes_the_lancashire_measure(codebook):
    assert codebook.measure == "Children on a child protection plan due to neglect"
    assert codebook.total_area == "Lancashire"
    assert codebook.polarity == "neither"
    assert codebook.rba == "how_much" and codebook.rba_question == "How much did we do?"
    assert codebook.benchmark_names == ("England", "North West")
    assert codebook.benchmarks_for("2018") == {"England": 0.475, "North West": 0.405}
    assert codebook.benchmarks_for("2017") == {}


@pytest.mark.parametrize(
    ("written", "code"),
    [("how much did we do", "how_much"), ("How well did we do it?", "how_well"), ("better_off", "better_off")],
)
def test_rba_question_may_be_written_as_words_or_code(tmp_path, written, code):
    text = CODEBOOK.read_text(encoding="utf-8").replace("rba: how_much", f"rba: {written}")
    assert load_indicator_codebook(write(tmp_path, text, "codebook.yaml")).rba == code


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "England: 0.475",
            "England: 47.5",
            "  codebook.yaml: key 'benchmarks': 2018 → England is 47.5; it must be a proportion between 0 and 1 "
            "(47.5% is 0.475).",
        ),
        (
            "polarity: neither",
            "polarity: up",
            "  codebook.yaml: key 'polarity': Input should be 'higher_is_better', 'lower_is_better' or 'neither'.",
        ),
        (  # issue 18: a typo is refused where it is parsed, naming the polarities allowed
            "polarity: neither",
            "polarity: higher_better",
            "  codebook.yaml: key 'polarity': Input should be 'higher_is_better', 'lower_is_better' or 'neither'.",
        ),
        (
            "rba: how_much",
            "rba: how good",
            "  codebook.yaml: key 'rba': 'how good' is not a results-based-accountability question; allowed: how_much "
            "('How much did we do?'), how_well ('How well did we do it?'), better_off ('Is anyone better off?').",
        ),
        (
            "total_area: Lancashire",
            "total_area: Lancashire\ncolour: red",
            "  codebook.yaml: key 'colour' is not a known key; check its spelling.",
        ),
    ],
)
def test_codebook_mistakes_are_reported_in_plain_sentences(tmp_path, old, new, message):
    text = CODEBOOK.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(CodebookError) as caught:
        load_indicator_codebook(write(tmp_path, text.replace(old, new), "codebook.yaml"))
    assert str(caught.value).splitlines()[1] == message


def test_benchmarks_from_a_rounds_parameters_replace_the_codebooks(codebook):
    replaced = codebook.with_benchmarks({2017: {"England": 0.481}})
    assert replaced.benchmarks_for("2017") == {"England": 0.481} and replaced.benchmarks_for("2018") == {}
    assert codebook.benchmarks_for("2018") == {"England": 0.475, "North West": 0.405}
