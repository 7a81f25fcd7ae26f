"""The ledger's events: the types it declares and the one way it records them (the outbox, in the
transaction that moves the money). headless_store/events delivers them; it knows none of these."""

EVENT_TYPES = {
    "transfer.posted": "Money moved between two accounts (a payment, a top-up, a gift card funded...).",
    "transfer.reversed": "A transfer was reversed or refunded, in full or in part.",
    "giftcard.issued": "A gift card was issued and funded.",
    "giftcard.redeemed": "A gift card's balance was moved into a customer's wallet.",
    "hold.placed": "Money was held on an account for a checkout.",
    "hold.captured": "A hold was taken (posted as a transfer).",
    "hold.voided": "A hold was released.",
    "hold.expired": "A hold expired and was released.",
}


def emit(event_type: str, data: dict) -> None:
    """Record one of this module's events in the caller's transaction (it commits or rolls back
    with the money)."""
    from headless_store.events.outbox import record

    record(event_type, data)
