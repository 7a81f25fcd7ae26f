"""The expiry sweep: move each expired open account's balance to Lapsed and close it."""
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import core, exceptions, facade
from ..models import Account
from ..money import Money
from .accounts import close_account

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
                    facade.transfer(
                        account, core.lapsed_account(account.currency), amount, user=user,
                        description="Balance lapsed: account expired", check_authorisation=False,
                    )
                close_account(account)
                sweep.closed.append((account, amount))
        except exceptions.AccountException as exc:
            logger.error("Could not close expired account #%s: %s", pk, exc)
            sweep.skipped.append((Account.objects.get(pk=pk), str(exc)))
    return sweep
