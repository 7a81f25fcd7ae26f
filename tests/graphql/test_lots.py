"""Credit lots through the API: `Account.lots` (customers) and `LedgerAccount.lots` (staff), in
spending order, paged, batched; `amountAvailable` without lots that cannot be spent now."""
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

import accounts_graphql.schema  # noqa: F401  (built before a test freezes time: strawberry meets no FakeDate)
from accounts_graphql.ids import cursor, global_id
from headless_store.ledger import core, facade, lots
from headless_store.ledger.models import Lot
from tests.factories import AccountFactory, UserFactory

from .test_query_counts import client_for
from .test_staff import staff_api

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

LOT_FIELDS = "id category amount { amount } remaining { amount currency } held { amount } effectiveFrom expiresAt state"
MINE = f"""query ($first: Int, $after: String) {{ myAccounts {{ edges {{ node {{ id balance {{ amount }}
  amountAvailable {{ amount }}
  lots(first: $first, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {LOT_FIELDS} }} }} }}
}} }} }} }}"""
STAFF = f"""query ($id: ID!) {{ account(id: $id) {{ amountAvailable {{ amount }}
  lots {{ totalCount edges {{ node {{ {LOT_FIELDS} }} }} }} }} }}"""


def credit(account, amount, **terms):
    return facade.transfer(core.bank_account(), account, D(amount), lot=lots.Credit(**terms) if terms else None)


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


@pytest.fixture
def wallet(chart, customer, frozen, redemptions):
    """Five lots: paid with no clock, promotional expiring in 2 days, refund expiring in 2 days, paid
    expiring in 30 days (partly spent), points starting tomorrow; one used-up lot."""
    account = AccountFactory(primary_user=customer)
    credit(account, "3", category="paid", expires_at=NOW + timedelta(days=1))
    facade.transfer(account, redemptions, D("3"))  # uses that lot up: it is not listed
    credit(account, "10", category="paid")
    credit(account, "4", category="refund", expires_at=NOW + timedelta(days=2))
    credit(account, "12", category="promotional", expires_at=NOW + timedelta(days=2))
    credit(account, "8", category="paid", expires_at=NOW + timedelta(days=30))
    credit(account, "6", category="points", effective_from=NOW + timedelta(days=1))
    return account


def lot_rows(connection_):
    return [(e["node"]["category"], e["node"]["remaining"]["amount"], e["node"]["state"]) for e in connection_["edges"]]


def my_account(api, **variables):
    return api.data(MINE, variables)["myAccounts"]["edges"][0]["node"]


class TestCustomerLots:
    def test_open_lots_in_spending_order_with_their_clocks(self, api, wallet):
        node = my_account(api)
        assert lot_rows(node["lots"]) == [
            ("PROMOTIONAL", "12.00", "USABLE"),  # expires first, promotional before refund
            ("REFUND", "4.00", "USABLE"),
            ("PAID", "8.00", "USABLE"),
            ("POINTS", "6.00", "NOT_YET_EFFECTIVE"),  # never expire: after every lot that does,
            ("PAID", "10.00", "USABLE"),  # points before paid
        ]
        first = node["lots"]["edges"][0]["node"]
        assert first["expiresAt"] == (NOW + timedelta(days=2)).isoformat() and first["effectiveFrom"] is None
        assert first["amount"] == {"amount": "12.00"} and first["remaining"]["currency"] == "GBP"
        assert node["lots"]["edges"][3]["node"]["effectiveFrom"] == (NOW + timedelta(days=1)).isoformat()
        assert node["lots"]["totalCount"] == 5

    def test_a_payment_spends_them_in_the_order_shown(self, api, wallet, redemptions):
        shown = [e["node"]["id"] for e in my_account(api)["lots"]["edges"]]
        facade.transfer(wallet, redemptions, D("14"))  # the 12 promotional, then 2 of the refund
        after = my_account(api)["lots"]
        assert [e["node"]["id"] for e in after["edges"]] == shown[1:]
        assert after["edges"][0]["node"]["remaining"]["amount"] == "2.00"

    def test_amount_available_leaves_out_lots_not_usable_now(self, api, wallet, frozen):
        node = my_account(api)
        assert (node["balance"]["amount"], node["amountAvailable"]["amount"]) == ("40.00", "34.00")
        frozen.move_to(NOW + timedelta(days=3))  # the 12 and the 4 expired (not swept); the points started
        node = my_account(api)
        assert (node["balance"]["amount"], node["amountAvailable"]["amount"]) == ("40.00", "24.00")
        assert [state for _, _, state in lot_rows(node["lots"])] == ["EXPIRED", "EXPIRED", "USABLE", "USABLE", "USABLE"]

    def test_pages_follow_the_spending_order(self, api, wallet):
        first = my_account(api, first=2)["lots"]
        assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 5
        second = my_account(api, first=2, after=first["pageInfo"]["endCursor"])["lots"]
        third = my_account(api, first=2, after=second["pageInfo"]["endCursor"])["lots"]
        assert third["pageInfo"]["hasNextPage"] is False
        assert [c for c, _, _ in lot_rows(first) + lot_rows(second) + lot_rows(third)] == [
            "PROMOTIONAL", "REFUND", "PAID", "POINTS", "PAID"]

    @pytest.mark.parametrize("variables, field", [
        ({"first": 101}, "first"), ({"first": -1}, "first"), ({"after": "not-a-cursor"}, "after"),
    ])
    def test_bad_page_arguments_are_invalid(self, api, wallet, variables, field):
        body = api.gql(MINE, variables)
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("INVALID", field)]

    def test_a_cursor_of_someone_elses_lot_is_invalid(self, api, wallet):
        other = AccountFactory(primary_user=UserFactory(), funded=D("5"))
        body = api.gql(MINE, {"after": cursor(Lot.objects.filter(account=other).get().pk)})
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("INVALID", "after")]

    def test_accounts_without_lots_list_none(self, chart, api, customer):
        AccountFactory(primary_user=customer, type_code="b2b_prepaid", credit_limit=D("100"))
        node = my_account(api)
        assert node["lots"] == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}
        assert node["amountAvailable"] == {"amount": "100.00"}


class TestStaffLots:
    def test_staff_see_any_accounts_lots(self, wallet):
        node = staff_api("view_account").data(STAFF, {"id": global_id("Account", wallet.pk)})["account"]
        assert node["amountAvailable"] == {"amount": "34.00"}
        assert [c for c, _, _ in lot_rows(node["lots"])] == ["PROMOTIONAL", "REFUND", "PAID", "POINTS", "PAID"]
        assert node["lots"]["totalCount"] == 5

    def test_a_list_of_accounts_with_lots(self, wallet):
        body = staff_api("view_account").data(
            f"{{ accounts(first: 10) {{ edges {{ node {{ id amountAvailable {{ amount }} lots(first: 2) {{ totalCount "
            f"pageInfo {{ hasNextPage }} edges {{ node {{ {LOT_FIELDS} }} }} }} }} }} }} }}")
        node = next(e["node"] for e in body["accounts"]["edges"] if e["node"]["id"] == global_id("Account", wallet.pk))
        assert [c for c, _, _ in lot_rows(node["lots"])] == ["PROMOTIONAL", "REFUND"]
        assert node["lots"]["totalCount"] == 5 and node["lots"]["pageInfo"]["hasNextPage"] is True
        assert node["amountAvailable"] == {"amount": "34.00"}


# -- no N+1: the same queries at 5 and 50 accounts, each with its own lots ----------------------------
MY_LOTS = f"""{{ myAccounts(first: 100) {{ totalCount edges {{ node {{ id amountAvailable {{ amount }}
  lots(first: 3) {{ totalCount edges {{ node {{ {LOT_FIELDS} }} }} }} }} }} }} }}"""
STAFF_LOTS = f"""{{ accounts(first: 100, filter: {{typeCode: ["store_credit"]}}) {{ totalCount edges {{ node {{
  id amountAvailable {{ amount }} lots(first: 3) {{ totalCount edges {{ node {{ {LOT_FIELDS} }} }} }} }} }} }} }}"""


def _queries(client, document, size):
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data=json.dumps({"query": document}), content_type="application/json")
    body = response.json()
    assert "errors" not in body, body
    key = "myAccounts" if "myAccounts" in document else "accounts"
    assert len(body["data"][key]["edges"]) == size
    return len(captured)


# customer: session, user, accounts page (with what each can spend), count, lots, lot counts;
# staff: session, user, page (with lot counts and what each can spend), the lots prefetch
@pytest.mark.parametrize("document, expected", [(MY_LOTS, 6), (STAFF_LOTS, 4)], ids=["myAccounts", "accounts"])
def test_lots_cost_the_same_queries_at_5_and_50_accounts(chart, document, expected):
    customer = UserFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)

    def add(count):
        for n in range(count):
            account = AccountFactory(primary_user=customer)
            for days in (3, 9, None, 1):
                credit(account, "2", expires_at=NOW + timedelta(days=days) if days else None,
                       category="promotional" if n % 2 else "paid")
            credit(account, "1", effective_from=NOW + timedelta(days=1))

    with freeze_time(NOW):
        client = client_for(customer if "myAccounts" in document else staff)
        add(5)
        at_5 = _queries(client, document, 5)
        add(45)
        at_50 = _queries(client, document, 50)
    assert at_5 == at_50 == expected, (at_5, at_50)
