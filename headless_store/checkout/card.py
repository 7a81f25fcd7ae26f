"""Pay a basket partly from ledger accounts and the rest by card (a split checkout).

1. `start_card_checkout` (one transaction): the basket is locked and validated as for a wallet
   payment, the ledger sources are *held* for Redemptions (`facade.hold`), the order is placed in
   the "Pending payment" status (Oscar's way of placing an order before payment) and the basket
   is frozen. The CardCheckout row says what the card must pay and until when (the holds' expiry,
   ACCOUNTS_HOLD_TIMEOUT).
2. `pay_card_checkout`: the card is authorised through the gateway, outside any transaction
   (a processor's state is not rolled back with ours). Approved: one short transaction captures
   the holds (transfers to Redemptions, posted last), records the payment sources and events,
   moves the order to "Pending", submits the basket and enqueues the card's capture (a task the
   workers run right after commit: the authorisation keeps the money meanwhile). Declined or no
   answer: the holds are voided, the order is cancelled (its stock allocations released, a note
   says why) and the basket is open again, so the shopper can start over; nothing stays taken.
   A soft decline ("try again") keeps the checkout and its holds for another attempt.
3. `cancel_card_checkout`: the shopper gives up; as a decline.
4. `sweep_card_checkouts` (`manage.py checkout_sweep`, on a schedule): checkouts past their
   expiry (the shopper walked away, or a worker died mid-payment) end as EXPIRED, voiding any
   card authorisation the processor made for them; paid checkouts whose card capture failed are
   captured again.

Every step locks the CardCheckout row and moves it through one state at a time, so two requests
for one checkout never both charge the card. If the process dies at any point, the holds expire
and the sweep ends the checkout: no money is held for ever, and none is taken without an order.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from headless_store.kernel.refusals import Refusal
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger import facade
from headless_store.ledger.conf import settings as ledger_settings
from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.ownership import single_owner_usable_by

from . import exceptions
from .accounts import AccountsCheckoutSerializer, CheckoutDetails, run_checkout
from .allocation import check_sources
from .bookkeeping import (
    PAYMENT_EVENT_NAME,
    PAYMENT_SOURCE_NAME,
    paid_order_lines,
    payment_event_types,
    record_payment_events,
    source_type_named,
)
from .gateways import (
    GatewayError,
    GatewayUnavailable,
    PaymentDeclined,
    PaymentNeedsRetry,
    check_card_token,
    get_gateway,
)
from .models import CardCheckout
from .signals import order_paid
from .tasks import capture_card as capture_card_task

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")
PaymentTransaction = get_model("payment", "Transaction")
EventHandler = get_class("order.processing", "EventHandler")

# Oscar order statuses the card checkout sets (an order's status, not the checkout's: a checkout
# is PAID when its order is paid, and the order then awaits fulfilment with Oscar's usual
# "Pending").
ORDER_AWAITING_PAYMENT = "Pending payment"
ORDER_PAID = "Pending"
ORDER_CANCELLED = "Cancelled"
CARD_AUTHORISED = "Card authorised"
CARD_CAPTURED = "Card captured"

_ENDINGS = {
    CardCheckout.Status.FAILED: "was declined",
    CardCheckout.Status.CANCELLED: "was cancelled",
    CardCheckout.Status.EXPIRED: "expired",
}


class CardCheckoutSerializer(AccountsCheckoutSerializer):
    """Place the order awaiting payment, hold the ledger allocations, freeze the basket."""

    checkout: CardCheckout | None = None
    #: The card comes with the start: the first attempt begins in the same transaction.
    charge_now: bool = False

    def get_initial_order_status(self, basket):
        return ORDER_AWAITING_PAYMENT

    def idempotent_result(self) -> dict:
        return {"checkout": self.checkout.pk}

    def create(self, validated_data):
        basket = validated_data["basket"]
        currency = validated_data["order_total"].currency
        total = validated_data["order_total"].incl_tax
        order, redemptions, user = self.place_for_ledger(validated_data, paid=False)
        expires_at = timezone.now() + timedelta(seconds=ledger_settings.ACCOUNTS_HOLD_TIMEOUT)
        # No savepoints: the checkout's transaction ends on any refusal (all or nothing).
        self.holds = self.per_payment(lambda account, amount: facade.hold(
            account, redemptions, amount, user=user, merchant_reference=order.number,
            description=f"Payment for order {order.number}", expires_at=expires_at, savepoint=False))
        ledger_amount = sum((amount for _account, amount in self.allocations), Decimal("0"))
        Basket.objects.filter(pk=basket.pk).update(status=Basket.FROZEN)  # basket.freeze(), without re-saving it
        begin = self.charge_now or ledger_amount == total  # nothing for the card: complete at once
        self.checkout = CardCheckout.objects.create(
            token=secrets.token_urlsafe(24), order=order, basket_id=basket.pk, user=user, currency=currency,
            ledger_amount=ledger_amount, card_amount=total - ledger_amount, expires_at=expires_at,
            gateway=get_gateway().source_name, attempt=1 if begin else 0,
            status=CardCheckout.Status.AUTHORISING if begin else CardCheckout.Status.PENDING,
        )
        return order


@dataclass
class CardCheckoutResult:
    checkout: CardCheckout
    transfers: list
    replayed: bool = False


def start_card_checkout(*, request, basket_id: int, payments, details: CheckoutDetails,
                        card_token: str | None = None, idempotency_key: str | None = None) -> CardCheckoutResult:
    """Hold the ledger sources and place the order awaiting the card (step 1); with `card_token`,
    charge the card at once as `pay_card_checkout` would (one round trip). With nothing left
    for the card, the checkout completes at once (status PAID)."""
    check_sources(payments, required=False)
    if card_token is not None:
        card_token = check_card_token(get_gateway(), card_token)
    serializer, result = run_checkout(CardCheckoutSerializer, operation="start_card_checkout", request=request,
                                      basket_id=basket_id, payments=payments, details=details,
                                      idempotency_key=idempotency_key, leave_rest=True,
                                      options={"charge_now": bool(card_token)}, fingerprint={"card": bool(card_token)})
    if serializer is None:  # a retry with the same idempotency key
        checkout = CardCheckout.objects.select_related("order").get(pk=result["checkout"])
        if checkout.status in CardCheckout.ENDED and card_token:  # the first try's card was refused
            raise _about(exceptions.CheckoutClosed(
                f"This checkout {_ENDINGS[checkout.status]}; nothing was taken. Start again with a new idempotency key."
            ), checkout)
        if checkout.status != CardCheckout.Status.PENDING or not card_token:
            return CardCheckoutResult(checkout=checkout, transfers=captured_transfers(checkout), replayed=True)
        checkout, _replay = _begin_attempt(request, checkout.token)
    else:
        checkout = serializer.checkout
        if checkout.status != CardCheckout.Status.AUTHORISING:
            return CardCheckoutResult(checkout=checkout, transfers=[])  # waits for payCardCheckout
        checkout.holds = serializer.holds  # placed in this call: _complete need not look them up
    if checkout.card_amount == 0:
        return CardCheckoutResult(checkout=checkout, transfers=_complete(checkout, None))
    return _charge(checkout, card_token)


def pay_card_checkout(*, request, token: str, card_token: str) -> CardCheckoutResult:
    """Authorise the card for what the ledger does not cover and complete the order (step 2).
    Paying a checkout that is already paid returns it again (a safe retry)."""
    card_token = check_card_token(get_gateway(), card_token)
    checkout, replay = _begin_attempt(request, token)
    if replay:
        return CardCheckoutResult(checkout=checkout, transfers=captured_transfers(checkout), replayed=True)
    return _charge(checkout, card_token)


def _charge(checkout: CardCheckout, card_token: str) -> CardCheckoutResult:
    """AUTHORISING: ask the processor, then complete the order or end the checkout."""
    gateway = get_gateway()
    try:
        authorisation = gateway.authorise(
            amount=checkout.card_amount, currency=checkout.currency, token=card_token,
            reference=checkout.order.number, idempotency_key=checkout.authorisation_key,
        )
    except PaymentNeedsRetry as error:
        _reopen(checkout)
        raise _about(exceptions.CardRetry(str(error), field=error.field or "card_token"), checkout) from error
    except PaymentDeclined as error:
        _end(checkout, CardCheckout.Status.FAILED, f"Card declined: {error}")
        raise _about(exceptions.CardDeclined(
            f"{error} Nothing was taken from your accounts; start the checkout again to pay another way.",
            field=error.field or "card_token",
        ), checkout) from error
    except GatewayUnavailable as error:
        _void_lost_authorisation(checkout)
        _end(checkout, CardCheckout.Status.FAILED, f"Card processor unavailable: {error}")
        raise _about(exceptions.PaymentGatewayError(
            "The card processor did not answer. Nothing was charged; please start the checkout again."
        ), checkout) from error
    try:
        transfers = _complete(checkout, authorisation)
    except BaseException as error:
        # The holds could not be captured (expired meanwhile, an account frozen or closed since the
        # start, or the database failed): give the card its money back and end the checkout. If
        # even that fails, the sweep finishes it.
        void_quietly(gateway, authorisation.reference)
        refused = isinstance(error, Refusal) and not isinstance(error, exceptions.CheckoutClosed)
        try:
            if refused:  # the ledger refused (ACCOUNT_FROZEN, ...): the answer says what happened
                error.args = (f"{error} Nothing was taken: the card was not charged and the order was cancelled; "
                              "start the checkout again to pay another way.",)
                _end(checkout, CardCheckout.Status.FAILED, f"Refused while taking the money: {error}")
            else:
                _end(checkout, CardCheckout.Status.EXPIRED, "The holds could not be captured.")
        except Exception:  # noqa: BLE001 - the original error matters more; the sweep ends it
            logger.exception("Could not end card checkout %s; the sweep will", checkout.pk)
        if isinstance(error, Refusal):
            _about(error, checkout)
        raise
    return CardCheckoutResult(checkout=checkout, transfers=transfers)


def _about(error: Refusal, checkout: CardCheckout) -> Refusal:
    """The refusal, carrying the checkout it is about (re-read: the caller shows its new state)."""
    error.checkout = CardCheckout.objects.select_related("order").get(pk=checkout.pk)
    return error


def cancel_card_checkout(*, request, token: str) -> CardCheckout:
    """The shopper gives up: release the holds, cancel the order, reopen the basket. Cancelling
    an ended checkout changes nothing; a paid one cannot be cancelled here (staff refund it)."""
    with transaction.atomic():
        checkout = find_card_checkout(request=request, token=token, lock=True)
        if checkout.status == CardCheckout.Status.PAID:
            raise _about(exceptions.CheckoutClosed("This checkout is paid; ask the shop for a refund."), checkout)
        if checkout.status == CardCheckout.Status.AUTHORISING:
            raise _about(exceptions.CheckoutInProgress("A card payment for this checkout is under way."), checkout)
        if checkout.status == CardCheckout.Status.PENDING:
            _end_locked(checkout, CardCheckout.Status.CANCELLED, "Cancelled by the shopper.")
    return checkout


def find_card_checkout(*, request, token: str, lock: bool = False) -> CardCheckout:
    """The caller's checkout by its secret id (locked with `lock`), else CheckoutNotFound."""
    checkouts = CardCheckout.objects.select_related("order")
    if lock:
        checkouts = checkouts.select_for_update(of=("self",))
    user_id = request.user.pk if request.user.is_authenticated else None
    checkout = checkouts.filter(single_owner_usable_by(user_id), token=str(token or "")[:64]).first()
    if checkout is None:
        raise exceptions.CheckoutNotFound("No checkout with this id belongs to you.", field="checkout_id")
    return checkout


def sweep_card_checkouts(*, at=None) -> dict:
    """End the checkouts whose time is up and capture cards whose capture failed; counts."""
    at = at or timezone.now()
    expired = captured = 0
    stale = CardCheckout.objects.filter(
        status__in=[CardCheckout.Status.PENDING, CardCheckout.Status.AUTHORISING], expires_at__lte=at
    ).values_list("pk", flat=True)
    for pk in list(stale):
        checkout = CardCheckout.objects.select_related("order").get(pk=pk)
        was_authorising = checkout.status == CardCheckout.Status.AUTHORISING
        # End it first, then void: a payment completing right now wins the row (AUTHORISING ->
        # PAID) and keeps its card; voiding first took the card of an order that then got paid.
        if _end(checkout, CardCheckout.Status.EXPIRED, "The checkout expired before the card was paid.", at=at):
            expired += 1
            if was_authorising:
                _void_lost_authorisation(checkout)  # the worker died while the card was being authorised
    uncaptured = CardCheckout.objects.filter(
        status=CardCheckout.Status.PAID, card_amount__gt=0, card_captured=0
    ).values_list("pk", flat=True)
    for pk in list(uncaptured):
        if capture_card(CardCheckout.objects.select_related("order").get(pk=pk)):
            captured += 1
    return {"expired": expired, "captured": captured}


def captured_transfers(checkout: CardCheckout) -> list:
    """The ledger transfers that paid this checkout's order (its captured holds)."""
    return list(Transfer.objects.filter(hold__merchant_reference=checkout.order.number,
                                        hold__status=Hold.Status.CAPTURED).order_by("pk"))


def held_accounts(checkout: CardCheckout) -> list:
    """The accounts this checkout holds, charged or released, as they are now, in hold order."""
    holds = getattr(checkout, "holds", None) or Hold.objects.filter(merchant_reference=checkout.order.number)
    sources = list(dict.fromkeys(hold.source_id for hold in sorted(holds, key=lambda hold: hold.pk)))
    rows = Account.objects.select_related("account_type", "product_range").in_bulk(sources)
    return [rows[pk] for pk in sources]


def capture_card(checkout: CardCheckout) -> bool:
    """Take the authorised card amount (after the order is paid); False if the processor failed,
    in which case the sweep tries again (the authorisation keeps the money reserved meanwhile)."""
    if checkout.card_amount == 0 or checkout.card_captured:
        return False
    try:
        reference = get_gateway().capture(checkout.authorisation, checkout.card_amount,
                                          idempotency_key=f"{checkout.token}-capture")
    except GatewayError:
        logger.warning("Card capture for order %s failed; the sweep retries it", checkout.order.number)
        return False
    with transaction.atomic():
        if not CardCheckout.objects.filter(pk=checkout.pk, card_captured=0).update(card_captured=checkout.card_amount):
            return False
        # Oscar's Source.debit(), without reading the row first.
        Source.objects.filter(pk=checkout.card_source_id).update(
            amount_debited=F("amount_debited") + checkout.card_amount)
        PaymentTransaction.objects.create(source_id=checkout.card_source_id, txn_type=PaymentTransaction.DEBIT,
                                          amount=checkout.card_amount, reference=reference)
        record_payment_events(checkout.order, [(CARD_CAPTURED, checkout.card_amount, reference)],
                              getattr(checkout, "lines", None), getattr(checkout, "event_types", None))
    checkout.card_captured = checkout.card_amount
    return True


# --- the state machine ---------------------------------------------------------------------------

def _begin_attempt(request, token: str) -> tuple[CardCheckout, bool]:
    """PENDING -> AUTHORISING (one attempt at a time); (checkout, True) if it is paid already."""
    with transaction.atomic():
        checkout = find_card_checkout(request=request, token=token, lock=True)
        if checkout.status == CardCheckout.Status.PAID:
            return checkout, True
        if checkout.status == CardCheckout.Status.AUTHORISING:
            raise _about(exceptions.CheckoutInProgress(
                "A card payment for this checkout is under way; wait for its answer."), checkout)
        if checkout.status == CardCheckout.Status.PENDING and not checkout.has_expired():
            checkout.status = CardCheckout.Status.AUTHORISING
            checkout.attempt += 1
            checkout.save(update_fields=["status", "attempt", "date_updated"])
            return checkout, False
        if checkout.status == CardCheckout.Status.PENDING:
            _end_locked(checkout, CardCheckout.Status.EXPIRED, "The checkout expired before the card was paid.")
    raise _about(exceptions.CheckoutClosed(
        f"This checkout {_ENDINGS[checkout.status]}; nothing was taken. Start again from your basket."
    ), checkout)


def _reopen(checkout: CardCheckout) -> None:
    CardCheckout.objects.filter(pk=checkout.pk, status=CardCheckout.Status.AUTHORISING).update(
        status=CardCheckout.Status.PENDING, date_updated=timezone.now())


def _complete(checkout: CardCheckout, authorisation) -> list:
    """AUTHORISING -> PAID: capture the holds, record the payment, submit the basket; the
    transfers that took the held money."""
    with transaction.atomic():
        order = checkout.order
        card_source = None
        events = []
        if authorisation is not None:
            source_type = source_type_named(checkout.gateway)
            card_source = Source.objects.create(
                order=order, source_type=source_type, currency=checkout.currency,
                amount_allocated=checkout.card_amount, reference=authorisation.reference, label=authorisation.label,
            )
            events.append((CARD_AUTHORISED, checkout.card_amount, authorisation.reference))
        # AUTHORISING -> PAID by one conditional UPDATE, which locks the row as a read under lock
        # would: the sweep and a cancel find it PAID once this commits, or end it before.
        paid = {"status": CardCheckout.Status.PAID}
        if authorisation is not None:
            paid.update(authorisation=authorisation.reference, card_label=authorisation.label, card_source=card_source)
        if not CardCheckout.objects.filter(pk=checkout.pk, status=CardCheckout.Status.AUTHORISING).update(
                **paid, date_updated=timezone.now()):
            status = CardCheckout.objects.filter(pk=checkout.pk).values_list("status", flat=True).first()
            raise exceptions.CheckoutClosed(
                f"This checkout {_ENDINGS.get(status, 'ended')}; nothing was taken. Start again."
            )
        locked = checkout  # its row is locked now, and PAID
        # The holds this checkout placed (each is locked and checked again as it is captured).
        holds = getattr(checkout, "holds", None)
        if holds is None:
            holds = list(Hold.objects.filter(merchant_reference=order.number).order_by("pk"))
        order.set_status(ORDER_PAID)
        Basket.objects.filter(pk=locked.basket_id).update(status=Basket.SUBMITTED, date_submitted=timezone.now())
        # The ledger side last: capturing credits Redemptions, the row every checkout shares.
        try:
            # No savepoints: any refusal ends this transaction (all or nothing).
            transfers = [facade.capture(hold, savepoint=False) for hold in holds]
        except (ledger_exceptions.HoldExpired, ledger_exceptions.HoldNotPending) as error:
            raise exceptions.CheckoutClosed(
                "This checkout expired while the card was being authorised; nothing was taken. Start again."
            ) from error
        if transfers:
            Source.objects.filter(order=order, source_type__name=PAYMENT_SOURCE_NAME).update(
                amount_debited=locked.ledger_amount)
        # The card capture's payment event follows after commit: fetch its type and the lines once.
        checkout.lines = paid_order_lines(order)
        checkout.event_types = payment_event_types([CARD_AUTHORISED, PAYMENT_EVENT_NAME, CARD_CAPTURED])
        record_payment_events(order, [*events, *((PAYMENT_EVENT_NAME, t.amount, t.reference) for t in transfers)],
                              checkout.lines, checkout.event_types)
        if locked.card_amount:  # the card is captured by a worker once this commits
            capture_card_task.enqueue(locked.pk)
        order_paid.send(sender=Order, order=order, lines=checkout.lines)
    checkout.holds = holds  # as captured, for the answer
    for name, value in paid.items():
        setattr(checkout, name, value)
    return transfers


def _end(checkout: CardCheckout, status, why: str, *, at=None) -> bool:
    """PENDING/AUTHORISING -> an ended status; False if it had moved on already."""
    with transaction.atomic():
        locked = CardCheckout.objects.select_for_update(of=("self",)).select_related("order").get(pk=checkout.pk)
        if locked.status not in (CardCheckout.Status.PENDING, CardCheckout.Status.AUTHORISING):
            return False
        if at is not None and not locked.has_expired(at):
            return False
        _end_locked(locked, status, why)
    checkout.status = status
    return True


def _end_locked(checkout: CardCheckout, status, why: str) -> None:
    order = checkout.order
    for hold in Hold.objects.filter(merchant_reference=order.number, status=Hold.Status.PENDING):
        facade.void(hold)
    order.set_status(ORDER_CANCELLED)
    EventHandler().cancel_stock_allocations(order, order.lines.all())
    OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM,
                             message=f"{why} Held account money released; order cancelled.")
    Basket.objects.filter(pk=checkout.basket_id, status=Basket.FROZEN).update(status=Basket.OPEN)
    checkout.status, checkout.failure = status, why[:256]
    checkout.save(update_fields=["status", "failure", "date_updated"])


def _void_lost_authorisation(checkout: CardCheckout) -> None:
    void_lost_authorisation(get_gateway(), checkout.authorisation_key, checkout.order.number)


def void_lost_authorisation(gateway, idempotency_key: str, order_number: str) -> None:
    """The processor's answer was lost: if it did authorise under this key, release it."""
    try:
        lost = gateway.find(idempotency_key)
    except GatewayError:
        logger.warning("Could not look up the card authorisation of order %s", order_number)
        return
    if lost is not None:
        void_quietly(gateway, lost.reference)


def void_quietly(gateway, reference: str) -> None:
    try:
        gateway.void(reference)
    except Exception:  # noqa: BLE001 - an unvoided authorisation lapses at the processor
        logger.exception("Could not void card authorisation %s", reference)
