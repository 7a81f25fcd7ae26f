"""Refunding a gift-card line voids its unspent card; a spent card refuses; live cards keep their money."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from oscar.core.loading import get_model

from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger import core
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.selectors.health import ledger_health
from tests.checkout.test_card_checkout import pay as pay_card
from tests.checkout.test_card_checkout import start
from tests.checkout.test_pay import pay, source
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import Api
from tests.tasks import run_tasks

from .conftest import add_gift_card
from .helpers import code_in, redeem

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")

REFUND = """
mutation Refund($input: RefundOrderInput!) {
  refundOrder(input: $input) { refunded { amount } errors { field code message } }
}"""
REVERSE = """
mutation Reverse($input: ReverseTransferInput!) {
  reverseTransfer(input: $input) { errors { field code message } }
}"""


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="reverse_transfer"))
    client = Client()
    client.force_login(user)
    return Api(client)


@pytest.fixture
def wallet(chart, customer):
    return AccountFactory(name="Wallet", primary_user=customer, funded=D("200.00"))


@pytest.fixture
def order(api, wallet, gift_cards, products, country):
    """A 50.00 gift card for bob@example.com and a 45.00 kettle, paid from the wallet; the card e-mailed."""
    add_gift_card(api, gift_cards["50"], recipient_email="bob@example.com")
    api.add_product(products["kettle"])
    assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
    run_tasks()
    return Order.objects.get()


def gift_line(order):
    return next(line for line in order.lines.all() if line.product.get_product_class().slug == "gift-card")


def refund(staff, order, **how):
    return staff.data(REFUND, {"input": {"orderNumber": order.number, "destination": "ACCOUNTS", **how}})["refundOrder"]


def test_refunding_the_gift_card_line_voids_the_unspent_card(staff, order, wallet):
    sale = GiftCardSale.objects.get()
    result = refund(staff, order, lines=[{"lineId": gift_line(order).pk, "quantity": 1}])
    assert result["errors"] == [] and result["refunded"]["amount"] == "50.00"
    sale.refresh_from_db()
    card = Account.objects.get(pk=sale.account_id)
    assert (sale.status, card.status, card.balance) == ("VOIDED", "CLOSED", D("0.00"))
    assert Account.objects.get(pk=wallet.pk).balance == D("200.00") - D("95.00") + D("50.00")
    # The card's money went back to Redemptions (where the payment had put it); the refund took it out.
    assert ledger_health().ok


def test_the_voided_code_no_longer_works(staff, order, other_customer):
    from django.core import mail

    code = code_in(mail.outbox[0])
    refund(staff, order, lines=[{"lineId": gift_line(order).pk, "quantity": 1}])
    assert [e["code"] for e in redeem(other_customer, code)["errors"]] == ["INVALID_CODE"]


def test_refunding_a_spent_card_is_refused_and_changes_nothing(staff, order, other_customer, wallet):
    from django.core import mail

    assert redeem(other_customer, code_in(mail.outbox[0]))["errors"] == []
    before = (Transfer.objects.count(), Account.objects.get(pk=wallet.pk).balance)
    result = refund(staff, order, lines=[{"lineId": gift_line(order).pk, "quantity": 1}])
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("lines.0", "REFUND_NOT_POSSIBLE")]
    assert "50.00 of its 50.00 GBP has been spent or redeemed" in result["errors"][0]["message"]
    assert (Transfer.objects.count(), Account.objects.get(pk=wallet.pk).balance) == before
    assert GiftCardSale.objects.get().status == "SENT"


def test_an_amount_refund_cannot_take_the_money_behind_a_live_card(staff, order):
    result = refund(staff, order, amount="50.00")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("amount", "REFUND_NOT_POSSIBLE")]
    assert "at most 45.00 GBP can be refunded" in result["errors"][0]["message"]
    assert refund(staff, order, amount="45.00")["errors"] == []  # the kettle's money is free to go


def test_the_other_lines_refund_as_before(staff, order):
    kettle = next(line for line in order.lines.all() if line != gift_line(order))
    assert refund(staff, order, lines=[{"lineId": kettle.pk, "quantity": 1}])["errors"] == []
    assert GiftCardSale.objects.get().status == "SENT"


def test_a_staff_reversal_of_the_payment_cannot_take_a_live_cards_money(staff, order):
    payment = Transfer.objects.get(merchant_reference=order.number, destination=core.redemptions_account("GBP"))
    result = staff.data(REVERSE, {"input": {"transferId": payment.reference}})["reverseTransfer"]
    assert [e["code"] for e in result["errors"]] == ["REVERSAL_NOT_PERMITTED"]
    assert "still live" in result["errors"][0]["message"]


def test_a_card_refund_of_a_card_bought_by_card_voids_it_back_to_the_bank(staff, api, gift_cards, country, chart):
    bank = core.bank_account("GBP")
    add_gift_card(api, gift_cards["25"])
    checkout = start(api, api.basket()["id"])["checkout"]
    pay_card(api, checkout["id"])
    run_tasks()
    paid = Order.objects.get()
    result = refund(staff, paid, lines=[{"lineId": gift_line(paid).pk, "quantity": 1}], destination="CARD")
    assert result["errors"] == []
    assert Account.objects.get(pk=bank.pk).balance == bank.balance  # the 25.00 went back out
    assert GiftCardSale.objects.get().status == "VOIDED"
    assert ledger_health().ok


def test_an_amount_refund_names_no_lines_so_the_gift_card_line_can_still_be_refunded(staff, order):
    """A goodwill refund by amount records no line quantities (it recorded every line as refunded
    in full, and the card's line could never be refunded after it)."""
    assert refund(staff, order, amount="1.00")["errors"] == []
    result = refund(staff, order, lines=[{"lineId": gift_line(order).pk, "quantity": 1}])
    assert result["errors"] == [] and result["refunded"]["amount"] == "50.00"
    assert GiftCardSale.objects.get().status == "VOIDED" and ledger_health().ok


def test_what_funded_a_live_card_is_not_the_orders_to_refund_from_redemptions(staff, api, customer, gift_cards,
                                                                              products, country):
    """A split order (45.00 from the wallet, 25.00 by card) buying a 25.00 card and a kettle: the card
    was funded out of Redemptions with the wallet's money, so only 20.00 of the order's money is
    there. Refunds to the accounts, reversals of the payment and store credit take at most that
    from Redemptions while the card is live; a bystander's order stays whole."""
    from headless_store.checkout.refunds import RefundDestination, order_money, refundable

    bystander_wallet = AccountFactory(primary_user=UserFactory(), funded=D("45.00"))
    other_api = Api(Client())
    other_api.client.force_login(bystander_wallet.primary_user)
    other_api.add_product(products["kettle"])
    assert pay(other_api, other_api.basket()["id"], [source(bystander_wallet)])["errors"] == []
    bystander = Order.objects.get()

    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("45.00"))
    add_gift_card(api, gift_cards["25"], recipient_email="bob@example.com")
    api.add_product(products["kettle"])
    checkout = start(api, api.basket()["id"], [{**source(wallet), "amount": "45.00"}])["checkout"]
    assert pay_card(api, checkout["id"])["errors"] == []
    run_tasks()
    order = Order.objects.exclude(pk=bystander.pk).get()
    assert order_money(order).ledger_left == D("20.00")
    assert refundable(order)[RefundDestination.ACCOUNTS] == D("20.00")

    payment = Transfer.objects.get(merchant_reference=order.number, destination=core.redemptions_account())
    refused = staff.data(REVERSE, {"input": {"transferId": payment.reference}})["reverseTransfer"]
    assert [e["code"] for e in refused["errors"]] == ["REVERSAL_NOT_PERMITTED"]
    assert "At most 20.00" in refused["errors"][0]["message"]
    assert refund(staff, order, amount="20.01")["errors"][0]["code"] == "REFUND_NOT_POSSIBLE"
    assert refund(staff, order, amount="20.00")["errors"] == []
    assert refund(staff, order, amount="25.00", destination="CARD")["errors"] == []  # the card's share
    assert refundable(bystander)[RefundDestination.ACCOUNTS] == D("45.00")
    assert refund(staff, bystander, amount="45.00")["errors"] == [] and ledger_health().ok
