"""Every input typed: whatever string a country, an id, a currency or a date holds, and however
large the body, the answer is a typed refusal naming its field (or a JSON 413), nothing changes,
and nothing is logged as an error."""
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.models import CardCheckout
from headless_store.events.models import WebhookEndpoint
from headless_store.ledger.inputs import parse_pk
from headless_store.ledger.models import Account, Hold
from headless_store.ledger.money import is_known_currency
from tests.factories import AccountFactory, UserFactory

from .conftest import ADDRESS, Api, error_codes

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")

PAY = """mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) { order { number } errors { field code message } } }"""
START = """mutation Start($input: StartCardCheckoutInput!) {
  startCardCheckout(input: $input) { checkout { id } errors { field code message } } }"""
UNICODE_DIGITS = ["١", "٤٢", "１", "१२", "߁", "𝟏", " 1", "+1", "1_0", "1.0", "-1", "0", "1e3"]


def errors(payload):
    return sorted((e["code"], e["field"]) for e in payload["errors"])


@pytest.fixture
def staff():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return Api(client)


@pytest.fixture
def basket(api, chart, products, country):
    api.add_product(products["filters"])
    return api.basket()["id"]


class TestCountries:
    @pytest.mark.parametrize("country_value", ["GBR", "G B", "../admin", "ＧＢ", "gb ", "XX", "１２", "G", "%2F"])
    @pytest.mark.parametrize("which", ["shippingAddress", "billingAddress"])
    @pytest.mark.parametrize("operation", ["payWithAccount", "startCardCheckout"])
    def test_any_country_string_is_a_typed_refusal(self, api, customer, basket, country_value, which, operation,
                                                   caplog):
        wallet = AccountFactory(primary_user=customer, funded="10")
        variables = {"input": {"basketId": str(basket), "shippingAddress": ADDRESS,
                               "payments": [{"accountId": global_id("Account", wallet.pk)}],
                               which: {**ADDRESS, "country": country_value}}}
        if operation == "startCardCheckout":
            variables["input"]["cardToken"] = "4242 4242 4242 4242"
        payload = api.data(PAY if operation == "payWithAccount" else START, variables)[operation]
        if country_value.strip().upper() == "GB":
            assert payload["errors"] == []  # "gb " is GB
            return
        assert ("INVALID", f"{which}.country") in errors(payload)
        assert not Order.objects.exists() and not Hold.objects.exists() and not CardCheckout.objects.exists()
        assert Account.objects.get(pk=wallet.pk).balance == 10
        assert not [r for r in caplog.records if r.levelname == "ERROR"]


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(field=st.sampled_from(["firstName", "lastName", "line1", "line4", "postcode", "country", "state"]),
       value=st.one_of(st.text(max_size=30), st.sampled_from(["١٢٣", "\u200b", "../", "GB\n", "N1 9GU" * 200,
                                                               "\ud800", "\x00", "0" * 120])),
       which=st.sampled_from(["shippingAddress", "billingAddress"]))
def test_fuzzed_address_fields_never_fail_the_api(chart, products, country, field, value, which):
    """Each example: a fresh basket; whatever one address field holds, a typed answer, and no
    order unless the address is valid."""
    client = Client()
    client.force_login(UserFactory())
    api = Api(client)
    api.add_product(products["filters"])
    basket = api.basket()["id"]
    variables = {"input": {"basketId": str(basket), "shippingAddress": ADDRESS, "payments": [],
                           which: {**ADDRESS, field: value}}}
    response = client.post("/graphql/", data=json.dumps({"query": PAY, "variables": variables}),
                           content_type="application/json")
    text = response.content.decode()
    assert response.status_code < 500 and "Unexpected error" not in text, text
    body = response.json()
    if body.get("data"):
        assert body["data"]["payWithAccount"]["errors"], text  # no payment source: never paid
    else:
        assert body["errors"][0]["extensions"]["code"] in ("INVALID", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST")
    assert not Order.objects.exists()


class TestIds:
    @pytest.mark.parametrize("raw", UNICODE_DIGITS)
    def test_ids_are_ascii_digits_only(self, raw):
        assert parse_pk(raw) is None

    def test_plain_ids_parse(self):
        assert parse_pk("1") == 1 and parse_pk("42") == 42 and parse_pk(7) == 7
        assert parse_pk(True) is None and parse_pk("9" * 19) is None

    @pytest.mark.parametrize("spell", [
        lambda pk: str(pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic-Indic
        lambda pk: str(pk).translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width
        lambda pk: f" {pk}", lambda pk: f"+{pk}", lambda pk: f"{pk}.0",
    ])
    def test_a_webhook_endpoint_is_not_deleted_by_its_id_in_other_digits(self, staff, spell):
        endpoint = WebhookEndpoint.objects.create(url="https://hooks.example.com/x")
        payload = staff.data('mutation($id: ID!) { deleteWebhookEndpoint(input: {endpointId: $id}) '
                             '{ errors { code field } } }', {"id": spell(endpoint.pk)})["deleteWebhookEndpoint"]
        assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]
        assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

    @pytest.mark.parametrize("raw", ["١", "１", "+1", "1_0"])
    def test_global_ids_with_unicode_digits_name_nothing(self, api, chart, customer, raw):
        AccountFactory(primary_user=customer, funded="5")
        answer = api.gql("query($id: ID!) { balance(accountId: $id) { amount } }",
                         {"id": global_id("Account", raw)})
        assert answer["data"]["balance"] is None
        assert answer["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "INVALID")

    @pytest.mark.parametrize("raw", ["١", "１", " 1 "])
    def test_a_basket_id_in_other_digits_is_not_a_basket(self, api, basket, raw):
        variables = {"input": {"basketId": raw.replace("1", str(basket)) if raw == " 1 " else raw,
                               "shippingAddress": ADDRESS, "payments": []}}
        payload = api.data(PAY, variables)["payWithAccount"]
        if raw == " 1 ":
            assert "BASKET_NOT_FOUND" not in error_codes(payload) and "NOT_FOUND" not in error_codes(payload)
        else:
            assert error_codes(payload) in (["BASKET_NOT_FOUND"], ["NOT_FOUND"])


CREATE = """mutation($c: String!, $end: DateTime) { createAccount(input: {name: "N", typeCode: "store_credit",
  currency: $c, endDate: $end}) { account { id } errors { code field } } }"""
ISSUE = """mutation($c: String!, $start: DateTime) { issueGiftCards(input: {count: 1, amount: "5", currency: $c,
  startDate: $start}) { giftCards { code } errors { code field } } }"""


class TestCurrencies:
    @pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XDR", "CLF", "DEM", "GB", "ＧＢＰ", "G\u200bBP", ""])
    def test_only_currencies_in_use_are_accepted(self, staff, chart, code):
        created = staff.data(CREATE, {"c": code})["createAccount"]
        issued = staff.data(ISSUE, {"c": code})["issueGiftCards"]
        assert errors(created) == [("INVALID", "currency")] and created["account"] is None
        assert [e["field"] for e in issued["errors"]] == ["currency"] and issued["giftCards"] == []
        assert not Account.objects.filter(currency=code).exists()

    @pytest.mark.parametrize("code", ["GBP", "EUR", "USD", "JPY", "BHD", "XOF"])
    def test_currencies_in_use_are(self, code):
        assert is_known_currency(code)


class TestDates:
    @pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "1969-12-31T23:59:59+00:00", "2200-01-01T00:00:00",
                                      "9999-12-31T23:59:59"])
    def test_dates_out_of_sane_bounds_are_refused_naming_the_field(self, staff, chart, when):
        assert errors(staff.data(CREATE, {"c": "GBP", "end": when})["createAccount"]) == [("INVALID", "endDate")]
        assert errors(staff.data(ISSUE, {"c": "GBP", "start": when})["issueGiftCards"]) == [("INVALID", "startDate")]
        assert not Account.objects.filter(name="N").exists()

    def test_dates_within_bounds_are_accepted(self, staff, chart):
        assert staff.data(CREATE, {"c": "GBP", "end": "2199-12-31T00:00:00"})["createAccount"]["errors"] == []


class TestOversizedBodies:
    @pytest.mark.parametrize("path", ["/graphql/", "/api/basket/add-product/", "/api/login/", "/api/token/"])
    def test_a_body_over_the_limit_is_a_json_413(self, client, path, settings):
        body = json.dumps({"query": "{ __typename }", "pad": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 413 and response["Content-Type"] == "application/json"
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
