"""Two-phase postings: hold, capture (in full or in part), void, expiry; what is held counts
against what may be spent; every ledger invariant holds after each step."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from headless_store.ledger import exceptions, facade
from headless_store.ledger.holds import expire_holds
from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(account):
    return Account.objects.get(pk=account.pk)


@pytest.fixture
def wallet(chart):
    return AccountFactory(name="Wallet", funded=D("100.00"))


class TestHolding:
    def test_a_hold_reserves_money_that_transfers_cannot_spend(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("70.00"))
        assert placed.is_pending() and wallet.held == D("70.00")
        assert fresh(wallet).balance == D("100.00") and fresh(wallet).amount_available == D("30.00")
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(wallet, redemptions, D("30.01"))
        facade.transfer(wallet, redemptions, D("30.00"))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.hold(wallet, redemptions, D("0.01"))
        assert ledger_health().ok

    def test_credit_limits_count_for_holds(self, chart, redemptions):
        b2b = AccountFactory(credit_limit=D("50"))
        facade.hold(b2b, redemptions, D("50"))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.hold(b2b, redemptions, D("0.01"))

    @pytest.mark.parametrize("amount", ["0", "-1", "1.005", "NaN", "1e-9999999", 1.5])
    def test_bad_amounts_are_refused_and_reserve_nothing(self, wallet, redemptions, amount):
        with pytest.raises(exceptions.InvalidAmount):
            facade.hold(wallet, redemptions, amount)
        assert fresh(wallet).held == 0 and Hold.objects.count() == 0

    def test_closed_frozen_foreign_currency_and_unauthorised_sources_are_refused(self, wallet, redemptions):
        euros = AccountFactory(currency="EUR", funded=D("10"))
        with pytest.raises(exceptions.CurrencyMismatch):
            facade.hold(euros, redemptions, D("1"))
        owned = AccountFactory(primary_user=UserFactory(), funded=D("10"))
        with pytest.raises(exceptions.NotAuthorised):
            facade.hold(owned, redemptions, D("1"), user=UserFactory())
        wallet.freeze()
        with pytest.raises(exceptions.FrozenAccount):
            facade.hold(wallet, redemptions, D("1"))
        assert Hold.objects.count() == 0 and fresh(wallet).held == 0

    def test_closed_frozen_and_foreign_currency_destinations_are_refused_and_nothing_is_written(self, wallet):
        closed, frozen, euros = AccountFactory(), AccountFactory(), AccountFactory(currency="EUR")
        closed.close()
        frozen.freeze()
        for destination, refusal in ((closed, exceptions.ClosedAccount), (frozen, exceptions.FrozenAccount),
                                     (euros, exceptions.CurrencyMismatch)):
            with pytest.raises(refusal, match="Destination" if refusal is not exceptions.CurrencyMismatch else ""):
                facade.hold(wallet, destination, D("1"))
        assert Hold.objects.count() == 0 and fresh(wallet).held == 0
        assert not wallet.held

    def test_a_refused_source_is_named_before_a_refused_destination(self, chart, wallet):
        closed = AccountFactory()
        closed.close()
        with pytest.raises(exceptions.InsufficientFunds):  # the source's refusal, as a transfer's
            facade.hold(wallet, closed, D("100.01"))
        wallet.freeze()
        with pytest.raises(exceptions.FrozenAccount, match="Source"):
            facade.hold(wallet, closed, D("1"))
        assert Hold.objects.count() == 0

    def test_a_hold_must_expire_in_the_future(self, wallet, redemptions):
        with pytest.raises(exceptions.InvalidInput):
            facade.hold(wallet, redemptions, D("1"), expires_at=timezone.now() - timedelta(seconds=1))

    def test_the_same_key_returns_the_first_hold_and_other_input_conflicts(self, wallet, redemptions):
        first = facade.hold(wallet, redemptions, D("10"), idempotency_key="h-1")
        assert facade.hold(wallet, redemptions, D("10.000"), idempotency_key="h-1").pk == first.pk
        with pytest.raises(exceptions.IdempotencyConflict):
            facade.hold(wallet, redemptions, D("11"), idempotency_key="h-1")
        assert fresh(wallet).held == D("10")


class TestCapturing:
    def test_a_full_capture_posts_a_transfer_and_releases_the_hold(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"), merchant_reference="100001")
        posted = facade.capture(placed)
        assert posted.amount == D("40") and posted.merchant_reference == "100001"
        assert placed.status == Hold.Status.CAPTURED and placed.transfer_id == posted.pk
        assert (fresh(wallet).balance, fresh(wallet).held) == (D("60"), D("0"))
        assert ledger_health().ok

    def test_a_partial_capture_releases_the_rest(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"))
        facade.capture(placed, amount="25.00")
        assert (fresh(wallet).balance, fresh(wallet).held) == (D("75"), D("0"))

    def test_more_than_the_hold_cannot_be_captured(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"))
        with pytest.raises(exceptions.InvalidAmount) as refused:
            facade.capture(placed, amount="40.01")
        assert refused.value.field == "amount" and fresh(wallet).held == D("40")

    def test_an_expired_hold_cannot_be_captured(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"), expires_at=timezone.now() + timedelta(seconds=60))
        Hold.objects.filter(pk=placed.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(exceptions.HoldExpired):
            facade.capture(placed)
        assert fresh(wallet).balance == D("100") and Transfer.objects.filter(merchant_reference__isnull=False).count() == 0

    def test_a_capture_is_once_and_a_retry_with_its_key_returns_it(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"))
        posted = facade.capture(placed, idempotency_key="c-1")
        assert facade.capture(placed, idempotency_key="c-1").pk == posted.pk
        with pytest.raises(exceptions.HoldNotPending):
            facade.capture(placed)
        assert fresh(wallet).balance == D("60")

    def test_a_refused_capture_keeps_the_hold(self, wallet, chart):
        shop = AccountFactory(name="Shop till")
        placed = facade.hold(wallet, shop, D("40"))
        shop.freeze()
        with pytest.raises(exceptions.FrozenAccount):
            facade.capture(placed)
        assert fresh(wallet).held == D("40") and Hold.objects.get(pk=placed.pk).is_pending()
        assert ledger_health().ok


class TestVoidingAndExpiry:
    def test_void_releases_and_is_idempotent(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"))
        facade.void(placed)
        facade.void(placed)
        assert placed.status == Hold.Status.VOIDED and fresh(wallet).held == 0
        with pytest.raises(exceptions.HoldNotPending):
            facade.capture(placed)

    def test_a_captured_hold_cannot_be_voided(self, wallet, redemptions):
        placed = facade.hold(wallet, redemptions, D("40"))
        facade.capture(placed)
        with pytest.raises(exceptions.HoldNotPending):
            facade.void(placed)

    def test_the_sweep_releases_expired_holds_only(self, wallet, redemptions):
        expiring = facade.hold(wallet, redemptions, D("30"))
        lasting = facade.hold(wallet, redemptions, D("20"), expires_at=timezone.now() + timedelta(hours=1))
        Hold.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        call_command("ledger_expire_holds", stdout=open("/dev/null", "w"))
        assert Hold.objects.get(pk=expiring.pk).status == Hold.Status.EXPIRED
        assert Hold.objects.get(pk=lasting.pk).is_pending() and fresh(wallet).held == D("20")
        assert expire_holds() == 0
        assert ledger_health().ok


class TestReconciliation:
    def test_a_held_amount_that_no_hold_explains_is_reported(self, wallet, redemptions):
        facade.hold(wallet, redemptions, D("10"))
        Account.objects.filter(pk=wallet.pk).update(held=D("11"))
        health = {check.code: check for check in ledger_health().checks}
        assert health["held_matches_holds"].violations == 1


class HoldsMachine(RuleBasedStateMachine):
    """Random holds, captures, voids, expiries and transfers on one wallet with a credit limit:
    what may be spent never goes below minus the limit, and reconcile passes after every step."""

    @initialize()
    def setup(self):
        from headless_store.ledger import core
        from headless_store.ledger.services.chart import create_default_chart

        create_default_chart()
        self.wallet = AccountFactory(funded=D("50"), credit_limit=D("20"))
        self.shop = core.redemptions_account()
        self.holds = []

    @rule(amount=st.decimals(min_value=D("0.01"), max_value=D("80"), places=2))
    def place(self, amount):
        try:
            self.holds.append(facade.hold(self.wallet, self.shop, amount))
        except exceptions.InsufficientFunds:
            wallet = fresh(self.wallet)
            assert wallet.balance - wallet.held + wallet.credit_limit < amount

    @rule(data=st.data())
    def capture(self, data):
        if self.holds:
            placed = data.draw(st.sampled_from(self.holds))
            part = data.draw(st.sampled_from([None, D("0.01")]))
            try:
                facade.capture(placed, amount=part)
            except exceptions.HoldNotPending:
                assert Hold.objects.get(pk=placed.pk).status != Hold.Status.PENDING

    @rule(data=st.data())
    def void(self, data):
        if self.holds:
            placed = data.draw(st.sampled_from(self.holds))
            try:
                facade.void(placed)
            except exceptions.HoldNotPending:
                assert Hold.objects.get(pk=placed.pk).status == Hold.Status.CAPTURED

    @rule(data=st.data())
    def expire(self, data):
        if self.holds:
            placed = data.draw(st.sampled_from(self.holds))
            Hold.objects.filter(pk=placed.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
            expire_holds()

    @rule(amount=st.decimals(min_value=D("0.01"), max_value=D("60"), places=2))
    def spend(self, amount):
        try:
            facade.transfer(self.wallet, self.shop, amount)
        except exceptions.InsufficientFunds:
            pass

    @invariant()
    def within_the_limit_and_reconciled(self):
        if not hasattr(self, "wallet"):
            return
        wallet = fresh(self.wallet)
        pending = sum((h.amount for h in Hold.objects.filter(source=wallet, status="PENDING")), D("0"))
        assert wallet.held == pending
        assert wallet.balance - wallet.held >= -wallet.credit_limit
        assert ledger_health().ok


@pytest.mark.django_db(transaction=True)
def test_random_sequences_of_holds_keep_every_invariant():
    from hypothesis import settings

    HoldsMachine.TestCase.settings = settings(max_examples=15, stateful_step_count=12, deadline=None)
    HoldsMachine.TestCase().runTest()


@pytest.mark.django_db(transaction=True)
def test_a_hold_partly_on_the_credit_limit_captured_first_spends_the_lots_others_reserved():
    """50 in lots, a credit limit of 20: two holds of 0.01 reserve 0.02 of the lots, so a hold of
    49.99 reserves 49.98 and rests 0.01 on the limit. Captured first, it spends 49.99 of the
    balance: a cent of another hold's reservation, which then rests on the limit. Every capture
    goes through (a hold is a promise) and reconciliation stays clean throughout."""
    from headless_store.ledger import core
    from headless_store.ledger.models import Lot
    from headless_store.ledger.selectors.health import ledger_health
    from headless_store.ledger.services.chart import create_default_chart

    create_default_chart()
    wallet = AccountFactory(funded=D("50"), credit_limit=D("20"))
    shop = core.redemptions_account()
    small, other, big = (facade.hold(wallet, shop, D(a)) for a in ("0.01", "0.01", "49.99"))
    facade.capture(big)
    assert ledger_health().ok
    assert fresh(wallet).balance == D("0.01")
    assert sum(lot.held for lot in Lot.objects.filter(account=wallet)) == D("0.01")
    facade.capture(small)
    facade.capture(other)
    wallet = fresh(wallet)
    assert (wallet.balance, wallet.held) == (D("-0.01"), D("0"))
    assert sum(lot.remaining for lot in Lot.objects.filter(account=wallet)) == D("0")
    assert ledger_health().ok
