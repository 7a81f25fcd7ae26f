"""Signals sent after the transaction that moved the money has committed."""
from django.dispatch import Signal

#: Sent with `transfer` once a transfer has committed.
transfer_completed = Signal()
#: Sent with `transfer` (the reversal) and `original` once a reversal has committed.
transfer_reversed = Signal()
