"""Staff services: opening, editing, loading, emptying accounts and issuing gift cards."""
from decimal import Decimal as D

import pytest

from headless_store.ledger import codes, core, exceptions, facade
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.services.accounts import open_account, update_account
from headless_store.ledger.services.giftcards import issue_gift_cards
from headless_store.ledger.services.transfers import top_up_account, withdraw_from_account
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    return UserFactory(is_staff=True, username="clerk")


def test_open_an_account_with_an_opening_balance_recorded_against_the_clerk(chart, clerk):
    owner = UserFactory()
    account = open_account(staff=clerk, name="ACME", type_code="b2b_prepaid", currency="GBP",
                                    credit_limit=D("500"), primary_user=owner, opening_balance="200.00",
                                    source=core.bank_account())
    assert Account.objects.get(pk=account.pk).balance == D("200")
    transfer = Transfer.objects.get(destination=account)
    assert (transfer.user, transfer.source, transfer.description) == (clerk, core.bank_account(), "Opening balance")


@pytest.mark.parametrize("amount", ["0.00", "-1", "abc", "1.001"])
def test_bad_opening_balances_open_nothing(chart, clerk, amount):
    with pytest.raises(exceptions.InvalidAmount):
        open_account(staff=clerk, name="X", type_code="store_credit", currency="GBP", opening_balance=amount)
    assert not Account.objects.filter(name="X").exists()


def test_min_load_and_max_account_value(chart, clerk, settings):
    settings.ACCOUNTS_MIN_LOAD_VALUE = "5.00"
    settings.ACCOUNTS_MAX_ACCOUNT_VALUE = "100.00"
    account = AccountFactory()
    with pytest.raises(exceptions.InvalidAmount, match="minimum load is 5.00"):
        top_up_account(account, "4.99", staff=clerk)
    top_up_account(account, "80", staff=clerk)
    with pytest.raises(exceptions.InvalidAmount, match="can take is 20.00"):
        top_up_account(account, "20.01", staff=clerk)
    top_up_account(account, "20", staff=clerk)
    assert Account.objects.get(pk=account.pk).balance == D("100")


def test_withdraw_at_most_the_balance(chart, clerk):
    account = AccountFactory(funded=D("30"))
    with pytest.raises(exceptions.InsufficientFunds, match="30.00"):
        withdraw_from_account(account, "30.01", staff=clerk)
    withdraw_from_account(account, "30", staff=clerk)
    assert Account.objects.get(pk=account.pk).balance == 0
    assert core.unpaid_source_account().balance == D("30")


def test_top_up_refuses_frozen_and_closed_accounts(chart, clerk):
    frozen, closed = AccountFactory(), AccountFactory()
    frozen.freeze()
    closed.close()
    with pytest.raises(exceptions.FrozenAccount):
        top_up_account(frozen, "10", staff=clerk)
    with pytest.raises(exceptions.ClosedAccount):
        top_up_account(closed, "10", staff=clerk)


def test_update_changes_details_and_credit_limit_but_not_below_what_is_owed(chart, clerk, redemptions):
    account = AccountFactory(credit_limit=D("100"))
    facade.transfer(account, redemptions, D("60"))
    updated = update_account(account, staff=clerk, name="Renamed", credit_limit=D("80"))
    assert (updated.name, updated.credit_limit, updated.balance) == ("Renamed", D("80"), D("-60"))
    with pytest.raises(exceptions.InvalidAmount, match="owes 60.00"):
        update_account(account, staff=clerk, credit_limit=D("50"))
    with pytest.raises(exceptions.InvalidInput, match="balance"):
        update_account(account, staff=clerk, balance=D("1000"))


def test_issue_gift_cards_in_bulk_codes_once(chart, clerk):
    batch = issue_gift_cards(staff=clerk, count=25, amount="20.00", currency="GBP")
    assert len(batch.cards) == 25 and batch.total == D("500")
    plain = [codes.normalise(card.code) for card in batch.cards]
    assert len(set(plain)) == 25
    stored = Account.objects.filter(pk__in=[c.account.pk for c in batch.cards])
    assert all(a.code_hash == codes.code_hash(p) for a, p in zip(stored.order_by("pk"), plain, strict=True))
    assert core.unpaid_source_account().balance == D("-500")


@pytest.mark.parametrize("count", [0, 1001, -1, "3"])
def test_issue_between_1_and_1000(chart, clerk, count):
    with pytest.raises(exceptions.InvalidInput, match="between 1 and 1000"):
        issue_gift_cards(staff=clerk, count=count, amount="10", currency="GBP")
