"""Limits and exposure: depth, aliases, tokens, introspection, masking, GET, GraphiQL."""
import json

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INTROSPECT = "{ __schema { queryType { name } } }"


def post(client, query):
    return client.post("/graphql/", data=json.dumps({"query": query}), content_type="application/json").json()


def test_deep_queries_are_refused(api, settings):
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "MAX_DEPTH": 6}
    deep = "{ myAccounts { edges { node { transfers { edges { node { amount { amount } } } } } } } }"
    body = post(api.client, deep)
    assert body["data"] is None
    assert "exceeds maximum operation depth of 6" in body["errors"][0]["message"]
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "MAX_DEPTH": 10}
    assert "errors" not in post(api.client, deep)


def test_too_many_aliases_are_refused(api):
    query = "{ " + " ".join(f"a{i}: myAccounts {{ totalCount }}" for i in range(16)) + " }"
    assert "aliases" in post(api.client, query)["errors"][0]["message"]


def test_huge_documents_are_refused(api):
    query = "{ myAccounts { totalCount " + "totalCount " * 2100 + "} }"
    assert "tokens" in post(api.client, query)["errors"][0]["message"]


def test_introspection_is_off_for_customers_and_anonymous_callers(api, anonymous_api):
    for client in (api.client, anonymous_api.client):
        body = post(client, INTROSPECT)
        assert body["errors"] and "introspection" in body["errors"][0]["message"].lower()


def test_introspection_is_on_for_staff():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert post(client, INTROSPECT)["data"]["__schema"]["queryType"]["name"] == "Query"


def test_no_field_suggestions(api):
    message = post(api.client, "{ myAcounts { totalCount } }")["errors"][0]["message"]
    assert "Did you mean" not in message


def test_unexpected_errors_are_masked(api, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr("accounts_graphql.accounts.queries.viewer_accounts", explode)
    body = post(api.client, "{ myAccounts { totalCount } }")
    assert body["errors"][0]["message"].startswith("Unexpected error.")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in json.dumps(body)


@pytest.mark.parametrize("mutation", [
    'mutation { redeemGiftCard(input: {code: "X"}) { errors { code } } }',
    "mutation { deleteWebhookEndpoint(endpointId: \"1\") { errors { code } } }",
    "{ __typename } mutation M { deleteWebhookEndpoint(endpointId: \"1\") { errors { code } } }",
])
def test_mutations_are_refused_over_get(api, mutation):
    response = api.client.get("/graphql/", {"query": mutation, "operationName": "M"})
    assert response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("query,variables", [
    ('{ balance(code: "K7QM-WX3D-9PRT-HC2N") { amount } }', None),
    ('{ a0: balance(code: "AAAA-BBBB-CCCC-DDDD") { amount } a1: __typename }', None),
    ("query Q($c: String) { balance(code: $c) { amount } }", {"c": "K7QM-WX3D-9PRT-HC2N"}),
])
def test_code_lookups_are_refused_over_get_and_spend_no_attempt(api, customer, query, variables, settings):
    """A cross-site link to such a URL must neither put codes in logs nor use up the customer's tries."""
    from headless_store.ledger import throttle

    settings.ACCOUNTS_CODE_MAX_FAILURES = 1
    params = {"query": query, **({"variables": json.dumps(variables)} if variables else {})}
    response = api.client.get("/graphql/", params)
    assert response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert throttle.retry_after("127.0.0.1", customer) == 0
    body = api.gql('{ balance(code: "AAAA-BBBB-CCCC-DDDD") { amount } }')  # by POST: looked up
    assert body["errors"][0]["extensions"]["code"] == "INVALID_CODE"


def test_persisted_code_lookups_are_refused_over_get(api):
    from accounts_graphql.persisted import documents_by_hash

    sha = next(h for h, text in documents_by_hash().items() if "query GiftCardBalance" in text)
    response = api.client.get("/graphql/", {"variables": json.dumps({"code": "K7QM-WX3D-9PRT-HC2N"}),
                                            "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}})})
    assert response.status_code == 405


def test_queries_work_over_get(api):
    response = api.client.get("/graphql/", {"query": "{ myAccounts { totalCount } }"})
    assert response.json()["data"]["myAccounts"]["totalCount"] == 0


@pytest.mark.parametrize("accept", ["*/*", "text/html,*/*", None])
def test_a_persisted_query_over_get_is_a_query_whatever_accept_says(api, accept):
    """fetch's default `Accept: */*` took a hashed GET for a request for the console (404 text)."""
    from accounts_graphql.persisted import documents_by_hash

    sha = next(h for h, text in documents_by_hash().items() if "query MyAccounts" in text)
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}}),
              "variables": json.dumps({})}
    response = api.client.get("/graphql/", params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and "myAccounts" in response.json()["data"], response.content[:300]


def test_batched_requests_are_refused(api):
    response = api.client.post("/graphql/", data=json.dumps([{"query": "{ __typename }"}] * 2),
                               content_type="application/json")
    assert response.status_code == 400


def test_graphiql_only_for_staff_without_debug(anonymous_api, api):
    for client in (anonymous_api.client, api.client):
        assert client.get("/graphql/", headers={"Accept": "text/html"}).status_code == 404
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    response = staff.get("/graphql/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and b"graphiql" in response.content.lower()
