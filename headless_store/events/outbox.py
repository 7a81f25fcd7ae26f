"""The transactional outbox: an Event row and the task that dispatches it are written in the
transaction that moved the money, so they commit (or roll back) together. The task engine
(django-tasks, database backend) delivers it after commit; a process that dies in between loses
nothing, since the task row is already committed."""
import json
from contextlib import nullcontext

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from headless_store.ledger.money import quantize

from .models import EVENT_TYPES, Event


def record(event_type: str, data: dict) -> Event:
    """Write the event and enqueue its dispatch, in the caller's transaction."""
    from .tasks import dispatch_event

    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}")
    # Inside the money's transaction already (no savepoint needed); alone, make the pair atomic.
    with nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic():
        event = Event.objects.create(type=event_type, data=_jsonable(data))
        dispatch_event.enqueue(str(event.pk))
    return event


def record_ledger_event(sender, event_type: str, data: dict, **kwargs) -> None:
    record(event_type, data)


def record_refund(sender, order, amount, destination, reference="", **kwargs) -> None:
    record("order.refunded", {"order_number": order.number, "amount": str(quantize(amount, order.currency)),
                              "currency": order.currency,
                              "destination": destination, "processor_reference": reference or None,
                              "user_id": order.user_id})


def _jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
