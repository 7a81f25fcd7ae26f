"""What the checkout needs of a card processor, and how a processor says no.

Every call is made outside any database transaction: a processor's state is not rolled back with
ours, so the checkout records what it asked for before asking and reconciles after (see
headless_store/checkout/card.py). Each call that moves money takes an idempotency key, as
Stripe's and Adyen's APIs do, so a retry after a timeout never charges twice, and `find()` tells
what became of an authorisation whose answer was lost.
"""
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from headless_store.ledger.exceptions import InvalidInput


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
    #: Whether the gateway takes test card numbers as tokens (the sandbox only). A real
    #: processor's card numbers never reach the shop: its client-side library turns them into
    #: a token in the browser, so a token shaped like a card number is refused before any call.
    accepts_card_numbers: bool = False
    #: Whether this gateway is for development and staging only (see checks.py).
    is_sandbox: bool = False

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


#: What a card number looks like to a person typing it: 12-19 digits of any script, with spaces
#: or dashes. (Unicode digits included, so that "４２４２..." is recognised as a number too.)
_CARD_NUMBER_LIKE = re.compile(r"[\d\s\-]{12,40}")
_ASCII_CARD_NUMBER = re.compile(r"[0-9]{12,19}")


def card_number(token) -> str | None:
    """The ASCII digits of `token` if it is written as a card number (spaces and dashes allowed),
    else None. Digits of other scripts (full-width, Arabic-Indic) are not card numbers."""
    text = str(token or "").strip()
    compact = re.sub(r"[ \-]", "", text)
    return compact if _ASCII_CARD_NUMBER.fullmatch(compact) else None


def check_card_token(gateway: Gateway, token, *, field: str = "card_token") -> str:
    """The token to hand to `gateway`, or InvalidInput naming `field`: an empty or oversized
    token, a card number sent to a gateway that takes tokens only, or a number in digits other
    than ASCII ones."""
    text = str(token or "").strip()
    if not text or len(text) > 255 or not text.isprintable():
        raise InvalidInput("Give the card token your payment form made (at most 255 characters).", field=field)
    looks_like_number = bool(_CARD_NUMBER_LIKE.fullmatch(text)) and sum(c.isdigit() for c in text) >= 12
    if looks_like_number and not getattr(gateway, "accepts_card_numbers", False):
        raise InvalidInput("Card numbers are never sent to the shop: send the token the card processor's "
                           "payment form returns.", field=field)
    if looks_like_number and card_number(text) is None:
        raise InvalidInput("A card number is written with the digits 0-9 only.", field=field)
    return text
