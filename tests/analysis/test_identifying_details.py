"""auditkit.analysis.identifying_details: where each identifying detail in a comment is, and of what kind.

The older patterns (emails, phones, NHS numbers, dates, postcodes) are tested through screening in
test_screening.py; here are the patterns issue 14 added, each with comments it must find and comments it
must leave alone.
"""

from __future__ import annotations

import pytest

from auditkit.analysis import identifying_details
from auditkit.analysis.identifying_details import DETAIL_KINDS, find_details


def found(text: str) -> list[tuple[str, str]]:
    """Each detail of ``text`` as (the text found, its kind)."""
    return [(text[start:stop], kind) for start, stop, kind in find_details(text)]


def case(text, *details):
    return pytest.param(text, list(details), id=text)


ADDRESSES = [
    case("The visit to 12 Acacia Avenue showed it", ("12 Acacia Avenue", "address")),
    case("We went to Flat 3, 14 Mill Lane twice", ("Flat 3, 14 Mill Lane", "address")),
    case("We went to Flat 3 Mill Court twice", ("Flat 3 Mill Court", "address")),
    case("We went to flat 3, 14 Mill Lane twice", ("flat 3, 14 Mill Lane", "address")),
    case("The home at 12a Acacia avenue was cold", ("12a Acacia avenue", "address")),
    case("The home at 12-14 High Street was cold", ("12-14 High Street", "address")),
    case("The home at 14 St John's Road was cold", ("14 St John's Road", "address")),
    case("The family at 7 The Green moved", ("7 The Green", "address")),
    case("The family at 3 Mill Ct. moved", ("3 Mill Ct.", "address")),
    case("The family at 12, Acacia Avenue moved", ("12, Acacia Avenue", "address")),
    case("The family at 12 ACACIA AVENUE moved", ("12 ACACIA AVENUE", "address")),
    case("The family at 12 acacia avenue moved", ("12 acacia avenue", "address")),
    case("The family at 14 mill lane moved", ("14 mill lane", "address")),
    case("The family at 12 Acacia Avenue, LE1 6ZG moved", ("LE1 6ZG", "postcode"), ("12 Acacia Avenue", "address")),
]

NOT_ADDRESSES = [
    "We agreed a Flat rate for the sessions",
    "The flat was cold and damp all winter",
    "It is a 5 minute drive from the office",
    "It is a 10 minute walk from the school",
    "They missed 3 times in a row this year",
    "We had 2 very close calls with the baby",
    "Most of the 4 main roads were closed",
    "The Mill Lane centre ran the group",
    "See section 4.12 Mill Lane procedures",
    "The 3 agencies sat down in the same room",
]

CHILD_NAMES = [
    case("Using the toolkit with Tyler (age 4) and his mum", ("Tyler", "child_name")),
    case("Using the toolkit with Tyler (aged 4) and his mum", ("Tyler", "child_name")),
    case("Using the toolkit with Tyler (4) and his mum", ("Tyler", "child_name")),
    case("Using the toolkit with Tyler (4 yrs) and his mum", ("Tyler", "child_name")),
    case("Using the toolkit with Tyler (18 months) and his mum", ("Tyler", "child_name")),
    case("Using the toolkit with Tyler (Age: 4) and his mum", ("Tyler", "child_name")),
    case("Tyler, aged 4, was seen at home", ("Tyler", "child_name")),
    case("Tyler aged four was seen at home", ("Tyler", "child_name")),
    case("Tyler age 4 was seen at home", ("Tyler", "child_name")),
    case("Tyler who is 4 was seen at home", ("Tyler", "child_name")),
    case("Tyler, who's 4, was seen at home", ("Tyler", "child_name")),
    case("Tyler who has just turned 4 was seen", ("Tyler", "child_name")),
    case("Tyler is 4 years old and was seen", ("Tyler", "child_name")),
    case("Tyler, 4 years old, was seen at home", ("Tyler", "child_name")),
    case("Tyler, a 4-year-old, was seen at home", ("Tyler", "child_name")),
    case("We saw 4-year-old Tyler at home", ("Tyler", "child_name")),
    case("We saw four year old Tyler Smith at home", ("Tyler Smith", "child_name")),
    case("We saw Tyler Smith (age 4) at home", ("Tyler Smith", "child_name")),
    case("With Tyler (age 4) the plan worked", ("Tyler", "child_name")),
    case("We saw Hope (aged 2) at home", ("Hope", "child_name")),
    case("We saw Zoë (age 3½) at home", ("Zoë", "child_name")),
]

NOT_CHILD_NAMES = [
    "The plan was age-appropriate for Tyler and his sister",
    "The child (age 4) was seen alone at home",
    "Children aged 4 and under were seen first",
    "He is 4 years old and was seen alone",
    "Mum (aged 19) came to every meeting",
    "Tyler, 4, was seen at home",
    "Tyler is 4 and was seen at home",
    "tyler (age 4) was seen at home",
    "The aged care home was part of the audit",
    "Families with a 4 year old were seen first",
]

EMAILS = [
    case("Ask me at jane(at)example(dot)com for forms", ("jane(at)example(dot)com", "email")),
    case("Ask me at jane [at] example [dot] com for forms", ("jane [at] example [dot] com", "email")),
    case("Ask me at jane{at}example{dot}com for forms", ("jane{at}example{dot}com", "email")),
    case("Ask me at jane at example dot com for forms", ("jane at example dot com", "email")),
    case("Ask me at JANE AT EXAMPLE DOT CO DOT UK for forms", ("JANE AT EXAMPLE DOT CO DOT UK", "email")),
    case("Ask me at jane.smith at example.org for forms", ("jane.smith at example.org", "email")),
    case("Ask me at jane @ example.com for forms", ("jane @ example.com", "email")),
    case("Ask me at jane(at)example.com for forms", ("jane(at)example.com", "email")),
    case("Ask me at jane@example.com for forms", ("jane@example.com", "email")),
]

NOT_EMAILS = [
    "Have a look at gov.uk for the guidance",
    "We met at school and at home every week",
    "Ask jane at example for the forms",
    "We were at the end of our tether",
]


@pytest.mark.parametrize(("text", "details"), ADDRESSES + CHILD_NAMES + EMAILS)
def test_finds_each_detail(text, details):
    assert found(text) == details


@pytest.mark.parametrize("text", NOT_ADDRESSES + NOT_CHILD_NAMES + NOT_EMAILS)
def test_leaves_ordinary_comments_alone(text):
    assert found(text) == []


def test_spans_are_listed_kind_by_kind():
    text = "Tyler (age 4) lives at 12 Acacia Avenue, jo@example.org, 07700 900123"
    assert [kind for _, _, kind in find_details(text)] == ["email", "phone", "address", "child_name"]
    assert set(DETAIL_KINDS) == {"email", "phone", "nhs_number", "date", "postcode", "address", "child_name"}


def test_public_names():
    assert sorted(identifying_details.__all__) == ["DETAIL_KINDS", "find_details"]
