"""Gift cards go into the basket with their options (django-oscar-api's `options`), checked first."""
import datetime as dt

import pytest
from django.utils import timezone

from headless_store.giftcard_sales import catalogue

from .conftest import add_gift_card

pytestmark = pytest.mark.django_db


def test_a_gift_card_goes_into_the_basket_with_its_options(api, gift_cards):
    basket = add_gift_card(api, gift_cards["50"], recipient_name="Bob", recipient_email="bob@example.com",
                           message="Happy birthday!", deliver_on=str(timezone.localdate() + dt.timedelta(days=3)))
    assert basket["total_incl_tax"] == "50.00"
    lines = api.client.get(basket["lines"]).json()
    values = {a["option"].rstrip("/").rsplit("/", 1)[-1]: a["value"] for a in lines[0]["attributes"]}
    assert sorted(values.values())[0].startswith(str(timezone.localdate().year))  # the date, as given
    assert "bob@example.com" in values.values()


def test_every_bad_option_is_refused_at_once_and_nothing_is_added(api, gift_cards):
    body = add_gift_card(api, gift_cards["25"], expect=406, recipient_email="not an address",
                         message="x" * 501, deliver_on="2001-01-01")
    assert set(body["errors"]) == {catalogue.RECIPIENT_EMAIL, catalogue.MESSAGE, catalogue.DELIVER_ON}
    assert body["reason"].startswith("Recipient's e-mail: Enter a valid e-mail address")
    assert api.basket()["total_incl_tax"] == "0.00"


@pytest.mark.parametrize("value, problem", [
    ("tomorrow", "YYYY-MM-DD"),
    ("2026-02-30", "YYYY-MM-DD"),
    ("9999-01-01", "days ahead"),
])
def test_delivery_dates_must_be_real_and_within_reach(api, gift_cards, value, problem):
    body = add_gift_card(api, gift_cards["25"], expect=406, deliver_on=value)
    assert problem in body["errors"][catalogue.DELIVER_ON][0]


def test_the_parent_product_needs_an_amount_chosen(api, gift_cards):
    body = add_gift_card(api, gift_cards["parent"], expect=406)
    assert "Choose an amount" in body["errors"]["product"][0]


def test_too_many_cards_in_one_line_are_refused(api, gift_cards):
    body = add_gift_card(api, gift_cards["25"], quantity=11, expect=406)
    assert "At most 10" in body["errors"]["quantity"][0]


def test_other_products_are_added_as_before(api, products, gift_cards):
    assert api.add_product(products["kettle"])["total_incl_tax"] == "45.00"


def test_no_options_at_all_is_a_card_for_the_buyer_sent_at_once(api, gift_cards):
    assert add_gift_card(api, gift_cards["25"])["total_incl_tax"] == "25.00"


def test_the_gift_card_class_needs_no_shipping(gift_cards):
    assert not gift_cards["50"].get_product_class().requires_shipping
    assert gift_cards["50"].get_product_class().slug == "gift-card"
    assert {o.code for o in gift_cards["50"].options} == {code for code, *_ in catalogue.OPTIONS}
