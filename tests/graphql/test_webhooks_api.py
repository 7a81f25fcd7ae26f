"""Staff API: webhook endpoints, their deliveries, and the loyalty rule."""
from decimal import Decimal as D

import pytest

from headless_store.events.models import WebhookEndpoint
from headless_store.ledger import core, facade
from tests.factories import AccountFactory
from tests.tasks import run_tasks

from .conftest import error_codes
from .test_staff import staff_api

pytestmark = pytest.mark.django_db

CREATE = """mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  endpoint { id url eventTypes isActive secret } errors { field code message } } }"""
UPDATE = """mutation U($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) {
  endpoint { id url eventTypes isActive secret } errors { field code } } }"""
DELETE = """mutation D($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) { errors { field code } } }"""


@pytest.fixture
def api(chart):
    from django.contrib.auth.models import Permission

    api = staff_api()
    api.user.user_permissions.add(Permission.objects.get(codename="manage_webhooks"),
                                  Permission.objects.get(codename="manage_loyalty"))
    return api


def test_register_list_pause_and_remove(api, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    created = api.data(CREATE, {"input": {"url": "https://erp.example.com/erp", "eventTypes": ["order.refunded",
                                                                                         "transfer.posted"]}})
    endpoint = created["createWebhookEndpoint"]["endpoint"]
    assert endpoint["secret"].startswith("whsec_") and endpoint["eventTypes"] == ["order.refunded", "transfer.posted"]
    listed = api.data("{ webhookEndpoints { id url secret } }")["webhookEndpoints"]
    assert listed == [{"id": endpoint["id"], "url": "https://erp.example.com/erp", "secret": None}]
    facade.transfer(AccountFactory(funded=D("5")), core.redemptions_account(), D("1"))
    run_tasks()
    deliveries = [edge["node"] for edge in api.data(
        'query($id: ID) { webhookDeliveries(endpointId: $id, status: "FAILED", first: 10) { edges { node { eventId '
        "eventType status attempts lastError } } } }", {"id": endpoint["id"]})["webhookDeliveries"]["edges"]]
    assert {d["eventType"] for d in deliveries} == {"transfer.posted"} and all(d["lastError"] for d in deliveries)
    paused = api.data(UPDATE, {"input": {"endpointId": endpoint["id"], "isActive": False}})["updateWebhookEndpoint"]
    assert paused["endpoint"]["isActive"] is False and paused["endpoint"]["secret"] is None
    assert api.data(DELETE, {"input": {"endpointId": endpoint["id"]}})["deleteWebhookEndpoint"]["errors"] == []
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("field, value, error_field", [
    ("url", "ftp://example.com/x", "url"),
    ("url", "not a url", "url"),
    ("url", "https://" + "a" * 600 + ".com/", "url"),
    ("eventTypes", ["transfer.posted", "nope"], "eventTypes"),
])
def test_bad_input_is_refused_naming_the_field(api, field, value, error_field):
    base = {"url": "https://erp.example.com/hooks"}
    answer = api.data(CREATE, {"input": {**base, field: value}})["createWebhookEndpoint"]
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID", error_field)]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("endpoint_id", ["999", "abc", "-1", ""])
def test_unknown_endpoints_are_not_found(api, endpoint_id):
    assert error_codes(api.data(DELETE, {"input": {"endpointId": endpoint_id}})["deleteWebhookEndpoint"]) == ["NOT_FOUND"]


def test_the_loyalty_rule_is_readable(api):
    assert api.data("{ loyaltyRule { isActive rate spendable days accountType } }")["loyaltyRule"] == {
        "isActive": True, "rate": "0.05", "spendable": "PLACEMENT", "days": 14, "accountType": "loyalty_points"}
