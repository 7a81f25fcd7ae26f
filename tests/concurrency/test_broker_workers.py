"""The broker backend with real processes (TASK_BACKEND=rq, PostgreSQL, Redis), as CI's broker step
runs it (.ci/run): `manage.py rqworker default --with-scheduler` workers, started, killed outright
(SIGKILL to the worker, its work horse and its scheduler, as a lost machine) and started again.

Nothing here moves time forward or runs the recovery itself: the workers run with a 1 s heartbeat,
a job whose worker is silent 8 s is abandoned, and each worker cleans the registries every 2 s
(TASK_HEARTBEAT_SECONDS, TASK_ABANDONED_SECONDS, MAINTENANCE_INTERVAL_SECONDS; headless_store/events/
broker.py's Worker), so what brings an interrupted job back is what brings it back in production."""
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from werkzeug import Response

from headless_store.events import outbox
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from headless_store.events.tasks import DELIVER, RELAY
from headless_store.ledger import core, facade
from headless_store.ledger.models import Hold
from tests.factories import AccountFactory

from .test_card_checkout_races import _database_url

pytestmark = [pytest.mark.postgres, pytest.mark.broker]
ROOT = Path(__file__).resolve().parents[2]
WORKER_ENV = {"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128", "WEBHOOK_RETRY_BASE_SECONDS": "0",
              "TASK_RETRY_BASE_SECONDS": "0", "TASK_HEARTBEAT_SECONDS": "1", "TASK_ABANDONED_SECONDS": "8",
              "MAINTENANCE_INTERVAL_SECONDS": "2"}
WAIT = 120  # seconds any wait here may take before the test fails (never hangs)


def start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), **WORKER_ENV}
    return subprocess.Popen([sys.executable, "manage.py", "rqworker", "default", "--with-scheduler", "--name", name],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """The worker gets SIGKILL if the test run dies first (a CI timeout), instead of running on."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (rq's work horse is in a process group of its own)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo.extend(children.get(tree[-1], []))
    return tree


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker, its work horse and its scheduler: nothing of it runs another line."""
    if worker.poll() is None:
        with suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGSTOP)  # no fork between listing its processes and killing them
        for pid in process_tree(worker.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)


def poll(condition, *, seconds=WAIT, interval=0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def broker_workers():
    import django_rq
    from rq import Worker

    return Worker.all(connection=django_rq.get_connection())


def delivering_worker() -> str | None:
    """The name of the worker running a webhook delivery, if one is."""
    for worker in broker_workers():
        job = worker.get_current_job()
        if job is not None and job.func_name == DELIVER:
            return worker.name
    return None


def pending(task_path: str) -> bool:
    """Whether a job of `task_path` is queued, scheduled or running."""
    import django_rq

    from headless_store.events.broker import Job

    queue = django_rq.get_queue("default", job_class=Job)
    ids = queue.get_job_ids() + queue.scheduled_job_registry.get_job_ids(cleanup=False) + \
        queue.started_job_registry.get_job_ids(cleanup=False)
    return any(job is not None and job.func_name == task_path and job.get_status() != "finished"
               for job in Job.fetch_many(ids, connection=queue.connection))


def delivered(event_type: str) -> bool:
    return WebhookDelivery.objects.filter(status="SUCCEEDED", event__type=event_type).count() == \
        Event.objects.filter(type=event_type).count()


def test_two_workers_one_killed_mid_delivery_and_a_restart_deliver_every_event(chart, httpserver):
    assert settings.TASK_BACKEND == "rq"
    WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"), event_types=["transfer.posted"])
    first, arrived, release = [], threading.Event(), threading.Event()

    def receiver(request):
        if not first:  # the first delivery hangs until its worker is dead
            first.append(request.headers["webhook-id"])
            arrived.set()
            release.wait(WAIT)
        return Response("ok", status=200)

    httpserver.expect_request("/erp", method="POST").respond_with_handler(receiver)
    wallet = AccountFactory(funded=D("100.00"))
    workers = {name: start_worker(name) for name in ("w1", "w2")}
    try:
        assert arrived.wait(WAIT)
        assert poll(lambda: delivering_worker() is not None)
        busy = delivering_worker()
        kill(workers[busy])  # SIGKILL mid-delivery: the receiver has the request, its outcome is unknown
        release.set()
        for n in range(5):  # more payments while one worker is gone: the other delivers them
            facade.transfer(wallet, core.redemptions_account(), D("1.00"), merchant_reference=f"20000{n}")
        # The restart (a fresh name, as an unnamed rqworker takes: rq refuses a killed worker's name
        # until its registration lapses).
        workers[busy] = start_worker(busy + "-again")
        # The dead worker's job comes back once its heartbeat lapses (a live worker's registry cleanup).
        assert poll(lambda: delivered("transfer.posted"))
    finally:
        release.set()
        for worker in workers.values():
            kill(worker)
    ids = [request.headers["webhook-id"] for request, _response in httpserver.log]
    expected = {event.webhook_id for event in Event.objects.filter(type="transfer.posted")}
    assert set(ids) == expected and len(expected) == 6
    assert ids.count(first[0]) == 2  # the interrupted one again, with its own id
    assert all(ids.count(i) == 1 for i in expected - {first[0]})  # every other exactly once, by two workers
    interrupted = WebhookDelivery.objects.get(event__pk=first[0].removeprefix("evt_"))
    assert (interrupted.status, interrupted.attempts) == ("SUCCEEDED", 2)


def test_the_maintenance_chain_runs_on_the_workers_and_relays_what_no_commit_woke(chart, httpserver):
    """The maintenance chain on the broker (started by `manage.py schedule_tasks` or by any worker,
    kept going by rq's scheduler): its sweeps expire a hold and relay an event whose process died
    before waking the relay."""
    WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"), event_types=["transfer.posted", "hold.expired"])
    httpserver.expect_request("/erp", method="POST").respond_with_data("ok")
    wallet = AccountFactory(funded=D("100.00"))
    call_command("schedule_tasks")
    workers = [start_worker(name) for name in ("w1", "w2")]
    try:
        # The funding's event, woken by its commit; then no relay run is queued or running.
        assert poll(lambda: delivered("transfer.posted") and not pending(RELAY))
        with mock.patch.object(outbox, "wake_relay"):  # committed, but the wake-ups are lost
            facade.transfer(wallet, core.redemptions_account(), D("3.00"), merchant_reference="300001")
            hold = facade.hold(wallet, core.redemptions_account(), D("2.00"),
                               expires_at=timezone.now() + timedelta(seconds=2))
        assert poll(lambda: Hold.objects.get(pk=hold.pk).status == Hold.Status.EXPIRED
                    and delivered("transfer.posted") and delivered("hold.expired"))
    finally:
        for worker in workers:
            kill(worker)
    ids = [request.headers["webhook-id"] for request, _response in httpserver.log]
    expected = {event.webhook_id for event in Event.objects.filter(type__in=["transfer.posted", "hold.expired"])}
    assert sorted(ids) == sorted(expected) and len(expected) == 3  # funding, the payment, the expiry: once each
