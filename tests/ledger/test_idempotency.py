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


@pytest.mark.parametrize("key", ["", "x" * 201, "nul\x00key"])
def test_empty_and_overlong_keys_are_refused(chart, bank, key):
    """The facade, a hold and a client's key follow the one key rule (1-200 characters, no NUL)."""
    with pytest.raises(exceptions.InvalidInput) as refused:
        facade.transfer(bank, AccountFactory(), D("1"), idempotency_key=key)
    assert refused.value.field == "idempotency_key"
    with pytest.raises(exceptions.InvalidInput):
        facade.hold(bank, AccountFactory(), D("1"), idempotency_key=key)
    assert Transfer.objects.count() == 0


def test_a_key_of_200_characters_is_one_key(chart, bank):
    wallet = AccountFactory()
    first = facade.transfer(bank, wallet, D("1"), idempotency_key="x" * 200)
    assert facade.transfer(bank, wallet, D("1"), idempotency_key="x" * 200).pk == first.pk


class TestTheIdempotencyService:
    """services/idempotency.py: scopes keep callers apart; input is compared by value."""

    def test_amounts_are_compared_as_values(self):
        from headless_store.ledger.services.idempotency import fingerprint

        assert fingerprint("pay", [D("4.990"), "GBP"]) == fingerprint("pay", [D("4.99"), "GBP"])
        assert fingerprint("pay", [D("4.99")]) != fingerprint("pay", [D("4.98")])

    @pytest.mark.parametrize("first, again", [("4.990", "4.99"), ("5", "5.00"), (D("1E+1"), "10")])
    def test_a_retry_with_the_same_amount_written_otherwise_replays(self, first, again):
        from headless_store.ledger.services.idempotency import Scope, amount_value, run_idempotent

        user = UserFactory()
        runs = []

        def action():
            runs.append(1)
            return {"n": len(runs)}

        scope = Scope.customer(user)
        for amount in (first, again):
            result, _ = run_idempotent(scope=scope, key="k", operation="op", payload=[amount_value(amount)],
                                       action=action)
        assert runs == [1] and result == {"n": 1}

    def test_one_key_in_two_scopes_is_two_operations(self):
        from headless_store.ledger.services.idempotency import Scope, run_idempotent

        alice, bob = UserFactory(), UserFactory()
        results = [
            run_idempotent(scope=scope, key="same", operation="op", payload=[1], action=lambda s=str(scope): s)[0]
            for scope in (Scope.customer(alice), Scope.customer(bob), Scope.staff(alice), Scope("session", "abc"))
        ]
        assert len(set(results)) == 4

    def test_staff_keys_are_scoped_per_staff_member(self, chart, bank):
        from headless_store.ledger.services import transfers as services

        wallet = AccountFactory()
        clerk, other_clerk = UserFactory(is_staff=True), UserFactory(is_staff=True)
        first = services.top_up_account(wallet, D("5"), staff=clerk, idempotency_key="top-up-1")
        assert services.top_up_account(wallet, "5.000", staff=clerk, idempotency_key="top-up-1").pk == first.pk
        second = services.top_up_account(wallet, D("5"), staff=other_clerk, idempotency_key="top-up-1")
        assert second.pk != first.pk
        assert Account.objects.get(pk=wallet.pk).balance == D("10")

    @pytest.mark.parametrize("key", ["", "x" * 201, "nul\x00key"])
    def test_bad_keys_name_the_field(self, key):
        from headless_store.ledger.services.idempotency import checked_key

        with pytest.raises(exceptions.InvalidInput) as refused:
            checked_key(key)
        assert refused.value.field == "idempotency_key"
