"""amount_available (what the API, the checkout and the dashboard show) is the rule the debit keeps:
for any shape of lots (usable, not yet effective, expired and not yet swept), holds and credit
limit, a debit of exactly that amount is accepted and a cent more is refused."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headless_store.ledger import core, exceptions, facade, lots
from headless_store.ledger.models import Account
from tests.factories import AccountFactory, UserFactory

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CENT = D("0.01")

lot_shapes = st.lists(st.tuples(
    st.integers(min_value=1, max_value=3000).map(lambda cents: D(cents) / 100),
    st.sampled_from(["usable", "later", "expired", "expires_soon"]),
    st.sampled_from(["paid", "promotional", "refund", "points"]),
), min_size=0, max_size=5)


def _terms(window, category):
    if window == "later":
        return lots.Credit(category=category, effective_from=NOW + timedelta(days=2))
    if window in ("expired", "expires_soon"):
        return lots.Credit(category=category, expires_at=NOW + timedelta(hours=1))
    return lots.Credit(category=category)


def _build(shapes, hold, credit_limit):
    """An account with these lots (made an hour before NOW), a hold, then NOW (or two hours later,
    when 'expired' lots should have expired)."""
    account = AccountFactory(primary_user=UserFactory(), credit_limit=credit_limit)
    for amount, window, category in shapes:
        facade.transfer(core.bank_account(), account, amount, lot=_terms(window, category))
    account = Account.objects.get(pk=account.pk)
    if hold and account.amount_available:
        facade.hold(account, core.redemptions_account(), min(hold, account.amount_available))
    return Account.objects.get(pk=account.pk)


def _debit_accepted(account, amount) -> bool:
    try:
        with transaction.atomic():
            facade.transfer(account, core.redemptions_account(), amount)
            transaction.set_rollback(True)
        return True
    except exceptions.InsufficientFunds:
        return False


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shapes=lot_shapes, hold=st.sampled_from([None, D("3.00"), D("50.00")]),
       credit_limit=st.sampled_from([D("0"), D("0"), D("25.00")]),
       expired=st.booleans())
def test_a_debit_of_amount_available_is_accepted_and_a_cent_more_refused(chart, shapes, hold, credit_limit, expired):
    with freeze_time(NOW - timedelta(hours=1)) as clock:
        account = _build(shapes, hold, credit_limit)
        clock.move_to(NOW + timedelta(hours=2) if expired else NOW)
        account = Account.objects.get(pk=account.pk)
        available = account.amount_available
        # the same figure whether read on its own or annotated for a page of accounts
        annotated = Account.objects.with_usable_lot_credit().get(pk=account.pk)
        assert annotated.amount_available == available
        if available > 0:
            assert _debit_accepted(account, available), (available, shapes)
        assert not _debit_accepted(account, available + CENT), (available, shapes)


@pytest.mark.django_db
def test_lots_not_usable_now_are_not_available(chart):
    with freeze_time(NOW) as clock:
        account = AccountFactory(primary_user=UserFactory())
        facade.transfer(core.bank_account(), account, D("10"))
        facade.transfer(core.bank_account(), account, D("12"), lot=lots.Credit(effective_from=NOW + timedelta(days=1)))
        facade.transfer(core.bank_account(), account, D("5"), lot=lots.Credit(expires_at=NOW + timedelta(hours=1)))
        assert Account.objects.get(pk=account.pk).amount_available == D("15")
        clock.move_to(NOW + timedelta(hours=2))  # the 5 expired, not swept yet
        assert Account.objects.get(pk=account.pk).amount_available == D("10")
        clock.move_to(NOW + timedelta(days=2))  # the 12 is effective
        fresh = Account.objects.get(pk=account.pk)
        assert (fresh.balance, fresh.amount_available) == (D("27"), D("22"))


@pytest.mark.django_db
def test_an_annotated_instance_forgets_its_figure_once_money_moves(chart):
    account = AccountFactory(primary_user=UserFactory(), funded=D("10"))
    loaded = Account.objects.with_usable_lot_credit().get(pk=account.pk)
    assert loaded.amount_available == D("10")
    facade.transfer(loaded, core.redemptions_account(), D("4"))
    assert loaded.amount_available == D("6")
