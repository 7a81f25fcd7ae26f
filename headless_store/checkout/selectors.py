"""Reads over the checkout's orders, for the other domains (loyalty's healing sweep...)."""
from django.db.models import Exists, OuterRef, Q
from oscar.core.loading import get_model

from headless_store.ledger import names
from headless_store.ledger.conf import settings as ledger_settings
from headless_store.ledger.models import Account, Transfer

from .models import CardCheckout

Order = get_model("order", "Order")


def paid_orders():
    """Orders whose payment is complete: paid from accounts (a payment into Redemptions names the
    order), or a card checkout that reached PAID (one still waiting for its card, or ended without
    paying, is not). An order placed without either (django-oscar-api's checkout, when a shop opens
    it) was not paid to this shop."""
    payments = Transfer.objects.filter(
        merchant_reference=OuterRef("number"), parent__isnull=True,
        destination__in=Account.objects.filter(**names.core_lookup(ledger_settings.ACCOUNTS_REDEMPTIONS_NAME)))
    return Order.objects.filter((Q(card_checkout__isnull=True) & Exists(payments))
                                | Q(card_checkout__status=CardCheckout.Status.PAID))


def orders_of(user):
    """The signed-in user's own orders (none for anyone else)."""
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user)


def pending_card_checkout(*, user, basket_id) -> CardCheckout | None:
    """The card checkout still waiting on this shopper's card (theirs if signed in, else the one
    of the guest's session basket), or None."""
    from django.utils import timezone

    waiting = CardCheckout.objects.filter(
        status__in=(CardCheckout.Status.PENDING, CardCheckout.Status.AUTHORISING), expires_at__gt=timezone.now())
    if user is not None and user.is_authenticated:
        waiting = waiting.filter(user=user)
    elif basket_id:
        waiting = waiting.filter(user__isnull=True, basket_id=basket_id)
    else:
        return None
    return waiting.order_by("-pk").first()
