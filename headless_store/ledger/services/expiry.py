"""The expiry sweeps: each expired open account's balance to Lapsed and the account closed; each
expired credit lot's free part to Lapsed (one transfer per lot). Each lot that lapses gets its
`credit.expired` notice in the lapse's transaction (services/notices.py)."""
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import core, exceptions, facade, lots
from ..models import Account, Lot
from ..money import Money
from .accounts import close_account
from .notices import record_lapses

logger = logging.getLogger("headless_store.ledger")


@dataclass
class ExpirySweep:
    closed: list[tuple[Account, Decimal]] = field(default_factory=list)
    skipped: list[tuple[Account, str]] = field(default_factory=list)

    def lapsed_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for account, amount in self.closed:
            totals[account.currency] = totals.get(account.currency, Decimal("0")) + amount
        return totals


def close_expired_accounts(*, at=None, user=None) -> ExpirySweep:
    """Sweep every open account whose end date has passed at `at` (default: now).

    Each account is handled in its own transaction under a row lock, so a payment racing the
    sweep either lands before it (and less lapses) or is refused after it. Zero balances are
    closed too. Left alone and reported in `skipped`, for staff to decide:
    - an overdrawn account (negative balance): closing it would write off what is owed;
    - a frozen account: staff froze it (a dispute, a fraud check), so its money does not move
      until they thaw it (the next sweep then lapses it) or close it by hand;
    - an account with pending holds: swept once they are captured or released.
    """
    at = at or timezone.now()
    sweep = ExpirySweep()
    candidates = Account.objects.expired(at).filter(
        status__in=[Account.Status.OPEN, Account.Status.FROZEN]).values_list("pk", flat=True)
    for pk in list(candidates.order_by("pk")):
        try:
            with transaction.atomic():
                account = Account.objects.select_for_update().get(pk=pk)
                if account.is_frozen():
                    sweep.skipped.append((account, "frozen by staff: thaw it to let it lapse, or close it"))
                    continue
                if not account.is_open() or not account.is_expired(at):
                    continue
                if account.balance < 0:
                    owed = Money(-account.balance, account.currency)
                    sweep.skipped.append((account, f"overdrawn by {owed}"))
                    continue
                if account.held > 0:  # a checkout in flight: swept once its holds are captured or released
                    held = Money(account.held, account.currency)
                    sweep.skipped.append((account, f"{held} held by pending holds"))
                    continue
                amount = account.balance
                if amount > 0:
                    posted = facade.transfer(
                        account, core.lapsed_account(account.currency), amount, user=user,
                        description="Balance lapsed: account expired", check_authorisation=False,
                        lot=lots.Lapse(),
                    )
                    record_lapses(posted, expires_at=account.end_date)
                close_account(account)
                sweep.closed.append((account, amount))
        except exceptions.AccountException as exc:
            logger.error("Could not close expired account #%s: %s", pk, exc)
            sweep.skipped.append((Account.objects.get(pk=pk), str(exc)))
    return sweep


@dataclass
class LotSweep:
    lapsed: list[tuple[Lot, Decimal]] = field(default_factory=list)
    skipped: list[tuple[Lot, str]] = field(default_factory=list)

    def lapsed_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for lot, amount in self.lapsed:
            currency = lot.account.currency
            totals[currency] = totals.get(currency, Decimal("0")) + amount
        return totals


def expire_lots(*, at=None, user=None) -> LotSweep:
    """Lapse every credit lot whose expiry has passed at `at` (default: now): one transfer to
    Lapsed per lot, for what pending holds do not reserve of it (the rest lapses on a later run,
    once they end). Each lot in its own transaction under its account's row lock. Lots of frozen
    accounts are left for staff, as the account sweep leaves frozen accounts."""
    at = at or timezone.now()
    sweep = LotSweep()
    candidates = (Lot.objects.filter(expires_at__lte=at, remaining__gt=0)
                  .exclude(account__status=Account.Status.CLOSED).values_list("pk", flat=True))
    for pk in list(candidates.order_by("pk")):
        try:
            with transaction.atomic():
                lot = Lot.objects.select_related("account").get(pk=pk)
                account = Account.objects.select_for_update().get(pk=lot.account_id)
                lot.refresh_from_db()  # read under the account's lock
                lot.account = account
                free = lot.remaining - lot.held
                if free <= 0:
                    continue
                if account.is_frozen():
                    sweep.skipped.append((lot, "frozen by staff: thaw the account to let the lot lapse"))
                    continue
                posted = facade.transfer(
                    account, core.lapsed_account(account.currency), free, user=user,
                    description=f"Credit lapsed: lot #{lot.pk} expired", check_authorisation=False,
                    lot=lots.Lapse(lot.pk),
                )
                record_lapses(posted, expires_at=lot.expires_at)
                sweep.lapsed.append((lot, free))
        except exceptions.AccountException as exc:
            logger.error("Could not lapse expired lot #%s: %s", pk, exc)
            sweep.skipped.append((Lot.objects.select_related("account").get(pk=pk), str(exc)))
    return sweep
