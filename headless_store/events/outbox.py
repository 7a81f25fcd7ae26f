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
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
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


def record(event_type: str, data: dict) -> Event:
    """Write the event (in the caller's transaction, if any); the relay is woken after commit."""
    if event_type not in event_types():
        raise ValueError(f"Unknown event type {event_type!r}")
    event = Event.objects.create(type=event_type, data=_jsonable(data))
    transaction.on_commit(partial(_committed, event_type), robust=True)  # a failure is logged; the sweep covers it
    return event


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


def _jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
