"""Hostile requests: every malformed request answers 4xx with a JSON body and a code, never 500;
every hostile input answers a typed INVALID error naming its field, and changes nothing."""
import json

import pytest
from django.test import Client

from accounts_graphql.ids import global_id
from headless_store.ledger.models import Account, Transfer
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL, SURROGATE = "bad\x00value", "bad\ud800value"


def signed_in(user=None):
    client = Client()
    client.force_login(user or UserFactory())
    return client


def staff_client():
    return signed_in(UserFactory(is_staff=True, is_superuser=True))


def raw_post(client, body: bytes, content_type="application/json"):
    return client.generic("POST", "/graphql/", body, content_type=content_type)


def assert_json_refusal(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code and error["message"]


class TestMalformedRequests:
    @pytest.mark.parametrize("hash_value", [["a", "b"], {"a": 1}, 12, None])
    def test_a_persisted_hash_that_is_not_a_string(self, hash_value):
        body = json.dumps({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash_value}}}).encode()
        assert_json_refusal(raw_post(Client(), body), 400, "BAD_REQUEST")

    @pytest.mark.parametrize("body", [b'"just a string"', b"42", b"null", b"[1, 2]", b"{not json"])
    def test_bodies_that_are_not_a_request_object(self, body):
        response = raw_post(Client(), body)
        assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"

    def test_a_body_that_is_not_utf8(self):
        assert_json_refusal(raw_post(Client(), b'{"query": "\xff\xfe{ __typename }"}'), 400, "BAD_REQUEST")

    @pytest.mark.parametrize("where", ["document", "variables"])
    def test_a_number_of_more_than_4300_digits(self, where):
        digits = "9" * 5000
        if where == "document":
            body = json.dumps({"query": f"{{ myAccounts(first: {digits}) {{ totalCount }} }}"})
        else:
            query = json.dumps("query($n: Int) { myAccounts(first: $n) { totalCount } }")
            body = '{"query": ' + query + ', "variables": {"n": ' + digits + "}}"
        assert_json_refusal(raw_post(signed_in(), body.encode()), 400, "BAD_REQUEST")

    def test_a_lone_surrogate_in_persisted_only_mode(self, settings):
        settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": True}
        body = json.dumps({"query": "{ __typename } # \ud800"}).encode()
        assert_json_refusal(raw_post(Client(), body), 400, "PERSISTED_OPERATION_REQUIRED")

    def test_other_methods_batches_and_missing_queries(self):
        client = Client()
        assert_json_refusal(client.put("/graphql/", data="{}", content_type="application/json"), 405, "METHOD_NOT_ALLOWED")
        batch = json.dumps([{"query": "{ __typename }"}] * 2).encode()
        assert_json_refusal(raw_post(client, batch), 400, "BAD_REQUEST")
        assert_json_refusal(raw_post(client, b"{}"), 400, "BAD_REQUEST")
        assert_json_refusal(raw_post(client, b"query=x", "text/plain"), 400, "BAD_REQUEST")


def gql(client, query, variables=None):
    response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def refusal(body):
    """(code, field) of a query's top-level error or a mutation's first payload error."""
    if body.get("errors"):
        extensions = body["errors"][0]["extensions"]
        return extensions["code"], extensions.get("field")
    (payload,) = body["data"].values()
    error = payload["errors"][0]
    return error["code"], error["field"]


ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "line1": "1 Row", "line4": "London", "postcode": "N1 9GU",
           "country": "GB"}

# (who, document, variables, expected code, expected field)
CASES = {
    "nul in idempotencyKey": ("customer", "mutation($k: String) { redeemGiftCard(input: {code: \"ABCD-EFGH\", idempotencyKey: $k}) { errors { code field } } }",
                              {"k": NUL}, "INVALID", "idempotencyKey"),
    "nul in a gift-card code": ("customer", "mutation($c: String!) { redeemGiftCard(input: {code: $c}) { errors { code field } } }",
                                {"c": NUL}, "INVALID", "code"),
    "lone surrogate in a gift-card code": ("customer", "mutation($c: String!) { redeemGiftCard(input: {code: $c}) { errors { code field } } }",
                                           {"c": SURROGATE}, "INVALID", "code"),
    "lone surrogate in a balance code": ("anonymous", "query($c: String) { balance(code: $c) { amount } }",
                                         {"c": SURROGATE}, "INVALID", "code"),
    "nul in shippingAddress.country": ("customer", "mutation($a: AddressInput) { payWithAccount(input: {basketId: \"1\", payments: [{code: \"X\"}], shippingAddress: $a}) { errors { code field } } }",
                                       {"a": {**ADDRESS, "country": "G\x00B"}}, "INVALID", "shippingAddress.country"),
    "nul in myAccounts filter currency": ("customer", "query($c: String) { myAccounts(filter: {currency: $c}) { totalCount } }",
                                          {"c": NUL}, "INVALID", "filter.currency"),
    "nul in the staff search": ("staff", "query($s: String) { accounts(search: $s) { totalCount } }", {"s": NUL}, "INVALID", "search"),
    "nul in ownerEmail": ("staff", "query($e: String) { accounts(filter: {ownerEmail: $e}) { totalCount } }", {"e": NUL}, "INVALID", "filter.ownerEmail"),
    "nul in merchantReference": ("staff", "query($m: String) { allTransfers(filter: {merchantReference: $m}) { totalCount } }",
                                 {"m": NUL}, "INVALID", "filter.merchantReference"),
    "nul in userEmail": ("staff", "query($e: String) { allTransfers(filter: {userEmail: $e}) { totalCount } }", {"e": NUL}, "INVALID", "filter.userEmail"),
    "nul in createAccount name": ("staff", 'mutation($n: String!) { createAccount(input: {name: $n, typeCode: "store_credit", currency: "GBP"}) { errors { code field } } }',
                                  {"n": NUL}, "INVALID", "name"),
    "nul in createAccount typeCode": ("staff", 'mutation($t: String!) { createAccount(input: {name: "N", typeCode: $t, currency: "GBP"}) { errors { code field } } }',
                                      {"t": NUL}, "INVALID", "typeCode"),
    "nul in a secondary user email": ("staff", 'mutation($e: [String!]) { createAccount(input: {name: "N", typeCode: "store_credit", currency: "GBP", secondaryUserEmails: $e}) { errors { code field } } }',
                                      {"e": ["ok@example.com", NUL]}, "INVALID", "secondaryUserEmails.1"),
    "a huge list": ("staff", 'mutation($e: [String!]) { createAccount(input: {name: "N", typeCode: "store_credit", currency: "GBP", secondaryUserEmails: $e}) { errors { code field } } }',
                    {"e": ["x@example.com"] * 1000}, "INVALID", "secondaryUserEmails"),
    "bad createAccount currency": ("staff", 'mutation { createAccount(input: {name: "N", typeCode: "store_credit", currency: "XX1", creditLimit: "5"}) { errors { code field } } }',
                                   {}, "INVALID", "currency"),
    "far report date": ("staff", '{ deferredIncomeReport(date: "9999-12-31") { date } }', {}, "INVALID", "date"),
    "far report end date": ("staff", '{ profitLossReport(startDate: "2026-01-01", endDate: "9999-12-31", currency: "GBP") { net { amount } } }',
                            {}, "INVALID", "endDate"),
    "bad report currency": ("staff", '{ profitLossReport(startDate: "2026-01-01", endDate: "2026-01-02", currency: "G\\u0000B") { net { amount } } }',
                            {}, "INVALID", "currency"),
    "unknown report currency": ("staff", '{ deferredIncomeReport(date: "2026-01-01", currency: "XYZ") { date } }', {}, "INVALID", "currency"),
    "far transfer search date": ("staff", '{ allTransfers(filter: {dateTo: "9999-12-31"}) { totalCount } }', {}, "INVALID", "filter.dateTo"),
    "a cursor of 10^20": ("customer", "query($a: String) { transfers(after: $a) { totalCount } }",
                          {"a": global_id("cursor", 10**20)}, "INVALID", "after"),
    "a staff cursor of 10^20": ("staff", "query($a: String) { accounts(after: $a) { totalCount } }",
                                {"a": global_id("arrayconnection", 10**20)}, "INVALID", "after"),
    "an amount of 1e-9999999": ("staff", 'mutation($id: ID!) { topUpAccount(input: {accountId: $id, amount: "1e-9999999"}) { errors { code field } } }',
                                "account", "INVALID_AMOUNT", "amount"),
    "an overlong text": ("staff", "query($s: String) { accounts(search: $s) { totalCount } }", {"s": "x" * 20_000}, "INVALID", "search"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_inputs_are_typed_refusals_that_change_nothing(chart, case, caplog):
    who, document, variables, code, field = CASES[case]
    client = {"customer": signed_in, "staff": staff_client, "anonymous": Client}[who]()
    if variables == "account":
        variables = {"id": global_id("Account", AccountFactory().pk)}
    before = Transfer.objects.count(), Account.objects.count()
    body = gql(client, document, variables)
    assert refusal(body) == (code, field), body
    assert "Unexpected error" not in json.dumps(body)
    assert (Transfer.objects.count(), Account.objects.count()) == before
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
