"""Staff refunds of an order: to the card it was paid with, back to the ledger accounts
(wallets, gift cards) that paid it, or to the customer's store-credit wallet whatever paid it.
Used by the dashboard and the staff API alike.

A refund is an amount or some of the order's lines (their unit price times the quantity). Each
is capped by what was paid that way and not refunded yet, and all refunds together by the
order's total; it links to the order (a payment event, with the refunded lines' quantities; the
payment source's refund; the order number as merchant reference) and is idempotent per staff
member and key. Store credit comes from Redemptions (the revenue the order brought in), so the
customer can spend it again; guest orders have no wallet to credit. A card refund asks the processor inside the refund's
transaction with an idempotency key derived from the staff key, so a retry after a failure
never refunds the card twice.
"""
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.db import transaction
from django.db.models import Sum
from oscar.core.loading import get_model

from headless_store.ledger import core, facade, names
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.models import Transfer
from headless_store.ledger.money import parse_amount, quantize
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.idempotency import Scope, run_idempotent, scoped_key
from headless_store.ledger.services.staff import reverse_transfer

from . import exceptions
from .gateways import GatewayError, get_gateway
from .models import CardCheckout
from .services import PAYMENT_SOURCE_NAME, record_payment_events
from .signals import order_refunded

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

REFUNDED_TO_ACCOUNT = "Refunded to account"
REFUNDED_TO_CARD = "Refunded to card"
REFUNDED_TO_STORE_CREDIT = "Refunded to store credit"
REFUND_EVENTS = (REFUNDED_TO_ACCOUNT, REFUNDED_TO_CARD, REFUNDED_TO_STORE_CREDIT)


class RefundDestination(Enum):
    CARD = "CARD"
    ACCOUNTS = "ACCOUNTS"
    STORE_CREDIT = "STORE_CREDIT"


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


def refunded_so_far(order) -> Decimal:
    return PaymentEvent.objects.filter(order=order, event_type__name__in=REFUND_EVENTS).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")


def refundable(order) -> dict[RefundDestination, Decimal]:
    """What can still be refunded to each destination (all together at most what is left of the
    order's total)."""
    left = max(order.total_incl_tax - refunded_so_far(order), Decimal("0"))
    checkout = CardCheckout.objects.filter(order=order).first()
    card = checkout.card_captured - checkout.card_refunded if checkout else Decimal("0")
    accounts = sum((t.max_refund() for t in ledger_payments(order)), Decimal("0"))
    return {RefundDestination.CARD: min(card, left), RefundDestination.ACCOUNTS: min(accounts, left),
            RefundDestination.STORE_CREDIT: left if order.user_id else Decimal("0")}


def lines_amount(order, lines) -> tuple[Decimal, dict]:
    """The amount for refunding [(line id, quantity)] and {line: quantity}; each quantity at most
    what is left of the line after earlier refunds of it."""
    by_id = {line.pk: line for line in order.lines.all()}
    refunded = dict(PaymentEventQuantity.objects.filter(
        event__order=order, event__event_type__name__in=REFUND_EVENTS, line__in=by_id.values(),
    ).values_list("line_id").annotate(total=Sum("quantity")).values_list("line_id", "total"))
    amount, quantities = Decimal("0"), {}
    for index, (line_id, quantity) in enumerate(lines):
        line = by_id.get(line_id)
        if line is None:
            raise exceptions.RefundNotPossible("No such line in this order.", field=f"lines.{index}.line_id")
        left = line.quantity - refunded.get(line.pk, 0) - quantities.get(line, 0)
        if not isinstance(quantity, int) or not 1 <= quantity <= left:
            raise exceptions.RefundNotPossible(f"Between 1 and {left} of this line can be refunded.",
                                               field=f"lines.{index}.quantity")
        quantities[line] = quantities.get(line, 0) + quantity
        amount += line.unit_price_incl_tax * quantity
    return quantize(amount, order.currency), quantities


def refund_order(*, order, staff, destination: RefundDestination, amount=None, lines=None,
                 reason: str | None = None, idempotency_key: str | None = None) -> OrderRefund:
    """Refund `amount`, or `lines` ([(line id, quantity)]), to `destination`; see the module docstring."""
    destination = RefundDestination(destination)
    if (amount is None) == (not lines):
        raise ledger_exceptions.InvalidInput("Give an amount or some lines, not both.", field="amount")
    quantities = None
    if lines:
        amount, quantities = lines_amount(order, lines)
        if amount <= 0:
            raise exceptions.RefundNotPossible("These lines cost nothing.", field="lines")
    with ledger_exceptions.blame("amount", ledger_exceptions.InvalidAmount):
        amount = parse_amount(amount, order.currency)
    reason = (reason or "").strip()[:200] or f"Refund for order {order.number}"
    scope = Scope.staff(staff)
    refund = {RefundDestination.CARD: _to_card, RefundDestination.ACCOUNTS: _to_accounts,
              RefundDestination.STORE_CREDIT: _to_store_credit}[destination]

    def action():
        with transaction.atomic():
            Order.objects.select_for_update().filter(pk=order.pk).exists()  # refunds of one order queue here
            left = order.total_incl_tax - refunded_so_far(order)
            if amount > left:
                raise exceptions.RefundNotPossible(
                    f"At most {quantize(max(left, Decimal('0')), order.currency)} {order.currency} of this order "
                    "is left to refund.", field="amount")
            done = refund(order, staff, amount, reason, scoped_key(scope, idempotency_key), quantities)
            order_refunded.send(sender=Order, order=order, amount=amount, destination=destination.value,
                                transfers=done["transfers"], reference=done["reference"])
            return done

    result, replayed = run_idempotent(
        scope=scope, key=idempotency_key, operation="refund_order",
        payload={"order": order.number, "amount": str(amount), "destination": destination.value,
                 "lines": sorted(lines or [])},
        action=action,
    )
    transfers = list(Transfer.objects.filter(pk__in=result["transfers"]).order_by("pk"))
    return OrderRefund(order=order, amount=amount, destination=destination, transfers=transfers,
                       reference=result["reference"], replayed=replayed)


def _to_accounts(order, staff, amount, reason, key, quantities) -> dict:
    payments = ledger_payments(order)
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
    # One event for the refund (its lines counted once), referencing the first reversal.
    record_payment_events(order, [(REFUNDED_TO_ACCOUNT, amount, reversals[0].reference)], quantities=quantities)
    return {"transfers": [r.pk for r in reversals], "reference": ""}


def _to_card(order, staff, amount, reason, key, quantities) -> dict:
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
    record_payment_events(order, [(REFUNDED_TO_CARD, amount, reference)], quantities=quantities)
    return {"transfers": [], "reference": reference}


def _to_store_credit(order, staff, amount, reason, key, quantities) -> dict:
    if order.user_id is None:
        raise exceptions.RefundNotPossible(
            "A guest order has no wallet to refund to; refund to the card or to the accounts that paid.",
            field="destination")
    wallet = get_or_create_wallet(user=order.user, currency=order.currency, type_code=names.STORE_CREDIT)
    posted = facade.transfer(core.redemptions_account(order.currency), wallet, amount, user=staff,
                             merchant_reference=order.number, description=reason, check_authorisation=False)
    record_payment_events(order, [(REFUNDED_TO_STORE_CREDIT, amount, posted.reference)], quantities=quantities)
    return {"transfers": [posted.pk], "reference": ""}

