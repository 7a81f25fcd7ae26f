"""Reads over the checkout's orders, for the other domains (loyalty's healing sweep...)."""
from django.db.models import Q
from oscar.core.loading import get_model

from .models import CardCheckout

Order = get_model("order", "Order")


def paid_orders():
    """Orders whose payment is complete: paid from accounts, or a card checkout that reached PAID
    (one still waiting for its card, or ended without paying, is not)."""
    return Order.objects.filter(Q(card_checkout__isnull=True) | Q(card_checkout__status=CardCheckout.Status.PAID))


def orders_of(user):
    """The signed-in user's own orders (none for anyone else)."""
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user)
