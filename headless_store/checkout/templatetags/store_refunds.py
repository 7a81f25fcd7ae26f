"""{% order_refundable order as left %}: what can still be refunded to the card and to accounts."""
from django import template

from ..refunds import RefundDestination, refundable

register = template.Library()


@register.simple_tag
def order_refundable(order) -> dict:
    left = refundable(order)
    return {"card": left[RefundDestination.CARD], "accounts": left[RefundDestination.ACCOUNTS],
            "credit": left[RefundDestination.STORE_CREDIT]}
