"""The one-row outbox: the money's transaction writes the event alone; the relay, woken after
commit or run by the maintenance sweep, dispatches what is left, oldest first, one delivery per
endpoint, and every attempt carries the event's own webhook-id."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from headless_store.events import outbox, tasks
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from headless_store.ledger import facade
from tests.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.database_backend]  # reads task rows, runs db_worker


def worker_batch():
    """One `db_worker --batch` run, without the test helper's own relay run (tests/tasks.py)."""
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


@pytest.fixture
def erp(httpserver):
    httpserver.expect_request("/erp", method="POST").respond_with_data("ok")
    return WebhookEndpoint.objects.create(url=httpserver.url_for("/erp"), event_types=["transfer.posted"])


@pytest.fixture
def wallet(chart):
    wallet = AccountFactory(funded=D("100.00"))
    Event.objects.update(dispatched_at=None)
    Event.objects.all().delete()
    return wallet


def pay_and_die(wallet, redemptions, reference, django_capture_on_commit_callbacks):
    """Pay, commit, and lose the after-commit wake-up (the process died right after its commit)."""
    with django_capture_on_commit_callbacks(execute=False) as lost:
        facade.transfer(wallet, redemptions, D("1.00"), merchant_reference=reference)
    assert lost  # the wake-up that never ran


def test_the_money_transaction_writes_one_outbox_row_before_it_locks_an_account(wallet, redemptions):
    with CaptureQueriesContext(connection) as queries:
        facade.transfer(wallet, redemptions, D("1.00"))
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "WITH")]
    assert sum(sql.count("INSERT INTO events_event") for sql in writes) == 1
    assert not any("django_tasks_database" in sql for sql in writes)
    event = next(n for n, sql in enumerate(writes) if "INSERT INTO events_event" in sql)
    first_lock = next(n for n, sql in enumerate(writes) if "UPDATE ledger_account" in sql)
    assert event < first_lock  # no account row is held while the event is written


def test_an_event_whose_wake_up_was_lost_is_delivered_by_the_maintenance_sweep(
        wallet, redemptions, erp, httpserver, django_capture_on_commit_callbacks):
    pay_and_die(wallet, redemptions, "100001", django_capture_on_commit_callbacks)
    worker_batch()
    assert httpserver.log == []  # nothing was queued for it
    tasks.schedule_maintenance()
    worker_batch()
    event = Event.objects.get(data__merchant_reference="100001")
    assert event.dispatched_at is not None
    assert [request.headers["webhook-id"] for request, _response in httpserver.log] == [event.webhook_id]


def test_the_relay_dispatches_what_is_left_in_the_order_it_was_written(
        wallet, redemptions, erp, httpserver, django_capture_on_commit_callbacks):
    references = [f"10000{n}" for n in range(1, 6)]
    for reference in references:
        pay_and_die(wallet, redemptions, reference, django_capture_on_commit_callbacks)
    assert tasks.relay_events.call() == 5
    worker_batch()
    received = [request.get_json()["data"]["merchant_reference"] for request, _response in httpserver.log]
    assert received == references
    deliveries = WebhookDelivery.objects.order_by("pk").values_list("event__data__merchant_reference", flat=True)
    assert [str(reference) for reference in deliveries] == references


def test_relaying_again_or_healing_creates_no_second_delivery(
        wallet, redemptions, erp, httpserver, django_capture_on_commit_callbacks):
    pay_and_die(wallet, redemptions, "100009", django_capture_on_commit_callbacks)
    event = Event.objects.get()
    assert tasks.relay_events.call() == 1
    assert tasks.relay_events.call() == 0  # dispatched: not the relay's work any more
    assert tasks.dispatch_event.call(str(event.pk)) == 0  # a late single dispatch finds its delivery
    worker_batch()
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert len(httpserver.log) == 1


def test_a_delivery_whose_outcome_was_lost_is_sent_again_with_the_same_webhook_id(
        wallet, redemptions, erp, httpserver, django_capture_on_commit_callbacks):
    """The receiver answered, but the worker died before recording it: the only duplicate there is."""
    pay_and_die(wallet, redemptions, "100010", django_capture_on_commit_callbacks)
    tasks.relay_events.call()
    worker_batch()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="PENDING", delivered_at=None)  # never recorded
    tasks.deliver_webhook.enqueue(delivery.pk)  # the recovery sweep runs it again
    worker_batch()
    ids = [request.headers["webhook-id"] for request, _response in httpserver.log]
    assert ids == [delivery.event.webhook_id] * 2


def test_wake_ups_are_coalesced_into_one_relay_run_per_window(settings, db):
    settings.EVENTS_RELAY_DELAY_SECONDS = 2
    outbox._window.ends = 0.0
    assert outbox.wake_relay() is True
    assert outbox.wake_relay() is False  # this window's run is queued already
    outbox._window.ends = 0.0  # another process, same shared cache
    assert outbox.wake_relay() is False
    (run,) = DBTaskResult.objects.filter(task_path=tasks.RELAY)
    assert run.run_after is not None and run.run_after > run.enqueued_at  # due at the window's end


def test_a_windows_relay_run_is_never_due_before_the_window_ends(settings, db):
    """Due on a whole second at or after the window's end: a broker drops the fraction of a run's
    time (rq schedules by the second), so a run due mid-second would start up to a second early,
    before the commits of the window's last moments, and leave their events undispatched."""
    from django.utils import timezone

    settings.EVENTS_RELAY_DELAY_SECONDS = 1
    for _ in range(3):
        outbox._window.ends = 0.0
        outbox.cache.delete(outbox.RELAY_KEY)  # a new window
        window_ends = timezone.now() + timedelta(seconds=1)
        assert outbox.wake_relay() is True
        run = DBTaskResult.objects.filter(task_path=tasks.RELAY).latest("enqueued_at")
        assert run.run_after.microsecond == 0 and run.run_after >= window_ends


def test_every_commit_wakes_the_relay_when_the_window_is_zero(settings, db):
    settings.EVENTS_RELAY_DELAY_SECONDS = 0
    assert outbox.wake_relay() and outbox.wake_relay()
    assert DBTaskResult.objects.filter(task_path=tasks.RELAY).count() == 2
