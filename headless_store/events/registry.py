"""What the domains declare to the events app, which knows none of them: their event types, and
their periodic work.

A domain app declares its event types in its `events` module (`headless_store/<domain>/events.py`)
as `EVENT_TYPES = {"type.name": "what it means", ...}`, next to the functions that build their
payloads and record them (`outbox.record`); Saleor's `giftcard/events.py` is the pattern. This module
collects the declarations of every installed app once, on first use.

A domain's periodic work is in its `periodic` module: `sweep()` (run by the maintenance chain every
MAINTENANCE_INTERVAL_SECONDS) and `heal(at=None)` (the healing sweep's proof), each returning counts.
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


def _modules(name: str):
    """Each installed app's module `name`, where it has one."""
    for app in apps.get_app_configs():
        path = f"{app.name}.{name}"
        try:
            found = importlib.util.find_spec(path)
        except ModuleNotFoundError:
            found = None
        if found is not None:
            yield importlib.import_module(path)


@cache
def event_types() -> dict[str, str]:
    """Every declared event type -> its description, in app order then declaration order."""
    declared: dict[str, str] = {}
    for module in _modules("events"):
        name = module.__name__
        for event_type, description in getattr(module, "EVENT_TYPES", {}).items():
            if event_type in declared:
                raise ValueError(f"Event type {event_type!r} is declared twice (again by {name})")
            declared[event_type] = description
    for event_type, description in OWN_EVENT_TYPES.items():
        if event_type in declared:
            raise ValueError(f"Event type {event_type!r} is the events app's own")
        declared[event_type] = description
    return declared


@cache
def periodic(function: str) -> tuple:
    """Every app's `periodic.<function>` ("sweep" or "heal"), in app order."""
    return tuple(getattr(module, function) for module in _modules("periodic") if hasattr(module, function))
