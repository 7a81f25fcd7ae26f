"""Holds racing on PostgreSQL: checkouts holding one wallet, capture against void, capture
against the expiry sweep, holds against transfers."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from headless_store.ledger import core, exceptions, facade
from headless_store.ledger.holds import expire_holds
from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import AccountFactory

from .test_races import race

pytestmark = pytest.mark.postgres


def wallet_now(wallet):
    return Account.objects.get(pk=wallet.pk)


def test_two_checkouts_holding_the_same_wallet_cannot_both_have_it(chart):
    wallet = AccountFactory(funded=D("60.00"))
    shop = core.redemptions_account()
    results = race(8, lambda i: facade.hold(wallet_now(wallet), shop, D("45.00")))
    held = [r for r in results if isinstance(r, Hold)]
    assert len(held) == 1 and all(isinstance(r, exceptions.InsufficientFunds) for r in results if r not in held)
    assert wallet_now(wallet).held == D("45.00")
    assert ledger_health().ok


def test_holds_and_transfers_racing_never_overspend(chart):
    wallet = AccountFactory(funded=D("100.00"))
    shop = core.redemptions_account()

    def act(i):
        if i % 2:
            return facade.hold(wallet_now(wallet), shop, D("10.00"))
        return facade.transfer(wallet_now(wallet), shop, D("10.00"))

    results = race(24, act)
    done = [r for r in results if isinstance(r, (Hold, Transfer))]
    assert len(done) == 10, results
    final = wallet_now(wallet)
    assert final.balance - final.held == D("0") and ledger_health().ok


@pytest.mark.parametrize("rounds", range(3))
def test_capture_against_void_exactly_one_wins(chart, rounds):
    wallet = AccountFactory(funded=D("50.00"))
    placed = facade.hold(wallet, core.redemptions_account(), D("30.00"))
    results = race(2, lambda i: facade.capture(Hold.objects.get(pk=placed.pk)) if i == 0
                   else facade.void(Hold.objects.get(pk=placed.pk)))
    status = Hold.objects.get(pk=placed.pk).status
    final = wallet_now(wallet)
    if status == Hold.Status.CAPTURED:
        assert isinstance(results[0], Transfer) and isinstance(results[1], exceptions.HoldNotPending)
        assert final.balance == D("20.00")
    else:
        assert status == Hold.Status.VOIDED and isinstance(results[0], exceptions.HoldNotPending)
        assert final.balance == D("50.00")
    assert final.held == 0 and ledger_health().ok


def test_capture_against_the_expiry_sweep_exactly_one_wins(chart):
    wallet = AccountFactory(funded=D("50.00"))
    placed = facade.hold(wallet, core.redemptions_account(), D("30.00"))
    Hold.objects.filter(pk=placed.pk).update(expires_at=timezone.now() + timedelta(milliseconds=300))
    at = timezone.now() + timedelta(seconds=1)
    results = race(2, lambda i: facade.capture(Hold.objects.get(pk=placed.pk)) if i == 0 else expire_holds(at=at))
    status = Hold.objects.get(pk=placed.pk).status
    assert status in (Hold.Status.CAPTURED, Hold.Status.EXPIRED)
    assert (status == Hold.Status.CAPTURED) == isinstance(results[0], Transfer)
    assert wallet_now(wallet).held == 0 and ledger_health().ok
