"""Account statements through the API: a customer's own (`myAccountStatement`) and staff's
(`accountStatement`): opening balance, each movement with the lots it touched, closing balance;
foreign and malformed IDs, guests, token clients and bad periods."""
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.test import Client
from freezegun import freeze_time
from knox.models import AuthToken

import accounts_graphql.schema  # noqa: F401  (built before a test freezes time)
from accounts_graphql.ids import cursor, global_id
from headless_store.ledger import core, facade, lots
from headless_store.ledger.models import Transaction
from tests.factories import AccountFactory, UserFactory

from .conftest import Api
from .test_staff import staff_api

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 2, 1, tzinfo=UTC)
PERIOD = {"start": "2026-02-01T00:00:00Z", "end": "2026-03-01T00:00:00Z"}

LINES = """accountId currency start end openingBalance { amount currency } closingBalance { amount }
  lines(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id reference description isReversal amount { amount } balanceAfter { amount } createdAt
      lots { lotId category amount { amount } } } } }"""
MINE = f"""query ($accountId: ID!, $start: DateTime!, $end: DateTime!, $first: Int, $after: String) {{
  myAccountStatement(accountId: $accountId, start: $start, end: $end) {{ {LINES} }} }}"""
STAFF = f"""query ($accountId: ID!, $start: DateTime!, $end: DateTime!, $first: Int, $after: String) {{
  accountStatement(accountId: $accountId, start: $start, end: $end) {{ {LINES} }} }}"""


@pytest.fixture
def history(chart, bank, redemptions, customer):
    account = AccountFactory(primary_user=customer)
    with freeze_time(T0 - timedelta(days=3)):
        facade.transfer(bank, account, D("30"), description="Before the period")
    with freeze_time(T0 + timedelta(days=2)):
        facade.transfer(bank, account, D("20"), description="Promotion",
                        lot=lots.Credit(category="promotional", expires_at=T0 + timedelta(days=20)))
    with freeze_time(T0 + timedelta(days=5)):
        paid = facade.transfer(account, redemptions, D("25"), merchant_reference="100042")
    with freeze_time(T0 + timedelta(days=6)):
        facade.reverse(paid, amount=D("5"))
    with freeze_time(T0 + timedelta(days=40)):
        facade.transfer(bank, account, D("1"), description="After the period")
    return account


def ask(api, document, account, **variables):
    return api.gql(document, {"accountId": global_id("Account", account.pk), **PERIOD, **variables})


def codes(body):
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body.get("errors", [])]


def amounts(statement):
    return [e["node"]["amount"]["amount"] for e in statement["lines"]["edges"]]


class TestCustomerStatement:
    def test_opening_each_movement_with_its_lots_and_closing(self, api, history):
        statement = ask(api, MINE, history)["data"]["myAccountStatement"]
        assert statement["openingBalance"] == {"amount": "30.00", "currency": "GBP"}
        assert statement["closingBalance"] == {"amount": "30.00"}
        assert (statement["start"], statement["end"]) == ("2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00")
        assert amounts(statement) == ["20.00", "-25.00", "5.00"]
        lines = [e["node"] for e in statement["lines"]["edges"]]
        assert [[(m["category"], m["amount"]["amount"]) for m in line["lots"]] for line in lines] == [
            [("PROMOTIONAL", "20.00")],
            [("PROMOTIONAL", "-20.00"), ("PAID", "-5.00")],
            [("PAID", "5.00")],
        ]
        assert lines[2]["isReversal"] is True and lines[0]["description"] == "Promotion"
        # the statement reproduces from the raw legs
        legs = Transaction.objects.filter(account=history)
        opening = sum(leg.amount for leg in legs if leg.date_created < T0)
        assert D(statement["openingBalance"]["amount"]) == opening
        assert D(statement["closingBalance"]["amount"]) == opening + sum(D(a) for a in amounts(statement))
        assert statement["lines"]["totalCount"] == 3

    def test_lines_come_a_page_at_a_time(self, api, history):
        first = ask(api, MINE, history, first=2)["data"]["myAccountStatement"]["lines"]
        assert first["pageInfo"]["hasNextPage"] is True
        rest = ask(api, MINE, history, first=2, after=first["pageInfo"]["endCursor"])["data"]["myAccountStatement"]
        assert amounts(rest) == ["5.00"] and rest["lines"]["pageInfo"]["hasNextPage"] is False

    def test_a_cursor_from_elsewhere_is_invalid(self, api, history):
        outside = Transaction.objects.filter(account=history).order_by("date_created").first()  # before the period
        assert codes(ask(api, MINE, history, after=cursor(outside.pk))) == [("INVALID", "after")]

    def test_a_secondary_user_sees_the_statement(self, history, other_customer, client):
        history.secondary_users.add(other_customer)
        client.force_login(other_customer)
        assert amounts(ask(Api(client), MINE, history)["data"]["myAccountStatement"]) == ["20.00", "-25.00", "5.00"]

    def test_someone_elses_account_is_not_found(self, api, history):
        stranger = AccountFactory(primary_user=UserFactory(), funded=D("9"))
        assert codes(ask(api, MINE, stranger)) == [("NOT_FOUND", "accountId")]

    def test_a_shop_account_is_not_found(self, api, history):
        assert codes(ask(api, MINE, core.bank_account())) == [("NOT_FOUND", "accountId")]

    @pytest.mark.parametrize("bad_id", ["nonsense", global_id("Transfer", 1), global_id("Account", "1x"), ""])
    def test_a_malformed_id_is_not_found(self, api, history, bad_id):
        body = api.gql(MINE, {"accountId": bad_id, **PERIOD})
        assert codes(body) == [("NOT_FOUND", "accountId")]

    def test_a_guest_must_sign_in(self, history):
        body = Api(Client()).gql(MINE, {"accountId": global_id("Account", history.pk), **PERIOD})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]

    def test_a_token_client_reads_its_own_statement(self, history, customer):
        _, token = AuthToken.objects.create(customer)
        response = Client().post("/graphql/", data=json.dumps({"query": MINE, "variables": {
            "accountId": global_id("Account", history.pk), **PERIOD}}), content_type="application/json",
            headers={"Authorization": f"Token {token}"})
        assert amounts(response.json()["data"]["myAccountStatement"]) == ["20.00", "-25.00", "5.00"]


class TestPeriods:
    @pytest.mark.parametrize("start, end, field", [
        ("2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z", "end"),  # ends before it starts
        ("2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", "end"),  # empty
        ("2026-02-01T00:00:00", "2026-03-01T00:00:00Z", "start"),  # no zone
        ("2026-02-01T00:00:00Z", "2026-03-01T00:00:00", "end"),
        ("1969-12-31T23:59:59Z", "2026-03-01T00:00:00Z", "start"),  # far past
        ("2026-02-01T00:00:00Z", "2200-01-01T00:00:00Z", "end"),  # far future
        ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "start"),
    ])
    def test_a_bad_period_is_invalid_naming_its_field(self, api, history, start, end, field):
        assert codes(ask(api, MINE, history, start=start, end=end)) == [("INVALID", field)]

    def test_not_a_date_is_a_coercion_error(self, api, history):
        body = ask(api, MINE, history, start="yesterday")
        assert body["errors"] and body.get("data") is None

    def test_the_widest_period_holds_the_whole_history(self, api, history):
        statement = ask(api, MINE, history, start="1970-01-01T00:00:00Z", end="2199-12-31T00:00:00Z",
                        first=100)["data"]["myAccountStatement"]
        assert statement["openingBalance"]["amount"] == "0.00"
        assert statement["closingBalance"]["amount"] == "31.00"
        assert statement["lines"]["totalCount"] == 5

    def test_another_zone_moves_the_edges(self, api, history):
        # 2026-02-03T00:00+00:00 (the promotion) is 2026-02-03T01:00+01:00: a period ending then excludes it
        statement = ask(api, MINE, history, start="2026-02-01T00:00:00+01:00",
                        end="2026-02-03T01:00:00+01:00")["data"]["myAccountStatement"]
        assert amounts(statement) == []
        assert statement["start"] == "2026-02-01T00:00:00+01:00"


class TestStaffStatement:
    def test_staff_read_any_accounts_statement(self, history):
        statement = staff_api("view_account").data(STAFF, {"accountId": global_id("Account", history.pk),
                                                           **PERIOD})["accountStatement"]
        assert amounts(statement) == ["20.00", "-25.00", "5.00"]
        assert (statement["openingBalance"]["amount"], statement["closingBalance"]["amount"]) == ("30.00", "30.00")

    def test_staff_read_a_shop_accounts_statement(self, history):
        body = staff_api("view_account").data(STAFF, {"accountId": global_id("Account", core.bank_account().pk),
                                                      **PERIOD})["accountStatement"]
        assert amounts(body) == ["-20.00"] and body["lines"]["edges"][0]["node"]["lots"] == []

    def test_staff_without_the_permission_are_refused(self, history):
        body = staff_api("view_transfer").gql(STAFF, {"accountId": global_id("Account", history.pk), **PERIOD})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PERMISSION_DENIED"]

    def test_a_customer_cannot_use_the_staff_query(self, api, history):
        assert [e["extensions"]["code"] for e in ask(api, STAFF, history)["errors"]] == ["PERMISSION_DENIED"]

    @pytest.mark.parametrize("bad_id", ["nonsense", global_id("Account", 999999)])
    def test_an_unknown_account_is_not_found(self, history, bad_id):
        body = staff_api("view_account").gql(STAFF, {"accountId": bad_id, **PERIOD})
        assert codes(body) == [("NOT_FOUND", "accountId")]

    def test_a_bad_period_is_invalid(self, history):
        body = staff_api("view_account").gql(STAFF, {"accountId": global_id("Account", history.pk),
                                                     "start": "2026-02-01T00:00:00", "end": "2026-03-01T00:00:00Z"})
        assert codes(body) == [("INVALID", "start")]
