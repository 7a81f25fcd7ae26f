"""Metrics that are right and private: /metrics answers the configured scraper only, and under
gunicorn it adds up every worker process and the task worker (Prometheus multiprocess mode)."""
import re
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from headless_store.ledger import core, facade
from headless_store.ledger.models import Hold
from tests.factories import AccountFactory
from tests.test_production import ROOT, fetch, free_port, gunicorn, production_env  # noqa: F401 (gunicorn: re-exported)

pytestmark = pytest.mark.django_db


class TestWhoMayScrape:
    def test_with_debug_off_and_nothing_configured_there_is_no_metrics_page(self, client, settings):
        settings.DEBUG, settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = False, None, []
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer anything"}).status_code == 404

    def test_with_debug_on_and_nothing_configured_it_is_open(self, client, settings):
        settings.DEBUG, settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = True, None, []
        assert client.get("/metrics").status_code == 200

    @pytest.mark.parametrize("header, status", [
        (None, 403), ("Bearer wrong-token", 403), ("Token s3cret-metrics-token", 403), ("Bearer s3cret-metrics-token", 200),
        ("bearer s3cret-metrics-token", 200),
    ])
    def test_a_token_is_required_when_one_is_set(self, client, settings, header, status):
        settings.DEBUG, settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = True, "s3cret-metrics-token", []
        response = client.get("/metrics", headers={"Authorization": header} if header else {})
        assert response.status_code == status
        if status == 200:
            assert b"ledger_transfers_total" in response.content

    @pytest.mark.parametrize("remote, forwarded, hops, status", [
        ("10.1.2.3", None, 0, 200),
        ("203.0.113.9", None, 0, 403),
        ("10.1.2.3", "203.0.113.9", 1, 403),   # through our proxy from outside: the client's address counts
        ("10.1.2.3", "10.9.9.9", 1, 200),
        ("10.1.2.3", "203.0.113.9, 10.9.9.9", 1, 200),
        ("203.0.113.9", "10.9.9.9", 0, 403),   # no trusted proxy: a forged header changes nothing
    ])
    def test_internal_networks_are_checked_on_the_clients_address(self, client, settings, remote, forwarded, hops, status):
        settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = None, ["10.0.0.0/8"]
        settings.TRUSTED_PROXY_COUNT = hops
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        assert client.get("/metrics", REMOTE_ADDR=remote, **extra).status_code == status

    def test_a_token_or_a_network_is_enough(self, client, settings):
        settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = "s3cret-metrics-token", ["10.0.0.0/8"]
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                          headers={"Authorization": "Bearer s3cret-metrics-token"}).status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 200


def served_env(tmp_path, **overrides) -> dict:
    """deploy/production.env for a local gunicorn on the test database: two workers, one of my ports."""
    db = connection.settings_dict
    return production_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}", CACHE_URL="locmemcache://",
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="", STATIC_HASHED="false", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        **overrides,
    )


def scrape(base: str, token: str) -> str:
    status, _headers, body = fetch(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"})
    assert status == 200, body[:500]
    return body.decode()


def sample(metrics: str, name: str, **labels) -> float:
    """The value of one series (0 when absent)."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and all(f'{key}="{value}"' in match.group(1) for key, value in labels.items()):
            return float(match.group(2))
    return 0.0


@pytest.mark.postgres
def test_gunicorn_workers_and_the_task_worker_add_up_in_one_scrape(chart, tmp_path):
    """Two gunicorn workers and a db_worker write into one PROMETHEUS_MULTIPROC_DIR: every scrape,
    whichever worker answers it, counts every request served and the task worker's events."""
    env = served_env(tmp_path, METRICS_ALLOWED_NETWORKS="")
    token = env["METRICS_TOKEN"]
    # A hold that is past its expiry: the task worker's maintenance sweep expires it (a money event).
    wallet = AccountFactory(funded=D("10"))
    hold = facade.hold(wallet, core.redemptions_account(), D("3"))
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    from headless_store.events.tasks import maintenance

    maintenance.enqueue()

    with gunicorn(env) as base:
        before = sample(scrape(base, token), "django_http_requests_total_by_view_transport_method_total",
                        view="health-live")
        for _ in range(40):
            assert fetch(f"{base}/health/live/")[0] == 200
        worker = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0",
                                 "--no-startup-delay"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert worker.returncode == 0, worker.stderr[-3000:]
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.EXPIRED
        scrapes = [scrape(base, token) for _ in range(6)]
    for metrics in scrapes:  # whichever worker answered, the same totals
        assert sample(metrics, "django_http_requests_total_by_view_transport_method_total",
                      view="health-live") == before + 40
        assert sample(metrics, "money_events_total", type="hold.expired") == 1  # counted in the db_worker
    written = {path.name.rsplit("_", 1)[-1] for path in (tmp_path / "metrics").glob("counter_*.db")}
    assert len(written) >= 3  # two web workers and the task worker, each its own file


def test_gunicorn_starts_from_the_metrics_of_live_processes_only(tmp_path, monkeypatch):
    """Files left by dead processes of an earlier run go; a running task worker's stay."""
    import os
    import runpy

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    for name in (f"counter_{dead}.db", f"gauge_livesum_{dead}.db", f"counter_{os.getpid()}.db", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config["on_starting"](None)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"counter_{os.getpid()}.db", "notes.txt"])
    config["on_exit"](None)
    assert (tmp_path / "notes.txt").exists()  # a configured directory is never removed
