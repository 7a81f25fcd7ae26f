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

logger = logging.getLogger(__name__)

MAINTENANCE = "headless_store.events.tasks.maintenance"



@durable_task()
def dispatch_event(event_id: str) -> int:
    """Create a delivery per endpoint that wants this event and enqueue each; how many."""
    event = Event.objects.get(pk=event_id)
    created = 0
    with transaction.atomic():
        for endpoint in WebhookEndpoint.objects.filter(is_active=True):
            if not endpoint.wants(event.type):
                continue
            delivery, new = WebhookDelivery.objects.get_or_create(event=event, endpoint=endpoint)
            if new:
                deliver_webhook.enqueue(delivery.pk)
                created += 1
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
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True)
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


def requeue_stale_deliveries(*, at=None) -> int:
    """Deliveries still pending well past their time with no task queued or running for them (a task
    lost before the retry policy existed, or deleted): enqueue them again. A delivery that is done
    meanwhile skips itself."""
    from django_tasks_db.models import DBTaskResult

    at = at or timezone.now()
    stale = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=at - timedelta(seconds=settings.WEBHOOK_STALE_SECONDS),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stale):
        with transaction.atomic():
            if DBTaskResult.objects.filter(task_path=DELIVER, status__in=("READY", "RUNNING"),
                                           args_kwargs__args__0=pk).exists():
                continue
            WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=at)
            deliver_webhook.enqueue(pk)
        count += 1
    return count


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
                delivery, new = WebhookDelivery.objects.get_or_create(event_id=event_id, endpoint=endpoint)
                if new:
                    deliver_webhook.enqueue(delivery.pk)
                    repaired += 1
    if repaired:
        logger.warning("Healing sweep: %d webhook deliveries were missing and are now queued", repaired)
    return {"event_deliveries_checked": checked, "event_deliveries_repaired": repaired}


@durable_task()
def maintenance() -> dict:
    """The periodic sweeps. The next run is enqueued first, so a crash here skips one round only."""
    schedule_maintenance(after=timedelta(seconds=settings.MAINTENANCE_INTERVAL_SECONDS))
    from headless_store.checkout.card import sweep_card_checkouts
    from headless_store.giftcard_sales.services import queue_due_deliveries
    from headless_store.ledger.holds import expire_holds
    from headless_store.ledger.services.expiry import close_expired_accounts

    done = sweep_card_checkouts()
    done["holds_expired"] = expire_holds()
    done["accounts_closed"] = len(close_expired_accounts().closed)
    done["tasks_recovered"] = durable.recover_abandoned_tasks()
    done["deliveries_requeued"] = requeue_stale_deliveries()
    done["gift_cards_queued"] = queue_due_deliveries()  # scheduled e-mails whose task was lost
    done.update(heal())
    return done


def heal(*, at=None) -> dict:
    """The healing sweep (run by `maintenance`, or `manage.py heal`): events dispatched, points accrued."""
    from headless_store.loyalty.services import heal_accruals

    return {**heal_dispatches(at=at), **heal_accruals(at=at)}


def schedule_maintenance(*, after: timedelta | None = None) -> bool:
    """Enqueue the next maintenance run unless one is already waiting; whether it enqueued."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        waiting = DBTaskResult.objects.select_for_update().filter(task_path=MAINTENANCE, status="READY")
        if waiting.exists():
            return False
        run_after = timezone.now() + after if after else None
        (maintenance.using(run_after=run_after) if run_after else maintenance).enqueue()
    return True
