"""Loyalty's events: the types it declares and the one way it records them (the outbox, in the
transaction that credits or takes back the points)."""

EVENT_TYPES = {
    "points.earned": "Loyalty points were credited for an order (pending or spendable).",
    "points.reversed": "Loyalty points were taken back after a refund or a cancellation.",
}


def emit(event_type: str, data: dict) -> None:
    from headless_store.events.outbox import record

    record(event_type, data)
