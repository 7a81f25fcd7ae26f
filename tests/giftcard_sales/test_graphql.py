"""myGiftCards (the buyer's cards, never a code), giftCardSales and resendGiftCard (staff)."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from accounts_graphql.ids import global_id
from headless_store.giftcard_sales.models import GiftCardSale
from tests.checkout.test_pay import pay, source
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import Api
from tests.tasks import run_tasks

from .conftest import add_gift_card
from .helpers import code_in, redeem

pytestmark = pytest.mark.django_db

MINE = """{ myGiftCards(first: 10) { totalCount edges { node {
  id orderNumber amount { amount currency } recipientName recipientEmail message deliverOn status sentAt used deliveries { status }
} } } }"""
STAFF_LIST = """query($status: GiftCardStatus) { giftCardSales(status: $status) { totalCount edges { node {
  recipientEmail status deliveries { status toEmail error resentByStaff }
} } } }"""
RESEND = """mutation($input: ResendGiftCardInput!) { resendGiftCard(input: $input) {
  giftCard { status recipientEmail } delivery { status toEmail resentByStaff } errors { field code message }
} }"""


@pytest.fixture
def bought(api, chart, customer, gift_cards, country):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    add_gift_card(api, gift_cards["50"], recipient_name="Bob", recipient_email="bob@example.com", message="Enjoy")
    assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
    run_tasks()
    return GiftCardSale.objects.get()


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="issue_gift_cards"))
    client = Client()
    client.force_login(user)
    return Api(client)


def test_the_buyer_sees_the_cards_they_bought_and_no_code(api, bought, other_customer):
    body = api.gql(MINE)
    [edge] = body["data"]["myGiftCards"]["edges"]
    node = edge["node"]
    assert node["recipientEmail"] == "bob@example.com" and node["amount"] == {"amount": "50.00", "currency": "GBP"}
    assert (node["status"], node["used"], node["deliveries"]) == ("SENT", False, [])
    code = code_in(mail.outbox[0])
    assert code not in str(body) and code[-4:] not in str(body)
    redeem(other_customer, code)
    assert api.data(MINE)["myGiftCards"]["edges"][0]["node"]["used"] is True


def test_others_see_none_of_them(bought, other_customer):
    client = Client()
    client.force_login(other_customer)
    assert Api(client).data(MINE)["myGiftCards"]["totalCount"] == 0


def test_staff_resend_to_a_new_address(staff, bought, other_customer):
    first = code_in(mail.outbox[0])
    result = staff.data(RESEND, {"input": {"giftCardId": global_id("GiftCardPurchase", bought.pk),
                                           "email": "robert@example.com"}})["resendGiftCard"]
    assert result["errors"] == []
    assert result["delivery"] == {"status": "SENT", "toEmail": "robert@example.com", "resentByStaff": True}
    assert result["giftCard"] == {"status": "SENT", "recipientEmail": "robert@example.com"}
    resent = next(m for m in mail.outbox if m.to == ["robert@example.com"])
    assert code_in(resent) != first
    log = staff.data(STAFF_LIST, {"status": "SENT"})["giftCardSales"]["edges"][0]["node"]["deliveries"]
    assert [(d["toEmail"], d["resentByStaff"]) for d in log] == [("robert@example.com", True), ("bob@example.com", False)]


@pytest.mark.parametrize("email, field", [("nope", "email"), ("x" * 243 + "@example.com", "email")])
def test_a_bad_address_is_refused(staff, bought, email, field):
    result = staff.data(RESEND, {"input": {"giftCardId": global_id("GiftCardPurchase", bought.pk),
                                           "email": email}})["resendGiftCard"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, "INVALID")]


def test_resending_a_used_card_is_refused(staff, bought, other_customer):
    redeem(other_customer, code_in(mail.outbox[0]))
    result = staff.data(RESEND, {"input": {"giftCardId": global_id("GiftCardPurchase", bought.pk)}})["resendGiftCard"]
    assert [e["code"] for e in result["errors"]] == ["INVALID"]
    assert "spent or redeemed" in result["errors"][0]["message"]


def test_an_unknown_card_is_not_found(staff, chart):
    result = staff.data(RESEND, {"input": {"giftCardId": global_id("GiftCardPurchase", 999)}})["resendGiftCard"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("giftCardId", "NOT_FOUND")]
