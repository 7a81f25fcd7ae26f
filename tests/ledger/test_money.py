"""What counts as an amount of money, for every currency (property-based)."""
from decimal import Decimal as D

import pytest
from babel.numbers import get_currency_precision
from hypothesis import assume, given
from hypothesis import strategies as st

from headless_store.ledger.exceptions import InvalidAmount
from headless_store.ledger.money import active_currencies, currency_exponent, max_transfer_amount, parse_amount, quantize

CURRENCIES = sorted(active_currencies())


@given(st.sampled_from(CURRENCIES), st.integers(min_value=1, max_value=10**15), st.integers(0, 4))
def test_amounts_within_the_currency_exponent_are_accepted_exactly(currency, units, places):
    exponent = currency_exponent(currency)
    assume(places <= exponent)
    amount = D(units).scaleb(-places)
    assume(amount <= max_transfer_amount())
    parsed = parse_amount(str(amount), currency)
    assert parsed == amount
    assert -parsed.as_tuple().exponent == exponent  # shown with the currency's places


@given(st.sampled_from(CURRENCIES), st.integers(min_value=1, max_value=10**8))
def test_one_more_decimal_place_than_the_currency_has_is_refused(currency, units):
    exponent = currency_exponent(currency)
    amount = D(units * 10 + 1).scaleb(-(exponent + 1))  # ends in a non-zero extra digit
    with pytest.raises(InvalidAmount, match="decimal places"):
        parse_amount(amount, currency)


@given(st.decimals(allow_nan=True, allow_infinity=True, max_value=0) | st.floats() | st.booleans())
def test_non_positive_non_finite_floats_and_booleans_are_refused(value):
    with pytest.raises(InvalidAmount):
        parse_amount(value, "GBP")


def test_amounts_above_the_maximum_are_refused(settings):
    settings.ACCOUNTS_MAX_TRANSFER_AMOUNT = "1000"
    assert parse_amount("1000", "GBP") == D("1000.00")
    with pytest.raises(InvalidAmount, match="may not exceed"):
        parse_amount("1000.01", "GBP")
    with pytest.raises(InvalidAmount):
        parse_amount("1e400", "GBP")


@pytest.mark.parametrize("currency, exponent", [("GBP", 2), ("JPY", 0), ("BHD", 3), ("KWD", 3)])
def test_exponents_come_from_cldr(currency, exponent):
    assert currency_exponent(currency) == exponent == get_currency_precision(currency)


@pytest.mark.parametrize("code", ["ZZZ", "gbp", "GB", "", None, "POUNDS"])
def test_unknown_currency_codes_are_refused(code):
    with pytest.raises(InvalidAmount):
        currency_exponent(code)


def test_quantize_shows_the_currency_places():
    assert str(quantize(D("12.5000"), "GBP")) == "12.50"
    assert str(quantize(D("1500.0000"), "JPY")) == "1500"


class TestMoney:
    """One value for an amount of a currency, written one way."""

    @pytest.mark.parametrize("amount, currency, text", [
        ("12.5", "GBP", "12.50 GBP"), ("1200", "JPY", "1200 JPY"), ("1.25", "BHD", "1.250 BHD"),
        ("12.5000", "GBP", "12.50 GBP"),  # a stored amount (4 places) shows the currency's
    ])
    def test_is_written_with_the_currencys_decimal_places(self, amount, currency, text):
        from headless_store.ledger.money import Money, money

        assert str(Money(D(amount), currency)) == money(D(amount), currency) == text

    def test_parse_refuses_what_parse_amount_refuses(self):
        from headless_store.ledger.money import Money

        assert Money.parse("5", "JPY") == Money(D("5"), "JPY")
        with pytest.raises(InvalidAmount):
            Money.parse("5.5", "JPY")

    def test_the_stored_quantum_is_the_stored_scale(self):
        from headless_store.ledger.money import STORED_DECIMAL_PLACES, STORED_QUANTUM

        assert STORED_QUANTUM == D(1).scaleb(-STORED_DECIMAL_PLACES) == D("0.0001")
