"""Signals of the ledger.

`ledger_event` is sent *inside* the transaction that moves the money, with `event_type` (e.g.
"transfer.posted") and `data` (JSON-able): a receiver that writes a row (the project's outbox,
headless_store/events) commits or rolls back with the money. Receivers must not call out.

`transfer_completed` and `transfer_reversed` are sent after the transaction has committed.
"""
from django.dispatch import Signal

#: Sent with `event_type` and `data` inside the money's transaction.
ledger_event = Signal()
#: Sent with `transfer` once a transfer has committed.
transfer_completed = Signal()
#: Sent with `transfer` (the reversal) and `original` once a reversal has committed.
transfer_reversed = Signal()


def emit(event_type: str, data: dict) -> None:
    """Tell the outbox (if one listens) that money moved; inside the transaction."""
    ledger_event.send(sender=None, event_type=event_type, data=data)
