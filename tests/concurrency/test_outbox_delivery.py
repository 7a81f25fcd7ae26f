"""Background work survives faults (PostgreSQL, real processes): the process that moved the money
is killed before anything is delivered, a worker is killed (SIGKILL) in the middle of a delivery,
the worker's connections are terminated during payments, and Promotions is frozen then thawed;
afterwards every event is delivered and every order has its points."""
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from werkzeug import Response

from headless_store.events import durable, tasks
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint, WorkerHeartbeat
from headless_store.ledger import core
from headless_store.ledger.services.accounts import freeze_account, thaw_account
from headless_store.loyalty.models import LoyaltyAccrual
from tests.factories import AccountFactory, UserFactory

from .test_card_checkout_races import _database_url
from .test_checkout_races import basket_for, country, pay  # noqa: F401 (fixture)

Order = get_model("order", "Order")

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


#: The receivers are pytest-httpserver on loopback, let through by the allowlist; retries and waits are quick.
WORKER_ENV = {"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128", "TASK_RETRY_BASE_SECONDS": "0.2",
              "WEBHOOK_RETRY_BASE_SECONDS": "0.2", "TASK_WAIT_SECONDS": "0.5", "TASK_HEARTBEAT_SECONDS": "0.5"}


def manage(*args, wait=True):
    env = {**os.environ, "DATABASE_URL": _database_url(), **WORKER_ENV}
    process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if wait:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    return process


def test_a_process_killed_after_committing_loses_no_event(chart, httpserver):
    wallet = AccountFactory(funded=D("20.00"))
    endpoint = WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"), event_types=["transfer.posted"])
    httpserver.expect_request("/erp", method="POST").respond_with_data("ok")
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")  # the funding's event, relayed
    httpserver.clear_log()
    # A web process pays and is killed right after its commit, before it could wake the relay.
    script = (
        "import os, signal\n"
        "from decimal import Decimal\n"
        "from headless_store.events import outbox\n"
        "from headless_store.ledger import core, facade\n"
        "from headless_store.ledger.models import Account\n"
        "outbox.wake_relay = lambda: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"facade.transfer(Account.objects.get(pk={wallet.pk}), core.redemptions_account(), Decimal('7.00'),"
        " merchant_reference='100099')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = manage("shell", "-c", script, wait=False)
    killed.wait(timeout=120)
    assert killed.returncode == -9
    event = Event.objects.get(type="transfer.posted", data__merchant_reference="100099")
    assert event.dispatched_at is None
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert httpserver.log == []  # nothing was queued for it: the relay was never woken
    manage("schedule_tasks")  # the maintenance chain's sweep, on any worker, later
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert [(r.headers["webhook-id"], s.status_code) for r, s in httpserver.log] == [(event.webhook_id, 200)]  # once
    assert WebhookDelivery.objects.get(endpoint=endpoint, event=event).status == "SUCCEEDED"


def test_a_worker_killed_mid_delivery_is_replaced_and_the_event_delivered_once(chart, httpserver):
    WebhookEndpoint.objects.create(url=httpserver.url_for("/crm"), event_types=["transfer.posted"])
    arrived, release = threading.Event(), threading.Event()
    answers = []

    def handler(request):
        answers.append(request.headers["webhook-id"])
        if len(answers) == 1:  # the first attempt hangs until its worker is gone
            arrived.set()
            release.wait(30)
        return Response("ok", status=200)

    httpserver.expect_request("/crm", method="POST").respond_with_handler(handler)
    AccountFactory(funded=D("20.00"))  # its funding transfer is the event
    worker = manage("db_worker", "--no-startup-delay", "--interval", "0.1", wait=False)
    try:
        assert arrived.wait(60)
        worker.kill()
        worker.wait(timeout=30)
    finally:
        release.set()
        if worker.poll() is None:
            worker.kill()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("PENDING", 1)  # the worker died before recording anything
    assert DBTaskResult.objects.get(task_path__endswith="deliver_webhook").status == "RUNNING"  # left behind
    assert durable.recover_abandoned_tasks(at=timezone.now()) == 0  # its worker may still be alive
    assert durable.recover_abandoned_tasks(at=timezone.now() + timedelta(hours=1)) == 1  # the maintenance task's job
    assert tasks.requeue_stale_deliveries(at=timezone.now() + timedelta(hours=1)) == 0  # its task is queued again
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("SUCCEEDED", 2)
    assert len(answers) == 2 and len(set(answers)) == 1  # the same event id: the receiver can deduplicate


def terminate_other_connections() -> int:
    """pg_terminate_backend on every connection to the test database but this one: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def poll(condition, *, seconds=90, interval=0.1) -> bool:
    """Wait for `condition` to hold, at most `seconds` (polled, never a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def test_after_dropped_connections_a_killed_worker_and_frozen_promotions_every_event_and_point_arrives(
        chart, httpserver, settings):
    settings.TASK_ABANDONED_SECONDS = 2  # the killed worker's heartbeat is older than this (live ones beat every 0.5 s)
    endpoint = WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"))
    hang, arrived, release = [True], threading.Event(), threading.Event()

    def receiver(request):
        if hang[0]:  # the first delivery hangs until its worker is killed
            hang[0] = False
            arrived.set()
            release.wait(30)
        return Response("ok", status=200)

    httpserver.expect_request("/erp", method="POST").respond_with_handler(receiver)
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("500.00"))
    kettle = create_product(title="Kettle", price=D("40.00"), num_in_stock=100)
    freeze_account(core.promotions_account())
    worker = manage("db_worker", "--no-startup-delay", "--interval", "0.1", wait=False)
    try:
        assert arrived.wait(60)
        worker.kill()  # SIGKILL mid-delivery
        worker.wait(timeout=30)
        release.set()
        worker = manage("db_worker", "--no-startup-delay", "--interval", "0.1", wait=False)
        assert poll(lambda: WorkerHeartbeat.objects.filter(pid=worker.pid).exists())  # connected
        cut = 0
        for _n in range(4):  # payments, the worker's connections cut around each one
            assert pay(customer, basket_for(customer, kettle), wallet)["errors"] == []
            cut += terminate_other_connections()
        assert cut > 0
        assert poll(lambda: DBTaskResult.objects.filter(task_path__endswith="accrue_points", retry__waits__gt=0)
                    .count() == 4)  # waiting on the frozen account, not failed
        assert not LoyaltyAccrual.objects.exists()
        thaw_account(core.promotions_account())
        terminate_other_connections()
        assert poll(lambda: durable.recover_abandoned_tasks() == 1)  # the killed worker's task, once it looks dead

        def all_done():
            delivered = WebhookDelivery.objects.filter(endpoint=endpoint, status="SUCCEEDED").count()
            return LoyaltyAccrual.objects.count() == 4 and delivered == Event.objects.count()

        assert poll(all_done), (LoyaltyAccrual.objects.count(), list(WebhookDelivery.objects.values_list(
            "status", "last_error")), Event.objects.count())
        assert worker.poll() is None  # the worker survived every dropped connection
    finally:
        release.set()
        worker.kill()
        worker.wait(timeout=30)
    assert Order.objects.count() == 4 and not DBTaskResult.objects.filter(status="FAILED").exists()
    received = [request.headers["webhook-id"] for request, _response in httpserver.log]
    assert set(received) == {event.webhook_id for event in Event.objects.all()}  # every event, duplicates allowed
    proof = tasks.heal(at=timezone.now() + timedelta(hours=1))  # the healing sweep finds nothing to repair
    assert proof["event_deliveries_checked"] == Event.objects.count()
    assert (proof["event_deliveries_repaired"], proof["paid_orders_checked"], proof["points_repaired"]) == (0, 0, 0)


def test_two_workers_deliver_one_event_to_two_endpoints_at_once(chart, httpserver, loopback_webhooks):
    """Two workers each take one of an event's deliveries (one per endpoint) at the same moment:
    neither skips the other's as "taken" (a worker locks its delivery's row, not the event's)."""
    httpserver.expect_request("/a", method="POST").respond_with_data("ok")
    httpserver.expect_request("/b", method="POST").respond_with_data("ok")
    for path in ("/a", "/b"):
        WebhookEndpoint.objects.create(url=httpserver.url_for(path), event_types=["transfer.posted"])
    AccountFactory(funded=D("5.00"))
    tasks.relay_events.call()
    first, second = WebhookDelivery.objects.order_by("endpoint_id")
    assert first.event_id == second.event_id
    inside, release, outcome = threading.Event(), threading.Event(), {}

    def worker_in_the_middle_of_the_first():
        # the first worker's claim, held open: its transaction has not ended yet
        try:
            from django.db import transaction

            with transaction.atomic():
                outcome["first"] = tasks.deliver_webhook.call(first.pk)
                inside.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_in_the_middle_of_the_first)
    thread.start()
    try:
        assert inside.wait(30)
        assert tasks.deliver_webhook.call(second.pk) == WebhookDelivery.Status.SUCCEEDED
    finally:
        release.set()
        thread.join(30)
    assert outcome["first"] == WebhookDelivery.Status.SUCCEEDED
    assert sorted(request.path for request, _response in httpserver.log) == ["/a", "/b"]
