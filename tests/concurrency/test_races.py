"""Races on PostgreSQL: real threads, each with its own connection, released together."""
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import pytest
from django.db import connection

from headless_store.ledger import core, exceptions, facade
from headless_store.ledger.models import Account, Transaction, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.accounts import get_or_create_wallet
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.postgres


def race(n, action):
    """Run action(i) in n threads that start together; return results or exceptions."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            return action(i)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_debits_never_overdraw_an_account(chart):
    wallet = AccountFactory(funded=D("100.00"))
    redemptions = core.redemptions_account()

    results = race(24, lambda i: facade.transfer(Account.objects.get(pk=wallet.pk), redemptions, D("10.00")))

    succeeded = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, exceptions.InsufficientFunds)]
    assert len(succeeded) == 10 and len(refused) == 14, results
    assert Account.objects.get(pk=wallet.pk).balance == D("0")
    assert Transaction.objects.filter(account=wallet).count() == 11
    assert ledger_health().ok


def test_concurrent_debits_of_random_sizes_spend_exactly_what_they_report(chart):
    wallet = AccountFactory(funded=D("100.00"), credit_limit=D("25.00"))
    redemptions = core.redemptions_account()
    amounts = [D(str(3 + (i * 7) % 13)) for i in range(30)]

    results = race(30, lambda i: facade.transfer(Account.objects.get(pk=wallet.pk), redemptions, amounts[i]))

    spent = sum((amounts[i] for i, r in enumerate(results) if isinstance(r, Transfer)), D("0"))
    assert all(isinstance(r, (Transfer, exceptions.InsufficientFunds)) for r in results), results
    balance = Account.objects.get(pk=wallet.pk).balance
    assert balance == D("100.00") - spent
    assert balance >= D("-25.00")
    assert ledger_health().ok


def test_concurrent_retries_with_one_idempotency_key_make_one_transfer(chart):
    wallet = AccountFactory(funded=D("50.00"))
    redemptions = core.redemptions_account()

    results = race(
        12,
        lambda i: facade.transfer(
            Account.objects.get(pk=wallet.pk), redemptions, D("50.00"), idempotency_key="order-7"
        ),
    )

    assert all(isinstance(r, Transfer) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Transfer.objects.filter(idempotency_key="order-7").count() == 1
    assert Account.objects.get(pk=wallet.pk).balance == D("0")


def test_concurrent_retries_with_one_key_but_other_amounts_conflict(chart):
    wallet = AccountFactory(funded=D("50.00"))
    redemptions = core.redemptions_account()

    results = race(
        8,
        lambda i: facade.transfer(
            Account.objects.get(pk=wallet.pk), redemptions, D("5.00") + i, idempotency_key="k"
        ),
    )

    assert sum(isinstance(r, Transfer) for r in results) == 1
    assert sum(isinstance(r, exceptions.IdempotencyConflict) for r in results) == 7


def test_crossing_transfers_do_not_deadlock(chart):
    a, b = AccountFactory(funded=D("1000")), AccountFactory(funded=D("1000"))

    def cross(i):
        source, destination = (a, b) if i % 2 else (b, a)
        for _ in range(10):
            facade.transfer(Account.objects.get(pk=source.pk), Account.objects.get(pk=destination.pk), D("1"))
        return True

    results = race(8, cross)

    assert results == [True] * 8
    assert Account.objects.get(pk=a.pk).balance + Account.objects.get(pk=b.pk).balance == D("2000")
    assert ledger_health().ok


def test_concurrent_partial_reversals_never_exceed_the_original(chart):
    card = AccountFactory(funded=D("100"))
    payment = facade.transfer(card, core.redemptions_account(), D("100"))

    results = race(12, lambda i: facade.reverse(Transfer.objects.get(pk=payment.pk), amount=D("15")))

    reversed_ = [r for r in results if isinstance(r, Transfer)]
    assert len(reversed_) == 6, results
    assert all(isinstance(r, (Transfer, exceptions.ReversalNotPermitted)) for r in results)
    assert payment.max_refund() == D("10")
    assert ledger_health().ok


def test_concurrent_first_use_opens_one_wallet(chart):
    user = UserFactory()
    results = race(8, lambda i: get_or_create_wallet(user=user, currency="GBP"))
    assert all(isinstance(r, Account) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Account.objects.filter(primary_user=user).count() == 1


def test_one_gift_card_redeemed_by_many_at_once_pays_out_once(chart):
    from headless_store.ledger.services.giftcards import issue_gift_card, redeem_gift_card

    card = issue_gift_card(amount=D("30.00"), currency="GBP")
    users = [UserFactory() for _ in range(6)]

    results = race(6, lambda i: redeem_gift_card(code=card.code, user=users[i], ip=f"10.0.0.{i}"))

    redeemed = [r for r in results if not isinstance(r, Exception)]
    assert len(redeemed) == 1, results
    assert all(isinstance(r, exceptions.InvalidCode) for r in results if isinstance(r, Exception))
    assert Account.objects.get(pk=card.account.pk).balance == 0
    assert sum(Account.objects.filter(primary_user__in=users).values_list("balance", flat=True)) == D("30.00")
    assert ledger_health().ok
