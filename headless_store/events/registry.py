"""Which event types exist: each domain declares its own, the outbox knows none of them.

A domain app declares its event types in its `events` module (`headless_store/<domain>/events.py`)
as `EVENT_TYPES = {"type.name": "what it means", ...}`, next to the functions that build their
payloads and record them (`outbox.record`); Saleor's `giftcard/events.py` is the pattern. This module
collects the declarations of every installed app once, on first use.
"""
import importlib
import importlib.util
from functools import cache

from django.apps import apps

#: The events app's own: background work given up (durable.py).
OWN_EVENT_TYPES = {
    "task.given_up": "Background work (points, a card capture, a sweep) failed for good; staff can retry it from "
                     "the dashboard. Not sent for webhook deliveries: their log shows those.",
}


@cache
def event_types() -> dict[str, str]:
    """Every declared event type -> its description, in app order then declaration order."""
    declared: dict[str, str] = {}
    for app in apps.get_app_configs():
        name = f"{app.name}.events"
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            continue
        module = importlib.import_module(name)
        for event_type, description in getattr(module, "EVENT_TYPES", {}).items():
            if event_type in declared:
                raise ValueError(f"Event type {event_type!r} is declared twice (again by {name})")
            declared[event_type] = description
    for event_type, description in OWN_EVENT_TYPES.items():
        if event_type in declared:
            raise ValueError(f"Event type {event_type!r} is the events app's own")
        declared[event_type] = description
    return declared
