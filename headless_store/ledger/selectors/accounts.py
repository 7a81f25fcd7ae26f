"""Reads for a customer's view of the ledger: their accounts and their accounts' history.

Every function takes the viewer and returns only what they may see: accounts where they are the
primary or a secondary user, and the legs on those accounts.
"""
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .. import exceptions
from ..models import Account, AccountType, Transaction


def viewer_accounts(user, *, status=None, currency=None, type_codes=None, active=None):
    """The viewer's accounts (none for anonymous users), with their type."""
    accounts = Account.objects.visible_to(user).select_related("account_type", "product_range")
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


def legs_of(account_ids):
    """Legs on these accounts, with their transfer."""
    return Transaction.objects.filter(account_id__in=account_ids).select_related("transfer")


def accounts_by_id(account_ids) -> dict[int, Account]:
    """Accounts with their type, by id (counterparties of a page of legs, say)."""
    return Account.objects.select_related("account_type").in_bulk(list(account_ids))


def latest_legs_per_account(account_ids, *, limit: int, before_leg_id: int | None = None):
    """Up to `limit` newest legs of each account, with their transfer, in one query:
    {account_id: [legs]}."""
    legs = Transaction.objects.filter(account_id__in=account_ids)
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
        Transaction.objects.filter(account_id__in=account_ids)
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
