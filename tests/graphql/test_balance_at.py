"""balance(at:) on the customer's Account and the staff's LedgerAccount."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from freezegun import freeze_time

from accounts_graphql.ids import global_id
from headless_store.ledger import facade
from tests.factories import AccountFactory

from .test_staff import staff_api

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)

MINE = """query ($at: DateTime) { myAccounts { edges { node { balance { amount }
  then: balance(at: $at) { amount currency } } } } }"""
STAFF = """query ($id: ID!, $at: DateTime) { account(id: $id) { balance { amount } then: balance(at: $at) { amount } } }"""


@pytest.fixture
def wallet(chart, bank, redemptions, customer):
    account = AccountFactory(primary_user=customer)
    with freeze_time(T0) as clock:
        facade.transfer(bank, account, D("40"))
        clock.tick(timedelta(days=2))
        facade.transfer(account, redemptions, D("15"))
    return account


def test_customers_see_their_balance_at_a_moment(api, wallet):
    node = api.data(MINE, {"at": (T0 + timedelta(days=1)).isoformat()})["myAccounts"]["edges"][0]["node"]
    assert node == {"balance": {"amount": "25.00"}, "then": {"amount": "40.00", "currency": "GBP"}}


def test_without_at_the_balance_is_todays(api, wallet):
    node = api.data(MINE, {"at": None})["myAccounts"]["edges"][0]["node"]
    assert node["then"] == {"amount": "25.00", "currency": "GBP"}


def test_staff_see_any_accounts_balance_at_a_moment(wallet):
    variables = {"id": global_id("Account", wallet.pk), "at": (T0 - timedelta(days=1)).isoformat()}
    node = staff_api("view_account").data(STAFF, variables)["account"]
    assert node == {"balance": {"amount": "25.00"}, "then": {"amount": "0.00"}}


def test_a_moment_out_of_range_is_invalid(api, wallet):
    body = api.gql(MINE, {"at": "0001-01-01T00:00:00+00:00"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_a_moment_without_its_zone_is_invalid_not_guessed(api, wallet):
    body = api.gql(MINE, {"at": "2026-01-11T09:00:00"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID"
    assert body["errors"][0]["path"][-1] == "then"
