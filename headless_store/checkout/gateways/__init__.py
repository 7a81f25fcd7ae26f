"""Card payments through one small interface (`Gateway`), chosen by the STORE_PAYMENT_GATEWAY
setting. The sandbox adapter ships for the demo and the tests; a Stripe or Adyen adapter is a
class with the same five methods."""
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    Authorisation,
    Gateway,
    GatewayError,
    GatewayUnavailable,
    PaymentDeclined,
    PaymentNeedsRetry,
)

__all__ = [
    "Authorisation", "Gateway", "GatewayError", "GatewayUnavailable", "PaymentDeclined",
    "PaymentNeedsRetry", "get_gateway",
]


@cache
def _load(path: str) -> Gateway:
    return import_string(path)()


def get_gateway() -> Gateway:
    """The configured gateway (STORE_PAYMENT_GATEWAY, a dotted path to a Gateway class)."""
    return _load(settings.STORE_PAYMENT_GATEWAY)
