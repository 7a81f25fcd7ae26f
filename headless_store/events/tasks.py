"""Background work, as tasks of one engine: django-tasks (the Django Tasks API, backported to
Django 5.2) with its database backend, run by `manage.py db_worker`. Every task is durable
(durable.py): retried with backoff until done or given up visibly, and run again if its worker dies.

- `dispatch_event`: fans an outbox event out to the webhook endpoints that want it.
- `deliver_webhook`: one signed POST (Standard Webhooks) through outbound.py (public addresses
  only, no redirects); a failure is retried with exponential backoff until WEBHOOK_MAX_ATTEMPTS, a
  blocked address or unusable URL is given up at once.
- `accrue_points` (headless_store/loyalty/tasks.py): loyalty points for a paid order.
- `capture_card` (headless_store/checkout/tasks.py): takes a paid card checkout's card payment.
- `deliver_gift_card` (headless_store/giftcard_sales/tasks.py): a sold gift card's e-mail, on its date.
- `maintenance`: the periodic sweeps (card checkouts, expired holds, expired accounts, abandoned
  tasks, and the healing sweep: events not dispatched, deliveries not queued, orders without their
  points); it schedules its own next run, and `manage.py schedule_tasks` starts the chain.
"""
import json
import logging
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from . import durable, outbound
from .conf import settings
from .durable import durable_task
from .models import Event, WebhookDelivery, WebhookEndpoint
from .registry import periodic

logger = logging.getLogger(__name__)

MAINTENANCE = "headless_store.events.tasks.maintenance"



RELAY_BATCH = 200


@durable_task()
def relay_events() -> int:
    """The outbox's relay: dispatch every event not dispatched yet, oldest first; how many.
    Woken after each commit (outbox.wake_relay) and run by the maintenance sweep, so an event whose
    process died before the wake-up is taken by the next run. Runs may overlap: each takes the
    next events no other run holds (SKIP LOCKED)."""
    relayed = 0
    while True:
        batch = _dispatch_pending(RELAY_BATCH)
        relayed += batch
        if batch < RELAY_BATCH:
            return relayed


def _dispatch_pending(limit: int) -> int:
    with transaction.atomic():
        events = list(Event.objects.select_for_update(skip_locked=True).filter(dispatched_at__isnull=True)
                      .order_by("created_at", "id")[:limit])
        if events:
            endpoints = list(WebhookEndpoint.objects.filter(is_active=True))
            for event in events:
                _fan_out(event, endpoints)
            Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched_at=timezone.now())
    return len(events)


def _fan_out(event: Event, endpoints) -> int:
    """A delivery per endpoint that wants `event` (one per pair: a second fan-out creates none),
    each enqueued; how many are new. Call with the event's row locked."""
    created = 0
    for endpoint in endpoints:
        if endpoint.wants(event.type):
            delivery, new = WebhookDelivery.objects.get_or_create(event=event, endpoint=endpoint)
            if new:
                enqueue_with(deliver_webhook, delivery.pk)
                created += 1
    return created


def enqueue_with(task, *args) -> None:
    """Enqueue `task` so that it commits with the caller's rows: in the same transaction on the
    database backend, after commit on a broker (whose worker could otherwise run it before the rows
    it reads exist; a crash in between leaves a PENDING delivery, which requeue_stale_deliveries
    finds)."""
    if durable.uses_database_backend():
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)


@durable_task()
def dispatch_event(event_id: str) -> int:
    """Dispatch one event now (whether the relay did already or not); how many deliveries are new."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        created = _fan_out(event, WebhookEndpoint.objects.filter(is_active=True))
        if event.dispatched_at is None:
            Event.objects.filter(pk=event.pk).update(dispatched_at=timezone.now())
    return created


WEBHOOK_BACKOFF = ("WEBHOOK_RETRY_BASE_SECONDS", "WEBHOOK_RETRY_MAX_SECONDS")


def backoff(attempts: int) -> timedelta:
    """The wait after a delivery's `attempts` failures: base * 2^(attempts-1), capped."""
    return durable.backoff(attempts, base=getattr(settings, WEBHOOK_BACKOFF[0]), cap=getattr(settings, WEBHOOK_BACKOFF[1]))


def payload_of(event: Event) -> str:
    return json.dumps({"id": event.webhook_id, "type": event.type, "timestamp": event.created_at.isoformat(),
                       "data": event.data}, separators=(",", ":"), sort_keys=True)


def signed_headers(endpoint: WebhookEndpoint, event: Event, body: str, now: datetime) -> dict:
    return {
        "content-type": "application/json",
        "user-agent": "headless-store-webhooks/1",
        "webhook-id": event.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(event.webhook_id, now.astimezone(UTC), body),
    }


class DeliveryFailed(Exception):
    """One attempt failed (its category is what staff see); the task's policy decides what follows."""

    def __init__(self, category: str):
        super().__init__(category)
        self.category = category


class Undeliverable(DeliveryFailed):
    """Trying again cannot help: a blocked address or an unusable URL."""


def give_up_delivery(delivery_id: int) -> None:
    """deliver_webhook's last attempt failed: the delivery is FAILED (retry it from the dashboard)."""
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=WebhookDelivery.Status.SUCCEEDED).update(
        status=WebhookDelivery.Status.FAILED, updated_at=timezone.now())


@durable_task(permanent=(Undeliverable,), on_give_up=give_up_delivery, attempts_setting="WEBHOOK_MAX_ATTEMPTS",
              backoff_settings=WEBHOOK_BACKOFF)
def deliver_webhook(delivery_id: int) -> str:
    """POST the event to the endpoint once and record the outcome; a failure raises, for the retry policy."""
    with transaction.atomic():
        # the delivery's row only (`of`): locking the joined event and endpoint too made a worker
        # claiming this event's delivery to another endpoint skip this one as "taken"
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("event", "endpoint").filter(pk=delivery_id).first())
        if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
            return "skipped"  # done already, or another worker has it right now
        delivery.attempts += 1
        delivery.status = WebhookDelivery.Status.PENDING  # a given-up delivery that staff retry
        delivery.save(update_fields=["attempts", "status", "updated_at"])
    now = timezone.now()
    body = payload_of(delivery.event)
    outcome = outbound.post(delivery.endpoint.url, body.encode(),
                            signed_headers(delivery.endpoint, delivery.event, body, now),
                            timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    if outcome.ok:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.SUCCEEDED, now
    elif outcome.permanent:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "delivered_at", "last_status_code", "last_error", "next_attempt_at",
                                 "updated_at"])
    if not outcome.ok:
        raise (Undeliverable if outcome.permanent else DeliveryFailed)(outcome.error)
    return delivery.status


DELIVER = "headless_store.events.tasks.deliver_webhook"
RELAY = "headless_store.events.tasks.relay_events"


def requeue_stale_deliveries(*, at=None) -> int:
    """Deliveries still pending well past their time with no task queued or running for them (a task
    lost before the retry policy existed, or deleted): enqueue them again. A delivery that is done
    meanwhile skips itself."""
    at = at or timezone.now()
    stale = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=at - timedelta(seconds=settings.WEBHOOK_STALE_SECONDS),
    ).values_list("pk", flat=True)
    count = 0
    stale = list(stale)
    if stale and not durable.uses_database_backend():
        from .broker import pending_deliveries

        queued = pending_deliveries()
        stale = [pk for pk in stale if pk not in queued]
    for pk in stale:
        with transaction.atomic():
            if durable.uses_database_backend() and _queued_in_database(pk):
                continue
            WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=at)
            deliver_webhook.enqueue(pk)
        count += 1
    return count


def _queued_in_database(delivery_id) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=DELIVER, status__in=("READY", "RUNNING"),
                                       args_kwargs__args__0=delivery_id).exists()


def heal_dispatches(*, at=None) -> dict:
    """The healing sweep's proof for events: every event older than TASK_HEAL_GRACE_SECONDS has a
    delivery for every active endpoint that existed when it was written and wants its type. What is
    missing (its dispatch task lost) is created and queued. Counts: checked, and repaired."""
    at = at or timezone.now()
    settled = at - timedelta(seconds=settings.TASK_HEAL_GRACE_SECONDS)
    since = at - timedelta(days=settings.TASK_HEAL_WINDOW_DAYS)
    checked = repaired = 0
    for endpoint in WebhookEndpoint.objects.filter(is_active=True):
        events = Event.objects.filter(created_at__lte=settled, created_at__gte=max(since, endpoint.created_at))
        if endpoint.event_types:
            events = events.filter(type__in=endpoint.event_types)
        checked += events.count()
        missing = events.filter(~Exists(WebhookDelivery.objects.filter(event=OuterRef("pk"), endpoint=endpoint)))
        for event_id in list(missing.values_list("pk", flat=True)):
            with transaction.atomic():
                event = Event.objects.select_for_update().get(pk=event_id)  # as the relay holds it
                repaired += _fan_out(event, [endpoint])
    if repaired:
        logger.warning("Healing sweep: %d webhook deliveries were missing and are now queued", repaired)
    return {"event_deliveries_checked": checked, "event_deliveries_repaired": repaired}


@durable_task()
def maintenance() -> dict:
    """The periodic sweeps. The next run is enqueued first, so a crash here skips one round only."""
    if not durable.uses_database_backend():
        from .broker import mark_maintenance_waiting

        mark_maintenance_waiting(seconds=None)  # this run is the one that was waiting
    schedule_maintenance(after=timedelta(seconds=settings.MAINTENANCE_INTERVAL_SECONDS))
    done = {}
    for sweep in periodic("sweep"):  # each domain's own (its periodic.py)
        done.update(sweep())
    done["tasks_recovered"] = durable.recover_abandoned_tasks()
    done["events_relayed"] = relay_events.call()
    done["deliveries_requeued"] = requeue_stale_deliveries()
    done.update(heal())
    return done


def heal(*, at=None) -> dict:
    """The healing sweep (run by `maintenance`, or `manage.py heal`): events dispatched, and each
    domain's own proof (loyalty: points accrued)."""
    done = heal_dispatches(at=at)
    for proof in periodic("heal"):
        done.update(proof(at=at))
    return done


def schedule_maintenance(*, after: timedelta | None = None) -> bool:
    """Enqueue the next maintenance run unless one is already waiting; whether it enqueued."""
    run_after = timezone.now() + after if after else None
    if not durable.uses_database_backend():
        from .broker import mark_maintenance_waiting

        if not mark_maintenance_waiting(seconds=(after or timedelta(0)).total_seconds() + 600):
            return False
        (maintenance.using(run_after=run_after) if run_after else maintenance).enqueue()
        return True
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        waiting = DBTaskResult.objects.select_for_update().filter(task_path=MAINTENANCE, status="READY")
        if waiting.exists():
            return False
        (maintenance.using(run_after=run_after) if run_after else maintenance).enqueue()
    return True
