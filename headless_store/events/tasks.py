"""Background work, as tasks of one engine: django-tasks (the Django Tasks API, backported to
Django 5.2) with its database backend, run by `manage.py db_worker`.

- `dispatch_event`: fans an outbox event out to the webhook endpoints that want it.
- `deliver_webhook`: one signed POST (Standard Webhooks); on failure it enqueues itself again
  with exponential backoff, until WEBHOOK_MAX_ATTEMPTS.
- `accrue_points` (headless_store/loyalty/tasks.py): loyalty points for a paid order.
- `capture_card` (headless_store/checkout/tasks.py): takes a paid card checkout's card payment.
- `maintenance`: the periodic sweeps (card checkouts, expired holds, expired accounts, stale
  deliveries); it schedules its own next run, and `manage.py schedule_tasks` starts the chain.
"""
import json
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from standardwebhooks.webhooks import Webhook

from .models import Event, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

MAINTENANCE = "headless_store.events.tasks.maintenance"


def _setting(name: str, default):
    return getattr(settings, name, default)


@task()
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


def backoff(attempts: int) -> timedelta:
    """Seconds to wait after `attempts` failures: base * 2^(attempts-1), capped."""
    base = _setting("WEBHOOK_RETRY_BASE_SECONDS", 10)
    return timedelta(seconds=min(base * 2 ** (attempts - 1), _setting("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)))


def payload_of(event: Event) -> str:
    return json.dumps({"id": event.webhook_id, "type": event.type, "timestamp": event.created_at.isoformat(),
                       "data": event.data}, separators=(",", ":"), sort_keys=True)


def signed_request(endpoint: WebhookEndpoint, event: Event, now: datetime) -> urllib.request.Request:
    body = payload_of(event)
    headers = {
        "content-type": "application/json",
        "user-agent": "headless-store-webhooks/1",
        "webhook-id": event.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(event.webhook_id, now.astimezone(UTC), body),
    }
    return urllib.request.Request(endpoint.url, data=body.encode(), headers=headers, method="POST")


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST the event to the endpoint once; record the outcome; retry later on failure."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True)
                    .select_related("event", "endpoint").filter(pk=delivery_id).first())
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return "skipped"  # done already, or another worker has it right now
        delivery.attempts += 1
        delivery.save(update_fields=["attempts", "updated_at"])
    now = timezone.now()
    status_code, error = None, ""
    try:
        with urllib.request.urlopen(signed_request(delivery.endpoint, delivery.event, now),
                                    timeout=_setting("WEBHOOK_TIMEOUT_SECONDS", 5)) as response:
            status_code = response.status
    except urllib.error.HTTPError as failure:
        status_code, error = failure.code, f"HTTP {failure.code}"
    except (urllib.error.URLError, OSError, ValueError) as failure:
        error = str(getattr(failure, "reason", failure))[:500] or type(failure).__name__
    with transaction.atomic():
        delivery.last_status_code, delivery.last_error = status_code, error
        if status_code is not None and 200 <= status_code < 300:
            delivery.status, delivery.delivered_at, delivery.last_error = WebhookDelivery.Status.SUCCEEDED, now, ""
        elif delivery.attempts >= _setting("WEBHOOK_MAX_ATTEMPTS", 8):
            delivery.status = WebhookDelivery.Status.FAILED
            logger.warning("Webhook %s to %s failed for good after %d attempts: %s", delivery.event.webhook_id,
                           delivery.endpoint.url, delivery.attempts, error)
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        delivery.save(update_fields=["status", "delivered_at", "last_status_code", "last_error", "next_attempt_at",
                                     "updated_at"])
    return delivery.status


def requeue_stale_deliveries(*, at=None) -> int:
    """Deliveries still pending well past their time (their worker died mid-attempt): enqueue
    them again. A delivery that is done meanwhile skips itself."""
    at = at or timezone.now()
    stale = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=at - timedelta(seconds=_setting("WEBHOOK_STALE_SECONDS", 600)),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stale):
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=at)
            deliver_webhook.enqueue(pk)
        count += 1
    return count


@task()
def maintenance() -> dict:
    """The periodic sweeps. The next run is enqueued first, so a crash here skips one round only."""
    schedule_maintenance(after=timedelta(seconds=_setting("MAINTENANCE_INTERVAL_SECONDS", 60)))
    from headless_store.checkout.card import sweep_card_checkouts
    from headless_store.ledger.holds import expire_holds
    from headless_store.ledger.services.expiry import close_expired_accounts

    done = sweep_card_checkouts()
    done["holds_expired"] = expire_holds()
    done["accounts_closed"] = len(close_expired_accounts().closed)
    done["deliveries_requeued"] = requeue_stale_deliveries()
    return done


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
