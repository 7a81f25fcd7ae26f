"""On PostgreSQL a posting's statements are bound on the server and prepared once per connection
(ACCOUNTS_PREPARED_STATEMENTS, default on); off, Django's own cursor runs them unprepared."""
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from headless_store.ledger import exceptions, facade
from tests.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plans() -> dict:
    """This connection's prepared statements: how many times each was planned or run from a plan."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def test_a_transfer_runs_its_statements_from_plans_prepared_once(chart, bank):
    wallet = AccountFactory()
    facade.transfer(bank, wallet, D("1.00"))
    first = plans()
    assert any("INSERT INTO ledger_transfer" in sql for sql in first)
    for _ in range(3):
        facade.transfer(bank, wallet, D("1.00"))
    again = plans()
    assert again.keys() == first.keys()  # the same shapes: nothing new was prepared
    assert sum(again.values()) > sum(first.values())  # and the prepared ones ran
    wallet.refresh_from_db()
    assert wallet.balance == D("4.00")


def test_the_query_log_shows_a_prepared_statement_with_its_values(chart, bank):
    wallet = AccountFactory()
    with CaptureQueriesContext(connection) as queries:
        facade.transfer(bank, wallet, D("1.25"), merchant_reference="100042")
    insert = next(q["sql"] for q in queries.captured_queries if "INSERT INTO ledger_transfer" in q["sql"])
    assert "'100042'" in insert and "1.25" in insert and "$1" not in insert


def test_a_refusal_and_an_idempotent_retry_behave_the_same_prepared(chart, bank):
    wallet = AccountFactory(funded=D("5.00"))
    shop = AccountFactory()
    with pytest.raises(exceptions.InsufficientFunds):
        facade.transfer(wallet, shop, D("5.01"))
    first = facade.transfer(wallet, shop, D("2.00"), idempotency_key="k-1")
    assert facade.transfer(wallet, shop, D("2.00"), idempotency_key="k-1").pk == first.pk
    with pytest.raises(exceptions.IdempotencyConflict):
        facade.transfer(wallet, shop, D("3.00"), idempotency_key="k-1")
    wallet.refresh_from_db()
    assert wallet.balance == D("3.00")


@override_settings(ACCOUNTS_PREPARED_STATEMENTS=False)
def test_switched_off_nothing_is_prepared_or_run_from_a_plan(chart, bank):
    wallet = AccountFactory()
    before = plans()
    for _ in range(3):
        facade.transfer(bank, wallet, D("1.00"))
    assert plans() == before
    wallet.refresh_from_db()
    assert wallet.balance == D("3.00")
