"""Account statements: opening balance, each movement with its lots, closing balance."""
import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from freezegun import freeze_time

from headless_store.ledger import exceptions, facade, lots
from headless_store.ledger.models import Transaction
from headless_store.ledger.selectors.reports import account_statement
from tests.factories import AccountFactory

from .test_dashboard import staff_client, url

T0 = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture
def history(chart, bank, redemptions):
    account = AccountFactory()
    with freeze_time(T0 - timedelta(days=3)):
        facade.transfer(bank, account, D("30"))                         # before the period
    with freeze_time(T0 + timedelta(days=2)):
        facade.transfer(bank, account, D("20"), lot=lots.Credit(category="promotional",
                                                                 expires_at=T0 + timedelta(days=20)))
    with freeze_time(T0 + timedelta(days=5)):
        paid = facade.transfer(account, redemptions, D("25"))
    with freeze_time(T0 + timedelta(days=6)):
        facade.reverse(paid, amount=D("5"))
    with freeze_time(T0 + timedelta(days=40)):
        facade.transfer(bank, account, D("1"))                          # after the period
    return account


def test_the_statement_reproduces_from_the_raw_legs(history):
    start, end = T0, T0 + timedelta(days=28)
    statement = account_statement(history, start, end)
    legs = Transaction.objects.filter(account=history)
    assert statement.opening == sum(leg.amount for leg in legs if leg.date_created < start)
    assert statement.closing == sum(leg.amount for leg in legs if leg.date_created < end)
    assert [line.leg.amount for line in statement.lines] == [D("20"), D("-25"), D("5")]
    assert statement.opening + sum(line.leg.amount for line in statement.lines) == statement.closing
    # each movement with its lots: the credit made one, the payment spent two, the refund gave back
    assert [[(category, amount) for _pk, category, amount in line.lots] for line in statement.lines] == [
        [("promotional", D("20"))],
        [("promotional", D("-20")), ("paid", D("-5"))],
        [("paid", D("5"))],
    ]


def test_a_period_must_end_after_it_starts(history):
    with pytest.raises(exceptions.InvalidInput) as refused:
        account_statement(history, T0, T0)
    assert refused.value.field == "end"


def test_the_dashboard_page_and_its_csv(history):
    client = staff_client("view_account")
    query = {"start": "2026-02-01 00:00", "end": "2026-03-01 00:00"}
    page = client.get(url("ledger-account-statement", history.pk), query)
    assert page.status_code == 200
    assert page.context["statement"].closing == D("30")
    download = client.get(url("ledger-account-statement", history.pk), {**query, "format": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[2][:1] + rows[2][4:5] == ["opening balance", "30.0000"]
    assert [row[3] for row in rows[4:7]] == ["20.0000", "-25.0000", "5.0000"]
    assert rows[-1][0] == "closing balance" and D(rows[-1][4]) == D("30")


def test_the_statement_needs_the_view_account_permission(history):
    assert staff_client().get(url("ledger-account-statement", history.pk)).status_code in (302, 403)
