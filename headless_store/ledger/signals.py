"""Signals of the ledger.

The ledger's events (transfer.posted, hold.placed...) are not signals: ledger/events.py records
them in the outbox, in the money's transaction.

`transfer_completed` and `transfer_reversed` are sent after the transaction has committed.

`reversal_requested` lets an app that knows what a transfer paid for (the checkout: an order)
cap what goes back: see `guard_reversal`.
"""
from decimal import Decimal
from typing import Protocol

from django.dispatch import Signal

#: Sent with `transfer` once a transfer has committed.
transfer_completed = Signal()
#: Sent with `transfer` (the reversal) and `original` once a reversal has committed.
transfer_reversed = Signal()
#: Sent with `transfer` (the one to reverse) inside the reversal's transaction, before the ledger
#: locks anything; a receiver returns a `ReversalGuard` or None.
reversal_requested = Signal()


class ReversalGuard(Protocol):
    """What an app says about reversing one transfer: a receiver of `reversal_requested` may lock
    rows of its own (it runs before the ledger takes its locks, so every path locks in one order)
    and returns this to check the amount and to book the reversal in its own records."""

    def check(self, amount: Decimal) -> None:
        """Raise an AccountException subclass to refuse reversing `amount`."""

    def posted(self, reversal) -> None:
        """The reversal is posted (same transaction): record it."""


def guard_reversal(transfer) -> list[ReversalGuard]:
    """The guards apps return for reversing `transfer` (inside the reversal's transaction)."""
    return [guard for _receiver, guard in reversal_requested.send(sender=None, transfer=transfer) if guard is not None]

