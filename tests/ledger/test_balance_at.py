"""Balances at any moment: exact to the leg, from the last leg's balance_after."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from headless_store.ledger import facade
from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.models import Transaction
from tests.factories import AccountFactory

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def history(chart, bank, redemptions):
    account = AccountFactory()
    with freeze_time(T0) as clock:
        facade.transfer(bank, account, D("50"))
        clock.tick(timedelta(hours=1))
        facade.transfer(account, redemptions, D("20"))
        facade.transfer(account, redemptions, D("5"))  # same moment: both count at that moment
        clock.tick(timedelta(days=1))
        facade.transfer(bank, account, D("7.50"))
    return account


@pytest.mark.parametrize("at, expected", [
    (T0 - timedelta(seconds=1), D("0")),
    (T0, D("50")),
    (T0 + timedelta(minutes=59), D("50")),
    (T0 + timedelta(hours=1), D("25")),
    (T0 + timedelta(days=1, hours=1), D("32.50")),
    (T0 + timedelta(days=400), D("32.50")),
])
def test_balance_at_a_moment_is_the_balance_after_its_last_leg(history, at, expected):
    assert facade.balance(history, at=at) == expected


def test_balance_at_equals_the_sum_of_legs_up_to_then(history):
    for leg in Transaction.objects.filter(account=history):
        total = sum(t.amount for t in Transaction.objects.filter(account=history, date_created__lte=leg.date_created))
        assert facade.balance(history, at=leg.date_created) == total


def test_without_a_moment_it_is_the_balance_now(history):
    assert facade.balance(history) == D("32.50")


def test_a_moment_without_its_zone_is_refused_not_guessed(history):
    with pytest.raises(InvalidInput) as refused:
        facade.balance(history, at=(T0 + timedelta(hours=1)).replace(tzinfo=None))
    assert refused.value.field == "at"


def test_one_query_without_a_sum(history):
    with CaptureQueriesContext(connection) as captured:
        facade.balance(history, at=T0 + timedelta(hours=2))
    assert len(captured.captured_queries) == 1
    assert "SUM(" not in captured.captured_queries[0]["sql"].upper()
