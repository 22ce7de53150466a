"""auditkit.analysis.quotes: which comments of the example survey are quoted, checked against its CSV directly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import EXAMPLE_PARAMETERS, REPO

import auditkit
from auditkit.analysis.quotes import identifying_values

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


# --- Issue 14: the round's identifiers, long quotes --------------------------------------------------

REVIEW = "Went through the home conditions section with a mum and her health visitor"


def plant(example_round, new_start: str) -> None:
    """Replace the opening of the example's first consented comment (response R1014's)."""
    text = example_round.survey.read_text(encoding="utf-8")
    assert REVIEW in text
    example_round.survey.write_text(text.replace(REVIEW, new_start, 1), encoding="utf-8")


def test_identifying_values_are_the_free_text_identifying_and_internal_items(round_, records):
    values = identifying_values(round_, records)
    assert {"DD17-L01", "R1000", "R1014", "Toolkit scores shared at core group."} <= values
    cases = read_rows(REPO / "data_templates" / "examples" / "llr-2017-cases.csv")
    responses = read_rows(SURVEY_CSV)
    expected = {row["case_ref"] for row in cases} | {row["notes"] for row in cases if row["notes"]}
    assert values == expected | {row["response_id"] for row in responses}
    # Choice codes and comments are not identifiers.
    assert not values & {"yes", "no", "health", "Leicester"}


def test_a_case_reference_or_response_id_in_a_quote_is_redacted(example_round):
    plant(example_round, "We talked about dd17 l01 and response R1000 with a mum and her health visitor")
    round_ = auditkit.load_round(example_round.parameters)
    selection = auditkit.select_quotes(round_, auditkit.load_round_records(round_))
    assert selection.quotes[0].startswith("We talked about [redacted] and response [redacted] with a mum")
    assert selection.redacted == 1
    assert selection.held_back == 0


def test_an_earlier_rounds_case_reference_is_redacted(example_round):
    # DD17-L02 was audited in the baseline round only; a follow-up comment that names it is screened too.
    followup = example_round.root / "parameters" / "llr-2017-followup.yaml"
    survey = example_round.root / "data_templates" / "examples" / "llr-2017-followup-survey.csv"
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text.replace("Our family worker Jo Bloggs", "Case DD17-L02 and our worker Jo Bloggs", 1), "utf-8")
    analysis = auditkit.analyse_round(followup, reuse=False)
    assert "DD17-L02" not in set(analysis.records["deep_dive"]["case_ref"])
    assert "DD17-L02" in set(analysis.history[0].records["deep_dive"]["case_ref"])
    quote = next(quote for quote in analysis.quotes.quotes if "went through it with mum" in quote)
    assert quote.startswith("Case [redacted] and our worker [redacted] went through it")


def test_a_quote_over_1000_characters_is_held_back_and_counted(example_round):
    plant(example_round, "The toolkit helped. " * 60)
    round_ = auditkit.load_round(example_round.parameters)
    selection = auditkit.select_quotes(round_, auditkit.load_round_records(round_))
    assert not any("The toolkit helped. The toolkit helped." in quote for quote in selection.quotes)
    assert selection.held_back == 1
    assert selection.held_back_reasons == (("longer than 1,000 characters", 1),)
    assert list(selection.quotes) == consented_comments()[1:]
