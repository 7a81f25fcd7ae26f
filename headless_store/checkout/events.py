"""The checkout's events: the types it declares and their payloads (recorded through the outbox in
the refund's transaction)."""
from headless_store.events.outbox import record
from headless_store.ledger.money import quantize

EVENT_TYPES = {
    "order.refunded": "An order was refunded (to its card, to the accounts that paid, or to store credit).",
}


def record_refund(sender, order, amount, destination, reference="", **kwargs) -> None:
    """`order_refunded`'s receiver: the refund's event, in the refund's transaction."""
    record("order.refunded", {"order_number": order.number, "amount": str(quantize(amount, order.currency)),
                              "currency": order.currency, "destination": destination,
                              "processor_reference": reference or None, "user_id": order.user_id})
