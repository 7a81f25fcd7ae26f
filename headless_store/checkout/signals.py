"""Signals of the checkout."""
from django.dispatch import Signal

#: Sent with `order` inside the transaction in which an order is paid in full (payWithAccount,
#: or a card checkout's completion): a receiver's writes commit with the payment. With `lines`
#: (the order's lines with their products and product classes) when the sender has read them.
order_paid = Signal()
#: Sent with `order`, `amount` and `destination` inside the transaction of a refund.
order_refunded = Signal()
#: Sent with `order`, `amount`, `quantities` ({order line: quantity}, or None for an amount),
#: `destination` and `staff` inside a refund's transaction, once the order is locked and before any
#: money moves (also for a staff reversal of an order's payment, with `quantities` None). A receiver
#: refuses the refund by raising RefundNotPossible; its writes commit with the refund.
order_refunding = Signal()
#: Sent with `basket` and `accounts` ([(index, account)], the payment sources resolved) before the
#: total is allocated over them, by every checkout. A receiver refuses a source by raising a refusal
#: (a ledger AccountException or a CheckoutError) naming `payments.<index>`.
payment_sources_chosen = Signal()
