"""Accounts: defaults, credit limits, authorisation, validity windows and state transitions."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from headless_store.ledger import exceptions, facade
from headless_store.ledger.models import Account
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_account_is_open_empty_and_refuses_a_debit(chart):
    account = AccountFactory()
    assert account.status == Account.Status.OPEN
    assert account.credit_limit == D("0")
    assert account.balance == D("0")
    assert account.num_transactions() == 0
    assert not account.is_debit_permitted(D("1.00"))


@pytest.mark.parametrize("amount, permitted", [("0", True), ("1", True), ("500", True), ("501", False), ("1000", False)])
def test_credit_limit_500_permits_up_to_500(chart, amount, permitted):
    assert AccountFactory(credit_limit=D("500")).is_debit_permitted(D(amount)) is permitted


@pytest.mark.parametrize("amount", ["0", "1", "1000000"])
def test_unlimited_account_permits_any_debit(chart, amount):
    account = AccountFactory(credit_limit=None)
    assert account.is_debit_permitted(D(amount))
    assert account.amount_available is None


def test_credit_limit_500_allows_a_500_debit_and_refuses_501(chart, redemptions):
    account = AccountFactory(credit_limit=D("500"))
    with pytest.raises(exceptions.InsufficientFunds):
        facade.transfer(account, redemptions, D("501"))
    facade.transfer(account, redemptions, D("500"))
    account.refresh_from_db()
    assert account.balance == D("-500")
    assert account.amount_available == D("0")


def test_unlimited_source_goes_as_negative_as_needed(chart, bank):
    account = AccountFactory()
    facade.transfer(bank, account, D("1000000"))
    bank.refresh_from_db()
    assert bank.balance == D("-1000000")


def test_closing_an_empty_account_closes_it(chart):
    account = AccountFactory()
    account.close()
    account.refresh_from_db()
    assert account.is_closed()


def test_closing_an_account_with_money_raises_account_not_empty(chart):
    account = AccountFactory(funded=D("100"))
    with pytest.raises(exceptions.AccountNotEmpty):
        account.close()
    account.refresh_from_db()
    assert account.is_open()


def test_closing_an_overdrawn_account_raises_account_not_empty(chart, redemptions):
    account = AccountFactory(credit_limit=D("50"))
    facade.transfer(account, redemptions, D("20"))
    with pytest.raises(exceptions.AccountNotEmpty):
        account.close()


def test_freeze_then_thaw_reopens(chart):
    account = AccountFactory()
    account.freeze()
    assert Account.objects.get(pk=account.pk).is_frozen()
    account.thaw()
    assert Account.objects.get(pk=account.pk).is_open()


def test_thaw_cannot_reopen_a_closed_account(chart):
    account = AccountFactory()
    account.close()
    with pytest.raises(exceptions.ClosedAccount):
        account.thaw()
    assert Account.objects.get(pk=account.pk).is_closed()


def test_freezing_a_closed_account_is_refused(chart):
    account = AccountFactory()
    account.close()
    with pytest.raises(exceptions.ClosedAccount):
        account.freeze()


def test_thawing_an_open_account_is_refused(chart):
    account = AccountFactory()
    with pytest.raises(exceptions.AccountException, match="already open"):
        account.thaw()


def test_a_frozen_empty_account_can_be_closed(chart):
    account = AccountFactory()
    account.freeze()
    account.close()
    assert Account.objects.get(pk=account.pk).is_closed()


def test_a_stale_instance_cannot_overwrite_balance_or_status(chart, redemptions):
    account = AccountFactory(funded=D("100"))
    stale = Account.objects.get(pk=account.pk)
    facade.transfer(account, redemptions, D("30"))
    account.freeze()
    stale.name = "Renamed"
    stale.save()
    fresh = Account.objects.get(pk=account.pk)
    assert fresh.name == "Renamed"
    assert fresh.balance == D("70")
    assert fresh.is_frozen()


def test_balance_cannot_be_saved_directly(chart):
    account = AccountFactory()
    with pytest.raises(ValueError):
        account.save(update_fields=["balance"])
    with pytest.raises(ValueError):
        Account(name="x", account_type=account.account_type, currency="GBP", balance=D("5")).save()


class TestAuthorisation:
    def test_no_user_is_always_authorised(self, chart):
        assert AccountFactory(primary_user=UserFactory()).can_be_authorised_by(None)

    def test_account_without_users_can_be_used_by_anyone(self, chart):
        assert AccountFactory().can_be_authorised_by(UserFactory())

    def test_primary_user_only(self, chart):
        owner, other = UserFactory(), UserFactory()
        account = AccountFactory(primary_user=owner)
        assert account.can_be_authorised_by(owner)
        assert not account.can_be_authorised_by(other)

    def test_secondary_users_only(self, chart):
        member, other = UserFactory(), UserFactory()
        account = AccountFactory()
        account.secondary_users.add(member)
        assert account.can_be_authorised_by(member)
        assert not account.can_be_authorised_by(other)

    def test_primary_and_secondary_users_both_may(self, chart):
        owner, member = UserFactory(), UserFactory()
        account = AccountFactory(primary_user=owner)
        account.secondary_users.add(member)
        assert account.can_be_authorised_by(owner)
        assert account.can_be_authorised_by(member)


class TestValidityWindow:
    """`Account.active`/`Account.expired` and `is_active()` agree, boundaries included."""

    @pytest.fixture
    def now(self, monkeypatch):
        instant = timezone.now().replace(microsecond=0)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    def test_expired_holds_only_accounts_that_ended(self, chart, now):
        ended = AccountFactory(end_date=now - timedelta(days=1))
        running = AccountFactory(end_date=now + timedelta(days=1))
        assert list(Account.expired.all()) == [ended]
        assert running not in Account.expired.all()

    def test_active_excludes_ended_and_includes_future_end_and_start_now(self, chart, now):
        ended = AccountFactory(end_date=now - timedelta(days=1))
        running = AccountFactory(end_date=now + timedelta(days=1))
        starting = AccountFactory(start_date=now)
        active = set(Account.active.all())
        assert running in active and starting in active
        assert ended not in active

    @pytest.mark.parametrize(
        "start, end",
        [
            (timedelta(0), None),  # starts exactly now: active
            (timedelta(seconds=1), None),  # starts in a second: not yet
            (None, timedelta(0)),  # ends exactly now: expired
            (None, timedelta(seconds=1)),  # ends in a second: still active
            (-timedelta(days=2), -timedelta(days=1)),
            (None, None),
        ],
    )
    def test_managers_agree_with_is_active_at_the_boundaries(self, chart, now, start, end):
        account = AccountFactory(
            start_date=now + start if start is not None else None,
            end_date=now + end if end is not None else None,
        )
        assert (account in Account.active.all()) is account.is_active()
        assert (account in Account.expired.all()) is account.is_expired()
        assert not (account.is_active() and account.is_expired())

    def test_days_remaining(self, chart, now):
        assert AccountFactory().days_remaining() is None
        assert AccountFactory(end_date=now + timedelta(days=10, hours=1)).days_remaining() == 10
        assert AccountFactory(end_date=now - timedelta(days=1)).days_remaining() == 0


class TestUnsavedAccounts:
    """django-oscar-accounts' own tests close accounts that were never saved."""

    def test_closing_an_unsaved_account_with_money_is_refused(self):
        account = Account(name="Unsaved", currency="GBP", balance=D("10.00"))
        with pytest.raises(exceptions.AccountNotEmpty):
            account.close()
        assert account.status == Account.Status.OPEN

    def test_closing_an_empty_unsaved_account_closes_it_in_memory(self):
        account = Account(name="Unsaved", currency="GBP")
        account.close()
        assert account.status == Account.Status.CLOSED and account.pk is None
