"""Two hosts, one shop: two gunicorn masters on two ports (each with its own worker processes and
its own metrics directory, as two app servers behind a load balancer are), one PostgreSQL and one
Redis. Whatever one host records, the other honours: a session signed in on one is signed in on
the other and signed out on both; a guest's header-session basket is the same basket; a device
token works on both and is revoked on both; an APQ registration on one serves the other; wrong
gift-card codes and wrong passwords are counted across hosts; the outbox's relay wake-ups are
coalesced across hosts (one relay run per window for the shop, not one per host).

Every request carries the Host the load balancer forwards (`shop.test`) and the client's address
in X-Forwarded-For (TRUSTED_PROXY_COUNT=1, from deploy/production.env). The README's "Many hosts"
lists the settings this relies on."""
import hashlib
import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from datetime import timedelta
from decimal import Decimal as D
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from accounts_graphql.persisted import documents_by_hash, load_operations, persisted_operations
from frontend_contract.contract import OPERATIONS_DIR
from headless_store.events import tasks
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import UserFactory, device_token
from tests.test_metrics import sample, served_env
from tests.test_production import free_port, gunicorn

pytestmark = pytest.mark.postgres

HOST = "shop.test"
PASSWORD = "correct horse battery"
CODE_KEY = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def redis_url():
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the two-host tests against Redis at {url}")
        pytest.skip(f"no Redis at {url}")
    return url


@pytest.fixture(scope="module")
def hosts(django_db_setup, redis_url, tmp_path_factory):
    """Two app servers sharing everything a shop shares: the database, the cache, the secrets."""
    if connection.vendor != "postgresql":  # before the function-scoped skip would come
        pytest.skip("needs PostgreSQL (the servers share the test database); set DATABASE_URL to run")
    shared = {**served_env(tmp_path_factory.mktemp("host-a")), **dict(
        CACHE_URL=redis_url, ALLOWED_HOSTS=f"{HOST},127.0.0.1", ACCOUNTS_CODE_HASH_KEY=CODE_KEY,
        ACCOUNTS_CODE_MAX_FAILURES="3", LOGIN_MAX_FAILURES="3",
        EVENTS_RELAY_DELAY_SECONDS="600",  # one relay window for the whole module
    )}
    with ExitStack() as stack:
        a = Host(stack.enter_context(gunicorn(shared)), shared)
        # the second host: its own port (the first one's is bound now) and its own metrics directory
        env = {**shared, "BIND": f"127.0.0.1:{free_port()}",
               "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("host-b") / "metrics")}
        b = Host(stack.enter_context(gunicorn(env)), env)
        yield a, b


class Host:
    """One app server, reached as the load balancer reaches it."""

    def __init__(self, base: str, env: dict):
        self.base, self.env = base, env

    def request(self, path, body=None, *, method=None, client="203.0.113.1", cookies=None, **headers):
        headers = {"Host": HOST, "X-Forwarded-For": client, **headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers, method=method)
        status, response_headers, raw = fetch_request(request)
        return status, response_headers, json.loads(raw) if raw.strip().startswith((b"{", b"[")) else raw.decode()

    def graphql(self, query=None, variables=None, *, extensions=None, **kwargs):
        body = {k: v for k, v in (("query", query), ("variables", variables), ("extensions", extensions)) if v is not None}
        return self.request("/graphql/", body, **kwargs)[2]

    def query_by_get(self, query, **kwargs):
        """A query over GET: what a browser's session may send without a CSRF token."""
        return self.request("/graphql/?" + urllib.parse.urlencode({"query": query}), **kwargs)[2]


def fetch_request(request):
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cookies_from(headers) -> dict:
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or ():
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}


@pytest.fixture
def customer(chart):
    user = UserFactory()
    # the servers hash as production does (the suite's fast hasher is not theirs)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    user.save()
    get_or_create_wallet(user=user, currency="GBP")
    return user


MY_ACCOUNTS = "{ myAccounts { totalCount } }"


def test_a_session_signed_in_on_one_host_is_signed_in_on_the_other_and_signed_out_on_both(hosts, customer):
    a, b = hosts
    status, headers, _body = a.request("/api/login/", {"username": customer.email, "password": PASSWORD})
    assert status == 200
    session = cookies_from(headers)
    assert "sessionid" in session
    assert b.query_by_get(MY_ACCOUNTS, cookies=session) == {"data": {"myAccounts": {"totalCount": 1}}}
    assert b.query_by_get(MY_ACCOUNTS)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"  # the cookie did it
    # signing out on B (a session's form: the CSRF token from a page of A's) ends the session on A too
    status, headers, _page = a.request("/accounts/login/", cookies=session)
    assert status == 200
    csrf = cookies_from(headers)["csrftoken"]
    status, _headers, _body = b.request("/api/login/", method="DELETE", cookies={**session, "csrftoken": csrf},
                                        **{"X-CSRFToken": csrf})
    assert status in (200, 204)
    assert a.query_by_get(MY_ACCOUNTS, cookies=session)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_guests_header_session_basket_is_the_same_basket_on_both_hosts(hosts, chart):
    a, b = hosts
    Country = get_model("address", "Country")
    Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    product = create_product(title="Kettle", price=D("12.50"), num_in_stock=10)
    guest = {"Session-Id": f"SID:ANON:{HOST}:{secrets.token_hex(16)}"}
    status, _headers, _body = a.request("/api/basket/add-product/",
                                        {"url": f"http://{HOST}/api/products/{product.pk}/", "quantity": 2}, **guest)
    assert status == 200
    status, _headers, on_a = a.request("/api/basket/", **guest)
    status, _headers, on_b = b.request("/api/basket/", **guest)
    assert status == 200 and on_b["id"] == on_a["id"] and D(on_b["total_incl_tax"]) == D("25.00")
    status, _headers, other = b.request("/api/basket/", **{"Session-Id": f"SID:ANON:{HOST}:{secrets.token_hex(16)}"})
    assert other["id"] != on_a["id"]  # another guest's is another basket


def test_a_device_token_works_on_both_hosts_and_its_revocation_on_both(hosts, customer):
    a, b = hosts
    status, _headers, body = a.request("/api/token/", {"username": customer.email, "password": PASSWORD})
    assert status == 200
    token = {"Authorization": f"Token {body['token']}"}
    assert b.graphql(MY_ACCOUNTS, **token) == {"data": {"myAccounts": {"totalCount": 1}}}
    status, _headers, _body = b.request("/api/token/", method="DELETE", **token)
    assert status == 204
    status, _headers, body = a.request("/graphql/", {"query": MY_ACCOUNTS}, **token)
    assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_apq_registration_on_one_host_serves_the_other(hosts, customer):
    """Apollo's automatic persisted queries: the text with its hash on one host registers it (a
    contract document, however printed, registers for anyone); the hash alone then runs on the other."""
    a, b = hosts
    token = {"Authorization": f"Token {device_token(customer)}"}
    document = persisted_operations(load_operations(OPERATIONS_DIR))["MyAccounts"].document
    text = "# printed by this client\n" + document.replace("  ", "\t")
    sha = hashlib.sha256(text.encode()).hexdigest()
    assert sha not in documents_by_hash()  # not the contract's own id: only a registration can name it
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
    variables = {"first": 5, "history": 1}
    assert b.graphql(variables=variables, extensions=persisted, **token)["errors"][0]["extensions"]["code"] == \
        "PERSISTED_QUERY_NOT_FOUND"
    assert a.graphql(text, variables, extensions=persisted, **token)["data"]["myAccounts"]["totalCount"] == 1
    assert b.graphql(variables=variables, extensions=persisted, **token)["data"]["myAccounts"]["totalCount"] == 1


def test_wrong_gift_card_codes_are_counted_across_hosts(hosts, chart, settings):
    """ACCOUNTS_CODE_MAX_FAILURES=3 for the shop, not per host: wrong codes on A, B, A, and the
    next guess on B is refused, the right code too."""
    a, b = hosts
    settings.ACCOUNTS_CODE_HASH_KEY = CODE_KEY  # the servers' key: they know the code issued here
    card = issue_gift_card(amount=D("25.00"), currency="GBP")
    query = "query($code: String!) { balance(code: $code) { amount } }"
    guesser = {"client": "203.0.113.77"}

    def code_of(host, code):
        result = host.graphql(query, {"code": code}, **guesser)
        return result["errors"][0]["extensions"]["code"] if result.get("errors") else result["data"]["balance"]["amount"]

    assert [code_of(host, "WRONG-CODE-0000") for host in (a, b, a)] == ["INVALID_CODE"] * 3
    assert code_of(b, "WRONG-CODE-0000") == "CODE_ATTEMPTS_BLOCKED"
    assert code_of(a, card.code) == "CODE_ATTEMPTS_BLOCKED"
    assert code_of(b, card.code) == "CODE_ATTEMPTS_BLOCKED"
    # another client is not affected, on either host
    assert b.graphql(query, {"code": card.code}, client="203.0.113.78")["data"]["balance"]["amount"] == "25.00"


def test_password_guesses_lock_the_account_out_on_every_host(hosts, customer):
    a, b = hosts
    statuses = [host.request("/api/token/", {"username": customer.email, "password": f"wrong{n}"},
                             client=f"198.51.100.{n}")[0]
                for n, host in enumerate((a, b, a))]
    assert statuses == [400, 400, 429]
    status, _headers, body = b.request("/api/token/", {"username": customer.email, "password": PASSWORD},
                                       client="198.51.100.9")
    assert status == 429 and body["code"] == "LOGIN_ATTEMPTS_BLOCKED"


@pytest.mark.database_backend  # counts the relay's task rows
def test_relay_wake_ups_are_coalesced_across_hosts(hosts, customer, settings, redis_url):
    """Money moved on A and on B in one relay window (EVENTS_RELAY_DELAY_SECONDS) enqueues one relay
    run for the shop: the window is a key in the shared cache, not a note in each process."""
    import redis

    a, b = hosts
    redis.Redis.from_url(redis_url).flushdb()  # a fresh window
    settings.ACCOUNTS_CODE_HASH_KEY = CODE_KEY
    token = {"Authorization": f"Token {device_token(customer)}"}
    redeem = "mutation($input: RedeemGiftCardInput!) { redeemGiftCard(input: $input) { amount { amount } errors { code } } }"
    for host in (a, b, a, b):
        card = issue_gift_card(amount=D("5.00"), currency="GBP")
        result = host.graphql(redeem, {"input": {"code": card.code}}, client="192.0.2.10", **token)
        assert result["data"]["redeemGiftCard"] == {"amount": {"amount": "5.00"}, "errors": []}
    # the servers' runs are due at their window's end, 600 s on (this process relays at once)
    now = timezone.now()
    windowed = DBTaskResult.objects.filter(task_path=tasks.RELAY,
                                           run_after__range=(now + timedelta(seconds=300), now + timedelta(seconds=700)))
    assert windowed.count() == 1


def test_each_host_serves_its_own_metrics(hosts):
    """Prometheus metrics are per host (a scrape adds up that host's processes): scrape every app
    server. Requests served by A are in A's scrape, not in B's."""
    a, b = hosts

    def live(host) -> float:
        status, _headers, body = host.request("/metrics", Authorization=f"Bearer {host.env['METRICS_TOKEN']}")
        assert status == 200
        return sample(body, "django_http_requests_total_by_view_transport_method_total", view="health-live")

    before = live(a), live(b)
    for _ in range(5):
        assert a.request("/health/live/")[0] == 200
    assert (live(a) - before[0], live(b) - before[1]) == (5, 0)
