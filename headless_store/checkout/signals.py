"""Signals of the checkout."""
from django.dispatch import Signal

#: Sent with `order` inside the transaction in which an order is paid in full (payWithAccount,
#: or a card checkout's completion): a receiver's writes commit with the payment.
order_paid = Signal()
#: Sent with `order`, `amount` and `destination` inside the transaction of a refund.
order_refunded = Signal()
