"""refundOrder (staff): to the card and to the accounts that paid, capped, idempotent, linked to
the order; the same service behind the dashboard page."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.ledger import core
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import Api, error_codes
from tests.tasks import run_tasks

from .test_card_checkout import pay, start

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")

REFUND = """
mutation Refund($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    order { number } refunded { amount currency } cardRefundReference
    transfers { accountId amount { amount } }
    errors { field code message }
  }
}"""


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="reverse_transfer"))
    client = Client()
    client.force_login(user)
    return Api(client)


@pytest.fixture
def paid_order(api, chart, customer, products, country):
    """45.00: 20.00 from the wallet, 25.00 by card."""
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("20.00"))
    api.add_product(products["kettle"])
    checkout = start(api, api.basket()["id"], [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    pay(api, checkout["id"])
    run_tasks()  # the card's capture
    return Order.objects.get(), wallet


def refund(staff, order, amount, destination, **extra):
    variables = {"input": {"orderNumber": order.number, "amount": amount, "destination": destination, **extra}}
    return staff.data(REFUND, variables)["refundOrder"]


def test_refund_to_the_card_in_parts_up_to_what_was_captured(staff, paid_order):
    order, _wallet = paid_order
    first = refund(staff, order, "10.00", "CARD")
    assert first["errors"] == [] and first["refunded"] == {"amount": "10.00", "currency": "GBP"}
    assert first["cardRefundReference"].startswith("sbx_")
    assert error_codes(refund(staff, order, "15.01", "CARD")) == ["REFUND_NOT_POSSIBLE"]
    assert refund(staff, order, "15.00", "CARD")["errors"] == []
    assert SandboxCharge.objects.get().refunded == D("25.00")
    assert CardCheckout.objects.get().card_refunded == D("25.00")
    assert Source.objects.get(order=order, source_type__name="Card (sandbox)").amount_refunded == D("25.00")
    assert PaymentEvent.objects.filter(order=order, event_type__name="Refunded to card").count() == 2
    assert error_codes(refund(staff, order, "0.01", "CARD")) == ["REFUND_NOT_POSSIBLE"]


def test_refund_to_the_accounts_sends_money_back_to_the_wallet(staff, paid_order):
    order, wallet = paid_order
    answer = refund(staff, order, "12.50", "ACCOUNTS", reason="Damaged lid")
    assert answer["errors"] == []
    assert answer["transfers"] == [{"accountId": global_id("Account", wallet.pk), "amount": {"amount": "12.50"}}]
    assert Account.objects.get(pk=wallet.pk).balance == D("12.50")
    assert core.redemptions_account().balance == D("7.50")
    assert error_codes(refund(staff, order, "7.51", "ACCOUNTS")) == ["REFUND_NOT_POSSIBLE"]
    assert Source.objects.get(order=order, source_type__name="Accounts").amount_refunded == D("12.50")
    assert ledger_health().ok


def test_a_retried_refund_with_the_same_key_refunds_once(staff, paid_order):
    order, wallet = paid_order
    for _ in range(2):
        assert refund(staff, order, "5.00", "ACCOUNTS", idempotencyKey="r-1")["errors"] == []
        assert refund(staff, order, "5.00", "CARD", idempotencyKey="r-2")["errors"] == []
    assert Account.objects.get(pk=wallet.pk).balance == D("5.00")
    assert SandboxCharge.objects.get().refunded == D("5.00")
    assert error_codes(refund(staff, order, "6.00", "ACCOUNTS", idempotencyKey="r-1")) == ["IDEMPOTENCY_CONFLICT"]


@pytest.mark.parametrize("amount, code", [("0", "INVALID_AMOUNT"), ("-5", "INVALID_AMOUNT"), ("1.001", "INVALID_AMOUNT"),
                                          ("1e10", "INVALID_AMOUNT"), ("1e9", "REFUND_NOT_POSSIBLE")])
def test_bad_amounts_refund_nothing(staff, paid_order, amount, code):
    order, wallet = paid_order
    assert error_codes(refund(staff, order, amount, "ACCOUNTS")) == [code]
    assert error_codes(refund(staff, order, amount, "CARD")) == [code]
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00") and SandboxCharge.objects.get().refunded == 0


def test_unknown_orders_and_orders_without_a_card(staff, chart, api, customer, products, country):
    assert error_codes(refund(staff, Order(number="nope"), "1.00", "CARD")) == ["NOT_FOUND"]
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    api.add_product(products["kettle"])
    start(api, api.basket()["id"], [{"accountId": global_id("Account", wallet.pk)}])  # paid at once, no card
    assert error_codes(refund(staff, Order.objects.get(), "1.00", "CARD")) == ["REFUND_NOT_POSSIBLE"]


def test_customers_and_staff_without_the_permission_cannot_refund(paid_order, api):
    order, _wallet = paid_order
    body = api.gql(REFUND, {"input": {"orderNumber": order.number, "amount": "1.00", "destination": "CARD"}})
    assert error_codes(body["data"]["refundOrder"]) == ["PERMISSION_DENIED"]
    plain_staff = Client()
    plain_staff.force_login(UserFactory(is_staff=True))
    body = Api(plain_staff).gql(REFUND, {"input": {"orderNumber": order.number, "amount": "1.00", "destination": "CARD"}})
    assert error_codes(body["data"]["refundOrder"]) == ["PERMISSION_DENIED"]
    assert SandboxCharge.objects.get().refunded == 0
