"""The broker backend with real processes (TASK_BACKEND=rq, PostgreSQL, Redis): two rq workers
deliver the events of several payments; one is killed (SIGKILL, its whole process group) in the
middle of a delivery and a worker is started again; afterwards every event has reached the
endpoint, the interrupted one twice with the same webhook-id (its outcome was unknown) and every
other exactly once. CI runs it in its broker step (.ci/run)."""
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from werkzeug import Response

from headless_store.events import broker
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from headless_store.ledger import core, facade
from tests.factories import AccountFactory

from .test_card_checkout_races import _database_url

pytestmark = [pytest.mark.postgres, pytest.mark.broker]
ROOT = Path(__file__).resolve().parents[2]
WORKER_ENV = {"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128", "WEBHOOK_RETRY_BASE_SECONDS": "0",
              "TASK_RETRY_BASE_SECONDS": "0"}


def start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), **WORKER_ENV}
    return subprocess.Popen([sys.executable, "manage.py", "rqworker", "default", "--with-scheduler", "--name", name],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: the worker and its work horse


def kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def poll(condition, *, seconds=120, interval=0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def test_two_workers_one_killed_mid_delivery_and_a_restart_deliver_every_event(chart, httpserver):
    assert settings.TASK_BACKEND == "rq"
    WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"), event_types=["transfer.posted"])
    first, arrived, release = [], threading.Event(), threading.Event()

    def receiver(request):
        if not first:  # the first delivery hangs until its worker is dead
            first.append(request.headers["webhook-id"])
            arrived.set()
            release.wait(60)
        return Response("ok", status=200)

    httpserver.expect_request("/erp", method="POST").respond_with_handler(receiver)
    wallet = AccountFactory(funded=D("100.00"))
    workers = {name: start_worker(name) for name in ("w1", "w2")}
    try:
        assert arrived.wait(120)
        busy = next(w for w in broker_workers() if w.get_current_job_id())
        kill(workers[busy.name])  # SIGKILL mid-delivery
        release.set()
        for n in range(5):  # more payments while one worker is gone
            facade.transfer(wallet, core.redemptions_account(), D("1.00"), merchant_reference=f"20000{n}")
        workers[busy.name] = start_worker(busy.name + "-again")  # the restart
        # The dead worker's job is found once its heartbeat lapses (rq's own cleanup, on a timer;
        # here a little ahead of time).
        assert poll(lambda: broker.recover_abandoned(at=timezone.now() + timedelta(minutes=5)) >= 0
                    and WebhookDelivery.objects.filter(status="SUCCEEDED").count() == Event.objects.filter(
                        type="transfer.posted").count())
    finally:
        release.set()
        for worker in workers.values():
            kill(worker)
    ids = [request.headers["webhook-id"] for request, _response in httpserver.log]
    expected = {event.webhook_id for event in Event.objects.filter(type="transfer.posted")}
    assert set(ids) == expected and len(expected) == 6
    assert ids.count(first[0]) == 2  # the interrupted one again, with its own id
    assert all(ids.count(i) == 1 for i in expected - {first[0]})  # every other exactly once


def broker_workers():
    import django_rq
    from rq import Worker

    return Worker.all(connection=django_rq.get_connection())
