"""Concurrent payWithAccount calls on PostgreSQL."""
import json
from decimal import Decimal as D

import pytest
from django.test import Client
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from accounts_graphql.ids import global_id
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import ADDRESS, Country

from .test_races import race

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def country(db):
    return Country.objects.get_or_create(
        iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "printable_name": "United Kingdom",
                                      "is_shipping_country": True},
    )[0]


Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

PAY = """mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) { order { number } errors { code } } }"""


def basket_for(user, product):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    basket.add_product(product, 1)
    return basket


def pay(user, basket, wallet, key=None):
    client = Client()
    client.force_login(user)
    variables = {"input": {"basketId": str(basket.pk), "idempotencyKey": key, "shippingAddress": ADDRESS,
                           "payments": [{"accountId": global_id("Account", wallet.pk)}]}}
    response = client.post("/graphql/", data=json.dumps({"query": PAY, "variables": variables}),
                           content_type="application/json")
    return response.json()["data"]["payWithAccount"]


def test_two_payments_against_a_wallet_that_covers_one_place_exactly_one_order(chart):
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("60.00"))
    kettle = create_product(title="Kettle", price=D("45.00"), num_in_stock=10)
    baskets = [basket_for(customer, kettle), basket_for(customer, kettle)]

    results = race(2, lambda i: pay(customer, baskets[i], wallet))

    codes = sorted(e["code"] for r in results for e in r["errors"])
    assert sum(r["order"] is not None for r in results) == 1, results
    assert codes == ["INSUFFICIENT_FUNDS"]
    assert Order.objects.count() == 1
    assert Account.objects.get(pk=wallet.pk).balance == D("15.00")
    statuses = sorted(Basket.objects.filter(pk__in=[b.pk for b in baskets]).values_list("status", flat=True))
    assert statuses == ["Open", "Submitted"]
    assert ledger_health().ok


def test_concurrent_retries_of_one_payment_place_one_order(chart):
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("500.00"))
    basket = basket_for(customer, create_product(title="Kettle", price=D("45.00"), num_in_stock=10))

    results = race(6, lambda i: pay(customer, basket, wallet, key="double-click"))

    assert all(r["errors"] == [] for r in results), results
    assert len({r["order"]["number"] for r in results}) == 1
    assert Order.objects.count() == 1
    assert Account.objects.get(pk=wallet.pk).balance == D("455.00")


def test_two_guests_racing_with_one_gift_card_place_one_order(chart):
    from headless_store.ledger.services.giftcards import issue_gift_card

    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    kettle = create_product(title="Kettle", price=D("45.00"), num_in_stock=10)
    guests = []
    for _ in range(2):
        client = Client()
        client.post("/api/basket/add-product/", data=json.dumps({"url": f"http://testserver/api/products/{kettle.pk}/", "quantity": 1}),
                    content_type="application/json")
        guests.append((client, client.get("/api/basket/").json()["id"]))

    def guest_pays(i):
        client, basket_id = guests[i]
        variables = {"input": {"basketId": str(basket_id), "guestEmail": f"g{i}@example.com", "payments": [{"code": card.code}],
                               "shippingAddress": ADDRESS}}
        return client.post("/graphql/", data=json.dumps({"query": PAY, "variables": variables}),
                           content_type="application/json").json()["data"]["payWithAccount"]

    results = race(2, guest_pays)

    assert sum(r["order"] is not None for r in results) == 1, results
    assert [e["code"] for r in results for e in r["errors"]] in (["INSUFFICIENT_FUNDS"], ["PAYMENT_INCOMPLETE"])
    assert Order.objects.count() == 1
    assert Account.objects.get(pk=card.account.pk).balance == D("5.00")
    assert ledger_health().ok
