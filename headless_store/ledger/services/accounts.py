"""Account lifecycle: opening accounts (staff's `open_account`, with an opening balance, and
`update_account`; wallets on first use) and the OPEN -> FROZEN -> OPEN, * -> CLOSED transitions.

Each transition is one conditional UPDATE that checks the current state in the database, so a
stale instance or a racing request cannot, say, thaw a closed account or close one that just
received money. Balances never change here; money moves only through the facade.
"""
import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import core, exceptions, facade, names
from ..conf import settings
from ..inputs import check_date
from ..models import Account, AccountType
from ..money import Money, currency_exponent, parse_amount, require_currency

_ACCOUNT = Account._meta.db_table


def _transition(account: Account, *, to: str, allowed_from: tuple[str, ...], require_empty=False):
    if account.pk is None:  # an unsaved account: nothing in the database to change
        return _transition_in_memory(account, to=to, allowed_from=allowed_from, require_empty=require_empty)
    sql = (
        f"UPDATE {_ACCOUNT} SET status = %s, date_updated = %s WHERE id = %s AND status IN ("
        + ", ".join(["%s"] * len(allowed_from))
        + ")"
    )
    params = [to, connection.ops.adapt_datetimefield_value(timezone.now()), account.pk, *allowed_from]
    if require_empty:
        sql += " AND balance = 0"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.rowcount == 1
        current = Account.objects.values("status", "balance").get(pk=account.pk)
    account.status, account.balance = current["status"], current["balance"]
    if changed:
        return account
    if current["status"] == Account.Status.CLOSED:
        raise exceptions.ClosedAccount("The account is closed; closed accounts cannot be reopened.")
    if require_empty and current["balance"] != 0:
        raise exceptions.AccountNotEmpty(
            f"The account still holds {Money(current['balance'], account.currency)}; "
            "empty it before closing."
        )
    if current["status"] == to:
        raise exceptions.AccountException(f"The account is already {account.get_status_display().lower()}.")
    raise exceptions.AccountException(
        f"A {account.get_status_display().lower()} account cannot be changed that way."
    )


def _transition_in_memory(account: Account, *, to: str, allowed_from, require_empty: bool) -> Account:
    if account.status == Account.Status.CLOSED:
        raise exceptions.ClosedAccount("The account is closed; closed accounts cannot be reopened.")
    if require_empty and account.balance != 0:
        raise exceptions.AccountNotEmpty(
            f"The account still holds {Money(account.balance, account.currency)}; empty it before closing."
        )
    if account.status not in allowed_from:
        raise exceptions.AccountException(
            f"A {account.get_status_display().lower()} account cannot be changed that way."
        )
    account.status = to
    return account


def close_account(account: Account) -> Account:
    """Close an empty open or frozen account. Raises AccountNotEmpty unless the balance is 0."""
    return _transition(
        account, to=Account.Status.CLOSED, allowed_from=("OPEN", "FROZEN"), require_empty=True
    )


def freeze_account(account: Account) -> Account:
    """Stop all money movement on an open account until it is thawed."""
    return _transition(account, to=Account.Status.FROZEN, allowed_from=("OPEN",))


def thaw_account(account: Account) -> Account:
    """Reopen a frozen account (never a closed one)."""
    return _transition(account, to=Account.Status.OPEN, allowed_from=("FROZEN",))


def account_type(code: str) -> AccountType:
    try:
        return AccountType.objects.get(code=code)
    except AccountType.DoesNotExist:
        raise exceptions.InvalidInput(
            f"Account type {code!r} does not exist; run `manage.py oscar_accounts_init`.", field="type_code"
        ) from None


def create_account(*, name: str, account_type: AccountType, currency: str, **fields) -> Account:
    """Open a new, empty account. Fund it with facade.transfer()."""
    currency_exponent(currency)  # refuses unknown currencies
    secondary_users = fields.pop("secondary_users", ())
    account = Account(name=name, account_type=account_type, currency=currency, **fields)
    account.save()
    if secondary_users:
        account.secondary_users.set(secondary_users)
    return account


def get_or_create_wallet(*, user, currency: str, type_code: str = names.STORE_CREDIT) -> Account:
    """The user's default open (or frozen) wallet of this type and currency, opened on first use.

    A partial unique index allows one default wallet per user, type and currency, so two
    requests racing to open it end with one wallet. Staff may open further accounts of any type
    for a user; those are not default wallets.
    """
    kind = account_type(type_code)
    lookup = Q(primary_user=user, account_type=kind, currency=currency, is_default_wallet=True)
    existing = Account.objects.filter(lookup).exclude(status=Account.Status.CLOSED).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return create_account(
                name=f"{kind.name} ({currency})", account_type=kind, currency=currency,
                primary_user=user, is_default_wallet=True,
            )
    except IntegrityError:
        existing = Account.objects.filter(lookup).exclude(status=Account.Status.CLOSED).first()
        if existing is None:
            raise
        return existing


EDITABLE_FIELDS = (
    "name", "description", "primary_user", "credit_limit", "start_date", "end_date", "product_range",
    "can_be_used_for_non_products",
)


def check_limits(amount: Decimal, account: Account, currency: str, field: str = "amount") -> None:
    minimum = Decimal(str(settings.ACCOUNTS_MIN_LOAD_VALUE or 0))
    if amount < minimum:
        raise exceptions.InvalidAmount(f"The minimum load is {Money(minimum, currency)}.", field=field)
    if settings.ACCOUNTS_MAX_ACCOUNT_VALUE not in (None, ""):
        ceiling = Decimal(str(settings.ACCOUNTS_MAX_ACCOUNT_VALUE))
        room = ceiling - (account.balance if account.pk else 0)
        if amount > room:
            raise exceptions.InvalidAmount(
                f"An account may hold at most {Money(ceiling, currency)}; "
                f"the most this account can take is {Money(max(room, 0), currency)}.",
                field=field,
            )


def aware_dates(fields: dict) -> dict:
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


def check_window(start_date, end_date):
    if start_date and end_date and start_date >= end_date:
        raise exceptions.InvalidInput("The start date must be before the end date.", field="end_date")


def open_account(
    *, staff, name: str, type_code: str, currency: str, opening_balance=None, source: Account | None = None,
    secondary_users=(), **fields,
) -> Account:
    """Open an account (any type) and, with `opening_balance`, fund it from `source` (default: the
    Unpaid source account of its currency)."""
    require_currency(currency)
    aware_dates(fields)
    check_window(fields.get("start_date"), fields.get("end_date"))
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
            check_limits(amount, account, currency, field="opening_balance")
            source = source or core.unpaid_source_account(currency)
            facade.transfer(source, account, amount, user=staff, description="Opening balance",
                            check_authorisation=False)
    return account


def update_account(account: Account, *, staff, secondary_users=None, **changes) -> Account:
    """Change an account's details. Balance and status never change here."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise exceptions.InvalidInput(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    aware_dates(changes)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        check_window(locked.start_date, locked.end_date)
        if locked.credit_limit is not None:
            if locked.credit_limit < 0:
                raise exceptions.InvalidAmount("A credit limit cannot be negative.", field="credit_limit")
            if locked.balance - locked.held < -locked.credit_limit:
                raise exceptions.InvalidAmount(
                    f"The account owes {Money(locked.held - locked.balance, locked.currency)}"
                    " (holds included); the credit limit cannot be lower than that.",
                    field="credit_limit",
                )
        locked.save()
        if secondary_users is not None:
            locked.secondary_users.set(secondary_users)
    return locked
