"""What finance and support staff do: open, edit, load and empty accounts, issue gift cards.

Permissions are checked by the caller (API or dashboard); these services record the acting
staff user on every transfer and move money only through the facade.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import core, exceptions, facade
from ..conf import settings
from ..inputs import check_date
from ..models import Account
from ..money import parse_amount, quantize, require_currency
from ..selectors.staff import source_accounts  # noqa: F401  (re-exported: callers load from these)
from .accounts import account_type, create_account
from .giftcards import IssuedGiftCard, issue_gift_card
from .idempotency import Scope, scoped_key

EDITABLE_FIELDS = (
    "name", "description", "primary_user", "credit_limit", "start_date", "end_date", "product_range",
    "can_be_used_for_non_products",
)


def _limits(amount: Decimal, account: Account, currency: str, field: str = "amount") -> None:
    minimum = Decimal(str(settings.ACCOUNTS_MIN_LOAD_VALUE or 0))
    if amount < minimum:
        raise exceptions.InvalidAmount(f"The minimum load is {quantize(minimum, currency)} {currency}.", field=field)
    if settings.ACCOUNTS_MAX_ACCOUNT_VALUE not in (None, ""):
        ceiling = Decimal(str(settings.ACCOUNTS_MAX_ACCOUNT_VALUE))
        room = ceiling - (account.balance if account.pk else 0)
        if amount > room:
            raise exceptions.InvalidAmount(
                f"An account may hold at most {quantize(ceiling, currency)} {currency}; "
                f"the most this account can take is {quantize(max(room, 0), currency)} {currency}.",
                field=field,
            )


def _aware_dates(fields: dict) -> dict:
    """Validity dates as aware datetimes: one without an offset is read in the shop's time zone
    (TIME_ZONE); one that cannot be stored (beyond year 9999 in UTC) is refused, naming it."""
    for name in ("start_date", "end_date"):
        value = fields.get(name)
        if value is None:
            continue
        check_date(value, name)
        try:
            value = timezone.make_aware(value) if timezone.is_naive(value) else value
            fields[name] = value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise exceptions.InvalidInput("This date is out of range.", field=name) from None
    return fields


def _check_window(start_date, end_date):
    if start_date and end_date and start_date >= end_date:
        raise exceptions.InvalidInput("The start date must be before the end date.", field="end_date")


def open_account(
    *, staff, name: str, type_code: str, currency: str, opening_balance=None, source: Account | None = None,
    secondary_users=(), **fields,
) -> Account:
    """Open an account (any type) and, with `opening_balance`, fund it from `source` (default: the
    Unpaid source account of its currency)."""
    require_currency(currency)
    _aware_dates(fields)
    _check_window(fields.get("start_date"), fields.get("end_date"))
    if fields.get("credit_limit") is not None and Decimal(fields["credit_limit"]) < 0:
        raise exceptions.InvalidAmount("A credit limit cannot be negative.", field="credit_limit")
    with transaction.atomic():
        try:
            account = create_account(
                name=name, account_type=account_type(type_code), currency=currency,
                secondary_users=secondary_users, **fields,
            )
        except IntegrityError:
            raise exceptions.InvalidInput(
                f"An account named {name!r} in {currency} already exists.", field="name"
            ) from None
        if opening_balance not in (None, "", 0):
            with exceptions.blame("opening_balance", exceptions.InvalidAmount):
                amount = parse_amount(opening_balance, currency)
            _limits(amount, account, currency, field="opening_balance")
            source = source or core.unpaid_source_account(currency)
            facade.transfer(source, account, amount, user=staff, description="Opening balance",
                            check_authorisation=False)
    return account


def update_account(account: Account, *, staff, secondary_users=None, **changes) -> Account:
    """Change an account's details. Balance and status never change here."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise exceptions.InvalidInput(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    _aware_dates(changes)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        _check_window(locked.start_date, locked.end_date)
        if locked.credit_limit is not None:
            if locked.credit_limit < 0:
                raise exceptions.InvalidAmount("A credit limit cannot be negative.", field="credit_limit")
            if locked.balance - locked.held < -locked.credit_limit:
                raise exceptions.InvalidAmount(
                    f"The account owes {quantize(locked.held - locked.balance, locked.currency)} {locked.currency}"
                    " (holds included); the credit limit cannot be lower than that.",
                    field="credit_limit",
                )
        locked.save()
        if secondary_users is not None:
            locked.secondary_users.set(secondary_users)
    return locked


def top_up_account(account: Account, amount, *, staff, source: Account | None = None, description=None,
                   idempotency_key=None):
    """Load money into an open account from `source` (default: Unpaid source). A retried
    `idempotency_key` (this staff member's) returns the first top-up."""
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, account.currency)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        _limits(amount, locked, locked.currency)
        source = source or core.unpaid_source_account(locked.currency)
        return facade.transfer(source, locked, amount, user=staff, description=description or "Top-up",
                               check_authorisation=False, idempotency_key=scoped_key(Scope.staff(staff), idempotency_key))


def withdraw_from_account(account: Account, amount, *, staff, destination: Account | None = None,
                          description=None, idempotency_key=None):
    """Return money from an account to `destination` (default: Unpaid source); at most its balance.
    A retried `idempotency_key` (this staff member's) returns the first withdrawal."""
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, account.currency)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if amount > locked.balance - locked.held:
            raise exceptions.InsufficientFunds(
                f"The account holds only {quantize(max(locked.balance - locked.held, 0), locked.currency)}"
                f" {locked.currency} that no hold reserves.",
                field="amount",
            )
        destination = destination or core.unpaid_source_account(locked.currency)
        return facade.transfer(locked, destination, amount, user=staff, description=description or "Withdrawal",
                               check_authorisation=False,
                               idempotency_key=scoped_key(Scope.staff(staff), idempotency_key))


def reverse_transfer(transfer, *, staff, amount=None, reason: str | None = None, idempotency_key=None):
    """Send a transfer's money back to where it came from, in full or in part (up to what is
    left). The permission to do so is the caller's to check (ledger/permissions.py); the owner
    check does not apply. A retried `idempotency_key` (this staff member's) returns the first
    reversal."""
    return facade.reverse(
        transfer, staff, description=reason or None, amount=amount, check_authorisation=False,
        idempotency_key=scoped_key(Scope.staff(staff), idempotency_key),
    )


@dataclass(frozen=True)
class GiftCardBatch:
    cards: list[IssuedGiftCard]

    @property
    def total(self) -> Decimal:
        return sum((card.account.balance for card in self.cards), Decimal("0"))


def issue_gift_cards(*, staff, count: int, amount, currency: str, source: Account | None = None,
                     **fields) -> GiftCardBatch:
    """Issue `count` gift cards of `amount` each in one transaction; their codes are returned
    once, here, and never again."""
    limit = settings.ACCOUNTS_MAX_GIFT_CARDS_PER_BATCH
    if not isinstance(count, int) or not 1 <= count <= limit:
        raise exceptions.InvalidInput(f"Issue between 1 and {limit} gift cards at a time.", field="count")
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, currency)
    _aware_dates(fields)
    _check_window(fields.get("start_date"), fields.get("end_date"))
    _limits(amount, Account(currency=currency), currency)
    source = source or core.unpaid_source_account(currency)
    with transaction.atomic():
        cards = [
            issue_gift_card(amount=amount, currency=currency, source=source, user=staff, **fields)
            for _ in range(count)
        ]
    return GiftCardBatch(cards)
