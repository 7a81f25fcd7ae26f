"""Account lifecycle: opening accounts and the OPEN -> FROZEN -> OPEN, * -> CLOSED transitions.

Each transition is one conditional UPDATE that checks the current state in the database, so a
stale instance or a racing request cannot, say, thaw a closed account or close one that just
received money. Balances never change here; money moves only through the facade.
"""
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import exceptions, names
from ..models import Account, AccountType
from ..money import currency_exponent

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
            f"The account still holds {current['balance']} {account.currency}; "
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
            f"The account still holds {account.balance} {account.currency}; empty it before closing."
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
