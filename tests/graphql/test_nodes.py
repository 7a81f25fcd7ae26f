"""Relay's Node interface: refetch your own accounts and history entries by global ID."""
from decimal import Decimal as D

import pytest

from accounts_graphql.ids import global_id
from headless_store.ledger import core, facade
from headless_store.ledger.models import Transaction
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Account { name balance { amount } }
  ... on Transfer { amount { amount } counterparty } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


def test_your_account_and_entry_refetch_by_id(api, chart, customer):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("10"))
    facade.transfer(wallet, core.redemptions_account(), D("4"))
    account = api.data(NODE, {"id": global_id("Account", wallet.pk)})["node"]
    assert account == {"__typename": "Account", "id": global_id("Account", wallet.pk), "name": "Wallet",
                       "balance": {"amount": "6.00"}}
    leg = Transaction.objects.filter(account=wallet).order_by("-pk").first()
    entry = api.data(NODE, {"id": global_id("Transfer", leg.pk)})["node"]
    assert entry == {"__typename": "Transfer", "id": global_id("Transfer", leg.pk), "amount": {"amount": "-4.00"},
                     "counterparty": "Payment"}
    # the same id as myAccounts gives, so Apollo's cache merges them
    ids = [e["node"]["id"] for e in api.data("{ myAccounts { edges { node { id } } } }")["myAccounts"]["edges"]]
    assert global_id("Account", wallet.pk) in ids


@pytest.mark.parametrize("value", ["", "nope", "QWNjb3VudDox", "Y3Vyc29yOjE=", "\u2603" * 10, "A" * 5000])
def test_other_peoples_and_malformed_ids_are_null_not_errors(api, chart, other_customer, value):
    AccountFactory(primary_user=other_customer, funded=D("5"))  # Account:1 is someone else's
    body = api.gql(NODE, {"id": value})
    assert body == {"data": {"node": None}}


def test_nodes_keeps_order_and_nulls_what_is_not_yours(api, chart, customer, other_customer):
    mine = AccountFactory(primary_user=customer)
    theirs = AccountFactory(primary_user=other_customer)
    ids = [global_id("Account", theirs.pk), global_id("Account", mine.pk), "junk"]
    assert api.data(NODES, {"ids": ids})["nodes"] == [None, {"__typename": "Account", "id": ids[1]}, None]
    too_many = api.gql(NODES, {"ids": ["x"] * 101})
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID"


def test_anonymous_callers_must_sign_in(anonymous_api, chart):
    body = anonymous_api.gql(NODE, {"id": global_id("Account", 1)})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_missing_staff_lookup_nulls_only_its_field(chart):
    from .test_staff import staff_api

    api = staff_api("view_account", "view_transfer")
    body = api.gql('{ account(id: "QWNjb3VudDo5OTk5") { name } accountTypes { code } transfer(reference: "NOPE") { reference } }')
    assert body["data"]["account"] is None and body["data"]["transfer"] is None
    assert body["data"]["accountTypes"]  # the rest of the answer survives
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}


MY_PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  myAccounts(first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { name } } } }"""


def test_paging_backwards_mirrors_paging_forwards(api, chart, customer):
    for n in range(5):
        AccountFactory(name=f"A{n}", primary_user=customer)  # newest first: A4 .. A0

    def names(page):
        return [e["node"]["name"] for e in page["edges"]]

    first = api.data(MY_PAGE, {"first": 2})["myAccounts"]
    assert names(first) == ["A4", "A3"] and first["pageInfo"]["hasNextPage"]
    second = api.data(MY_PAGE, {"first": 2, "after": first["pageInfo"]["endCursor"]})["myAccounts"]
    assert names(second) == ["A2", "A1"]
    back = api.data(MY_PAGE, {"last": 2, "before": second["pageInfo"]["startCursor"]})["myAccounts"]
    assert names(back) == ["A4", "A3"] and back["pageInfo"]["hasNextPage"] and not back["pageInfo"]["hasPreviousPage"]
    oldest = api.data(MY_PAGE, {"last": 2})["myAccounts"]
    assert names(oldest) == ["A1", "A0"] and oldest["pageInfo"]["hasPreviousPage"]
    mixed = api.gql(MY_PAGE, {"first": 1, "last": 1})
    assert mixed["errors"][0]["extensions"]["code"] == "INVALID"
    bad = api.gql(MY_PAGE, {"last": 1, "before": "junk"})
    assert bad["errors"][0]["extensions"] == {"code": "INVALID", "field": "before"}
