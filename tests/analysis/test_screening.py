"""auditkit.analysis.screening: identifying details redacted from quotes, unsafe quotes held back.

Each case gives a comment as a practitioner might write it and the exact text a briefing
would print. Comments that should be redacted carry at least four words of their own, so
that only the redaction is under test; the holding-back rules have their own cases.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from auditkit.analysis import screening
from auditkit.analysis.screening import REDACTED, ScreenedQuote, screen_quote, screen_quotes

R = REDACTED

MESSAGE = "looks like a pasted email or message"
URL = "contains a web address"
SHORT = "fewer than four words of its own once redactions are left out"
LONG = "longer than 1,000 characters"


def redacts(id_, text, expected, kinds, names=()):
    """A case whose comment is published with ``expected`` text and ``kinds`` of redaction."""
    return pytest.param(text, tuple(names), expected, tuple(kinds), id=id_)


def framed(kind, frame):
    """Cases for one kind of detail, each set in ``frame`` ("... {} ..."): id, detail."""

    def case(id_, detail):
        return redacts(id_, frame.format(detail), frame.format(R), [kind])

    return case


mobile = framed("phone", "Her mobile is {} if needed")
landline = framed("phone", "Ring the family on {} after school")
PHONES = [
    mobile("mobile-spaced", "07700 900123"),
    mobile("mobile-unspaced", "07700900123"),
    mobile("mobile-3-3", "07700 900 123"),
    mobile("mobile-hyphens", "07700-900-123"),
    mobile("mobile-+44", "+44 7700 900123"),
    mobile("mobile-+44-unspaced", "+447700900123"),
    mobile("mobile-+44-(0)", "+44 (0)7700 900123"),
    mobile("mobile-0044", "0044 7700 900123"),
    landline("landline-4-3-4", "0116 254 1234"),
    landline("landline-4-7", "0116 2541234"),
    landline("landline-unspaced", "01162541234"),
    landline("landline-hyphens", "0116-254-1234"),
    landline("landline-brackets", "(0116) 2541234"),
    landline("landline-brackets-3-4", "(0116) 254 1234"),
    landline("landline-5-6", "01572 722577"),
    landline("landline-london", "020 7946 0000"),
    landline("landline-london-misgrouped", "0207 946 0000"),
    landline("landline-london-brackets", "(020) 7946 0000"),
    landline("landline-nine-digit", "01387 12345"),
    landline("freephone", "0800 123 4567"),
    redacts(
        "phone-at-sentence-end",
        "You can reach the family on 07700 900123.",
        f"You can reach the family on {R}.",
        ["phone"],
    ),
    redacts(
        "phone-split-over-lines",
        "Mum's number is 0116\n254 1234 I think",
        f"Mum's number is {R} I think",
        ["phone"],
    ),
    redacts(
        "two-phones",
        "Try 07700 900123 or 0116 254 1234 for the carer",
        f"Try {R} or {R} for the carer",
        ["phone", "phone"],
    ),
]

email = framed("email", "Send it to {} please, thanks")
EMAILS = [
    email("email-plain", "jo.bloggs@example.org"),
    email("email-subdomain", "jo@mail.sub.example.co.uk"),
    email("email-plus", "jo+audit@example.org"),
    email("email-upper-case", "JO.BLOGGS@EXAMPLE.GOV.UK"),
    redacts(
        "email-sentence-end",
        "The referral went from jo@example.org.",
        f"The referral went from {R}.",
        ["email"],
    ),
    redacts(
        "email-angle-brackets",
        "The referral came from <jo@example.org> last week",
        f"The referral came from <{R}> last week",
        ["email"],
    ),
    redacts(
        "email-containing-a-name",
        "Copy in sarah.jones@example.org on every referral",
        f"Copy in {R} on every referral",
        ["email"],
        names=["Sarah", "Jones"],
    ),
]

postcode = framed("postcode", "The family moved to {} last spring")
POSTCODES = [
    postcode("postcode-upper", "LE1 6ZG"),
    postcode("postcode-lower-unspaced", "le16zg"),
    postcode("postcode-upper-unspaced", "LE16ZG"),
    postcode("postcode-lower-spaced", "le1 6zg"),
    postcode("postcode-capitalised", "Le1 6zg"),
    postcode("postcode-sw1a", "SW1A 1AA"),
    postcode("postcode-sw1a-lower-unspaced", "sw1a1aa"),
    postcode("postcode-m1", "M1 1AE"),
    postcode("postcode-b33-8th", "B33 8TH"),
    postcode("postcode-cr2", "CR2 6XH"),
    postcode("postcode-dn55", "DN55 1PT"),
    framed("postcode", "In the end the family moved to {}.")("postcode-then-full-stop", "LE1 6ZG"),
    framed("postcode", "The family moved to {}, then left again")("postcode-then-comma", "LE1 6ZG"),
    framed("postcode", "The family moved house ({}) last spring")("postcode-in-brackets", "le16zg"),
    framed("postcode", "Did anyone visit the family at {}?")("postcode-then-question", "DN55 1PT"),
    framed("postcode", "The address field said <b>{}</b> again")("postcode-in-markup", "LE1 6ZG"),
]

nhs = framed("nhs_number", "The child's NHS number {} was on the form")
NHS_NUMBERS = [
    nhs("nhs-spaced", "943 476 5919"),
    nhs("nhs-hyphens", "943-476-5919"),
    nhs("nhs-unbroken", "9434765919"),
    # 943 476 5910 fails the modulus 11 check: a mistyped number is still redacted.
    nhs("nhs-invalid-check-digit", "943 476 5910"),
    framed("nhs_number", "Case reference {} was open twice")("ten-digit-reference", "1234567890"),
    redacts(
        "nhs-glued-to-letters",
        "The form said NHS9434765919 for the child",
        f"The form said NHS{R} for the child",
        ["nhs_number"],
    ),
]

born = framed("date", "The baby was born on {} at home")
DATES = [
    born("dob-dd/mm/yyyy", "03/03/2015"),
    born("dob-d/m/yy", "3/3/15"),
    born("dob-dd/mm/yy", "03/03/15"),
    born("dob-d.m.yyyy", "3.3.2015"),
    born("dob-dd-mm-yyyy", "03-03-2015"),
    born("dob-iso", "2015-03-03"),
    born("dob-us-order", "03/25/2015"),
    born("dob-3rd-march-2015", "3rd March 2015"),
    born("dob-3-march-2015", "3 March 2015"),
    born("dob-3rd-of-march", "3rd of March, 2015"),
    born("dob-abbreviated-lower", "3 mar 2015"),
    born("dob-march-3-2015", "March 3, 2015"),
    born("dob-march-3rd-2015", "March 3rd 2015"),
    framed("date", "Nobody checked the baby born {}.")("dob-sentence-end", "3 March 2015"),
    # Screening cannot tell a birthday from any other full date.
    framed("date", "The toolkit launched on {} across the county")("full-event-date", "7 July 2016"),
]


def named(id_, text, expected, names, count=1):
    """A case whose comment has ``count`` of ``names`` redacted."""
    return redacts(id_, text, expected, ["name"] * count, names=names)


NAMES = [
    named("name", "Sarah visited the home weekly", f"{R} visited the home weekly", ["Sarah"]),
    named("name-possessive", "Sarah's visits helped us most", f"{R}'s visits helped us most", ["Sarah"]),
    named("name-possessive-curly", "Sarah’s visits helped us most", f"{R}’s visits helped us most", ["Sarah"]),
    named("name-upper-case", "SARAH visited the home weekly", f"{R} visited the home weekly", ["Sarah"]),
    named("name-list-lower-case", "Sarah visited the home weekly", f"{R} visited the home weekly", ["sarah"]),
    named(
        "multi-word-name",
        "The family on Example Road were visited weekly",
        f"The family on {R} were visited weekly",
        ["Example Road"],
    ),
    named(
        "multi-word-name-lower",
        "The family on example road were visited weekly",
        f"The family on {R} were visited weekly",
        ["Example Road"],
    ),
    named(
        "multi-word-name-over-lines",
        "The family on Example\n  Road were visited weekly",
        f"The family on {R} were visited weekly",
        ["Example Road"],
    ),
    named(
        "multi-word-name-possessive",
        "Example Road's families were visited weekly",
        f"{R}'s families were visited weekly",
        ["Example Road"],
    ),
    named(
        "multi-word-name-needs-every-word",
        "Example Road and Example Close were both visited",
        f"{R} and Example Close were both visited",
        ["Example Road"],
    ),
    named(
        "longest-name-first",
        "The family on Example Road were visited weekly",
        f"The family on {R} were visited weekly",
        ["Example", "Example Road"],
    ),
    named(
        "ann-not-annual",
        "Ann led the Annual review with Joanne and Anna",
        f"{R} led the Annual review with Joanne and Anna",
        ["Ann"],
    ),
    named(
        "hyphenated-name-listed",
        "Sarah-Jane and Sarah both came to the review",
        f"{R} and {R} both came to the review",
        ["Sarah", "Sarah-Jane"],
        count=2,
    ),
    named(
        "name-with-apostrophe",
        "Mr O'Brien was the allocated worker throughout",
        f"Mr {R} was the allocated worker throughout",
        ["O'Brien"],
    ),
    named(
        "blank-names-ignored",
        "Sarah visited the home every week",
        f"{R} visited the home every week",
        ["", "  ", "Sarah"],
    ),
]

MIXED = [
    redacts(
        "kinds-in-order-of-appearance",
        "Visit LE1 6ZG, ring 07700 900123, email jo@example.org and ask Sarah about 3 March 2015",
        f"Visit {R}, ring {R}, email {R} and ask {R} about {R}",
        ["postcode", "phone", "email", "name", "date"],
        names=["Sarah"],
    ),
]


@pytest.mark.parametrize(
    ("text", "names", "expected", "kinds"),
    PHONES + EMAILS + POSTCODES + NHS_NUMBERS + DATES + NAMES + MIXED,
)
def test_redacts_identifying_details(text, names, expected, kinds):
    screened = screen_quote(text, names)
    assert screened == ScreenedQuote(text=expected, redactions=kinds, held_back=None)
    assert screened.redacted


UNTOUCHED = [
    pytest.param("It took 3 months to get a core group meeting together", id="3-months"),
    pytest.param("It took three months and then another 6 months after that", id="durations"),
    pytest.param("Only 2 of 10 cases had a chronology on file", id="2-of-10-cases"),
    pytest.param("Everyone came to the 7th July launch and found it useful", id="day-month-no-year"),
    pytest.param("The toolkit was launched on 7 July and rolled out widely", id="day-month-no-year-plain"),
    pytest.param("Practitioners gave scores of 4 and 5 out of 5", id="scores"),
    pytest.param("We first used the toolkit in 2016 with one team", id="year"),
    pytest.param("The toolkit was reviewed in March 2015 by the board", id="month-and-year"),
    pytest.param("Families were given £20 vouchers for the cooker", id="money"),
    pytest.param("Childline on 0800 1111 is on every leaflet we hand out", id="short-helpline"),
    pytest.param("Families across the LE1 area were part of the audit", id="outward-code-alone"),
    pytest.param("Children in Y1 2nd term and KS2 3rd year were seen", id="school-years-and-ordinals"),
    pytest.param("Section 4.2.12 of the procedures covers home conditions", id="section-number"),
    pytest.param("Annual reviews and the annex were done with care", id="words-containing-a-name"),
    pytest.param("The guidance on gov.uk is clear about neglect", id="bare-domain"),
    pytest.param("With regards to the toolkit, oh dear, it is long", id="regards-and-dear-in-passing"),
    pytest.param("Practitioners used it for about 24/7 support and 50/50 splits", id="ratios"),
    pytest.param("A number like 12345678901 or 94 347 65919 is not a known form", id="other-digit-runs"),
    pytest.param("We agreed a Flat rate for the sessions with the family", id="flat-rate"),
    pytest.param("The plan was age-appropriate for Tyler and his sister", id="age-appropriate"),
    pytest.param("It is a 5 minute drive from the office to the estate", id="minute-drive"),
    pytest.param("Have a look at gov.uk for the guidance on neglect", id="look-at-a-site"),
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_ordinary_comments_pass_untouched(text):
    screened = screen_quote(text, names=["Sarah", "Ann"])
    assert screened == ScreenedQuote(text=text, redactions=(), held_back=None)
    assert not screened.redacted


HELD_BACK = [
    pytest.param(
        "From: Jo Bloggs\nSent: 03 March 2017 10:15\nTo: Team\nSubject: Re: visit\n\nThe home was cold again.",
        (),
        f"From: Jo Bloggs Sent: {R} 10:15 To: Team Subject: Re: visit The home was cold again.",
        MESSAGE,
        id="pasted-email-headers",
    ),
    pytest.param(
        "Dear Sarah,\nThanks for the visit notes, I agree with the plan.",
        ["Sarah"],
        f"Dear {R}, Thanks for the visit notes, I agree with the plan.",
        MESSAGE,
        id="salutation",
    ),
    pytest.param(
        "The notes are attached. Dear all, please read them before Monday.",
        (),
        "The notes are attached. Dear all, please read them before Monday.",
        MESSAGE,
        id="salutation-mid-comment",
    ),
    pytest.param(
        "Please see the chronology attached.\nKind regards\nJo",
        (),
        "Please see the chronology attached. Kind regards Jo",
        MESSAGE,
        id="kind-regards",
    ),
    pytest.param(
        "Please see the chronology attached.\nRegards,\nJo",
        (),
        "Please see the chronology attached. Regards, Jo",
        MESSAGE,
        id="regards-on-its-own-line",
    ),
    pytest.param(
        "Will chase the health visitor today. Sent from my iPhone",
        (),
        "Will chase the health visitor today. Sent from my iPhone",
        MESSAGE,
        id="sent-from-my-phone",
    ),
    pytest.param(
        "The full chronology is at https://example.sharepoint.com/sites/cs/case 123 if you need it",
        (),
        "The full chronology is at https://example.sharepoint.com/sites/cs/case 123 if you need it",
        URL,
        id="url-https",
    ),
    pytest.param(
        "The toolkit itself is on www.example.org for everyone to use",
        (),
        "The toolkit itself is on www.example.org for everyone to use",
        URL,
        id="url-www",
    ),
    pytest.param(
        "The plan is at example.sharepoint.com/sites/cs for the team",
        (),
        "The plan is at example.sharepoint.com/sites/cs for the team",
        URL,
        id="url-bare-domain-with-path",
    ),
    pytest.param(
        "Call Sarah on 07700 900123",
        ["Sarah"],
        f"Call {R} on {R}",
        SHORT,
        id="mostly-redacted",
    ),
    pytest.param(
        "Sarah's mum: 07700 900123, LE1 6ZG, 3/3/15",
        ["Sarah"],
        f"{R}'s mum: {R}, {R}, {R}",
        SHORT,
        id="possessive-does-not-count-as-a-word",
    ),
    pytest.param("Very useful tool.", (), "Very useful tool.", SHORT, id="short-without-redaction"),
    pytest.param("word " * 200 + "x", (), "word " * 200 + "x", LONG, id="longer-than-1000-characters"),
    pytest.param("", (), "", SHORT, id="empty"),
    pytest.param("  \n\t ", (), "", SHORT, id="whitespace-only"),
]


@pytest.mark.parametrize(("text", "names", "expected", "reason"), HELD_BACK)
def test_unsafe_quotes_are_held_back_with_a_reason(text, names, expected, reason):
    screened = screen_quote(text, names)
    assert screened.held_back == reason
    # A held-back quote is still redacted, so whoever reviews it sees no identifiers.
    assert screened.text == expected


def test_held_back_quote_lists_its_redactions():
    screened = screen_quote("Call Sarah on 07700 900123", ["Sarah"])
    assert screened.redactions == ("name", "phone")
    assert screened.redacted


def test_four_own_words_are_enough():
    screened = screen_quote("Please call Sarah on 07700 900123 today", ["Sarah"])
    assert screened == ScreenedQuote(text=f"Please call {R} on {R} today", redactions=("name", "phone"), held_back=None)


def test_markup_passes_through_as_text():
    assert screen_quote("<script>alert(1)</script>") == ScreenedQuote(
        text="<script>alert(1)</script>", redactions=(), held_back=None
    )
    text = 'I typed <script>alert("hi")</script> & <img src=x onerror=alert(1)> into the form'
    assert screen_quote(text).text == text


def test_whitespace_is_normalised_to_single_spaces():
    screened = screen_quote("  The home\twas\r\n\r\ncold   again\u00a0today  ")
    assert screened.text == "The home was cold again today"
    assert screened.held_back is None


def test_each_redaction_replaces_only_its_match():
    screened = screen_quote("Ring(07700 900123)now, or email:jo@example.org;thanks to you", ["Jo"])
    assert screened.text == f"Ring({R})now, or email:{R};thanks to you"
    assert screened.redactions == ("phone", "email")


def test_inputs_are_not_modified():
    texts = ["Sarah visited the home every week", "Ring 07700 900123 after school today"]
    names = ["Sarah", "Example Road"]
    texts_before, names_before = copy.deepcopy(texts), copy.deepcopy(names)
    screen_quotes(texts, names)
    screen_quote(texts[0], names)
    assert texts == texts_before
    assert names == names_before


def test_screening_is_deterministic():
    texts = [case.values[0] for case in PHONES + NAMES + HELD_BACK]
    names = ["Sarah", "Ann", "Example Road", "Sarah-Jane", "O'Brien"]
    assert screen_quotes(texts, names) == screen_quotes(texts, names)
    assert screen_quotes(texts, tuple(reversed(names))) == screen_quotes(texts, names)


def test_screen_quotes_screens_each_in_order():
    texts = ("Sarah visited the home every week", "Very useful tool.", "Ring 07700 900123 after school today")
    assert screen_quotes(texts, ["Sarah"]) == tuple(screen_quote(text, ["Sarah"]) for text in texts)
    assert screen_quotes([]) == ()


def test_screened_quote_is_frozen():
    screened = screen_quote("Sarah visited the home every week", ["Sarah"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        screened.text = "Sarah visited the home every week"


def test_a_single_string_of_names_is_refused():
    # Iterating "Sarah" would redact every "S", "a", "r" and "h" standing alone.
    with pytest.raises(TypeError, match="names"):
        screen_quote("Sarah visited the home every week", names="Sarah")


@pytest.mark.parametrize("name", [None, float("nan"), 7], ids=["none", "nan", "int"])
def test_names_must_be_strings(name):
    # A blank spreadsheet cell read as nan must not turn into a name that redacts "Nan".
    with pytest.raises(TypeError, match="each name"):
        screen_quote("Nan looked after the children most weeks", names=["Sarah", name])


@pytest.mark.parametrize("text", [None, 12, float("nan")], ids=["none", "int", "nan"])
def test_a_quote_must_be_a_string(text):
    with pytest.raises(TypeError, match="string"):
        screen_quote(text)


def test_a_single_string_of_quotes_is_refused():
    with pytest.raises(TypeError, match="texts"):
        screen_quotes("Sarah visited the home every week")


def test_public_names():
    assert sorted(screening.__all__) == ["REDACTED", "ScreenedQuote", "screen_quote", "screen_quotes"]
    assert REDACTED == "[redacted]"


# --- Issue 14: the round's identifiers, children's names, overlaps and long quotes -----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We discussed DD17-L01 at length in supervision", f"We discussed {R} at length in supervision"),
        ("We discussed dd17 l01 at length in supervision", f"We discussed {R} at length in supervision"),
        ("We discussed DD17L01 at length in supervision", f"We discussed {R} at length in supervision"),
        ("We discussed dd-17-l01 at length in supervision", f"We discussed {R} at length in supervision"),
        ("As I said in response R1000, the toolkit helped", f"As I said in response {R}, the toolkit helped"),
        ("Response r 1000's answer was the same as ours", f"Response {R}'s answer was the same as ours"),
    ],
)
def test_the_rounds_identifiers_are_redacted(text, expected):
    screened = screen_quote(text, identifiers=["DD17-L01", "R1000"])
    assert screened == ScreenedQuote(text=expected, redactions=("identifier",), held_back=None)


def test_other_numbers_are_not_identifiers():
    text = "We saw R10000 and 1000 families in DD17 alone"
    assert screen_quote(text, identifiers=["DD17-L01", "R1000"]).text == text


def test_every_use_of_a_childs_name_given_with_an_age_is_redacted():
    screened = screen_quote("Tyler (age 4) was cold at home; Tyler's mum agreed and we hope it helps")
    assert screened.text == f"{R} (age 4) was cold at home; {R}'s mum agreed and we hope it helps"
    assert screened.redactions == ("child_name", "child_name")


def test_a_childs_name_that_is_a_word_is_redacted_only_as_written():
    screened = screen_quote("We saw Hope (aged 2) at home; we hope Hope is safer now")
    assert screened.text == f"We saw {R} (aged 2) at home; we hope {R} is safer now"


def test_an_address_and_an_obfuscated_email_are_redacted():
    screened = screen_quote("The visit to Flat 3, 14 Mill Lane went well; ask jane(at)example(dot)com for the forms")
    assert screened.text == f"The visit to {R} went well; ask {R} for the forms"
    assert screened.redactions == ("address", "email")


def test_overlapping_details_are_redacted_as_one():
    # The date claims "03/03/2015" and the identifier "2015-ABC": one redaction covers both.
    screened = screen_quote("The file 03/03/2015-ABC was open for many months", identifiers=["2015-ABC"])
    assert screened == ScreenedQuote(text=f"The file {R} was open for many months", redactions=("date",))
    # A redact name inside an address goes with the address.
    screened = screen_quote("The family at 12 Acacia Avenue were seen weekly", names=["Acacia Avenue"])
    assert screened == ScreenedQuote(text=f"The family at {R} were seen weekly", redactions=("address",))


def test_a_quote_of_1000_characters_is_kept_and_one_of_1001_held_back():
    exactly = ("word " * 200)[:-1] + "s"
    assert len(exactly) == 1000
    assert screen_quote(exactly).held_back is None
    assert screen_quote(exactly + "s").held_back == LONG
    # Whitespace is collapsed before counting.
    assert screen_quote(exactly.replace(" ", "   \n")).held_back is None


def test_screen_quotes_uses_the_same_identifiers_for_each():
    texts = ["We discussed DD17-L01 at length in supervision", "Response R1000 said the same as we did"]
    assert screen_quotes(texts, identifiers=["DD17-L01", "R1000"]) == tuple(
        screen_quote(text, identifiers=["DD17-L01", "R1000"]) for text in texts
    )


def test_identifiers_must_be_strings():
    with pytest.raises(TypeError, match="each identifier must be a string"):
        screen_quote("We discussed DD17-L01 at length in supervision", identifiers=["DD17-L01", None])
