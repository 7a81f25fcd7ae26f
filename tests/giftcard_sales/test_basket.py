"""Gift cards go into the basket with their options (django-oscar-api's `options`), checked first."""
import datetime as dt
import json

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


@pytest.mark.parametrize("length, expect", [(254, 200), (255, 406), (320, 406)])
def test_a_recipient_address_is_at_most_what_the_database_keeps(api, gift_cards, length, expect):
    """Django's validate_email allows 320 characters; the sale's EmailField keeps 254 (a red team's
    300-character address was accepted here and failed the checkout with a database error)."""
    address = "x" * (length - len("@example.com")) + "@example.com"
    body = add_gift_card(api, gift_cards["25"], recipient_email=address, expect=expect)
    if expect == 406:
        assert "254" in body["errors"][catalogue.RECIPIENT_EMAIL][0]


def test_the_same_card_added_again_counts_its_line(api, gift_cards):
    add_gift_card(api, gift_cards["25"], quantity=10, recipient_email="bob@example.com")
    body = add_gift_card(api, gift_cards["25"], quantity=1, recipient_email="bob@example.com", expect=406)
    assert "10 in the basket already" in body["errors"]["quantity"][0]
    # Another recipient is a line of its own.
    assert add_gift_card(api, gift_cards["25"], quantity=10, recipient_email="ann@example.com")[
        "total_incl_tax"] == "500.00"


def test_a_line_raised_past_the_limit_afterwards_is_refused_at_checkout(api, gift_cards, country):
    """Oscar's basket page or django-oscar-api's line update can still set a line's quantity: every
    checkout refuses a gift-card line over the limit, and nothing is taken."""
    from headless_store.checkout.models import CardCheckout
    from tests.checkout.test_card_checkout import start

    add_gift_card(api, gift_cards["25"], quantity=10)
    line = api.client.get(api.basket()["lines"], headers=api.headers).json()[0]
    response = api.client.patch(line["url"], data=json.dumps({"quantity": 20}), content_type="application/json",
                                headers=api.headers)
    assert response.status_code == 200 and response.json()["quantity"] == 20
    answer = start(api, api.basket()["id"])
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("basketId", "INVALID")]
    assert "At most 10 gift cards in a line" in answer["errors"][0]["message"]
    assert not CardCheckout.objects.exists()


def test_other_products_are_added_as_before(api, products, gift_cards):
    assert api.add_product(products["kettle"])["total_incl_tax"] == "45.00"


def test_no_options_at_all_is_a_card_for_the_buyer_sent_at_once(api, gift_cards):
    assert add_gift_card(api, gift_cards["25"])["total_incl_tax"] == "25.00"


def test_the_gift_card_class_needs_no_shipping(gift_cards):
    assert not gift_cards["50"].get_product_class().requires_shipping
    assert gift_cards["50"].get_product_class().slug == "gift-card"
    assert {o.code for o in gift_cards["50"].options} == {code for code, *_ in catalogue.OPTIONS}
