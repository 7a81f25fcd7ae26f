"""reverseTransfer (staff) over HTTP."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts_graphql.ids import global_id
from headless_store.ledger import facade
from headless_store.ledger.models import Account, Transfer
from tests.factories import AccountFactory, UserFactory

from .conftest import Api, error_codes

pytestmark = pytest.mark.django_db

REVERSE = """
mutation Reverse($input: ReverseTransferInput!) {
  reverseTransfer(input: $input) {
    transfer { accountId amount { amount } balanceAfter { amount } isReversal description reference }
    errors { field code message }
  }
}"""


def staff_api(*perms):
    user = UserFactory(is_staff=True)
    for perm in perms:
        user.user_permissions.add(Permission.objects.get(codename=perm))
    client = Client()
    client.force_login(user)
    return Api(client)


@pytest.fixture
def payment(chart, customer, redemptions):
    wallet = AccountFactory(primary_user=customer, funded=D("100"))
    return facade.transfer(wallet, redemptions, D("40"), merchant_reference="100123")


def reverse(api, transfer_id, **extra):
    return api.data(REVERSE, {"input": {"transferId": transfer_id, **extra}})["reverseTransfer"]


def test_full_reversal_returns_the_money_to_the_source(payment):
    payload = reverse(staff_api("reverse_transfer"), payment.reference, reason="Order cancelled")
    assert payload["errors"] == []
    entry = payload["transfer"]
    assert entry["accountId"] == global_id("Account", payment.source_id)
    assert entry["amount"]["amount"] == "40.00" and entry["balanceAfter"]["amount"] == "100.00"
    assert entry["isReversal"] and entry["description"] == "Order cancelled"
    assert Transfer.objects.get(reference=entry["reference"]).parent_id == payment.pk


def test_partial_then_never_more_than_is_left(payment):
    api = staff_api("reverse_transfer")
    entry_id = global_id("Transfer", payment.transactions.get(amount__lt=0).pk)
    assert reverse(api, entry_id, amount="15.00")["errors"] == []
    payload = reverse(api, payment.reference, amount="30.00")
    assert error_codes(payload) == ["REVERSAL_NOT_PERMITTED"] and payload["errors"][0]["field"] == "amount"
    assert reverse(api, payment.reference)["transfer"]["amount"]["amount"] == "25.00"
    assert error_codes(reverse(api, payment.reference)) == ["REVERSAL_NOT_PERMITTED"]
    assert Account.objects.get(pk=payment.source_id).balance == D("100")


@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "NaN", "abc"])
def test_bad_amounts(payment, amount):
    assert error_codes(reverse(staff_api("reverse_transfer"), payment.reference, amount=amount)) == ["INVALID_AMOUNT"]
    assert payment.max_refund() == D("40")


def test_staff_without_the_permission_are_refused(payment):
    payload = reverse(staff_api(), payment.reference)
    assert error_codes(payload) == ["PERMISSION_DENIED"]
    assert payment.max_refund() == D("40")


def test_customers_are_refused(api, payment):
    assert error_codes(reverse(api, payment.reference)) == ["PERMISSION_DENIED"]


def test_anonymous_callers_get_an_authentication_error(anonymous_api, payment):
    body = anonymous_api.gql(REVERSE, {"input": {"transferId": payment.reference}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("transfer_id, code", [("0" * 32, "NOT_FOUND"), ("garbage", "INVALID"),
                                               (global_id("Account", 1), "INVALID")])
def test_unknown_and_malformed_ids(payment, transfer_id, code):
    assert error_codes(reverse(staff_api("reverse_transfer"), transfer_id)) == [code]


def test_idempotent_retry(payment):
    api = staff_api("reverse_transfer")
    first = reverse(api, payment.reference, amount="5.00", idempotencyKey="rev-1")
    again = reverse(api, payment.reference, amount="5.00", idempotencyKey="rev-1")
    assert first == again and payment.max_refund() == D("35")
    assert error_codes(reverse(api, payment.reference, amount="6.00", idempotencyKey="rev-1")) == ["IDEMPOTENCY_CONFLICT"]
