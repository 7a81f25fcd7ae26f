"""The transactional outbox, one row per event: `record()` writes the Event row in the caller's
transaction (the one that moved the money) and nothing else; no task row, nothing another
transaction must wait on while the account rows are locked.

Delivery is triggered after commit: `wake_relay()` (a `transaction.on_commit` callback) enqueues
the relay task (`tasks.relay_events`), which fans every event not yet dispatched out to the
webhook endpoints, oldest first, and marks it dispatched. A process that dies between its commit
and the wake-up loses nothing: the event stays undispatched and the next relay run (another
process's wake-up, or the maintenance chain's sweep) takes it, in order.

Wake-ups are coalesced: the first commit of a window of EVENTS_RELAY_DELAY_SECONDS enqueues one
relay run due at the window's end, which takes every event committed in it (one task per window,
not per event; a shared cache such as Redis makes it one per window for all processes). With 0 every
commit enqueues a relay run at once (the test suite's setting).
"""
import json
import logging
import math
import threading
import time
import uuid
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from prometheus_client import Counter

from .conf import settings
from .models import Event
from .registry import event_types

logger = logging.getLogger(__name__)

EVENTS = Counter("money_events_total", "Committed events, by type (transfer.posted, hold.placed, points.earned...).",
                 ["type"])
RELAY_KEY = "events:relay-window"
_window = threading.local()


def record(event_type: str, data: dict) -> None:
    """Write the event (in the caller's transaction, if any); the relay is woken after commit."""
    sql, params = _insert(event_type, data, None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    _wake_after_commit(event_type)


def insert_statement(event_type: str, data: dict, *, now=None) -> tuple[str, list]:
    """The event's INSERT as (sql, params), for a caller that sends it inside a statement of its
    own (the ledger's posting sends it with the transfer's INSERT, before any account row is
    locked: the event costs no round trip). The caller must execute it in its transaction, which
    must be open: the relay's after-commit wake-up is registered here and is dropped with the
    transaction (or savepoint) if it rolls back."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.insert_statement() is for a caller inside transaction.atomic().")
    statement = _insert(event_type, data, now)
    _wake_after_commit(event_type)
    return statement


def _insert(event_type, data, now) -> tuple[str, list]:
    if event_type not in event_types():
        raise ValueError(f"Unknown event type {event_type!r}")
    payload = json.dumps(data, cls=DjangoJSONEncoder)
    sql = (f"INSERT INTO {_EVENT} (id, type, data, created_at, dispatched_at) VALUES (%s, %s, "
           f"{'CAST(%s AS jsonb)' if connection.vendor == 'postgresql' else '%s'}, %s, NULL)")
    return sql, [_ID.get_db_prep_value(uuid.uuid4(), connection), event_type, payload,
                 connection.ops.adapt_datetimefield_value(now or timezone.now())]


def _wake_after_commit(event_type: str) -> None:
    transaction.on_commit(partial(_committed, event_type), robust=True)  # a failure is logged; the sweep covers it


_EVENT = Event._meta.db_table
_ID = Event._meta.pk


def _committed(event_type: str) -> None:
    EVENTS.labels(event_type).inc()
    wake_relay()


def wake_relay() -> bool:
    """Make sure a relay run is due soon; whether this call enqueued one."""
    from .tasks import relay_events

    delay = float(settings.EVENTS_RELAY_DELAY_SECONDS)
    if delay <= 0:
        relay_events.enqueue()
        return True
    now = time.monotonic()
    if now < getattr(_window, "ends", 0.0):  # this process (thread) enqueued this window's run
        return False
    seconds = max(math.ceil(delay), 1)
    if not cache.add(RELAY_KEY, 1, timeout=seconds):  # another process did: its run is due after now
        return False
    _window.ends = now + seconds
    relay_events.using(run_after=_window_end(seconds)).enqueue()
    return True


def _window_end(seconds: int):
    """When this window's relay run is due: at its end, rounded up to a whole second. A broker
    schedules by the second and drops the fraction (rq scores scheduled jobs by the integer
    timestamp), so a run due at 12.7 could start at 12.0, before the window closes, and miss the
    commits that counted on it; nothing would wake the relay for them until the next commit or
    the maintenance sweep."""
    due = timezone.now() + timedelta(seconds=seconds)
    return due if not due.microsecond else due.replace(microsecond=0) + timedelta(seconds=1)

