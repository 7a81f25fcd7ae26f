"""Moments and days from outside, at every entry point: any UTC offset ISO 8601 allows (up to
+-23:59; PostgreSQL takes only +-15:59) means the same instant as in UTC, and a day outside
1970-2199 is a typed refusal, never a 500 (a red team crashed statements, balance(at) and the
dashboard's reports with +16:00 and the month 9999-12)."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts_graphql.ids import global_id
from headless_store.ledger import exceptions
from headless_store.ledger.inputs import check_moment
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.accounts import balance_at
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import Api

pytestmark = pytest.mark.django_db

STATEMENT = """query($id: ID!, $s: DateTime!, $e: DateTime!) {
  myAccountStatement(accountId: $id, start: $s, end: $e) { openingBalance { amount } closingBalance { amount } } }"""
BALANCE_AT = """query($at: DateTime!) { myAccounts { edges { node { balance(at: $at) { amount } } } } }"""
OFFSETS = ["+16:00", "-18:00", "+23:59", "-23:59", "+05:30", "Z"]


def in_zone(moment: dt.datetime, offset: str) -> str:
    """The same instant written with `offset`."""
    if offset == "Z":
        return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return moment.astimezone(zone).isoformat()


@pytest.mark.parametrize("offset", OFFSETS)
def test_a_statement_and_balance_at_read_the_same_instant_in_any_zone(api, chart, customer, offset):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("20.00"))
    now = dt.datetime.now(dt.UTC)
    statement = api.data(STATEMENT, {"id": global_id("Account", wallet.pk),
                                     "s": in_zone(now - dt.timedelta(days=1), offset),
                                     "e": in_zone(now + dt.timedelta(days=1), offset)})["myAccountStatement"]
    assert (statement["openingBalance"]["amount"], statement["closingBalance"]["amount"]) == ("0.00", "20.00")
    before, after = (api.data(BALANCE_AT, {"at": in_zone(now + delta, offset)})["myAccounts"]["edges"][0]["node"]
                     for delta in (dt.timedelta(days=-1), dt.timedelta(days=1)))
    assert (before["balance"]["amount"], after["balance"]["amount"]) == ("0.00", "20.00")


@settings(max_examples=30, deadline=None)
@given(minutes=st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
       moment=st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2199, 12, 30),
                           timezones=st.just(dt.UTC)))
def test_check_moment_gives_the_same_instant_in_utc(minutes, moment):
    written = moment.astimezone(dt.timezone(dt.timedelta(minutes=minutes)))
    checked = check_moment(written)
    assert checked == moment and checked.utcoffset() == dt.timedelta(0)


def test_balance_at_takes_any_offset_from_python_callers_too(chart):
    wallet = AccountFactory(funded=D("5.00"))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert balance_at(wallet.pk, later.astimezone(dt.timezone(dt.timedelta(hours=23, minutes=59)))) == D("5.00")
    with pytest.raises(exceptions.InvalidInput):
        balance_at(wallet.pk, dt.datetime(2300, 1, 1, tzinfo=dt.UTC))


def test_an_account_expiry_given_with_a_far_offset_is_kept_as_that_instant(chart):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="manage_accounts"))
    client = Client()
    client.force_login(staff)
    body = Api(client).data("""mutation($end: DateTime!) { createAccount(input: {name: "Far", typeCode: "store_credit",
        currency: "GBP", endDate: $end}) { account { id } errors { code field } } }""",
                            {"end": "2030-01-01T20:00:00+20:00"})["createAccount"]
    assert body["errors"] == []
    assert Account.objects.get(name="Far").end_date == dt.datetime(2030, 1, 1, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def reports_staff(chart):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="ledger",
                                                        codename__in=["view_reports", "view_account"]))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("name, query", [
    ("ledger-report-breakage", {"first_month": "9999-12-01", "last_month": "9999-12-01"}),
    ("ledger-report-breakage", {"first_month": "1969-12-01", "last_month": "2026-01-01"}),
    ("ledger-report-deferred-income", {"date": "9999-12-31"}),
    ("ledger-report-profit-loss", {"start_date": "2026-01-01", "end_date": "9999-12-31", "currency": "GBP"}),
])
def test_report_forms_refuse_days_outside_the_years_every_input_allows(reports_staff, name, query):
    response = reports_staff.get(reverse(f"ledger_dashboard:{name}"), query)
    assert response.status_code == 200
    assert "between 1970-01-01 and 2199-12-31" in response.content.decode()


@pytest.mark.parametrize("start", ["2026-06-01T00:00:00+16:00", "2026-06-01T00:00:00-23:59"])
def test_the_dashboard_statement_takes_any_offset(reports_staff, start):
    wallet = AccountFactory(funded=D("3.00"))
    for answer in ("html", "csv"):
        query = {"start": start, "end": "2199-01-01T00:00:00Z", **({"format": "csv"} if answer == "csv" else {})}
        response = reports_staff.get(reverse("ledger_dashboard:ledger-account-statement", args=[wallet.pk]), query)
        assert response.status_code == 200, response.content[:500]
