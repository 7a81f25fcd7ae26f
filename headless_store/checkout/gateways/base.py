"""What the checkout needs of a card processor, and how a processor says no.

Every call is made outside any database transaction: a processor's state is not rolled back with
ours, so the checkout records what it asked for before asking and reconciles after (see
headless_store/checkout/card.py). Each call that moves money takes an idempotency key, as
Stripe's and Adyen's APIs do, so a retry after a timeout never charges twice, and `find()` tells
what became of an authorisation whose answer was lost.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class Authorisation:
    """Money the processor has reserved on the card; `reference` identifies it later."""

    reference: str
    amount: Decimal
    currency: str
    label: str  # what the shopper recognises, e.g. "Visa ending 4242"


class GatewayError(Exception):
    """The processor did not do what was asked. `message` is fit to show the shopper."""

    field: str | None = None


class PaymentDeclined(GatewayError):
    """The card was refused (do not retry with this card)."""


class PaymentNeedsRetry(GatewayError):
    """A soft refusal: the shopper may try again, with this card or another."""


class GatewayUnavailable(GatewayError):
    """No answer (timeout, network, processor down): the outcome is unknown until `find()`."""


class Gateway(Protocol):
    #: Oscar payment source type name for payments through this gateway, e.g. "Card (sandbox)".
    source_name: str

    def authorise(self, *, amount: Decimal, currency: str, token: str, reference: str,
                  idempotency_key: str) -> Authorisation:
        """Reserve `amount` on the card the client-side `token` stands for; `reference` is the
        order number. Raises PaymentDeclined, PaymentNeedsRetry or GatewayUnavailable."""

    def capture(self, authorisation: str, amount: Decimal, *, idempotency_key: str) -> str:
        """Take `amount` (at most what was authorised) of an authorisation; a reference."""

    def void(self, authorisation: str) -> None:
        """Release an authorisation that was not captured (a no-op if already void)."""

    def refund(self, authorisation: str, amount: Decimal, *, idempotency_key: str) -> str:
        """Give back `amount` of what was captured; a reference."""

    def find(self, idempotency_key: str) -> Authorisation | None:
        """The live (authorised, not voided) authorisation made with this key, if any."""
