"""Reads of accounts and their history.

For a customer (`viewer_*`): each function takes the viewer and returns only what they may see:
accounts where they are the primary or a secondary user, and the legs on those accounts.
For staff (`search_accounts`, `account_by_pk`, ...): every account, searched and filtered (the
dashboard and the staff API share these), and the lookups their forms need.
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from oscar.core.loading import get_model

from headless_store.kernel.compiled import CompiledQuery

from .. import codes, exceptions, names, ownership
from ..inputs import check_moment, parse_pk
from ..models import Account, AccountType, Leg
from ..money import stored_amount


def viewer_accounts(user, *, status=None, currency=None, type_codes=None, active=None):
    """The viewer's accounts (none for anonymous users), with their type and what their credit
    lots usable now have free (so `amount_available` needs no query per account)."""
    accounts = (Account.objects.visible_to(user).select_related("account_type", "product_range")
                .with_usable_lot_credit())
    if status:
        accounts = accounts.filter(status__in=status)
    if currency:
        accounts = accounts.filter(currency=currency)
    if type_codes:
        accounts = accounts.filter(account_type__code__in=type_codes)
    if active is True:
        accounts = accounts.active()
    elif active is False:
        accounts = accounts.exclude(pk__in=Account.objects.active().values("pk"))
    return accounts


def viewer_account_ids(user) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    return list(Account.objects.visible_to(user).values_list("pk", flat=True))


def viewer_account(user, pk: int) -> Account:
    """One of the viewer's accounts, or AccountNotFound (also for other people's accounts)."""
    account = viewer_accounts(user).filter(pk=pk).first()
    if account is None:
        raise exceptions.AccountNotFound("No account with this ID.", field="account_id")
    return account


def paying_account(user, pk: int) -> Account | None:
    """The viewer's account `pk` as `viewer_accounts()` reads it (with what its usable lots have
    free), or None: the lookup every checkout paying from an account makes, compiled once
    (kernel/compiled.py)."""
    if user is None or not user.is_authenticated:
        return None
    return _PAYING_ACCOUNT.first(user=user.pk, pk=pk, at=timezone.now())


_PAYING_ACCOUNT = CompiledQuery(
    lambda user, pk, at: Account.objects.filter(ownership.owned_by(user)).with_usable_lot_credit(at=at)
    .filter(pk=pk).order_by()[:1],
    user=int, pk=int, at=datetime,
)


def legs_of(account_ids):
    """Legs on these accounts, with their transfer."""
    return Leg.objects.filter(account_id__in=account_ids).select_related("transfer")


def accounts_by_id(account_ids) -> dict[int, Account]:
    """Accounts with their type, by id (counterparties of a page of legs, say)."""
    return Account.objects.select_related("account_type").in_bulk(list(account_ids))


def latest_legs_per_account(account_ids, *, limit: int, before_leg_id: int | None = None):
    """Up to `limit` newest legs of each account, with their transfer, in one query:
    {account_id: [legs]}."""
    legs = Leg.objects.filter(account_id__in=account_ids)
    if before_leg_id is not None:
        legs = legs.filter(pk__lt=before_leg_id)
    legs = (
        legs.annotate(position=Window(RowNumber(), partition_by=[F("account_id")], order_by=F("id").desc()))
        .filter(position__lte=limit)
        .select_related("transfer")
        .order_by("account_id", "-id")
    )
    grouped = {pk: [] for pk in account_ids}
    for leg in legs:
        grouped[leg.account_id].append(leg)
    return grouped


def leg_counts(account_ids) -> dict[int, int]:
    counts = dict(
        Leg.objects.filter(account_id__in=account_ids)
        .values("account_id").annotate(n=Count("id")).values_list("account_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in account_ids}


@dataclass
class AccountTypeBranch:
    code: str
    name: str
    full_name: str  # ancestors' names and its own, joined with " / "
    children: list["AccountTypeBranch"] = field(default_factory=list)


def account_type_tree() -> list[AccountTypeBranch]:
    """The chart of accounts as a tree, in one query."""
    by_path, roots = {}, []
    for node in AccountType.objects.order_by("path"):
        parent = by_path.get(node.path[: -AccountType.steplen])
        branch = AccountTypeBranch(node.code, node.name, f"{parent.full_name} / {node.name}" if parent else node.name)
        by_path[node.path] = branch
        (parent.children if parent else roots).append(branch)
    return roots


ACCOUNT_RELATIONS = ("account_type", "primary_user", "product_range")


def search_accounts(
    *, search: str | None = None, type_codes=None, statuses=None, currency: str | None = None,
    owner_email: str | None = None, code_last4: str | None = None, is_active: bool | None = None,
    is_expired: bool | None = None,
):
    accounts = Account.objects.select_related(*ACCOUNT_RELATIONS)
    if type_codes:
        accounts = accounts.filter(account_type__code__in=type_codes)
    if statuses:
        accounts = accounts.filter(status__in=statuses)
    if currency:
        accounts = accounts.filter(currency=currency.upper())
    if owner_email:
        email = owner_email.strip()
        accounts = accounts.filter(ownership.owned_by_email(email))
    if code_last4:
        accounts = accounts.filter(code_last4=codes.normalise(code_last4)[-4:])
    if is_active is not None:
        active = Account.objects.active().values("pk")
        accounts = accounts.filter(pk__in=active) if is_active else accounts.exclude(pk__in=active)
    if is_expired is not None:
        expired = Account.objects.expired().values("pk")
        accounts = accounts.filter(pk__in=expired) if is_expired else accounts.exclude(pk__in=expired)
    if search and search.strip():
        term = search.strip()
        accounts = accounts.filter(
            Q(name__icontains=term) | Q(description__icontains=term) | Q(primary_user__email__icontains=term)
            | Q(code_last4=codes.normalise(term)[-4:])
        )
    return accounts


def user_by_email(email: str | None, *, field: str):
    """The user with this email (any case), None for no email, InvalidInput naming `field` otherwise."""
    if email in (None, ""):
        return None
    user = get_user_model().objects.filter(email__iexact=str(email).strip()).first()
    if user is None:
        raise exceptions.InvalidInput("No user has this email address.", field=field)
    return user


def product_range_by_id(value, *, field: str):
    """The Oscar product range with this id, None for no id, InvalidInput naming `field` otherwise."""
    if value in (None, ""):
        return None
    value = str(value)
    pk = parse_pk(value)
    found = get_model("offer", "Range").objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise exceptions.InvalidInput("No product range with this id.", field=field)
    return found


def account_by_pk(pk: int, *, field: str | None = None) -> Account:
    """Any account, with what staff pages show of it; AccountNotFound naming `field` otherwise."""
    account = Account.objects.select_related(*ACCOUNT_RELATIONS).filter(pk=pk).first()
    if account is None:
        raise exceptions.AccountNotFound("No account with this ID.", field=field)
    return account


def counter_account(pk: int | None, currency: str, *, field: str) -> Account | None:
    """A Bank, Unpaid source or Promotions account of `currency` to load from or return to."""
    if pk is None:
        return None
    account = source_accounts(currency).filter(pk=pk).first()
    if account is None:
        raise exceptions.InvalidInput(
            "Money can only come from or go to the Bank, Unpaid source or Promotions account of this currency.",
            field=field,
        )
    return account


def source_accounts(currency: str | None = None):
    """Accounts money may be loaded from or returned to: Bank, Unpaid source, Promotions
    (of one currency, or of all)."""
    accounts = Account.objects.filter(
        account_type__code__in=(names.BANK, names.UNPAID_SOURCES, names.PROMOTIONS), status=Account.Status.OPEN
    )
    return accounts if currency is None else accounts.filter(currency=currency)


def balance_at(account_id: int, at) -> Decimal:
    """The account's balance just after the last leg posted at or before `at` (zero before its
    first): one index seek on (account, date_created, id) for that leg's balance_after, however
    long the history. A moment without its zone, or outside 1970-2199, is InvalidInput (as a
    statement's period: neither guesses a zone)."""
    at = check_moment(at, "at")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # migration 0007: the same query, its plan kept
            cursor.execute("SELECT ledger_balance_at(%s, %s)", [account_id, at])
        else:
            cursor.execute(
                f"SELECT balance_after FROM {Leg._meta.db_table} WHERE account_id = %s"
                " AND date_created <= %s ORDER BY date_created DESC, id DESC LIMIT 1",
                [account_id, connection.ops.adapt_datetimefield_value(at)],
            )
        row = cursor.fetchone()
    return Decimal("0") if row is None else stored_amount(row[0])


def balance_now(account_id: int) -> Decimal:
    """The account's balance now: its row (the same kind of statement as balance_at)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT balance FROM {Account._meta.db_table} WHERE id = %s", [account_id])
        return stored_amount(cursor.fetchone()[0])
