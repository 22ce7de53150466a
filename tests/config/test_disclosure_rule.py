"""auditkit.config.disclosure_rule: the symbol that stands for a hidden count is never itself a number."""

from __future__ import annotations

import pytest

from auditkit.config.disclosure_rule import DisclosureRule, check_symbol


@pytest.mark.parametrize("symbol", ["c", "x", "*", "[c]", "..", "-", "[z]"])
def test_letters_and_signs_are_symbols(symbol):
    assert check_symbol(symbol) == symbol
    assert DisclosureRule(symbol=symbol).symbol == symbol


@pytest.mark.parametrize("symbol", ["5", "0", "1.5", "\u0663", "\u00bd", "c5"])
def test_a_symbol_that_is_or_holds_a_number_is_refused(symbol):
    message = (
        f"the symbol {symbol!r} is or holds a number, which a reader would take for a count; "
        "choose a letter or a sign, such as c, x or *"
    )
    with pytest.raises(ValueError) as caught:
        check_symbol(symbol)
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        DisclosureRule(symbol=symbol)
    assert str(caught.value) == message


@pytest.mark.parametrize("symbol", ["", " ", "\t"])
def test_a_blank_symbol_is_refused(symbol):
    with pytest.raises(ValueError) as caught:
        check_symbol(symbol)
    assert str(caught.value) == f"the symbol {symbol!r} is blank; choose a letter or a sign, such as c, x or *"


def test_a_symbol_that_is_not_text_is_refused():
    with pytest.raises(ValueError, match=r"^symbol must be a string, not 5$"):
        DisclosureRule(symbol=5)
