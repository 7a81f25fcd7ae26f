"""Card payments through one small interface (`Gateway`), chosen by the STORE_PAYMENT_GATEWAY
setting. The sandbox adapter ships for the demo and the tests; a Stripe or Adyen adapter is a
class with the same five methods."""
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import settings
from .base import (
    Authorisation,
    Gateway,
    GatewayError,
    GatewayUnavailable,
    PaymentDeclined,
    PaymentNeedsRetry,
    card_number,
    check_card_token,
)

__all__ = [
    "Authorisation", "Gateway", "GatewayError", "GatewayUnavailable", "PaymentDeclined",
    "PaymentNeedsRetry", "card_number", "check_card_token", "get_gateway", "sandbox_refusal",
]


@cache
def _load(path: str) -> Gateway:
    return import_string(path)()


def get_gateway() -> Gateway:
    """The configured gateway (STORE_PAYMENT_GATEWAY, a dotted path to a Gateway class). A
    sandbox where money is real (DEBUG off, no STORE_SANDBOX_ALLOWED) is never handed out."""
    gateway = _load(settings.STORE_PAYMENT_GATEWAY)
    refusal = sandbox_refusal(gateway)
    if refusal:
        raise ImproperlyConfigured(refusal)
    return gateway


def sandbox_refusal(gateway) -> str | None:
    """Why `gateway` may not take payments here, or None: a sandbox (test cards approved) is
    for DEBUG and for deployments that say they are staging (STORE_SANDBOX_ALLOWED)."""
    if getattr(gateway, "is_sandbox", False) and not settings.DEBUG and not settings.STORE_SANDBOX_ALLOWED:
        return (f"STORE_PAYMENT_GATEWAY is {settings.STORE_PAYMENT_GATEWAY}, a sandbox that approves test cards, "
                "and DEBUG is off: set STORE_PAYMENT_GATEWAY to your card processor's adapter, or "
                "STORE_SANDBOX_ALLOWED=true on a staging deployment that takes no real money.")
    return None
