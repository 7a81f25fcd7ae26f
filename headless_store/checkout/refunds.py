"""Staff refunds of an order: to the card it was paid with, or back to the ledger accounts
(wallets, gift cards) that paid it. Used by the dashboard and the staff API alike.

Each is capped by what was paid that way and not refunded yet, links to the order (a payment
event and the payment source's refund, the order number as merchant reference) and is
idempotent per staff member and key. A card refund asks the processor inside the refund's
transaction with an idempotency key derived from the staff key, so a retry after a failure
never refunds the card twice.
"""
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.db import transaction
from oscar.core.loading import get_model

from headless_store.ledger import core
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.models import Transfer
from headless_store.ledger.money import parse_amount, quantize
from headless_store.ledger.services.idempotency import Scope, run_idempotent, scoped_key
from headless_store.ledger.services.staff import reverse_transfer

from . import exceptions
from .gateways import GatewayError, get_gateway
from .models import CardCheckout
from .services import PAYMENT_SOURCE_NAME, record_payment_events

Order = get_model("order", "Order")
Source = get_model("payment", "Source")

REFUNDED_TO_ACCOUNT = "Refunded to account"
REFUNDED_TO_CARD = "Refunded to card"


class RefundDestination(Enum):
    CARD = "CARD"
    ACCOUNTS = "ACCOUNTS"


@dataclass
class OrderRefund:
    order: object
    amount: Decimal
    destination: RefundDestination
    transfers: list = field(default_factory=list)  # the ledger reversals (ACCOUNTS)
    reference: str = ""  # the processor's refund reference (CARD)
    replayed: bool = False


def find_order(number: str):
    order = Order.objects.filter(number=str(number or "").strip()[:128]).first()
    if order is None:
        raise ledger_exceptions.AccountNotFound("No order with this number.", field="order_number")
    return order


def ledger_payments(order) -> list:
    """The transfers that paid the order from ledger accounts (to Redemptions), oldest first."""
    return list(Transfer.objects.filter(
        merchant_reference=order.number, parent__isnull=True, destination=core.redemptions_account(order.currency),
    ).select_related("source", "destination").order_by("pk"))


def refundable(order) -> dict[RefundDestination, Decimal]:
    """What can still be refunded to each destination."""
    checkout = CardCheckout.objects.filter(order=order).first()
    card = checkout.card_captured - checkout.card_refunded if checkout else Decimal("0")
    accounts = sum((t.max_refund() for t in ledger_payments(order)), Decimal("0"))
    return {RefundDestination.CARD: card, RefundDestination.ACCOUNTS: accounts}


def refund_order(*, order, staff, amount, destination: RefundDestination, reason: str | None = None,
                 idempotency_key: str | None = None) -> OrderRefund:
    destination = RefundDestination(destination)
    with ledger_exceptions.blame("amount", ledger_exceptions.InvalidAmount):
        amount = parse_amount(amount, order.currency)
    reason = (reason or "").strip()[:200] or f"Refund for order {order.number}"
    scope = Scope.staff(staff)
    refund = _to_card if destination is RefundDestination.CARD else _to_accounts

    def action():
        with transaction.atomic():
            return refund(order, staff, amount, reason, scoped_key(scope, idempotency_key))

    result, replayed = run_idempotent(
        scope=scope, key=idempotency_key, operation="refund_order",
        payload={"order": order.number, "amount": str(amount), "destination": destination.value},
        action=action,
    )
    transfers = list(Transfer.objects.filter(pk__in=result["transfers"]).order_by("pk"))
    return OrderRefund(order=order, amount=amount, destination=destination, transfers=transfers,
                       reference=result["reference"], replayed=replayed)


def _to_accounts(order, staff, amount, reason, key) -> dict:
    payments = ledger_payments(order)
    Transfer.objects.select_for_update(no_key=True).filter(pk__in=[t.pk for t in payments]).exists()
    left = sum((t.max_refund() for t in payments), Decimal("0"))
    if amount > left:
        raise exceptions.RefundNotPossible(
            f"At most {quantize(left, order.currency)} {order.currency} of this order can be refunded to accounts.",
            field="amount",
        )
    reversals, rest = [], amount
    for payment in payments:
        part = min(rest, payment.max_refund())
        if part <= 0:
            continue
        reversals.append(reverse_transfer(payment, staff=staff, amount=part, reason=reason))
        rest -= part
        if not rest:
            break
    source = Source.objects.select_for_update().filter(order=order, source_type__name=PAYMENT_SOURCE_NAME).first()
    if source is not None:
        source.refund(amount, reference=reversals[0].reference)
    record_payment_events(order, [(REFUNDED_TO_ACCOUNT, r.amount, r.reference) for r in reversals])
    return {"transfers": [r.pk for r in reversals], "reference": ""}


def _to_card(order, staff, amount, reason, key) -> dict:
    checkout = CardCheckout.objects.select_for_update().filter(order=order).first()
    left = checkout.card_captured - checkout.card_refunded if checkout else Decimal("0")
    if amount > left:
        raise exceptions.RefundNotPossible(
            f"At most {quantize(left, order.currency)} {order.currency} of this order can be refunded to the card.",
            field="amount",
        )
    try:
        reference = get_gateway().refund(checkout.authorisation, amount,
                                         idempotency_key=f"{checkout.token}-refund-{key or secrets.token_hex(8)}")
    except GatewayError as error:
        raise exceptions.PaymentGatewayError(f"The card processor refused the refund: {error}") from error
    CardCheckout.objects.filter(pk=checkout.pk).update(card_refunded=checkout.card_refunded + amount)
    Source.objects.select_for_update().get(pk=checkout.card_source_id).refund(amount, reference=reference)
    record_payment_events(order, [(REFUNDED_TO_CARD, amount, reference)])
    return {"transfers": [], "reference": reference}
