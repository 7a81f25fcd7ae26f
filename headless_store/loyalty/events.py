"""Loyalty's events: the types it declares and the one way it records them (the outbox, in the
transaction that credits or takes back the points)."""
from headless_store.events.outbox import record
from headless_store.ledger.money import quantize

EVENT_TYPES = {
    "points.earned": "Loyalty points were credited for an order (pending or spendable).",
    "points.reversed": "Loyalty points were taken back after a refund or a cancellation.",
}


def points_earned(accrual, order) -> None:
    record("points.earned", {
        "order_number": order.number, "account_id": accrual.account_id, "user_id": order.user_id,
        "points": str(quantize(accrual.earned, order.currency)), "currency": order.currency,
        "basis": str(quantize(accrual.basis, order.currency)), "pending": accrual.hold_id is not None,
        "spendable_at": accrual.spendable_at.isoformat(),
    })


def points_reversed(order, wallet, *, taken, shortfall, reason: str) -> None:
    record("points.reversed", {
        "order_number": order.number, "account_id": wallet.pk, "user_id": order.user_id,
        "points": str(quantize(taken, order.currency)), "shortfall": str(quantize(shortfall, order.currency)),
        "currency": order.currency, "reason": reason,
    })
