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


def test_unknown_hashes_are_refused(persisted_only, api):
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    assert post(api.client, body).status_code == 400


def test_the_exact_text_of_a_contract_document_is_accepted(persisted_only, api):
    body = {"query": OPS["MyAccounts"].document, "operationName": "MyAccounts"}
    assert post(api.client, body).json()["data"]["myAccounts"]["totalCount"] == 0


def test_staff_keep_full_access_for_the_console(persisted_only):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert post(staff, {"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}
