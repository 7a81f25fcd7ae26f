"""Payloads that keep a normalised cache true: Order is a Node, redeem and pay return the new
history entries as edges of the accounts' `transfers` connections, and that history pages both ways."""
from decimal import Decimal as D

import pytest

from accounts_graphql.ids import global_id
from headless_store.ledger import core, facade
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory
from tests.graphql.conftest import ADDRESS

pytestmark = pytest.mark.django_db

HISTORY = """query($first: Int, $after: String, $last: Int, $before: String) { myAccounts { edges { node {
  transfers(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id amount { amount } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } } }"""
PAY = """mutation($input: PayWithAccountInput!) { payWithAccount(input: $input) {
  order { id number } transferEdges { cursor node { id accountId amount { amount } } } errors { code field } } }"""
REDEEM = """mutation($input: RedeemGiftCardInput!) { redeemGiftCard(input: $input) {
  transfer { id } transferEdge { cursor node { id amount { amount } } } errors { code } } }"""
NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Order { number total { amount } } } }"


def history(api, **page):
    return api.data(HISTORY, page)["myAccounts"]["edges"][0]["node"]["transfers"]


def test_paying_returns_the_order_as_a_node_and_the_new_edges(api, chart, customer, products, country):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    api.add_product(products["kettle"])
    payload = api.data(PAY, {"input": {"basketId": str(api.basket()["id"]), "payments": [
        {"accountId": global_id("Account", wallet.pk)}], "shippingAddress": ADDRESS}})["payWithAccount"]
    assert payload["errors"] == []
    [edge] = payload["transferEdges"]
    assert edge["node"]["accountId"] == global_id("Account", wallet.pk) and edge["node"]["amount"]["amount"] == "-45.00"
    newest = history(api, first=1)["edges"][0]
    assert newest == {"cursor": edge["cursor"], "node": {"id": edge["node"]["id"], "amount": {"amount": "-45.00"}}}
    order = api.data(NODE, {"id": payload["order"]["id"]})["node"]
    assert order == {"__typename": "Order", "id": payload["order"]["id"], "number": payload["order"]["number"],
                     "total": {"amount": "45.00"}}


def test_someone_elses_order_is_null(api, chart, customer, other_customer, products, country):
    from oscar.test.factories import create_order

    order = create_order(user=other_customer)
    assert api.data(NODE, {"id": global_id("Order", order.pk)}) == {"node": None}


def test_redeeming_returns_the_new_edge(api, chart, customer):
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    payload = api.data(REDEEM, {"input": {"code": card.code}})["redeemGiftCard"]
    assert payload["errors"] == [] and payload["transferEdge"]["node"]["id"] == payload["transfer"]["id"]
    assert history(api, first=1)["edges"][0]["cursor"] == payload["transferEdge"]["cursor"]


def test_an_accounts_history_pages_backwards(api, chart, customer):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    for amount in ("1", "2", "3", "4"):
        facade.transfer(wallet, core.redemptions_account(), D(amount))
    older = history(api, first=2, after=history(api, first=2)["pageInfo"]["endCursor"])
    assert [e["node"]["amount"]["amount"] for e in older["edges"]] == ["-2.00", "-1.00"]
    newer = history(api, last=2, before=older["pageInfo"]["startCursor"])
    assert [e["node"]["amount"]["amount"] for e in newer["edges"]] == ["-4.00", "-3.00"]
    assert newer["pageInfo"]["hasNextPage"] and not newer["pageInfo"]["hasPreviousPage"]


def test_paging_both_ways_at_once_is_invalid_with_its_field(api, chart, customer):
    AccountFactory(name="Wallet", primary_user=customer, funded=D("10.00"))
    body = api.gql(HISTORY, {"first": 1, "last": 1})
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "last"}


def test_a_bad_page_argument_is_counted_as_a_refusal_like_any_other(api, chart, customer):
    from headless_store.observability import REFUSALS

    AccountFactory(name="Wallet", primary_user=customer, funded=D("10.00"))
    before = REFUSALS.labels("INVALID")._value.get()
    body = api.gql(HISTORY, {"first": 1000})
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "first"}
    assert REFUSALS.labels("INVALID")._value.get() == before + 1
