"""Where loyalty hooks into the checkout and Oscar (connected in apps.py)."""

from .conf import settings
from .tasks import accrue_points


def order_paid(sender, order, **kwargs):
    """Points are credited by a worker; the task is queued in the payment's transaction."""
    accrue_points.enqueue(order.pk)


def order_refunded(sender, order, amount, **kwargs):
    from .services import take_back

    take_back(order, refunded=amount, reason="refund")


def order_status_changed(sender, order, old_status, new_status, **kwargs):
    from .services import make_spendable, take_back

    if new_status == settings.LOYALTY_CANCELLED_STATUS:
        take_back(order, reason="cancellation")
    elif new_status in settings.LOYALTY_DISPATCHED_STATUSES:
        make_spendable(order)
