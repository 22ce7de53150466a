"""auditkit.analysis.quotes: which comments of the example survey are quoted, checked against its CSV directly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit

SURVEY_CSV = REPO / "data_templates" / "examples" / "llr-2017-survey.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def round_():
    return auditkit.load_round(EXAMPLE_PARAMETERS)


@pytest.fixture(scope="module")
def records(round_):
    return auditkit.load_round_records(round_)


def consented_comments() -> list[str]:
    return [
        " ".join(row["comment"].split())
        for row in read_rows(SURVEY_CSV)
        if row["comment"].strip() and row["quote_consent"].strip() == "yes"
    ]


def test_only_consented_comments_are_quoted(round_, records):
    refused = [row["comment"] for row in read_rows(SURVEY_CSV) if row["comment"] and row["quote_consent"] == "no"]
    assert len(refused) == 2  # the example holds comments whose authors said no
    selection = auditkit.select_quotes(round_, records)
    for text in refused:
        assert all(text not in quote and quote not in text for quote in selection.quotes)
    assert set(selection.quotes) <= set(consented_comments())
    assert selection.without_consent == len(refused)


def test_all_consented_comments_fit_under_the_default_limit(round_, records):
    selection = auditkit.select_quotes(round_, records)
    assert len(consented_comments()) <= round_.briefing.max_quotes
    assert list(selection.quotes) == consented_comments()  # in file order
    assert selection.over_limit == 0


def test_quotes_are_capped_at_max_quotes(example_round):
    example_round.edit_parameters("max_quotes: 8", "max_quotes: 2")
    round_ = auditkit.load_round(example_round.parameters)
    assert round_.briefing.max_quotes == 2
    selection = auditkit.select_quotes(round_, auditkit.load_round_records(round_))
    consented = consented_comments()
    assert list(selection.quotes) == consented[:2]
    assert selection.over_limit == len(consented) - 2
    assert selection.without_consent == 2
