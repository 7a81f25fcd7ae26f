"""Idempotency keys: a retry returns the first transfer; other arguments are a conflict."""
from decimal import Decimal as D

import pytest
from django.db import transaction

from headless_store.ledger import exceptions, facade
from headless_store.ledger.models import Account, Transaction, Transfer
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_key_moves_no_more_money(chart, bank):
    wallet = AccountFactory()
    first = facade.transfer(bank, wallet, D("5"), idempotency_key="k-1")
    again = facade.transfer(bank, wallet, D("5"), idempotency_key="k-1")
    assert again.pk == first.pk and again.reference == first.reference
    assert Transfer.objects.count() == 1 and Transaction.objects.count() == 2
    assert wallet.balance == D("5")  # the instance is refreshed on replay too


@pytest.mark.parametrize(
    "change",
    [
        {"amount": D("6")},
        {"merchant_reference": "other-order"},
        {"destination": "other"},
    ],
)
def test_the_same_key_with_other_arguments_is_a_conflict(chart, bank, change):
    wallet, other = AccountFactory(), AccountFactory()
    facade.transfer(bank, wallet, D("5"), merchant_reference="order-1", idempotency_key="k-2")
    kwargs = {"merchant_reference": "order-1", "idempotency_key": "k-2"}
    amount = change.get("amount", D("5"))
    destination = other if change.get("destination") else wallet
    if "merchant_reference" in change:
        kwargs["merchant_reference"] = change["merchant_reference"]
    with pytest.raises(exceptions.IdempotencyConflict):
        facade.transfer(bank, destination, amount, **kwargs)
    assert Transfer.objects.count() == 1


def test_the_same_key_from_another_user_is_a_conflict(chart, bank):
    wallet = AccountFactory()
    facade.transfer(bank, wallet, D("5"), user=UserFactory(), idempotency_key="k-3")
    with pytest.raises(exceptions.IdempotencyConflict):
        facade.transfer(bank, wallet, D("5"), user=UserFactory(), idempotency_key="k-3")


def test_a_refused_transfer_does_not_use_up_its_key(chart, bank, redemptions):
    wallet = AccountFactory()
    with pytest.raises(exceptions.InsufficientFunds):
        facade.transfer(wallet, redemptions, D("5"), idempotency_key="k-4")
    facade.transfer(bank, wallet, D("5"))
    facade.transfer(wallet, redemptions, D("5"), idempotency_key="k-4")
    assert Account.objects.get(pk=wallet.pk).balance == 0


def test_a_replay_inside_the_callers_transaction_keeps_that_transaction_usable(chart, bank):
    wallet = AccountFactory()
    facade.transfer(bank, wallet, D("5"), idempotency_key="k-5")
    with transaction.atomic():
        facade.transfer(bank, wallet, D("5"), idempotency_key="k-5")
        facade.transfer(bank, wallet, D("1"))  # the outer transaction still works
    assert Account.objects.get(pk=wallet.pk).balance == D("6")


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_empty_and_overlong_keys_are_refused(chart, bank, key):
    with pytest.raises(exceptions.InvalidTransfer):
        facade.transfer(bank, AccountFactory(), D("1"), idempotency_key=key)
