"""facade.reverse(): full and partial reversals, linked to the original, never over-refunded."""
from decimal import Decimal as D

import pytest

from headless_store.ledger import exceptions, facade
from headless_store.ledger.models import Account, Transaction, Transfer
from headless_store.ledger.signals import transfer_reversed
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_full_reversal_restores_both_balances_and_links_the_original(chart, bank):
    account = AccountFactory()
    clerk = UserFactory()
    original = facade.transfer(bank, account, D("100"))
    reversal = facade.reverse(original, clerk, description="Oops! Return money")
    assert Transfer.objects.count() == 2 and Transaction.objects.count() == 4
    assert Account.objects.get(pk=account.pk).balance == 0
    assert Account.objects.get(pk=bank.pk).balance == 0
    assert (reversal.source, reversal.destination) == (account, bank)
    assert reversal.amount == D("100") and reversal.parent == original
    assert reversal.user == clerk and reversal.description == "Oops! Return money"
    assert original.max_refund() == 0


def test_the_callers_instances_see_the_balances_move_back(chart, bank):
    account = AccountFactory()
    original = facade.transfer(bank, account, D("40"))
    facade.reverse(original)
    assert original.destination.balance == 0 and original.source.balance == 0


def test_reversing_twice_is_refused_once_nothing_is_left(chart, bank):
    original = facade.transfer(bank, AccountFactory(), D("100"))
    facade.reverse(original)
    with pytest.raises(exceptions.ReversalNotPermitted):
        facade.reverse(original)
    assert Transfer.objects.count() == 2


def test_partial_reversals_add_up_to_at_most_the_original(chart, bank, redemptions):
    card = AccountFactory(funded=D("1000"))
    redemption = facade.transfer(card, redemptions, D("300"))
    facade.reverse(redemption, amount=D("25"))
    facade.transfer(card, redemptions, D("300"))
    with pytest.raises(exceptions.ReversalNotPermitted, match="275"):
        facade.reverse(redemption, amount=D("280"))
    assert redemption.max_refund() == D("275")
    facade.reverse(redemption, amount=D("275"))
    with pytest.raises(exceptions.ReversalNotPermitted):
        facade.reverse(redemption, amount=D("0.01"))
    assert Account.objects.get(pk=card.pk).balance == D("700")


def test_a_full_reversal_after_a_partial_one_returns_what_is_left(chart, bank, redemptions):
    card = AccountFactory(funded=D("50"))
    redemption = facade.transfer(card, redemptions, D("50"))
    facade.reverse(redemption, amount=D("20"))
    rest = facade.reverse(redemption)
    assert rest.amount == D("30")
    assert Account.objects.get(pk=card.pk).balance == D("50")


@pytest.mark.parametrize("amount", [D("0"), D("-5"), D("1.001"), "NaN"])
def test_bad_reversal_amounts_are_refused(chart, bank, amount):
    original = facade.transfer(bank, AccountFactory(), D("10"))
    with pytest.raises(exceptions.InvalidAmount):
        facade.reverse(original, amount=amount)
    assert original.max_refund() == D("10")


def test_reversal_needs_the_money_to_still_be_there(chart, bank, redemptions):
    wallet = AccountFactory()
    topup = facade.transfer(bank, wallet, D("10"))
    facade.transfer(wallet, redemptions, D("8"))
    with pytest.raises(exceptions.InsufficientFunds):
        facade.reverse(topup)
    assert topup.max_refund() == D("10")


def test_reversal_with_an_idempotency_key_is_returned_on_retry(chart, bank):
    original = facade.transfer(bank, AccountFactory(), D("10"))
    first = facade.reverse(original, amount=D("4"), idempotency_key="refund-1")
    again = facade.reverse(original, amount=D("4"), idempotency_key="refund-1")
    assert first.pk == again.pk
    assert original.max_refund() == D("6")
    with pytest.raises(exceptions.IdempotencyConflict):
        facade.reverse(original, amount=D("5"), idempotency_key="refund-1")


def test_a_full_reversal_retried_with_its_key_returns_the_reversal(chart, bank):
    original = facade.transfer(bank, AccountFactory(), D("10"))
    first = facade.reverse(original, idempotency_key="undo")
    assert facade.reverse(original, idempotency_key="undo").pk == first.pk


def test_transfer_reversed_signal(chart, bank, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, transfer, original, **kwargs):
        seen.append((transfer.pk, original.pk))

    transfer_reversed.connect(receiver, dispatch_uid="rev")
    try:
        original = facade.transfer(bank, AccountFactory(), D("10"))
        with django_capture_on_commit_callbacks(execute=True):
            reversal = facade.reverse(original)
        assert seen == [(reversal.pk, original.pk)]
    finally:
        transfer_reversed.disconnect(dispatch_uid="rev")
