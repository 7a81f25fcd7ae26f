"""Staff refunds of an order: to the card it was paid with, back to the ledger accounts
(wallets, gift cards) that paid it, or to the customer's store-credit wallet whatever paid it.
Used by the dashboard and the staff API alike.

A refund is an amount or some of the order's lines (their unit price times the quantity). Each
is capped by what was paid that way and not refunded yet, and all refunds together by the
order's total; it links to the order (a payment event, with the refunded lines' quantities; the
payment source's refund; the order number as merchant reference) and is idempotent per staff
member and key. Store credit comes from Redemptions for what the order's ledger payments brought
in and is still there, and from Bank for what its card captured (as the gift cards a card paid
for), so the customer can spend it again; guest orders have no wallet to credit. A card refund asks the processor inside the refund's
transaction with an idempotency key derived from the staff key, so a retry after a failure
never refunds the card twice.

**Nothing past what was paid.** An order's refunds together never exceed what actually paid it
(its ledger payments and its card's capture, `OrderMoney.paid`), nor its total: an order whose
card was declined, or not captured yet, has nothing to refund. A reversal of a ledger payment
(and the Redemptions part of store credit) never takes more out of Redemptions than the order's
payments left there, and a card refund (and the Bank part of store credit) never more than the
card captured less what it has given back, so one order's refund never spends another's money.

**One cap per order.** Whatever path returns an order's money (`refund_order` to any destination,
a staff reversal of the order's payment through the API or the dashboard, `facade.reverse` from
a shop's own code or the django-oscar-accounts compatibility facade), everything returned counts
against the order's total: `returned()` adds up the money itself (what left Redemptions for the
order, less what went back in, plus what the card gave back: refunded to it, or as store credit),
not this module's own records. Every path
locks the order's row first: `refund_order` directly, and a reversal of an order's payment
through the ledger's `reversal_requested` guard (`OrderRefundCap`), which runs before the ledger
takes its own locks. `ledger_reconcile` checks that no order got back more than its total or
more than paid it.
"""
import contextvars
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.db import connection, transaction
from django.db.models import F, Sum
from oscar.core.loading import get_model

from headless_store.ledger import core, facade, names
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.conf import settings
from headless_store.ledger.lots import Credit
from headless_store.ledger.models import Account, Lot, Transfer
from headless_store.ledger.money import Money, parse_amount, quantize, rounded
from headless_store.ledger.selectors.health import register_check
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.idempotency import Scope, run_idempotent, scoped_key, stored_key
from headless_store.ledger.services.transfers import reverse_transfer

from . import exceptions
from .bookkeeping import PAYMENT_SOURCE_NAME, record_payment_events
from .gateways import GatewayError, get_gateway
from .models import CardCheckout
from .signals import order_refunded, order_refunding

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
        raise exceptions.OrderNotFound("No order with this number.", field="order_number")
    return order


def ledger_payments(order) -> list:
    """The transfers that paid the order from ledger accounts (to Redemptions), oldest first."""
    return list(Transfer.objects.filter(
        merchant_reference=order.number, parent__isnull=True, destination=core.redemptions_account(order.currency),
    ).select_related("source", "destination").order_by("pk"))


_T = Transfer._meta.db_table
_O = Order._meta.db_table
_K = CardCheckout._meta.db_table


def _redemption_ids() -> str:
    """The Redemptions accounts' ids (one per currency) as SQL; `NULL` when there are none."""
    ids = Account.objects.filter(**names.core_lookup(settings.ACCOUNTS_REDEMPTIONS_NAME)).values_list("pk", flat=True)
    return ", ".join(str(int(pk)) for pk in ids) or "NULL"


def _returned_rows(ids: str, *, one_order: bool = False) -> str:
    """(order number, kind, signed amount) rows of money returned per order. Kind 'L': transfers
    out of Redemptions for the order (reversals of its payments, store credit), less reversals of
    those going back in; a transfer is for the order when it, or the transfer it reverses, carries
    the order number as merchant reference. Kind 'C': what the card gave back (refunded to it, or
    credited as store credit in its place). With `one_order`, each part takes the order number as
    a parameter (three in all), so every part is an index lookup."""
    only = " AND {} = %s" if one_order else "{}"
    signed = f"CASE WHEN t.source_id IN ({ids}) THEN t.amount ELSE -t.amount END"
    moves = f"(t.source_id IN ({ids}) OR (t.destination_id IN ({ids}) AND t.parent_id IS NOT NULL))"
    return f"""
        SELECT t.merchant_reference AS number, 'L' AS kind, {signed} AS amount FROM {_T} t
        WHERE {moves}{only.format("t.merchant_reference") if one_order else ""}
        UNION ALL
        SELECT p.merchant_reference, 'L', {signed} FROM {_T} t JOIN {_T} p ON p.id = t.parent_id
        WHERE {moves} AND (t.merchant_reference IS NULL OR t.merchant_reference <> p.merchant_reference)
              {only.format("p.merchant_reference") if one_order else ""}
        UNION ALL
        SELECT o.number, 'C', k.card_refunded + k.card_credited FROM {_K} k JOIN {_O} o ON o.id = k.order_id
        WHERE (k.card_refunded <> 0 OR k.card_credited <> 0){only.format("o.number") if one_order else ""}"""


def _paid_rows(ids: str, *, one_order: bool = False) -> str:
    """(order number, kind, amount) rows of what paid each order: kind 'L', its ledger payments
    into Redemptions (not reversals); kind 'C', its card's capture. With `one_order`, each part
    takes the order number as a parameter (two in all)."""
    only = " AND {} = %s" if one_order else ""
    return f"""
        SELECT t.merchant_reference AS number, 'L' AS kind, t.amount AS amount FROM {_T} t
        WHERE t.destination_id IN ({ids}) AND t.parent_id IS NULL AND t.merchant_reference IS NOT NULL
              {only.format("t.merchant_reference")}
        UNION ALL
        SELECT o.number, 'C', k.card_captured FROM {_K} k JOIN {_O} o ON o.id = k.order_id
        WHERE k.card_captured <> 0{only.format("o.number")}"""


@dataclass(frozen=True)
class OrderMoney:
    """What paid an order and what it got back, read from the money itself (`order_money`)."""

    total: Decimal
    ledger_paid: Decimal  # the order's payments into Redemptions
    ledger_returned: Decimal  # out of Redemptions for the order, less what went back in
    card_captured: Decimal
    card_returned: Decimal  # refunded to the card, or credited as store credit in its place
    ledger_funded: Decimal = Decimal("0")  # out of Redemptions for what the order bought (gift cards)

    @property
    def paid(self) -> Decimal:
        return self.ledger_paid + self.card_captured

    @property
    def returned(self) -> Decimal:
        return self.ledger_returned + self.card_returned

    @property
    def left(self) -> Decimal:
        """What may still be refunded, by every path together."""
        return max(min(self.total, self.paid) - self.returned, Decimal("0"))

    @property
    def ledger_left(self) -> Decimal:
        """What may still leave Redemptions for the order: what its payments left there (less what
        funded what it bought there, e.g. gift cards, until they are voided)."""
        return max(min(self.ledger_paid - self.ledger_returned - self.ledger_funded, self.left), Decimal("0"))

    @property
    def card_left(self) -> Decimal:
        """What the card captured and has not given back."""
        return max(min(self.card_captured - self.card_returned, self.left), Decimal("0"))


def order_money(order) -> OrderMoney:
    ids = _redemption_ids()
    with connection.cursor() as cursor:
        by_kind = {}
        for rows, count in ((_returned_rows, 3), (_paid_rows, 2)):
            cursor.execute(f"SELECT r.kind, {rounded('COALESCE(SUM(r.amount), 0)')} FROM "
                           f"({rows(ids, one_order=True)}) r GROUP BY r.kind", [order.number] * count)
            by_kind[rows] = {kind: Decimal(str(total)) for kind, total in cursor.fetchall()}
        # What the order's money funded out of Redemptions under "<number>/<purpose>" (gift cards
        # bought in it: giftcard_sales), less what came back when that was undone (a card voided).
        prefix = f"{order.number}/"
        signed = f"CASE WHEN t.source_id IN ({ids}) THEN t.amount ELSE -t.amount END"
        cursor.execute(
            f"SELECT {rounded(f'COALESCE(SUM({signed}), 0)')} FROM {_T} t LEFT JOIN {_T} p ON p.id = t.parent_id"
            f" WHERE (t.source_id IN ({ids}) AND t.parent_id IS NULL AND SUBSTR(t.merchant_reference, 1, %s) = %s)"
            f" OR (t.destination_id IN ({ids}) AND t.parent_id IS NOT NULL AND SUBSTR(p.merchant_reference, 1, %s) = %s)",
            [len(prefix), prefix, len(prefix), prefix])
        ledger_funded = Decimal(str(cursor.fetchone()[0]))

    def q(value):
        return quantize(Decimal(value), order.currency)

    paid, returned_ = by_kind[_paid_rows], by_kind[_returned_rows]
    return OrderMoney(total=order.total_incl_tax, ledger_paid=q(paid.get("L", 0)),
                      ledger_returned=q(returned_.get("L", 0)), card_captured=q(paid.get("C", 0)),
                      card_returned=q(returned_.get("C", 0)), ledger_funded=q(ledger_funded))


def returned(order) -> Decimal:
    """What the order's customer got back so far, by every path (see the module docstring)."""
    return order_money(order).returned


def over_refunded_orders_sql() -> str:
    """For ledger_reconcile: orders that got back more than their total, or than paid them."""
    ids = _redemption_ids()
    return f"""SELECT o.number || ' got back ' || CAST(r.total AS TEXT) || ' of ' || CAST(o.total_incl_tax AS TEXT)
               || ', paid ' || CAST(COALESCE(p.total, 0) AS TEXT)
        FROM {_O} o JOIN (SELECT number, {rounded('SUM(amount)')} AS total
                          FROM ({_returned_rows(ids)}) returned GROUP BY number) r ON r.number = o.number
        LEFT JOIN (SELECT number, {rounded('SUM(amount)')} AS total FROM ({_paid_rows(ids)}) paid GROUP BY number) p
               ON p.number = o.number
        WHERE r.total > o.total_incl_tax OR r.total > COALESCE(p.total, 0) ORDER BY o.id"""


register_check("orders_within_paid", "No order got back more than its total or than paid it, by all refund paths "
               "together.", over_refunded_orders_sql)


def left_to_refund(order) -> Decimal:
    return order_money(order).left


def refundable(order) -> dict[RefundDestination, Decimal]:
    """What can still be refunded to each destination (all together at most what is left of
    what paid the order)."""
    money = order_money(order)
    accounts = sum((t.max_refund() for t in ledger_payments(order)), Decimal("0"))
    return {RefundDestination.CARD: money.card_left, RefundDestination.ACCOUNTS: min(accounts, money.ledger_left),
            RefundDestination.STORE_CREDIT: min(money.ledger_left + money.card_left, money.left)
            if order.user_id else Decimal("0")}


def lines_amount(order, lines) -> tuple[Decimal, dict]:
    """The amount for refunding [(line id, quantity)] and {line: quantity}; each quantity at most
    what is left of the line after earlier refunds of it. A line is refunded at what was paid for
    it (its price after discounts), shared over its units so that refunding them all, in any number
    of refunds, adds up to that price exactly."""
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
        before = refunded.get(line.pk, 0) + quantities.get(line, 0)
        quantities[line] = quantities.get(line, 0) + quantity
        amount += (_units_price(line, before + quantity, order.currency) - _units_price(line, before, order.currency))
    return quantize(amount, order.currency), quantities


def _units_price(line, units: int, currency: str) -> Decimal:
    """What the first `units` of an order line cost, after its discounts (rounded to the currency)."""
    return quantize(line.line_price_incl_tax * units / line.quantity, currency)


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
        nonlocal quantities
        with transaction.atomic():
            lock_order(order)  # every refund path of one order queues here
            if lines:  # again under the lock: a concurrent refund of these lines may have committed
                _amount, quantities = lines_amount(order, lines)
            money = order_money(order)
            if amount > money.left:
                raise exceptions.RefundNotPossible(
                    f"At most {Money(money.left, order.currency)} of this order is left to refund"
                    + ("." if money.left or money.paid else ": nothing was paid for it."),
                    field="amount")
            order_refunding.send(sender=Order, order=order, amount=amount, quantities=quantities,
                                 destination=destination.value, staff=staff)
            token = _refunding.set(order.pk)
            try:
                # The record below makes the refund happen once in the ledger; the processor has its
                # own replay protection, so a card refund passes it a key derived from the same one.
                done = refund(order, staff, amount, reason, stored_key(scoped_key(scope, idempotency_key)), quantities)
            finally:
                _refunding.reset(token)
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
    left = min(sum((t.max_refund() for t in payments), Decimal("0")), order_money(order).ledger_left)
    if amount > left:
        raise exceptions.RefundNotPossible(
            f"At most {Money(left, order.currency)} of this order can be refunded to accounts.",
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
    # A refund by amount names no lines ({}): None would record every line as refunded in full.
    record_payment_events(order, [(REFUNDED_TO_ACCOUNT, amount, reversals[0].reference)], quantities=quantities or {})
    return {"transfers": [r.pk for r in reversals], "reference": ""}


def _to_card(order, staff, amount, reason, key, quantities) -> dict:
    checkout = CardCheckout.objects.select_for_update().filter(order=order).first()
    left = checkout.card_captured - checkout.card_refunded - checkout.card_credited if checkout else Decimal("0")
    if amount > left:
        raise exceptions.RefundNotPossible(
            f"At most {Money(left, order.currency)} of this order can be refunded to the card.",
            field="amount",
        )
    try:
        reference = get_gateway().refund(checkout.authorisation, amount,
                                         idempotency_key=f"{checkout.token}-refund-{key or secrets.token_hex(8)}")
    except GatewayError as error:
        raise exceptions.PaymentGatewayError(f"The card processor refused the refund: {error}") from error
    CardCheckout.objects.filter(pk=checkout.pk).update(card_refunded=checkout.card_refunded + amount)
    Source.objects.select_for_update().get(pk=checkout.card_source_id).refund(amount, reference=reference)
    record_payment_events(order, [(REFUNDED_TO_CARD, amount, reference)], quantities=quantities or {})
    return {"transfers": [], "reference": reference}


def _to_store_credit(order, staff, amount, reason, key, quantities) -> dict:
    if order.user_id is None:
        raise exceptions.RefundNotPossible(
            "A guest order has no wallet to refund to; refund to the card or to the accounts that paid.",
            field="destination")
    money = order_money(order)
    from_ledger = min(amount, money.ledger_left)
    from_card = amount - from_ledger
    if from_card > money.card_left:
        raise exceptions.RefundNotPossible(
            f"At most {Money(money.ledger_left + money.card_left, order.currency)} of this order can be refunded to "
            "store credit: what its ledger payments and its captured card brought in and was not given back.",
            field="amount")
    wallet = get_or_create_wallet(user=order.user, currency=order.currency, type_code=names.STORE_CREDIT)
    posted = []
    # What the ledger payments brought in goes back out of Redemptions; what the card brought in
    # (money outside the ledger, as a top-up) comes from Bank, and the card records it as given back.
    for source, part in ((core.redemptions_account(order.currency), from_ledger),
                         (core.bank_account(order.currency), from_card)):
        if part > 0:
            posted.append(facade.transfer(source, wallet, part, user=staff, merchant_reference=order.number,
                                          description=reason, check_authorisation=False, lot=REFUND_CREDIT))
    if from_card:
        CardCheckout.objects.filter(order=order).update(card_credited=F("card_credited") + from_card)
    # One event per transfer (the lines on the first): the card's part is known by its own event.
    record_payment_events(order, [(REFUNDED_TO_STORE_CREDIT, posted[0].amount, posted[0].reference)],
                          quantities=quantities or {})
    record_payment_events(order, [(REFUNDED_TO_STORE_CREDIT, t.amount, t.reference) for t in posted[1:]], quantities={})
    return {"transfers": [t.pk for t in posted], "reference": ""}


REFUND_CREDIT = Credit(category=Lot.Category.REFUND)


#: The order `refund_order` is refunding right now: its reversals are booked by refund_order.
_refunding = contextvars.ContextVar("refunding_order", default=None)


def lock_order(order) -> None:
    Order.objects.select_for_update().filter(pk=order.pk).exists()


class OrderRefundCap:
    """The ledger's guard for reversing a transfer that paid an order (see the module docstring)."""

    def __init__(self, order):
        self.order = order

    def check(self, amount: Decimal) -> None:
        money = order_money(self.order)
        currency = self.order.currency
        if amount > money.left:
            raise ledger_exceptions.ReversalNotPermitted(
                f"At most {Money(money.left, currency)} of order {self.order.number} "
                "is left to refund, by all refund paths together.", field="amount")
        if _refunding.get() != self.order.pk:  # refund_order asked its receivers already
            try:
                order_refunding.send(sender=Order, order=self.order, amount=amount, quantities=None,
                                     destination=RefundDestination.ACCOUNTS.value, staff=None)
            except exceptions.RefundNotPossible as refusal:  # a reversal's caller expects the ledger's refusal
                raise ledger_exceptions.ReversalNotPermitted(str(refusal), field="amount") from refusal
        if amount > money.ledger_left:
            raise ledger_exceptions.ReversalNotPermitted(
                f"At most {Money(money.ledger_left, currency)} of order {self.order.number} can go back from its "
                "ledger payments: the rest of what they paid was refunded already or paid for what the order "
                "bought in the ledger (gift cards).", field="amount")

    def posted(self, reversal) -> None:
        if _refunding.get() == self.order.pk:
            return  # refund_order books its own refund
        # A reversal made outside refund_order (the staff API, the dashboard, a shop's own code):
        # the order's records, loyalty points and the order.refunded event follow it as well.
        source = Source.objects.select_for_update().filter(order=self.order,
                                                           source_type__name=PAYMENT_SOURCE_NAME).first()
        if source is not None:
            source.refund(reversal.amount, reference=reversal.reference)
        record_payment_events(self.order, [(REFUNDED_TO_ACCOUNT, reversal.amount, reversal.reference)], quantities={})
        order_refunded.send(sender=Order, order=self.order, amount=reversal.amount,
                            destination=RefundDestination.ACCOUNTS.value, transfers=[reversal.pk], reference="")


class CardCreditUndone:
    """The ledger's guard for reversing the Bank part of a refund to store credit: the card's
    money is the card's to give back again (`card_credited` goes down by what came back)."""

    def __init__(self, order):
        self.order = order

    def check(self, amount: Decimal) -> None:
        return None  # the ledger's own limit (what the transfer has left to reverse) is the cap

    def posted(self, reversal) -> None:
        CardCheckout.objects.filter(order=self.order, card_credited__gte=reversal.amount).update(
            card_credited=F("card_credited") - reversal.amount)


def cap_order_refunds(sender, transfer, **kwargs):
    """`reversal_requested` receiver: reversing a payment into Redemptions that names an order
    counts against that order's refund cap (the order's row is locked here, before the ledger's);
    reversing the Bank part of a store-credit refund gives the card's share back to the card."""
    if not transfer.merchant_reference:
        return None
    redemptions = core.redemptions_account(transfer.currency)
    if transfer.source_id == core.bank_account(transfer.currency).pk and transfer.parent_id is None:
        order = Order.objects.select_for_update().filter(number=transfer.merchant_reference).first()
        if order is None or not PaymentEvent.objects.filter(
                order=order, event_type__name=REFUNDED_TO_STORE_CREDIT, reference=transfer.reference).exists():
            return None  # not a store-credit refund's card part (a top-up naming the order, say)
        return CardCreditUndone(order)
    if transfer.destination_id != redemptions.pk:
        return None  # money going back into Redemptions (undoing a refund) needs no cap
    order = Order.objects.select_for_update().filter(number=transfer.merchant_reference).first()
    if order is None and transfer.parent_id:
        parent = Transfer.objects.filter(pk=transfer.parent_id).values_list("merchant_reference", flat=True).first()
        order = Order.objects.select_for_update().filter(number=parent).first() if parent else None
    return OrderRefundCap(order) if order is not None else None
