"""Loyalty points: earned per paid order, pending until spendable, taken back on refunds.

Points are money in the ledger: a loyalty-points account of the order's currency, each point
worth one currency unit, credited from Promotions (the shop's marketing expense) with the order
number as merchant reference.

- **Earning** (`accrue_for_order`, a task enqueued in the payment's transaction): `rate` points
  per currency unit of what the shopper paid, not counting what gift cards and points paid,
  rounded down to the currency's smallest unit. Guests earn nothing (no account to credit).
- **Pending** points are held on the account (a ledger hold towards Promotions): they count in
  the balance but not in `amountAvailable`. With "a number of days", the hold expires at that
  time and the sweep releases it; with "at dispatch", it is voided when the order is marked
  Complete; with "at placement" there is no hold.
- **Taking back** (`take_back`): a refund takes back `earned x refunded / order total` (to the
  nearest smallest unit); a
  cancellation takes back all that is left. Pending points go back first; spendable ones as far
  as the account still has them. Points that were already spent are never taken below zero: the
  missing part is recorded as `shortfall` on the order's accrual (and in the event) for the shop
  to decide on, e.g. to deduct from a later refund.
"""
import logging
from datetime import timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from headless_store.ledger import core, facade, names
from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.money import quantize
from headless_store.ledger.services.accounts import get_or_create_wallet

from . import events
from .models import LoyaltyAccrual, LoyaltyRule

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

#: Payments that earn no points: gift cards and the points themselves.
NOT_EARNING = (names.GIFT_CARDS, names.LOYALTY_POINTS)
#: How long "at dispatch" points wait at most before the hold lapses and they become spendable.
DISPATCH_WAIT = timedelta(days=365)


def points_for(basis: Decimal, rate: Decimal, currency: str) -> Decimal:
    """`rate` points per unit of `basis`, rounded down to the currency's smallest unit."""
    if basis <= 0 or rate <= 0:
        return Decimal("0")
    return quantize(basis * rate, currency, ROUND_DOWN)


def pro_rata(earned: Decimal, refunded: Decimal, total: Decimal, currency: str) -> Decimal:
    """The points a refund of `refunded` out of `total` takes back, to the nearest smallest unit."""
    if total <= 0 or refunded >= total:
        return earned
    return quantize(earned * refunded / total, currency, ROUND_HALF_UP)


def basis_of(order) -> Decimal:
    """What the shopper paid for the order, less what gift cards and points paid and less the lines
    that earn nothing (products of the classes in LOYALTY_EXCLUDED_PRODUCT_CLASSES: gift cards,
    which are money, not a purchase)."""
    from .conf import settings

    not_earning = sum(
        (t.amount for t in Transfer.objects.filter(
            merchant_reference=order.number, parent__isnull=True,
            destination=core.redemptions_account(order.currency),
            source__account_type__code__in=NOT_EARNING,
        )),
        Decimal("0"),
    )
    excluded = settings.LOYALTY_EXCLUDED_PRODUCT_CLASSES
    excluded_lines = sum(
        (line.line_price_incl_tax for line in order.lines.select_related("product__product_class",
                                                                          "product__parent__product_class")
         if line.product is not None and getattr(line.product.get_product_class(), "slug", None) in excluded),
        Decimal("0"),
    )
    return max(order.total_incl_tax - not_earning - excluded_lines, Decimal("0"))


def _pending_reference(order) -> str:
    return f"{order.number}/points"


def accrue_for_order(order_id: int) -> str:
    """Credit the order's points once (a second call changes nothing); what happened."""
    order = Order.objects.select_related("user").get(pk=order_id)
    rule = LoyaltyRule.current()
    if order.user_id is None:
        return "guest: no points"
    if not rule.is_active:
        return "loyalty is off"
    with transaction.atomic():
        if LoyaltyAccrual.objects.select_for_update().filter(order=order).exists():
            return "already credited"
        basis = basis_of(order)
        earned = points_for(basis, rule.rate, order.currency)
        if earned <= 0:
            return "nothing earned"
        wallet = get_or_create_wallet(user=order.user, currency=order.currency, type_code=rule.account_type_code)
        promotions = core.promotions_account(order.currency)
        facade.transfer(promotions, wallet, earned, merchant_reference=order.number,
                        description=f"Points for order {order.number}", check_authorisation=False)
        hold, spendable_at = None, timezone.now()
        if rule.spendable != LoyaltyRule.Spendable.PLACEMENT:
            wait = timedelta(days=rule.days) if rule.spendable == LoyaltyRule.Spendable.DAYS else DISPATCH_WAIT
            spendable_at = timezone.now() + wait
            if wait > timedelta(0):
                hold = facade.hold(wallet, promotions, earned, merchant_reference=_pending_reference(order),
                                   description=f"Pending points for order {order.number}", expires_at=spendable_at)
        accrual = LoyaltyAccrual.objects.create(order=order, account=wallet, basis=basis, earned=earned, hold=hold,
                                                spendable_at=spendable_at if hold else timezone.now())
        events.points_earned(accrual, order)
    return f"{earned} points"


def heal_accruals(*, at=None) -> dict:
    """The healing sweep's proof for points: every paid order of a signed-in customer, placed in the
    last TASK_HEAL_WINDOW_DAYS and settled for TASK_HEAL_GRACE_SECONDS, has its accrual or is owed
    none (accrue_for_order decides, once). Counts: checked, repaired, and still waiting (an account
    frozen: the order's own task waits too, and the next sweep tries again)."""
    from headless_store.checkout.selectors import paid_orders
    from headless_store.events.conf import settings as task_settings
    from headless_store.ledger.exceptions import ClosedAccount

    from .conf import settings

    at = at or timezone.now()
    grace, days = task_settings.TASK_HEAL_GRACE_SECONDS, task_settings.TASK_HEAL_WINDOW_DAYS
    cancelled = settings.LOYALTY_CANCELLED_STATUS
    orders = (paid_orders().filter(user__isnull=False, loyalty_accrual__isnull=True,
                                   date_placed__lte=at - timedelta(seconds=grace),
                                   date_placed__gte=at - timedelta(days=days))
              .exclude(status=cancelled).values_list("pk", flat=True))
    counts = {"paid_orders_checked": 0, "points_repaired": 0, "points_waiting": 0}
    if not LoyaltyRule.current().is_active:
        return counts
    for order_id in list(orders):
        counts["paid_orders_checked"] += 1
        try:
            if accrue_for_order(order_id).endswith(" points"):
                counts["points_repaired"] += 1
        except ClosedAccount:  # frozen (or closed): waits for staff, like the order's own task
            counts["points_waiting"] += 1
    if counts["points_repaired"]:
        logger.warning("Healing sweep: %d paid orders were missing their points and are now credited",
                       counts["points_repaired"])
    return counts


def make_spendable(order) -> bool:
    """Release an order's pending points now (dispatch); whether any were pending."""
    with transaction.atomic():
        accrual = LoyaltyAccrual.objects.select_for_update().filter(order=order).first()
        if accrual is None or accrual.hold_id is None:
            return False
        hold = Hold.objects.get(pk=accrual.hold_id)
        if not hold.is_pending():
            return False
        facade.void(hold)
        LoyaltyAccrual.objects.filter(pk=accrual.pk).update(spendable_at=timezone.now())
    return True


def take_back(order, *, refunded: Decimal | None = None, reason: str = "refund") -> Decimal:
    """Take back points for a refund of `refunded` (pro rata to the order total) or, without it,
    all that is left (a cancellation). Returns what was taken back; see the module docstring."""
    with transaction.atomic():
        accrual = LoyaltyAccrual.objects.select_for_update().filter(order=order).first()
        if accrual is None or accrual.remaining <= 0:
            return Decimal("0")
        if refunded is None:
            due = accrual.remaining
        else:
            due = min(pro_rata(accrual.earned, Decimal(refunded), order.total_incl_tax, order.currency), accrual.remaining)
        if due <= 0:
            return Decimal("0")
        promotions = core.promotions_account(order.currency)
        hold = Hold.objects.get(pk=accrual.hold_id) if accrual.hold_id else None
        pending = hold.amount if hold is not None and hold.is_pending() and not hold.has_expired() else Decimal("0")
        if pending:
            facade.void(hold)  # the pending points are the wallet's again; what stays pending is held anew
        wallet = Account.objects.get(pk=accrual.account_id)
        available = wallet.amount_available if wallet.amount_available is not None else due
        taken = min(due, available)
        if taken > 0:
            facade.transfer(wallet, promotions, taken, merchant_reference=order.number,
                            description=f"Points taken back ({reason}) for order {order.number}",
                            check_authorisation=False)
        still_pending = max(pending - taken, Decimal("0"))
        new_hold = accrual.hold_id
        if pending:
            new_hold = None
            if still_pending > 0:
                new_hold = facade.hold(Account.objects.get(pk=wallet.pk), promotions, still_pending,
                                       merchant_reference=_pending_reference(order),
                                       description=f"Pending points for order {order.number}",
                                       expires_at=hold.expires_at).pk
        shortfall = due - taken
        LoyaltyAccrual.objects.filter(pk=accrual.pk).update(
            taken_back=accrual.taken_back + taken, shortfall=accrual.shortfall + shortfall, hold=new_hold)
        events.points_reversed(order, wallet, taken=taken, shortfall=shortfall, reason=reason)
    return taken
