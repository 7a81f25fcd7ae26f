"""The production profile: health endpoints, metrics, request ids in logs, `check --deploy`
clean with the documented environment, and the real server (gunicorn, two workers, DEBUG off,
hashed static files through WhiteNoise) answering over HTTP."""
import contextlib
import gzip
import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import path

from bench.common import free_port
from headless_store.ledger import core, exceptions, facade
from tests.factories import AccountFactory, UserFactory, device_token

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = ROOT / "deploy" / "production.env"


#: A processor adapter that takes tokens only, standing in for the shop's real one.
REAL_GATEWAY = "tests.checkout.gateways.TokenOnlyGateway"


def production_env(**overrides) -> dict:
    """deploy/production.env as documented, with fresh secrets and a real gateway's adapter (not
    the sandbox, which the suite's own environment allows)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "STORE_SANDBOX_ALLOWED"))}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ACCOUNTS_CODE_HASH_KEY=secrets.token_urlsafe(50),
               METRICS_TOKEN=secrets.token_urlsafe(32), PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="metrics-"),
               DJANGO_SETTINGS_MODULE="headless_store.settings", STORE_PAYMENT_GATEWAY=REAL_GATEWAY)
    env.update(overrides)
    return env


def test_check_deploy_is_clean_with_the_documented_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_defaults():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**env, "DJANGO_SETTINGS_MODULE": "headless_store.settings"})
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "ledger.W001", "ledger.W002"):
        assert warning in result.stderr + result.stdout


@pytest.mark.django_db
class TestHealthAndMetrics:
    def test_liveness_needs_nothing_and_readiness_checks_database_and_cache(self, client):
        assert client.get("/health/live/").json() == {"status": "ok"}
        ready = client.get("/health/ready/", headers={"Accept": "application/json"})
        assert ready.status_code == 200 and set(ready.json().values()) == {"OK"} and len(ready.json()) == 2

    def test_readiness_fails_when_the_cache_is_down(self, client, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:1/0"}}
        assert client.get("/health/ready/", headers={"Accept": "application/json"}).status_code >= 500

    @pytest.fixture(autouse=True)
    def _scraper(self, settings):
        settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test client's address

    def test_metrics_count_transfers_and_refusals(self, chart, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            facade.transfer(core.bank_account(), AccountFactory(), D("5"))
        client.post("/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}), content_type="application/json")
        metrics = client.get("/metrics").content.decode()
        assert 'ledger_transfers_total{currency="GBP",kind="transfer"}' in metrics
        assert 'api_refusals_total{code="UNAUTHENTICATED"}' in metrics
        assert "django_http_requests_total_by_method_total" in metrics

    def test_metrics_count_committed_money_events_only(self, chart, client, django_capture_on_commit_callbacks):
        from headless_store.events.outbox import EVENTS

        def placed():
            return EVENTS.labels("hold.placed")._value.get()

        before = placed()
        wallet = AccountFactory(funded=D("10"))
        with django_capture_on_commit_callbacks(execute=True):
            facade.hold(wallet, core.redemptions_account(), D("4"))
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(exceptions.InsufficientFunds):
            facade.hold(wallet, core.redemptions_account(), D("40"))  # refused: rolled back, not counted
        assert placed() == before + 1
        assert 'money_events_total{type="hold.placed"}' in client.get("/metrics").content.decode()


def explode(request):
    raise RuntimeError("secret-detail")


urlpatterns = [path("explode/", explode)]


@pytest.mark.django_db
def test_a_500_is_logged_once_with_its_request_id(settings, caplog):
    from headless_store import urls

    settings.ROOT_URLCONF = __name__
    urlpatterns[1:] = urls.urlpatterns
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/explode/", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 500 and response["X-Request-ID"] == "trace-42"
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "django.request" and record.exc_info and record.request_id == "trace-42"




def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.postgres
def test_gunicorn_serves_the_production_profile(chart, tmp_path):
    """Two workers, DEBUG off, hashed and compressed static files, on the test database."""
    user = UserFactory()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = free_port()
    env = production_env(
        DATABASE_URL=database_url, CACHE_URL="locmemcache://", STATIC_ROOT=str(tmp_path / "static"),
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="",
    )
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr
    with gunicorn(env) as base:
        assert fetch(f"{base}/health/ready/", headers={"Accept": "application/json"})[0] == 200
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
        console_js = next(name for name in manifest if name.startswith("graphiql/") and name.endswith(".js"))
        status, headers, body = fetch(f"{base}/static/{manifest[console_js]}", headers={"Accept-Encoding": "gzip"})
        assert status == 200 and "immutable" in headers["Cache-Control"] and headers.get("Content-Encoding") == "gzip"
        # byte-identical to the vendored file, or the console's integrity hashes would refuse it
        assert gzip.decompress(body) == (ROOT / "accounts_graphql" / "static" / console_js).read_bytes()
        # A session cookie without the CSRF token is refused (cookie-less requests have nothing to forge).
        status, headers, body = fetch(f"{base}/graphql/", data=json.dumps({"query": "{ __typename }"}).encode(),
                                      headers={"Content-Type": "application/json", "Cookie": "sessionid=abc"})
        assert status == 403 and json.loads(body)["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
        assert headers["X-Request-ID"]
        token = {"Authorization": f"Token {device_token(user)}", "Content-Type": "application/json"}
        status, _headers, body = fetch(f"{base}/graphql/", data=b'"not an object"', headers=token)
        assert status == 400 and json.loads(body)["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        status, _headers, body = fetch(f"{base}/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}).encode(),
                                       headers=token)
        assert status == 200 and json.loads(body) == {"data": {"myAccounts": {"totalCount": 0}}}
        assert fetch(f"{base}/metrics")[0] == 200  # the scraper, on this host
        assert fetch(f"{base}/metrics", headers={"X-Forwarded-For": "203.0.113.9"})[0] == 403  # via the proxy


@contextlib.contextmanager
def gunicorn(env: dict):
    """gunicorn serving `env` (from served_env) until the block ends; yields its base URL."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "headless_store.wsgi"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://{env['BIND']}"
    try:
        for _ in range(100):
            try:
                if fetch(f"{base}/health/live/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            server.terminate()
            pytest.fail("gunicorn did not start: " + server.communicate(timeout=30)[0].decode()[-3000:])
        yield base
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert output.count("Booting worker") >= int(env.get("WEB_CONCURRENCY", 2)), output  # every worker it was given
