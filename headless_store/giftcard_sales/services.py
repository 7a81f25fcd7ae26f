"""Gift cards sold in the shop: issued when their order is paid, voided when their line is refunded,
delivered by e-mail (and resent by staff).

**Books.** Selling a card is deferred income, not revenue. Each card is funded, in the payment's
transaction, from where its money came: the part of the order paid from ledger accounts (wallets,
points, gift cards where allowed) had gone into Redemptions as the order's payment, so that much
moves from Redemptions to the card (it was never revenue); what an offer took off the line comes
from Promotions (the shop's expense); the rest was paid by card and comes from Bank (money in).
The card's balance is then a liability matched by money received. The funding transfers carry
`<order number>/gift-cards`, not the order number, so the order's refund cap does not count them as
money returned to the customer.

**Codes.** Only a card's keyed hash is ever stored (the ledger's rule). The code made at issue is
thrown away: nobody knows it. Each sending re-keys the card (`rekey_gift_card`): a fresh code is
hashed into the card and put in the e-mail, in one transaction with the send, so a failed send
leaves the card as it was; a resend replaces the code the recipient had (a lost or misdirected
e-mail cannot be spent by whoever holds it). The code is in no column, no log line, no event and
no task argument or result.
"""
import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from headless_store.checkout.bookkeeping import paid_order_lines
from headless_store.checkout.refunds import ledger_payments, left_to_refund
from headless_store.ledger import core, facade, names
from headless_store.ledger.models import Account, AccountType, Transfer
from headless_store.ledger.money import Money, quantize
from headless_store.ledger.services.accounts import close_account
from headless_store.ledger.services.giftcards import issue_gift_card, rekey_gift_card

from . import exceptions
from .catalogue import GiftCardDetails, check_email, clean_options, is_gift_card, line_options
from .conf import settings
from .models import GiftCardDelivery, GiftCardSale

logger = logging.getLogger(__name__)

Dispatcher = get_class("communication.utils", "Dispatcher")
CommunicationEventType = get_model("communication", "CommunicationEventType")

ZERO = Decimal("0")


class DeliveryFailed(Exception):
    """The e-mail could not be sent (its category, never its content); the task retries it."""


# -- issuing ----------------------------------------------------------------------------------
def gift_card_lines(order, lines=None) -> list:
    """The order's gift-card lines; from `lines` if the caller read them with `paid_order_lines`
    (the checkout's `order_paid` does): each knows its product's class."""
    lines = paid_order_lines(order) if lines is None else lines
    return [line for line in lines if line.product_class_slug == settings.GIFT_CARD_PRODUCT_CLASS]


def _details(line) -> GiftCardDetails:
    """The line's options as the buyer gave them (checked when added to the basket); a date gone by
    since then means at once, and anything that no longer holds is dropped (the buyer gets the card)."""
    try:
        return clean_options(line_options(line), strict=False)
    except exceptions.GiftCardOptionsInvalid:
        logger.warning("Gift-card options of order line %s no longer hold; the card goes to the buyer", line.pk)
        return GiftCardDetails()


def _unit_amounts(line) -> list[Decimal]:
    """What each card of the line is worth: its unit price (before discounts)."""
    return [line.unit_price_incl_tax] * line.quantity


def _paid_units(line, currency) -> list[Decimal]:
    """What the buyer paid for each card of the line (after discounts), the pennies spread from the first."""
    total, count = line.line_price_incl_tax, line.quantity
    each = quantize(total / count, currency)
    units = [each] * count
    units[0] += total - each * count
    return units


def issue_for_order(order, lines=None) -> list[GiftCardSale]:
    """Issue a card per unit of each gift-card line of a paid order (once: a second call returns
    the first cards), funded as the module docstring says, and schedule their e-mails. Inside the
    payment's transaction (`order_paid`, with the order's `lines` if it has them)."""
    lines = gift_card_lines(order, lines)
    if not lines:
        return []
    existing = list(GiftCardSale.objects.filter(order=order))
    if existing:
        return existing
    currency = order.currency
    from_accounts = sum((t.amount for t in ledger_payments(order)), ZERO)  # paid into Redemptions for it
    buyer_email = order.email
    sales = []
    for line in lines:
        details = _details(line)
        for face, paid in zip(_unit_amounts(line), _paid_units(line, currency), strict=True):
            if face <= 0:
                continue
            funding = []
            part = min(from_accounts, paid)
            if part > 0:
                funding.append((core.redemptions_account(currency), part, "paid from accounts"))
                from_accounts -= part
            if face > paid:
                funding.append((core.promotions_account(currency), face - paid, "discount"))
            if paid - part > 0:
                funding.append((core.bank_account(currency), paid - part, "paid by card"))
            sales.append(_issue(order, line, details, face, funding, buyer_email))
    return sales


def _issue(order, line, details: GiftCardDetails, amount: Decimal, funding, buyer_email) -> GiftCardSale:
    (first, first_amount, first_why), *rest = funding
    sale = GiftCardSale(order=order, line=line, buyer_id=order.user_id, amount=amount, currency=order.currency,
                        recipient_name=details.recipient_name, recipient_email=details.recipient_email or buyer_email,
                        message=details.message, deliver_on=details.deliver_on or timezone.localdate())
    issued = issue_gift_card(amount=first_amount, currency=order.currency, source=first,
                             name=f"Gift card, order {order.number}"[:128], merchant_reference=funding_reference(order),
                             description=f"Gift card sold on order {order.number} ({first_why})")
    sale.account = issued.account  # issued.code is thrown away: see the module docstring
    sale.save()
    for source, part, why in rest:
        facade.transfer(source, issued.account, part, merchant_reference=funding_reference(order),
                        description=f"Gift card sold on order {order.number} ({why})", check_authorisation=False)
    _schedule(sale)
    return sale


def funding_reference(order) -> str:
    """The merchant reference of the cards' funding: not the order number itself, which the order's
    refund cap reads as money returned to the customer (as loyalty's `<number>/points`)."""
    return f"{order.number}/gift-cards"


def funding_transfers(sale) -> list[Transfer]:
    """What put money on the card (its funding, and any staff top-up; not reversals), oldest first."""
    return list(Transfer.objects.filter(destination_id=sale.account_id, parent__isnull=True)
                .select_related("source", "destination").order_by("pk"))


def _schedule(sale: GiftCardSale) -> None:
    """Queue the card's e-mail for its delivery date (the start of that day in the shop's time
    zone), in the caller's transaction; the maintenance sweep queues any that were lost."""
    from .tasks import deliver_gift_card

    start = timezone.make_aware(dt.datetime.combine(sale.deliver_on, dt.time.min))
    if start <= timezone.now():
        deliver_gift_card.enqueue(sale.pk)
    else:
        deliver_gift_card.using(run_after=start).enqueue(sale.pk)


# -- refunds ----------------------------------------------------------------------------------
def spent(sale: GiftCardSale, card: Account) -> Decimal:
    """What left the card (spent, redeemed into a wallet, or held for a checkout)."""
    funded = sum((t.max_refund() for t in funding_transfers(sale)), ZERO)  # put on it and not taken back
    return max(funded - (card.balance - card.held), ZERO)


def _refuse_if_spent(sale: GiftCardSale, card: Account, field: str | None) -> None:
    used = spent(sale, card)
    if used > 0 or not card.is_open():
        why = (f"{quantize(used, sale.currency)} of its {Money(sale.amount, sale.currency)} "
               "has been spent or redeemed" if used > 0 else "it is frozen or closed")
        raise exceptions.GiftCardAlreadySpent(
            f"The gift card for {sale.recipient_email} (••••{card.code_last4}) cannot be voided: {why}. "
            "Refund the order's other lines or an amount that leaves the gift cards' money in place.",
            field=field)


def void_sale(sale: GiftCardSale, *, staff=None, reason: str) -> None:
    """Send the unspent card's money back where it came from and close it (inside the caller's transaction)."""
    card = Account.objects.select_for_update().get(pk=sale.account_id)
    _refuse_if_spent(sale, card, None)
    for funding in funding_transfers(sale):
        if funding.max_refund() > 0:
            facade.reverse(funding, staff, description=f"Gift card voided: {reason}", check_authorisation=False)
    close_account(Account.objects.get(pk=card.pk))
    GiftCardSale.objects.filter(pk=sale.pk).update(status=GiftCardSale.Status.VOIDED, voided_at=timezone.now())
    sale.status = GiftCardSale.Status.VOIDED


def void_for_refund(*, order, amount: Decimal, quantities: dict | None, staff=None) -> list[GiftCardSale]:
    """`order_refunding`: a refund of gift-card lines voids that many of their cards (unspent ones
    first), and refuses if one of them was spent; any refund refuses to return money that still
    stands behind a live card. Returns the cards voided."""
    live = list(GiftCardSale.objects.select_for_update().filter(order=order)
                .exclude(status=GiftCardSale.Status.VOIDED).select_related("account").order_by("pk"))
    if not live:
        return []
    to_void = []
    for index, (line, quantity) in enumerate((quantities or {}).items()):
        of_line = [sale for sale in live if sale.line_id == line.pk]
        if not of_line:
            continue
        of_line.sort(key=lambda sale: spent(sale, sale.account) > 0 or not sale.account.is_open())  # unspent first
        for sale in of_line[:quantity]:
            _refuse_if_spent(sale, Account.objects.select_for_update().get(pk=sale.account_id), f"lines.{index}")
            to_void.append(sale)
    standing = sum((sale.amount for sale in live if sale not in to_void), ZERO)
    if left_to_refund(order) - amount < standing:
        raise exceptions.GiftCardStillLive(
            f"{Money(standing, order.currency)} of this order paid for gift cards that are still live, so at "
            f"most {Money(max(left_to_refund(order) - standing, ZERO), order.currency)} can be refunded; refund "
            "the gift-card lines (by line) to void their cards.",
            field="amount")
    for sale in to_void:
        void_sale(sale, staff=staff, reason=f"order {order.number} refunded")
    return to_void


# -- paying -----------------------------------------------------------------------------------
def refuse_gift_cards_for_gift_cards(*, basket, accounts) -> None:
    """`payment_sources_chosen`: unless GIFT_CARD_PAY_FOR_GIFT_CARDS, a basket with gift cards
    cannot be paid with a gift card."""
    if settings.GIFT_CARD_PAY_FOR_GIFT_CARDS or not any(is_gift_card(line.product) for line in basket.all_lines()):
        return
    gift_card_type = AccountType.objects.filter(code=names.GIFT_CARDS).values_list("pk", flat=True).first()
    cards = [(index, account) for index, account in accounts
             if account is not None and account.account_type_id == gift_card_type]
    if not cards:
        return
    index, _account = cards[0]
    raise exceptions.GiftCardCannotPayForGiftCards(
        "A gift card cannot pay for gift cards. Pay for the gift cards another way, or buy them in an order of "
        "their own.", field=f"payments.{index}")


# -- delivering -------------------------------------------------------------------------------
def _context(sale: GiftCardSale, **extra) -> dict:
    order = sale.order
    buyer = order.user.get_full_name() if order.user_id and order.user.get_full_name() else ""
    return {"sale": sale, "amount": quantize(sale.amount, sale.currency), "currency": sale.currency,
            "recipient_name": sale.recipient_name, "message": sale.message, "buyer_name": buyer,
            "order_number": order.number, "shop_name": settings.OSCAR_SHOP_NAME,
            **extra}


def _send(code: str, to_email: str, context: dict) -> None:
    dispatcher = Dispatcher()
    messages = dispatcher.get_messages(code, context)
    dispatcher.send_email_messages(to_email, messages)


def _category(error: Exception) -> str:
    """What staff see of a failed send: the error's kind, never its text (which may quote the message)."""
    return type(error).__name__[:200]


def deliver(sale_id: int, *, staff=None, to_email: str | None = None) -> GiftCardDelivery | None:
    """E-mail the card to its recipient with a fresh code (see the module docstring); the buyer is
    told. Without `staff` (the scheduled task): only a SCHEDULED or FAILED card that is due, else
    None. With `staff` (a resend, optionally to `to_email`): any card still holding money.
    A failed send records a FAILED delivery, changes nothing else and raises DeliveryFailed."""
    if to_email is not None:
        to_email = str(to_email).strip().lower()
        try:
            check_email(to_email)
        except ValidationError:
            raise exceptions.GiftCardNotDeliverable("Enter a valid e-mail address of at most 254 characters.",
                                                    field="email") from None
    failure = None
    with transaction.atomic():
        sale = (GiftCardSale.objects.select_for_update(of=("self",)).select_related("order", "order__user")
                .filter(pk=sale_id).first())
        if sale is None:
            raise exceptions.GiftCardSaleNotFound("No gift card sale with this id.", field="gift_card_id")
        if staff is None and (sale.status not in (GiftCardSale.Status.SCHEDULED, GiftCardSale.Status.FAILED)
                              or sale.deliver_on > timezone.localdate()):
            return None
        card = Account.objects.select_for_update().get(pk=sale.account_id)
        if sale.status == GiftCardSale.Status.VOIDED or not card.is_open():
            raise exceptions.GiftCardNotDeliverable("This gift card was voided or closed; there is nothing to send.")
        if card.balance - card.held <= 0:
            raise exceptions.GiftCardNotDeliverable("This gift card has been spent or redeemed; there is nothing to send.")
        recipient = to_email or sale.recipient_email
        try:
            with transaction.atomic():
                code = rekey_gift_card(card)
                _send("GIFT_CARD", recipient, _context(sale, code=code, balance=quantize(card.balance, card.currency)))
                del code
        except Exception as error:  # noqa: BLE001 - any failure of the mail backend; the re-key is undone
            failure = _category(error)
        delivery = GiftCardDelivery.objects.create(
            sale=sale, to_email=recipient, resent_by=staff, error=failure or "",
            status=GiftCardDelivery.Status.FAILED if failure else GiftCardDelivery.Status.SENT)
        if failure is None:
            sale.status, sale.sent_at, sale.recipient_email = GiftCardSale.Status.SENT, timezone.now(), recipient
            sale.save(update_fields=["status", "sent_at", "recipient_email"])
    if failure is not None:
        logger.warning("Gift card e-mail for sale %s failed (%s)", sale_id, failure)
        raise DeliveryFailed(failure)
    _tell_buyer(sale.pk)  # after the card's commit: a failure here is the buyer's note alone
    return delivery


def _tell_buyer(sale_id: int) -> None:
    """Tell the buyer their card went out (no code in it); a failure here is logged, not retried."""
    sale = GiftCardSale.objects.select_related("order", "order__user").get(pk=sale_id)
    if not sale.order.email or sale.order.email.lower() == sale.recipient_email.lower():
        return
    try:
        _send("GIFT_CARD_SENT", sale.order.email, _context(sale, sent_at=sale.sent_at))
    except Exception as error:  # noqa: BLE001 - the card itself was delivered
        logger.warning("Could not tell the buyer of gift card sale %s that it was sent (%s)", sale_id, _category(error))


def give_up_delivery(sale_id: int) -> None:
    """The delivery task's last attempt failed: the sale shows as FAILED (staff resend it)."""
    GiftCardSale.objects.filter(pk=sale_id, status=GiftCardSale.Status.SCHEDULED).update(
        status=GiftCardSale.Status.FAILED)


def resend(*, sale_id, staff, to_email: str | None = None) -> GiftCardDelivery:
    """Staff resend a card (re-keyed: the code sent before stops working), optionally to another address."""
    from headless_store.ledger.inputs import parse_pk

    pk = parse_pk(sale_id)
    if pk is None:
        raise exceptions.GiftCardSaleNotFound("No gift card sale with this id.", field="gift_card_id")
    try:
        return deliver(pk, staff=staff, to_email=to_email)
    except DeliveryFailed as failed:
        raise exceptions.GiftCardNotDeliverable(
            f"The e-mail could not be sent ({failed}); the card and its code are unchanged. Try again later.") from None


def due_sales(*, at=None):
    """Scheduled cards whose day has come (the maintenance sweep queues any whose task was lost)."""
    day = timezone.localdate(at or timezone.now())
    return GiftCardSale.objects.filter(status=GiftCardSale.Status.SCHEDULED, deliver_on__lte=day)


def queue_due_deliveries(*, at=None) -> int:
    """Queue the e-mail of every due scheduled card with no delivery task waiting or running."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import DELIVER, deliver_gift_card

    queued = 0
    for pk in list(due_sales(at=at).values_list("pk", flat=True)):
        with transaction.atomic():
            if DBTaskResult.objects.filter(task_path=DELIVER, status__in=("READY", "RUNNING"),
                                           args_kwargs__args__0=pk).exists():
                continue
            deliver_gift_card.enqueue(pk)
            queued += 1
    return queued


def failed_deliveries():
    """Cards whose e-mail was given up (staff resend them)."""
    return GiftCardSale.objects.filter(status=GiftCardSale.Status.FAILED).select_related("order")
