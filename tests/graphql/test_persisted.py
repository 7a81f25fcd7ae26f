"""Persisted-operations mode: only the contract's documents, by hash, for customers and guests."""
import json

import pytest
from django.test import Client

from accounts_graphql.persisted import load_operations, persisted_operations
from frontend_contract.contract import OPERATIONS_DIR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OPS = persisted_operations(load_operations(OPERATIONS_DIR))


def post(client, body):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json")


def by_hash(name, variables=None):
    return {"operationName": name, "variables": variables or {},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": OPS[name].sha256}}}


@pytest.fixture(autouse=True)
def no_registered_documents():
    from django.core.cache import cache

    cache.clear()  # APQ registrations live in the shared cache


@pytest.fixture
def persisted_only(settings):
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": True}


def test_off_by_default_any_document_runs(api):
    assert post(api.client, {"query": "{ myAccounts { totalCount } }"}).json()["data"]["myAccounts"]["totalCount"] == 0


def test_a_hash_alone_runs_its_document_in_either_mode(api, settings):
    assert post(api.client, by_hash("MyAccounts")).json()["data"]["myAccounts"]["totalCount"] == 0
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": True}
    assert post(api.client, by_hash("MyAccounts")).json()["data"]["myAccounts"]["totalCount"] == 0


def test_other_documents_are_refused_for_customers_and_guests(persisted_only, api, anonymous_api):
    for client in (api.client, anonymous_api.client):
        response = post(client, {"query": "{ myAccounts { totalCount } }"})
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "PERSISTED_OPERATION_REQUIRED"
        assert "persisted" in error["message"]


@pytest.mark.parametrize("mode", ["open", "persisted_only"])
def test_an_unknown_hash_answers_as_apollo_expects(api, settings, mode):
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": mode == "persisted_only"}
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    response = post(api.client, body)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"message": "PersistedQueryNotFound",
                                           "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}


@pytest.mark.parametrize("sha", ["0" * 63, "Z" * 64, 42, ["x"]])
def test_malformed_hashes_are_bad_requests(api, sha):
    response = post(api.client, {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}})
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_text_with_a_hash_that_does_not_match_is_refused(api):
    body = {"query": "{ myAccounts { totalCount } }",
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    response = post(api.client, body)
    assert response.status_code == 400 and "does not match" in response.json()["errors"][0]["message"]


def apq(query):
    import hashlib

    return {"query": query, "extensions": {"persistedQuery": {
        "version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}}


def test_register_on_miss_only_for_staff(api):
    query = "{ myAccounts { totalCount } }"
    hash_only = {"extensions": apq(query)["extensions"]}
    assert post(api.client, apq(query)).json()["data"]["myAccounts"]["totalCount"] == 0  # runs, not registered
    assert post(api.client, hash_only).json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    staff_query = "{ __typename }"
    assert post(staff, apq(staff_query)).json() == {"data": {"__typename": "Query"}}
    assert post(api.client, {"extensions": apq(staff_query)["extensions"]}).json() == {"data": {"__typename": "Query"}}


def test_apollo_shaped_documents_with_typename_are_accepted_in_persisted_only_mode(persisted_only, api):
    apollo = persisted_operations(load_operations(OPERATIONS_DIR), typename=True)
    body = {"operationName": "MyAccounts", "variables": {"first": 5, "history": 1},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": apollo["MyAccounts"].sha256}}}
    data = post(api.client, body).json()["data"]
    assert data["myAccounts"]["__typename"].endswith("Connection")  # Apollo's cache gets its typenames
    manifest = json.loads((OPERATIONS_DIR.parent / "generated" / "persisted-query-manifest.json").read_text())
    assert manifest["format"] == "apollo-persisted-query-manifest" and manifest["version"] == 1
    ids = {op["name"]: op["id"] for op in manifest["operations"]}
    assert ids["MyAccounts"] == apollo["MyAccounts"].sha256
    assert {op["type"] for op in manifest["operations"]} == {"query", "mutation"}


def test_the_exact_text_of_a_contract_document_is_accepted(persisted_only, api):
    body = {"query": OPS["MyAccounts"].document, "operationName": "MyAccounts"}
    assert post(api.client, body).json()["data"]["myAccounts"]["totalCount"] == 0


def test_staff_keep_full_access_for_the_console(persisted_only):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert post(staff, {"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


# -- the same documents however a client prints them ------------------------------------------
def reprinted(name, *, typename=True):
    """The contract document as another client prints it: fragments in dependency order (as
    codegen's documents keep them), `__typename` added (as Apollo Client does), other spacing."""
    from graphql import DocumentNode, parse, print_ast

    from accounts_graphql.persisted import with_typename

    document = parse(OPS[name].document)
    operation, *fragments = document.definitions
    single = DocumentNode(definitions=(operation, *reversed(fragments)))
    text = print_ast(with_typename(single) if typename else single)
    return "# as a client sends it\n" + text.replace("\n", "\n\n").replace("  ", "\t")


def test_the_canonical_form_ignores_order_typename_spacing_and_comments():
    from graphql import parse

    from accounts_graphql.persisted import canonical

    for name in OPS:
        assert canonical(parse(reprinted(name))) == canonical(parse(OPS[name].document))
    fragments = [name for name in OPS if OPS[name].document.count("fragment ") > 1]
    assert fragments, "some operations use several fragments"
    assert reprinted(fragments[0]) != OPS[fragments[0]].document  # a different text, so a different hash


@pytest.mark.parametrize("name", sorted(OPS))
def test_any_printing_of_a_contract_document_runs_in_persisted_only_mode(persisted_only, anonymous_api, name):
    text = reprinted(name)
    response = post(anonymous_api.client, {"query": text, "operationName": name, "variables": {}})
    codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors") or ()]
    assert "PERSISTED_OPERATION_REQUIRED" not in codes, response.json()
    # validation errors (missing variables) prove the document was parsed and executed, not refused
    assert response.status_code == 200


def test_apq_registers_a_contract_document_for_anyone_with_debug_off(persisted_only, api, anonymous_api, settings):
    settings.DEBUG = False
    text = reprinted("MyAccounts")
    hash_only = {"operationName": "MyAccounts", "variables": {"first": 5, "history": 1},
                 "extensions": apq(text)["extensions"]}
    missed = post(api.client, hash_only).json()
    assert missed["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = post(api.client, {**hash_only, "query": text}).json()
    assert registered["data"]["myAccounts"]["totalCount"] == 0
    # from now on the hash alone runs it, for anyone (one round trip)
    assert post(api.client, hash_only).json()["data"]["myAccounts"]["__typename"] == "AccountConnection"
    assert post(anonymous_api.client, hash_only).json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_apq_never_registers_a_document_outside_the_contract_for_customers(persisted_only, api, settings):
    settings.DEBUG = False
    text = "query MyAccounts { myAccounts { totalCount } }"
    response = post(api.client, {**apq(text), "operationName": "MyAccounts"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_OPERATION_REQUIRED"
    missed = post(api.client, {"extensions": apq(text)["extensions"]}).json()
    assert missed["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_a_document_staff_registered_does_not_run_by_hash_in_persisted_only_mode(persisted_only, api):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    text = "{ myAccounts { totalCount } }"
    assert post(staff, apq(text)).json()["data"]["myAccounts"]["totalCount"] == 0  # registered for staff
    assert post(staff, {"extensions": apq(text)["extensions"]}).json()["data"]["myAccounts"]["totalCount"] == 0
    missed = post(api.client, {"extensions": apq(text)["extensions"]}).json()
    assert missed["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_a_contract_document_with_an_extra_field_is_still_refused(persisted_only, api):
    text = OPS["MyAccounts"].document.replace("totalCount", "totalCount __schema { types { name } }", 1)
    assert "__schema" in text
    for body in ({"query": text}, apq(text)):
        response = post(api.client, body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_OPERATION_REQUIRED"
