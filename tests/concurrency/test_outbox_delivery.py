"""Events survive dying processes (PostgreSQL, real processes): the process that moved the money
is killed before anything is delivered, and a worker is killed in the middle of a delivery."""
import os
import subprocess
import sys
import threading
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone
from werkzeug import Response

from headless_store.events import tasks
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from tests.factories import AccountFactory

from .test_card_checkout_races import _database_url

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


def manage(*args, wait=True):
    env = {**os.environ, "DATABASE_URL": _database_url()}
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
    # A web process pays and is killed right after its commit, before anything could be sent.
    script = (
        "import os, signal\n"
        "from decimal import Decimal\n"
        "from headless_store.ledger import core, facade\n"
        "from headless_store.ledger.models import Account\n"
        f"facade.transfer(Account.objects.get(pk={wallet.pk}), core.redemptions_account(), Decimal('7.00'),"
        " merchant_reference='100099')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = manage("shell", "-c", script, wait=False)
    killed.wait(timeout=120)
    assert killed.returncode == -9
    event = Event.objects.get(type="transfer.posted", data__merchant_reference="100099")
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")  # any worker, later
    ours = [(r, s) for r, s in httpserver.log if r.headers["webhook-id"] == event.webhook_id]
    assert [response.status_code for _request, response in ours] == [200]  # once
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
    assert tasks.requeue_stale_deliveries(at=timezone.now()) == 0  # not stale yet
    assert tasks.requeue_stale_deliveries(at=timezone.now() + timedelta(hours=1)) == 1  # the maintenance task's job
    manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("SUCCEEDED", 2)
    assert len(answers) == 2 and len(set(answers)) == 1  # the same event id: the receiver can deduplicate
