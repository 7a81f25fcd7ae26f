"""Signing in resists abuse: no login CSRF on session sign-in, and a limit on password guessing
per account and per IP (django-axes) on every path that checks a password, which never locks
anyone out of a device token already issued."""
import json
import urllib.request
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from tests.factories import UserFactory, device_token
from tests.test_metrics import gunicorn, served_env
from tests.test_production import fetch

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
MYACCOUNTS = json.dumps({"query": "{ myAccounts { totalCount } }"})


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def signed_in_user(client: Client):
    """Whom the browser's session belongs to now (None: nobody)."""
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id).username if user_id else None


def browser() -> Client:
    return Client(enforce_csrf_checks=True)


class TestLoginCsrf:
    def test_a_cross_site_form_post_does_not_sign_the_browser_in(self, customer):
        victim = browser()
        response = victim.post("/api/login/", {"username": customer.email, "password": PASSWORD},
                               headers={"Origin": "https://evil.example"})
        assert response.status_code == 403 and response.json()["code"] == "CSRF_FAILED"
        assert signed_in_user(victim) is None

    def test_a_form_post_with_no_origin_and_no_token_is_refused_too(self, customer):
        victim = browser()
        response = victim.post("/api/login/", {"username": customer.email, "password": PASSWORD})
        assert response.status_code == 403 and signed_in_user(victim) is None

    def test_cross_site_json_with_the_victims_cookies_is_refused(self, customer):
        victim = browser()
        victim.get("/demo/")  # the victim has visited the shop: a csrftoken cookie, no header from the attacker
        response = victim.post("/api/login/", json.dumps({"username": customer.email, "password": PASSWORD}),
                               content_type="application/json", headers={"Origin": "https://evil.example"})
        assert response.status_code == 403 and signed_in_user(victim) is None

    def test_the_shops_own_page_signs_in_with_its_csrf_token(self, customer):
        page = browser()
        page.get("/demo/")
        response = page.post("/api/login/", json.dumps({"username": customer.email, "password": PASSWORD}),
                             content_type="application/json",
                             headers={"X-CSRFToken": page.cookies["csrftoken"].value, "Origin": "http://testserver"})
        assert response.status_code == 200
        assert signed_in_user(page) == customer.username

    def test_a_token_from_another_origin_is_still_refused(self, customer):
        page = browser()
        page.get("/demo/")
        response = page.post("/api/login/", json.dumps({"username": customer.email, "password": PASSWORD}),
                             content_type="application/json",
                             headers={"X-CSRFToken": page.cookies["csrftoken"].value, "Origin": "https://evil.example"})
        assert response.status_code == 403 and signed_in_user(page) is None

    def test_a_native_app_signs_in_with_json_and_no_cookies(self, customer):
        app = browser()
        response = app.post("/api/login/", json.dumps({"username": customer.email, "password": PASSWORD}),
                            content_type="application/json")
        assert response.status_code == 200 and "sessionid" in response.cookies

    def test_the_token_endpoint_needs_no_csrf_and_sets_no_cookie(self, customer):
        response = browser().post("/api/token/", {"username": customer.email, "password": PASSWORD})
        assert response.status_code == 200 and len(response.json()["token"]) == 64
        assert "sessionid" not in response.cookies


def guess(path: str, username: str, password: str = "wrong", ip: str = "203.0.113.7", client: Client | None = None):
    client = client or Client()
    return client.post(path, json.dumps({"username": username, "password": password}),
                       content_type="application/json", REMOTE_ADDR=ip)


class TestPasswordGuessing:
    @pytest.mark.parametrize("path", ["/api/token/", "/api/login/"])
    def test_the_right_password_is_refused_after_too_many_wrong_ones(self, customer, path):
        assert [guess(path, customer.email).status_code for _ in range(2)] == [400 if "token" in path else 401] * 2
        blocked = guess(path, customer.email)  # the third failure reaches the limit
        assert blocked.status_code == 429
        body = blocked.json()
        assert body["code"] == "LOGIN_ATTEMPTS_BLOCKED" and 0 < int(blocked["Retry-After"]) <= 900
        assert body["retryAfter"] == int(blocked["Retry-After"])
        right = guess(path, customer.email, PASSWORD)
        assert right.status_code == 429 and "token" not in right.json()

    def test_an_account_is_counted_across_ips_and_spellings_of_its_email(self, customer):
        for n, spelling in enumerate([customer.email, customer.email.upper(), f" {customer.email} "]):
            guess("/api/token/", spelling, ip=f"198.51.100.{n}")
        assert guess("/api/token/", customer.email, PASSWORD, ip="192.0.2.99").status_code == 429
        other = UserFactory()
        assert guess("/api/token/", other.email, PASSWORD, ip="192.0.2.99").status_code == 200

    def test_an_ip_is_counted_across_accounts(self, customer):
        for n in range(3):
            guess("/api/token/", f"nobody{n}@example.com", ip="203.0.113.50")
        assert guess("/api/token/", customer.email, PASSWORD, ip="203.0.113.50").status_code == 429
        assert guess("/api/token/", customer.email, PASSWORD, ip="203.0.113.51").status_code == 200

    def test_behind_a_proxy_the_client_ip_is_counted_not_the_proxy(self, customer, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        client = Client()
        for n in range(3):
            client.post("/api/token/", {"username": f"nobody{n}@example.com", "password": "x"},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.60")
        ok = client.post("/api/token/", {"username": customer.email, "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.61")
        assert ok.status_code == 200

    def test_the_lockout_ends_after_the_cooling_off_period(self, customer, settings):
        for _ in range(3):
            guess("/api/token/", customer.email)
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(seconds=901))
        assert guess("/api/token/", customer.email, PASSWORD).status_code == 200

    def test_an_issued_device_token_keeps_working_during_a_lockout(self, customer):
        token = device_token(customer)
        for _ in range(4):
            guess("/api/token/", customer.email, ip="203.0.113.7")
        assert guess("/api/token/", customer.email, PASSWORD, ip="203.0.113.7").status_code == 429
        # the same device, from the same (locked-out) IP
        graphql = Client().post("/graphql/", MYACCOUNTS, content_type="application/json", REMOTE_ADDR="203.0.113.7",
                                headers={"Authorization": f"Bearer {token}"})
        assert graphql.status_code == 200 and graphql.json() == {"data": {"myAccounts": {"totalCount": 0}}}
        basket = Client().get("/api/basket/", REMOTE_ADDR="203.0.113.7", headers={"Authorization": f"Token {token}"})
        assert basket.status_code == 200

    def test_oscars_sign_in_form_is_limited_with_a_page_not_json(self, customer):
        shop = Client()
        for _ in range(3):
            response = shop.post("/accounts/login/", {"login-username": customer.email, "login-password": "wrong",
                                                      "login_submit": "Log In"})
        assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
        assert int(response["Retry-After"]) > 0
        response = shop.post("/accounts/login/", {"login-username": customer.email, "login-password": PASSWORD,
                                                  "login_submit": "Log In"})
        assert response.status_code == 429 and signed_in_user(shop) is None

    def test_the_admin_sign_in_is_limited(self, customer):
        staff = UserFactory(is_staff=True, is_superuser=True)
        admin = Client()
        for _ in range(3):
            response = admin.post("/admin/login/", {"username": staff.username, "password": "wrong"})
        assert response.status_code == 429
        assert admin.post("/admin/login/", {"username": staff.username, "password": PASSWORD}).status_code == 429

    def test_passwords_are_never_stored_with_the_failures(self, customer):
        Client().post("/accounts/login/", {"login-username": customer.email, "login-password": "hunter2-secret",
                                           "login_submit": "Log In"})
        guess("/api/token/", customer.email, "hunter3-secret")
        Client().post("/api/token/", {"username": customer.email, "password": "hunter4-secret"})
        stored = " ".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
        assert AccessAttempt.objects.exists() and "hunter" not in stored

    def test_registration_through_oscar_still_signs_the_new_customer_in(self):
        shop = Client()
        response = shop.post("/accounts/login/", {"registration-email": "new@example.com",
                                                  "registration-password1": "a long new password 9",
                                                  "registration-password2": "a long new password 9",
                                                  "registration_submit": "Register"})
        assert response.status_code == 302
        assert get_user_model().objects.filter(email="new@example.com").exists()
        assert signed_in_user(shop) == get_user_model().objects.get(email="new@example.com").username


@pytest.mark.postgres
def test_over_http_with_two_workers_login_csrf_and_guessing_are_refused(customer, tmp_path):
    """The production profile (gunicorn, two workers, DEBUG off): the guess count is shared by
    the workers (it lives in the database), whichever one each guess reaches."""
    token = device_token(customer)
    other = UserFactory()
    for user in (customer, other):  # the server hashes as production does, not as the suite's fast hasher
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
        user.save()

    def post_json(base, path, body, **headers):
        return fetch(f"{base}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers})

    with gunicorn(served_env(tmp_path, LOGIN_MAX_FAILURES="3")) as base:
        # login CSRF: another site's form post signs nobody in
        status, headers, body = fetch(f"{base}/api/login/", data=f"username={customer.email}&password={PASSWORD}".encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded",
                                               "Origin": "https://evil.example"})
        assert status == 403 and json.loads(body)["code"] == "CSRF_FAILED" and "sessionid" not in headers.get("Set-Cookie", "")
        # a native app's JSON sign-in works
        native = urllib.request.Request(f"{base}/api/login/", headers={"Content-Type": "application/json"},
                                        data=json.dumps({"username": other.email, "password": PASSWORD}).encode())
        with urllib.request.urlopen(native, timeout=10) as response:
            assert response.status == 200
            assert any(c.startswith("sessionid=") for c in response.headers.get_all("Set-Cookie"))
        # guessing: three wrong, then the right password is refused too
        statuses = [post_json(base, "/api/token/", {"username": customer.email, "password": f"wrong{n}"})[0] for n in range(3)]
        assert statuses == [400, 400, 429]
        status, headers, body = post_json(base, "/api/token/", {"username": customer.email, "password": PASSWORD})
        assert status == 429 and json.loads(body)["code"] == "LOGIN_ATTEMPTS_BLOCKED" and int(headers["Retry-After"]) > 0
        # the device token issued before the lockout still works
        status, _, body = post_json(base, "/graphql/", {"query": "{ myAccounts { totalCount } }"},
                                    Authorization=f"Token {token}")
        assert status == 200 and json.loads(body) == {"data": {"myAccounts": {"totalCount": 0}}}
