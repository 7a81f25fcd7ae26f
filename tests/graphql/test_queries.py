"""myAccounts, balance and transfers over HTTP: what a customer sees, and what they never see."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_graphql.ids import global_id
from headless_store.ledger import facade
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

MY_ACCOUNTS = """
query MyAccounts($first: Int, $after: String, $filter: AccountFilter, $history: Int) {
  myAccounts(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      id name kind currency status isActive codeLast4
      balance { amount currency } amountAvailable { amount } creditLimit { amount }
      transfers(first: $history) { totalCount edges { node {
        id reference direction amount { amount currency } balanceAfter { amount } counterparty
        description merchantReference isReversal accountId
      } } }
    } }
  }
}"""


def names(body):
    return [edge["node"]["name"] for edge in body["myAccounts"]["edges"]]


class TestMyAccounts:
    def test_anonymous_callers_get_an_authentication_error(self, anonymous_api):
        body = anonymous_api.gql(MY_ACCOUNTS)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    def test_lists_own_and_shared_accounts_but_never_another_customers(self, chart, api, customer, other_customer):
        AccountFactory(name="Mine", primary_user=customer, funded=D("12.50"))
        shared = AccountFactory(name="Shared", primary_user=other_customer)
        shared.secondary_users.add(customer)
        AccountFactory(name="Theirs", primary_user=other_customer, funded=D("99"))
        AccountFactory(name="Nobody's")
        body = api.data(MY_ACCOUNTS)
        assert sorted(names(body)) == ["Mine", "Shared"]
        assert body["myAccounts"]["totalCount"] == 2
        mine = next(e["node"] for e in body["myAccounts"]["edges"] if e["node"]["name"] == "Mine")
        assert mine["balance"] == {"amount": "12.50", "currency": "GBP"}
        assert mine["amountAvailable"] == {"amount": "12.50"} and mine["creditLimit"] == {"amount": "0.00"}
        assert mine["status"] == "OPEN" and mine["kind"] == "STORE_CREDIT" and mine["isActive"] is True

    def test_history_is_newest_first_with_balance_after(self, chart, api, customer, redemptions):
        wallet = AccountFactory(primary_user=customer, funded=D("30"))
        facade.transfer(wallet, redemptions, D("10"), merchant_reference="100001")
        facade.transfer(wallet, redemptions, D("5"), merchant_reference="100002")
        node = api.data(MY_ACCOUNTS)["myAccounts"]["edges"][0]["node"]
        entries = [e["node"] for e in node["transfers"]["edges"]]
        assert [(e["amount"]["amount"], e["balanceAfter"]["amount"]) for e in entries] == [
            ("-5.00", "15.00"), ("-10.00", "20.00"), ("30.00", "30.00")]
        assert [e["direction"] for e in entries] == ["DEBIT", "DEBIT", "CREDIT"]
        assert entries[0]["merchantReference"] == "100002" and entries[0]["counterparty"] == "Payment"
        assert node["transfers"]["totalCount"] == 3

    def test_a_gift_card_shows_only_the_last_4_characters_of_its_code(self, chart, api, customer):
        card = issue_gift_card(amount=D("20"), currency="GBP", primary_user=customer)
        node = api.data(MY_ACCOUNTS)["myAccounts"]["edges"][0]["node"]
        assert node["codeLast4"] == "••••" + card.code[-4:]
        assert card.code.replace("-", "") not in str(node) and node["kind"] == "GIFT_CARD"

    def test_pages_with_cursors(self, chart, api, customer):
        for n in range(5):
            AccountFactory(name=f"A{n}", primary_user=customer, type_code=["store_credit", "loyalty_points", "refund_wallets", "b2b_prepaid", "gift_cards"][n])
        first = api.data(MY_ACCOUNTS, {"first": 2})["myAccounts"]
        assert [e["node"]["name"] for e in first["edges"]] == ["A4", "A3"]
        assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
        second = api.data(MY_ACCOUNTS, {"first": 2, "after": first["pageInfo"]["endCursor"]})["myAccounts"]
        assert [e["node"]["name"] for e in second["edges"]] == ["A2", "A1"]
        assert second["pageInfo"]["hasPreviousPage"] and second["totalCount"] == 5

    @pytest.mark.parametrize("variables", [{"first": 101}, {"first": -1}, {"after": "bogus"}, {"history": 500}])
    def test_page_size_is_capped_and_cursors_checked(self, chart, api, customer, variables):
        AccountFactory(primary_user=customer)
        body = api.gql(MY_ACCOUNTS, variables)
        assert body["errors"][0]["extensions"]["code"] == "INVALID"

    def test_filters(self, chart, api, customer):
        AccountFactory(name="Open GBP", primary_user=customer)
        frozen = AccountFactory(name="Frozen", primary_user=customer, type_code="loyalty_points")
        frozen.freeze()
        AccountFactory(name="Euro", primary_user=customer, currency="EUR", type_code="refund_wallets")
        AccountFactory(name="Expired", primary_user=customer, type_code="b2b_prepaid",
                       end_date=timezone.now() - timedelta(days=1))
        assert names(api.data(MY_ACCOUNTS, {"filter": {"status": ["FROZEN"]}})) == ["Frozen"]
        assert names(api.data(MY_ACCOUNTS, {"filter": {"currency": "EUR"}})) == ["Euro"]
        assert names(api.data(MY_ACCOUNTS, {"filter": {"kind": ["LOYALTY_POINTS"]}})) == ["Frozen"]
        assert names(api.data(MY_ACCOUNTS, {"filter": {"isActive": False}})) == ["Expired"]

    @pytest.mark.parametrize("size", [5, 50])
    def test_query_count_does_not_grow_with_accounts_or_history(self, chart, api, customer, redemptions, size):
        kinds = ["store_credit", "loyalty_points", "refund_wallets", "b2b_prepaid"]
        for n in range(size):
            account = AccountFactory(primary_user=customer if n < 4 else None, type_code=kinds[n % 4], funded=D("100"))
            if n >= 4:
                account.secondary_users.add(customer)
            for _ in range(3):
                facade.transfer(account, redemptions, D("1"))
        with CaptureQueriesContext(connection) as queries:
            body = api.data(MY_ACCOUNTS, {"first": 100, "history": 2})
        assert len(body["myAccounts"]["edges"]) == size
        # session, user, accounts page, count, history, history counts, counterparties,
        # viewer's account ids: the same at 5 and at 50 accounts
        assert len(queries) == 8, [q["sql"] for q in queries.captured_queries]


BALANCE = "query Balance($accountId: ID, $code: String) { balance(accountId: $accountId, code: $code) { amount currency } }"


class TestBalance:
    def test_own_account(self, chart, api, customer):
        wallet = AccountFactory(primary_user=customer, funded=D("8.25"))
        assert api.data(BALANCE, {"accountId": global_id("Account", wallet.pk)})["balance"] == {"amount": "8.25", "currency": "GBP"}

    @pytest.mark.parametrize("make_id", [
        lambda other: global_id("Account", other.pk),  # someone else's
        lambda other: global_id("Account", 999999),  # unknown
        lambda other: "not-an-id",  # malformed
        lambda other: global_id("Transfer", other.pk),  # wrong type
    ])
    def test_other_unknown_and_malformed_accounts_are_not_found(self, chart, api, other_customer, make_id):
        other = AccountFactory(primary_user=other_customer, funded=D("5"))
        body = api.gql(BALANCE, {"accountId": make_id(other)})
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "5.00" not in str(body)

    def test_by_code_for_guests_too(self, chart, anonymous_api):
        card = issue_gift_card(amount=D("25"), currency="GBP")
        assert anonymous_api.data(BALANCE, {"code": card.code.lower()})["balance"]["amount"] == "25.00"

    def test_unknown_code_then_blocked(self, chart, anonymous_api, settings):
        settings.ACCOUNTS_CODE_MAX_FAILURES = 2
        card = issue_gift_card(amount=D("25"), currency="GBP")
        for _ in range(2):
            body = anonymous_api.gql(BALANCE, {"code": "AAAA-BBBB-CCCC-DDDD"})
            assert body["errors"][0]["extensions"]["code"] == "INVALID_CODE"
        body = anonymous_api.gql(BALANCE, {"code": card.code})
        assert body["errors"][0]["extensions"]["code"] == "CODE_ATTEMPTS_BLOCKED"
        assert body["errors"][0]["extensions"]["retryAfter"] > 0

    @pytest.mark.parametrize("variables", [{}, {"accountId": "x", "code": "y"}])
    def test_exactly_one_argument(self, chart, api, variables):
        assert api.gql(BALANCE, variables)["errors"][0]["extensions"]["code"] == "INVALID"

    def test_account_balance_needs_sign_in(self, chart, anonymous_api):
        body = anonymous_api.gql(BALANCE, {"accountId": global_id("Account", 1)})
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


TRANSFERS = """
query Transfers($accountId: ID, $first: Int, $after: String) {
  transfers(accountId: $accountId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id accountId amount { amount } balanceAfter { amount } counterparty reference } }
  }
}"""


class TestTransfers:
    def test_anonymous_callers_get_an_authentication_error(self, anonymous_api):
        assert anonymous_api.gql(TRANSFERS)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    def test_all_of_the_viewers_entries_and_nobody_elses(self, chart, api, customer, other_customer, redemptions):
        wallet = AccountFactory(primary_user=customer, funded=D("10"))
        points = AccountFactory(primary_user=customer, funded=D("3"), type_code="loyalty_points")
        theirs = AccountFactory(primary_user=other_customer, funded=D("50"))
        facade.transfer(theirs, wallet, D("4"))  # a gift from another customer
        body = api.data(TRANSFERS)["transfers"]
        assert body["totalCount"] == 3
        accounts = {e["node"]["accountId"] for e in body["edges"]}
        assert accounts == {global_id("Account", wallet.pk), global_id("Account", points.pk)}
        gift = body["edges"][0]["node"]
        assert gift["amount"]["amount"] == "4.00" and gift["counterparty"] is None  # their account stays hidden
        assert theirs.name not in str(body)

    def test_one_account_and_foreign_accounts(self, chart, api, customer, other_customer):
        wallet = AccountFactory(primary_user=customer, funded=D("10"))
        AccountFactory(primary_user=customer, funded=D("3"), type_code="loyalty_points")
        theirs = AccountFactory(primary_user=other_customer, funded=D("50"))
        body = api.data(TRANSFERS, {"accountId": global_id("Account", wallet.pk)})["transfers"]
        assert body["totalCount"] == 1
        denied = api.gql(TRANSFERS, {"accountId": global_id("Account", theirs.pk)})
        assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND" and denied["data"] is None

    def test_moving_between_own_accounts_names_the_other_account(self, chart, api, customer):
        wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("10"))
        refunds = AccountFactory(name="Refunds", primary_user=customer, type_code="refund_wallets")
        facade.transfer(wallet, refunds, D("2"))
        body = api.data(TRANSFERS, {"first": 2})["transfers"]
        assert {e["node"]["counterparty"] for e in body["edges"]} == {"Wallet", "Refunds"}
        assert len({e["node"]["id"] for e in body["edges"]}) == 2

    @pytest.mark.parametrize("size", [5, 50])
    def test_query_count_does_not_grow(self, chart, api, customer, redemptions, size):
        wallet = AccountFactory(primary_user=customer, funded=D("1000"))
        for _ in range(size):
            facade.transfer(wallet, redemptions, D("1"))
        with CaptureQueriesContext(connection) as queries:
            body = api.data(TRANSFERS, {"first": 100})
        assert len(body["transfers"]["edges"]) == size + 1
        assert len(queries) == 6  # session, user, viewer's accounts, page, count, counterparties
