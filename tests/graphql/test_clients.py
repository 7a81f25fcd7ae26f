"""What real clients need from /graphql/: CORS for other origins, Bearer or Token auth with no
cookies, a CSRF story for native guest apps, JSON refusals."""
import json
from decimal import Decimal as D

import pytest
from django.test import Client

from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, device_token

pytestmark = pytest.mark.django_db

MY = json.dumps({"query": "{ myAccounts { totalCount } }"})


def post(client, body, **headers):
    return client.post("/graphql/", data=body, content_type="application/json", headers=headers)


@pytest.fixture
def origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]


def test_a_preflight_from_an_allowed_origin_is_answered(origins):
    response = Client().options("/graphql/", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(origins):
    response = Client().options("/graphql/", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response


def test_a_cross_origin_post_carries_the_allow_origin_and_the_request_id(origins, chart, customer):
    token = device_token(customer)
    response = post(Client(), MY, Origin="http://localhost:5173", Authorization=f"Bearer {token}")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "x-request-id" in response["Access-Control-Expose-Headers"].lower()


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_token_auth_needs_no_cookies_and_no_csrf(chart, customer, scheme):
    AccountFactory(primary_user=customer, funded=D("5"))
    token = device_token(customer)
    response = post(Client(enforce_csrf_checks=True), MY, Authorization=f"{scheme} {token}")
    assert response.json() == {"data": {"myAccounts": {"totalCount": 1}}}


@pytest.mark.parametrize("header", ["Bearer nope", "Token", "Basic dXNlcjpwYXNz", "Digest x"])
def test_bad_or_unsupported_credentials_are_a_json_401(chart, header):
    response = post(Client(), MY, Authorization=header)
    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_native_guest_app_without_cookies_needs_no_csrf_token(chart):
    card = issue_gift_card(amount=D("25.00"), currency="GBP")
    guest = Client(enforce_csrf_checks=True)
    query = json.dumps({"query": "query($c: String) { balance(code: $c) { amount } }", "variables": {"c": card.code}})
    response = post(guest, query)
    assert response.json() == {"data": {"balance": {"amount": "25.00"}}}
    assert "csrftoken" in response.cookies  # for when it starts a session (a REST basket)


def test_a_session_cookie_needs_the_csrf_token_from_the_cookie(chart):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/basket/")  # django-oscar-api opens a session basket: a session cookie now
    response = post(browser, MY)
    assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    browser.get("/graphql/", {"query": "{ __typename }"})  # any /graphql/ answer sets the csrftoken cookie
    response = post(browser, MY, **{"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert response.status_code == 200 and response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("document, code", [
    ("{ ", "GRAPHQL_PARSE_FAILED"),
    ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
    ("query { __typename } query B { __typename }", "GRAPHQL_VALIDATION_FAILED"),
    ("query($x: Int!) { __typename }", "GRAPHQL_VALIDATION_FAILED"),
])
def test_syntax_and_validation_errors_carry_a_code(chart, document, code):
    response = post(Client(), json.dumps({"query": document}))
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code] * len(response.json()["errors"])


@pytest.mark.parametrize("body", ["{}", '[{"query": "{ __typename }"}]', '"x"', "{"])
def test_http_level_refusals_are_json_with_a_code(chart, body):
    response = post(Client(), body)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
