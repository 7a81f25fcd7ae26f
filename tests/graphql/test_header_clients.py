"""Clients without cookies: guests keep their basket and checkout in a header session
(django-oscar-api's `Session-Id`), signed-in devices hold their own device token (knox) that
expires, renews and can be revoked; neither gets a cookie back."""
import json
import uuid
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from headless_store.ledger.models import Account
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import ADDRESS

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
MY = json.dumps({"query": "{ myAccounts { totalCount } }"})
PAY = """mutation Pay($input: PayWithAccountInput!) { payWithAccount(input: $input) {
  order { number guestEmail } transfers { amount { amount } } errors { field code message } } }"""


def session_id(host="testserver"):
    return f"SID:ANON:{host}:{uuid.uuid4().hex}"


class Jarless:
    """A client with no cookie jar: every request starts with no cookies (a native app)."""

    def __init__(self, **headers):
        self.headers = headers

    def request(self, method, path, body=None, **headers):
        client = Client(enforce_csrf_checks=True)
        kwargs = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(client, method)(path, **kwargs)
        assert not response.cookies, f"{path} set cookies: {list(response.cookies)}"
        return response

    def gql(self, query, variables=None, **headers):
        return self.request("post", "/graphql/", {"query": query, "variables": variables or {}}, **headers)


def add(client, product):
    return client.request("post", "/api/basket/add-product/",
                          {"url": f"http://testserver/api/products/{product.pk}/", "quantity": 1})


class TestHeaderSessions:
    def test_a_guest_without_cookies_keeps_a_basket_and_pays_with_a_gift_card(self, products, country, chart):
        guest = Jarless(**{"Session-Id": session_id()})
        card = issue_gift_card(amount=D("50.00"), currency="GBP")
        added = add(guest, products["kettle"])
        assert added.status_code == 200 and added["Session-Id"] == guest.headers["Session-Id"]
        basket = guest.request("get", "/api/basket/").json()
        assert basket["id"] == added.json()["id"] and basket["total_incl_tax"] == "45.00"
        response = guest.gql(PAY, {"input": {"basketId": str(basket["id"]), "payments": [{"code": card.code}],
                                             "shippingAddress": ADDRESS, "guestEmail": "g@example.com",
                                             "idempotencyKey": "guest-1"}})
        payload = response.json()["data"]["payWithAccount"]
        assert payload["errors"] == [] and payload["order"]["guestEmail"] == "g@example.com"
        assert Account.objects.get(pk=card.account.pk).balance == D("5.00")
        assert guest.request("get", "/api/basket/").json()["id"] != basket["id"]  # the paid basket is gone

    def test_two_header_sessions_have_two_baskets(self, products):
        first, second = Jarless(**{"Session-Id": session_id()}), Jarless(**{"Session-Id": session_id()})
        add(first, products["kettle"])
        assert first.request("get", "/api/basket/").json()["total_incl_tax"] == "45.00"
        assert second.request("get", "/api/basket/").json()["total_incl_tax"] == "0.00"

    def test_another_guests_basket_id_is_refused_to_a_header_session(self, products, country, chart):
        owner, thief = Jarless(**{"Session-Id": session_id()}), Jarless(**{"Session-Id": session_id()})
        basket = add(owner, products["kettle"]).json()
        card = issue_gift_card(amount=D("50.00"), currency="GBP")
        response = thief.gql(PAY, {"input": {"basketId": str(basket["id"]), "payments": [{"code": card.code}],
                                             "shippingAddress": ADDRESS, "guestEmail": "t@example.com"}})
        assert [e["code"] for e in response.json()["data"]["payWithAccount"]["errors"]] == ["NOT_FOUND"]

    @pytest.mark.parametrize("header", ["SID:ANON:testserver:short", "garbage", f"SID:ANON:evil.example:{uuid.uuid4().hex}"])
    def test_a_guessable_malformed_or_foreign_session_id_is_refused(self, header):
        for path in ("/api/basket/", "/graphql/"):
            response = Client().post(path, MY, content_type="application/json", headers={"Session-Id": header})
            assert response.status_code == 400
            assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_SESSION_ID"

    def test_a_header_session_request_needs_no_csrf_token(self, products):
        guest = Jarless(**{"Session-Id": session_id()})
        assert add(guest, products["kettle"]).status_code == 200  # enforce_csrf_checks, no token


class TestDeviceTokens:
    def sign_in(self, user, client=None):
        response = (client or Client()).post("/api/token/", {"username": user.email, "password": PASSWORD},
                                             content_type="application/json")
        assert response.status_code == 200 and not response.cookies
        return response.json()

    def my(self, token):
        return Client().post("/graphql/", MY, content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    def test_each_device_gets_its_own_token_with_an_expiry(self, chart):
        user = UserFactory()
        phone, tablet = self.sign_in(user), self.sign_in(user)
        assert phone["token"] != tablet["token"] and phone["expiry"]
        assert AuthToken.objects.filter(user=user).count() == 2
        assert self.my(phone["token"]).status_code == 200 and self.my(tablet["token"]).status_code == 200

    def test_signing_one_device_out_leaves_the_other_signed_in(self, chart):
        user = UserFactory()
        phone, tablet = self.sign_in(user), self.sign_in(user)
        out = Client().delete("/api/token/", headers={"Authorization": f"Token {phone['token']}"})
        assert out.status_code == 204
        refused = self.my(phone["token"])
        assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert self.my(tablet["token"]).status_code == 200

    def test_signing_out_every_device(self, chart):
        user = UserFactory()
        phone, tablet = self.sign_in(user), self.sign_in(user)
        assert Client().delete("/api/token/all/", headers={"Authorization": f"Token {phone['token']}"}).status_code == 204
        assert self.my(phone["token"]).status_code == 401 and self.my(tablet["token"]).status_code == 401

    def test_signing_out_every_device_ends_session_sign_ins_too(self, chart):
        """A header-session sign-in (`SID:AUTH`) and a browser's cookie session are devices too (a
        red team kept using a Session-Id sign-in after "sign out every device")."""
        user = UserFactory(password=PASSWORD)
        other = UserFactory(password=PASSWORD)
        sid = session_id()
        Client().get("/api/basket/", headers={"Session-Id": sid})
        signed_in = Client().post("/api/login/", data=json.dumps({"username": user.username, "password": PASSWORD}),
                                  content_type="application/json", headers={"Session-Id": sid})
        auth_sid = signed_in["Session-Id"]
        browser, bystander = Client(), Client()
        browser.force_login(user)
        bystander.force_login(other)

        def signed_in_as_someone(client, **headers) -> bool:
            answer = client.post("/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}),
                                 content_type="application/json", headers=headers)
            return answer.status_code == 200 and (answer.json().get("data") or {}).get("myAccounts") is not None

        assert signed_in_as_someone(Client(), **{"Session-Id": auth_sid}) and signed_in_as_someone(browser)
        phone = self.sign_in(user)
        assert Client().delete("/api/token/all/", headers={"Authorization": f"Token {phone['token']}"}).status_code == 204
        assert not signed_in_as_someone(Client(), **{"Session-Id": auth_sid})
        assert not signed_in_as_someone(browser) and signed_in_as_someone(bystander)

    def test_signing_out_through_the_session_endpoint_revokes_the_token(self, chart):
        user = UserFactory()
        phone = self.sign_in(user)
        assert Client().delete("/api/login/", headers={"Authorization": f"Token {phone['token']}"}).status_code == 200
        assert self.my(phone["token"]).status_code == 401

    def test_an_expired_token_is_refused_and_removed(self, chart):
        user = UserFactory()
        phone = self.sign_in(user)
        AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
        assert self.my(phone["token"]).status_code == 401
        assert not AuthToken.objects.filter(user=user).exists()

    def test_using_a_token_renews_it(self, chart, settings):
        user = UserFactory()
        phone = self.sign_in(user)
        AuthToken.objects.filter(user=user).update(expiry=timezone.now() + timedelta(hours=1))
        assert self.my(phone["token"]).status_code == 200
        expiry = AuthToken.objects.get(user=user).expiry
        assert expiry > timezone.now() + timedelta(seconds=settings.API_TOKEN_TTL - 60)
        told = Client().get("/api/token/", headers={"Authorization": f"Token {phone['token']}"})
        assert told.status_code == 200 and told.json()["expiry"]

    def test_past_the_limit_the_oldest_device_is_signed_out(self, chart, settings):
        settings.API_TOKEN_LIMIT_PER_USER = 2
        user = UserFactory()
        first, second, third = (self.sign_in(user) for _ in range(3))
        assert self.my(first["token"]).status_code == 401
        assert self.my(second["token"]).status_code == 200 and self.my(third["token"]).status_code == 200

    def test_token_requests_get_no_cookies_on_the_api_and_graphql(self, chart, products):
        user = UserFactory()
        AccountFactory(primary_user=user, funded=D("5"))
        device = Jarless(Authorization=f"Token {self.sign_in(user)['token']}")
        assert add(device, products["kettle"]).status_code == 200
        assert device.request("get", "/api/basket/").json()["total_incl_tax"] == "45.00"
        assert device.request("post", "/graphql/", {"query": "{ myAccounts { totalCount } }"}).json() == {
            "data": {"myAccounts": {"totalCount": 1}}}

    def test_a_token_request_stores_no_session(self, chart, products):
        from django.contrib.sessions.models import Session

        device = Jarless(Authorization=f"Token {self.sign_in(UserFactory())['token']}")
        before = Session.objects.count()
        add(device, products["kettle"])
        device.request("get", "/api/basket/")
        assert Session.objects.count() == before

    def test_a_wrong_password_gets_no_token(self, chart):
        user = UserFactory()
        response = Client().post("/api/token/", {"username": user.email, "password": "wrong"})
        assert response.status_code == 400 and "token" not in response.json()

    def test_signing_out_without_a_token_is_unauthenticated(self):
        assert Client().delete("/api/token/").status_code == 401
        assert Client().delete("/api/token/all/").status_code == 401


class TestCors:
    @pytest.fixture(autouse=True)
    def origins(self, settings):
        settings.CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]

    def test_the_preflight_allows_session_id_and_is_cached(self):
        response = Client().options("/api/basket/", headers={
            "Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "session-id"})
        assert "session-id" in response["Access-Control-Allow-Headers"]
        assert int(response["Access-Control-Max-Age"]) >= 3600

    def test_session_id_is_exposed_to_scripts(self, products):
        response = Client().get("/api/basket/", headers={"Origin": "http://localhost:5173", "Session-Id": session_id()})
        assert "session-id" in response["Access-Control-Expose-Headers"]

    def test_cookie_sign_in_across_origins_with_credentials(self, settings, chart):
        settings.CORS_ALLOW_CREDENTIALS = True
        settings.CSRF_TRUSTED_ORIGINS = ["http://localhost:5173"]
        user = UserFactory()
        browser = Client(enforce_csrf_checks=True)
        browser.get("/graphql/", {"query": "{ __typename }"}, headers={"Origin": "http://localhost:5173"})
        csrf = browser.cookies["csrftoken"].value
        response = browser.post("/api/login/", {"username": user.email, "password": PASSWORD},
                                content_type="application/json",
                                headers={"Origin": "http://localhost:5173", "X-CSRFToken": csrf})
        assert response.status_code == 200 and response["Access-Control-Allow-Credentials"] == "true"
        assert "sessionid" in response.cookies
        mine = browser.post("/graphql/", MY, content_type="application/json",
                            headers={"Origin": "http://localhost:5173", "X-CSRFToken": browser.cookies["csrftoken"].value})
        assert mine.json() == {"data": {"myAccounts": {"totalCount": 0}}}
        assert mine["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize("path, method", [("/graphql/", "post"), ("/api/basket/", "get"), ("/graphql/schema.graphql", "get")])
def test_a_revoked_token_is_the_same_401_on_every_path(chart, path, method):
    user = UserFactory()
    token = TestDeviceTokens().sign_in(user)["token"]
    AuthToken.objects.filter(user=user).delete()
    kwargs = {"data": MY, "content_type": "application/json"} if method == "post" else {}
    response = getattr(Client(), method)(path, headers={"Authorization": f"Token {token}"}, **kwargs)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")
    body = response.json()
    code = body["errors"][0]["extensions"]["code"] if "errors" in body else body["code"]
    assert code == "UNAUTHENTICATED"


def test_signing_in_on_a_header_session_keeps_the_basket_and_needs_no_cookie(chart, products):
    user = UserFactory()
    guest = Jarless(**{"Session-Id": session_id()})
    add(guest, products["kettle"])
    signed_in = guest.request("post", "/api/login/", {"username": user.email, "password": PASSWORD})
    assert signed_in.status_code == 200 and signed_in["Session-Id"].startswith("SID:AUTH:")
    member = Jarless(**{"Session-Id": signed_in["Session-Id"]})
    assert member.request("get", "/api/basket/").json()["total_incl_tax"] == "45.00"
    assert member.gql("{ myAccounts { totalCount } }").json() == {"data": {"myAccounts": {"totalCount": 0}}}


@pytest.mark.parametrize("path", ["/api/login/", "/api/token/", "/api/basket/add-product/"])
def test_a_malformed_body_or_a_wrong_password_answers_with_a_code(chart, path):
    """Every refusal on /api/ carries a `code` beside DRF's words (malformed JSON had none)."""
    malformed = Client().post(path, data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.json()["code"] == "INVALID"
    if path != "/api/basket/add-product/":
        wrong = Client().post(path, data=json.dumps({"username": UserFactory().username, "password": "nope"}),
                              content_type="application/json")
        assert wrong.status_code in (400, 401) and wrong.json()["code"] in ("INVALID", "UNAUTHENTICATED")


def test_a_session_id_with_the_hosts_port_says_so(chart):
    response = Client().get("/api/basket/", headers={"Session-Id": f"SID:ANON:testserver:8000:{uuid.uuid4().hex}"})
    assert response.status_code == 400 and "without its port" in response.json()["detail"]


def test_an_ended_header_sign_in_answers_the_documented_401(chart):
    """A `SID:AUTH` id whose sign-in ended (signed out; or never made) answers 401 UNAUTHENTICATED in
    the shape of every refusal here, on GraphQL and REST alike (it was django-oscar-api's bare
    `{"reason": ...}`)."""
    user = UserFactory(password=PASSWORD)
    sid = session_id()
    Client().get("/api/basket/", headers={"Session-Id": sid})
    auth_sid = Client().post("/api/login/", data=json.dumps({"username": user.username, "password": PASSWORD}),
                             content_type="application/json", headers={"Session-Id": sid})["Session-Id"]
    assert Client().delete("/api/login/", headers={"Session-Id": auth_sid}).status_code in (200, 204)
    made_up = "SID:AUTH:testserver:" + uuid.uuid4().hex
    for header in (auth_sid, made_up):
        for method, path in (("post", "/graphql/"), ("get", "/api/basket/")):
            response = getattr(Client(), method)(path, data=json.dumps({"query": "{ __typename }"}) if method == "post"
                                                 else None, content_type="application/json",
                                                 headers={"Session-Id": header})
            body = response.json()
            assert response.status_code == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert body["code"] == "UNAUTHENTICATED", body


@pytest.mark.parametrize("header", ["Token caf\u00e9", "Bearer a b", "Token "])
def test_a_malformed_token_header_is_a_401_not_a_crash(chart, header):
    response = Client().post("/graphql/", MY, content_type="application/json", headers={"Authorization": header})
    assert response.status_code == 401
    assert Client().get("/api/basket/", headers={"Authorization": header}).status_code == 401
