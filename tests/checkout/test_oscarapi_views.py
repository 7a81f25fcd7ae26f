"""django-oscar-api's views as this shop serves them (headless_store/checkout/oscarapi): its
checkout, which places an order and takes no payment, is closed; an order placed without payment
is never "paid" to the shop (no loyalty points); its order-line views answer JSON 401/404, never a
500, and never show another customer's lines (a red team placed unpaid orders that earned spendable
points, and got 500s from the line views, one of which had no owner check at all)."""
import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from knox.models import AuthToken
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.selectors import paid_orders
from headless_store.ledger.models import Account
from headless_store.loyalty.services import heal_accruals
from tests.factories import AccountFactory, UserFactory

from .test_pay import pay, source

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def token_client(user):
    _, key = AuthToken.objects.create(user)
    return Client(headers={"Authorization": f"Token {key}"})


def oscarapi_checkout(client, product):
    client.post("/api/basket/add-product/", content_type="application/json",
                data=json.dumps({"url": f"http://testserver/api/products/{product.pk}/", "quantity": 1}))
    basket = client.get("/api/basket/").json()
    return client.post("/api/checkout/", content_type="application/json", data=json.dumps({
        "basket": basket["url"], "total": basket["total_incl_tax"], "shipping_method_code": "free-shipping",
        "shipping_address": {"country": "http://testserver/api/countries/GB/", "first_name": "A", "last_name": "B",
                             "line1": "1 Row", "line4": "London", "postcode": "N1 9GU"}}))


def test_the_checkout_that_takes_no_payment_is_closed(chart, products, country):
    for client in (token_client(UserFactory()), Client()):  # a customer, a guest
        response = oscarapi_checkout(client, products["kettle"])
        assert response.status_code == 403 and response.json()["code"] == "CHECKOUT_NOT_HERE"
    assert not Order.objects.exists()


def test_an_order_placed_without_payment_is_not_paid_and_earns_no_points(chart, products, country):
    user = UserFactory()
    with override_settings(STORE_OSCARAPI_CHECKOUT=True):  # a shop that takes payment some other way
        response = oscarapi_checkout(token_client(user), products["kettle"])
    assert response.status_code == 200
    order = Order.objects.get(number=response.json()["number"])
    assert not paid_orders().filter(pk=order.pk).exists()
    heal_accruals(at=timezone.now() + timedelta(minutes=5))
    assert sum((a.balance for a in Account.objects.filter(primary_user=user)), D("0")) == 0


def test_an_order_paid_from_accounts_is_paid(api, chart, customer, products, country):
    wallet = AccountFactory(primary_user=customer, funded=D("45.00"))
    api.add_product(products["kettle"])
    assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
    assert list(paid_orders()) == [Order.objects.get()]


@pytest.fixture
def paid_order(api, chart, customer, products, country):
    wallet = AccountFactory(primary_user=customer, funded=D("45.00"))
    api.add_product(products["kettle"])
    assert pay(api, api.basket()["id"], [{"accountId": global_id("Account", wallet.pk)}])["errors"] == []
    return Order.objects.get()


def test_order_lines_need_their_signed_in_owner(paid_order, customer):
    line = paid_order.lines.get()
    attribute = line.attributes.create(type="gift_card_message", value="Happy birthday, Bob")
    paths = [f"/api/orders/{paid_order.pk}/lines/", f"/api/orderlines/{line.pk}/",
             f"/api/orderlineattributes/{attribute.pk}/"]
    for path in paths:
        for client in (Client(), Client(headers={"Session-Id": "SID:ANON:testserver:" + "a" * 32})):
            response = client.get(path)
            assert response.status_code == 401 and response["Content-Type"].startswith("application/json"), path
        stranger = token_client(UserFactory()).get(path)
        assert stranger.status_code in (200, 404) and "Happy birthday" not in stranger.content.decode(), path
        assert stranger.status_code == 404 or stranger.json() == [], path
    owner = token_client(customer)
    assert [row["url"] for row in owner.get(paths[0]).json()] == [f"http://testserver{paths[1]}"]
    assert owner.get(paths[1]).json()["url"] == f"http://testserver{paths[1]}"
    assert "Happy birthday" in owner.get(paths[2]).content.decode()
