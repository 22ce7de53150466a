"""auditkit.config.model_check: pydantic's validation errors as sentences a non-programmer can act on.

The models here are small stand-ins for a parameters file; each expected sentence is written out as the
user should read it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pydantic
import pytest

from auditkit.config.model_check import check_model
from auditkit.errors import CodebookError, ParametersError

PATH = Path("/shared drive/audits/settings.yaml")


class _Period(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> _Period:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class _Entry(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    name: str = pydantic.Field(pattern=r"^[A-Za-z0-9_-]+$")
    count: int = 0


class _Settings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    title: str
    published: bool = False
    period: _Period
    areas: list[str] = []
    entries: list[_Entry] = []
    options: dict[str, str] = {}


PERIOD = {"start": "2017-01-01", "end": "2017-02-28"}


def problems(raw: object, error: type[Exception] = ParametersError) -> list[str]:
    with pytest.raises(error) as caught:
        check_model(_Settings, raw, PATH, error, "settings")
    return str(caught.value).splitlines()


def test_a_valid_mapping_gives_the_model():
    settings = check_model(
        _Settings, {"title": "Audit", "period": PERIOD, "areas": ["Leicester"]}, PATH, ValueError, "x"
    )
    assert settings.title == "Audit"
    assert settings.period.end == dt.date(2017, 2, 28)
    assert settings.areas == ["Leicester"]


def test_the_first_line_names_the_file_in_full_and_counts_the_problems():
    lines = problems({"period": PERIOD, "titel": "Audit"})
    assert lines == [
        "The settings file /shared drive/audits/settings.yaml has 2 problem(s):",
        "  settings.yaml: key 'title' is required but missing.",
        "  settings.yaml: key 'titel' is not a known key; check its spelling.",
    ]


def test_each_wrong_type_says_what_the_key_must_be():
    raw = {
        "title": 5,
        "published": "maybe",
        "period": {"start": "July 2016", "end": "2017-02-28"},
        "areas": "Leicester",
        "options": ["a"],
    }
    assert problems(raw)[1:] == [
        "  settings.yaml: key 'title' has 5; it must be text.",
        "  settings.yaml: key 'published' has 'maybe'; it must be true or false.",
        "  settings.yaml: key 'period → start' has 'July 2016'; it must be a date such as 2017-04-30.",
        "  settings.yaml: key 'areas' has 'Leicester'; it must be a list.",
        "  settings.yaml: key 'options' has ['a']; it must be a mapping of keys to values.",
    ]


def test_a_nested_mapping_given_as_text_must_be_a_mapping():
    assert problems({"title": "Audit", "period": "2017"})[1:] == [
        "  settings.yaml: key 'period' has '2017'; it must be a mapping of keys to values."
    ]


def test_list_entries_are_counted_from_one_as_a_user_counts_them():
    raw = {"title": "Audit", "period": PERIOD, "entries": [{"name": "first"}, {"name": "has space", "count": "ten"}]}
    assert problems(raw)[1:] == [
        "  settings.yaml: key 'entries → item 2 → name' has 'has space'; it must be a short name of letters, "
        "digits, '-' or '_', with no spaces.",
        "  settings.yaml: key 'entries → item 2 → count' has 'ten'; it must be a whole number.",
    ]


def test_a_rule_of_the_model_is_given_in_its_own_words_without_pydantics_prefix():
    lines = problems({"title": "Audit", "period": {"start": "2017-03-01", "end": "2017-02-28"}})
    assert lines[1:] == ["  settings.yaml: key 'period': end (2017-02-28) is before start (2017-03-01)."]
    assert "Value error" not in "\n".join(lines)


@pytest.mark.parametrize("raw", [["Audit", "2017"], "Audit", None, 5])
def test_a_file_that_is_not_a_mapping_is_refused_by_its_name(raw):
    assert problems(raw) == ["The settings file settings.yaml must hold a mapping of keys to values."]


def test_the_error_raised_is_the_one_asked_for():
    assert problems({"period": PERIOD}, CodebookError)[1:] == ["  settings.yaml: key 'title' is required but missing."]
