"""The default chart of accounts and the core accounts, created idempotently."""
from django.conf import settings
from django.db import transaction

from .. import names
from ..core import ensure_core_account
from ..models import AccountType


def _ensure_type(code, name, parent) -> tuple[AccountType, bool]:
    existing = AccountType.objects.filter(code=code).first()
    if existing is not None:
        return existing, False
    if parent is None:
        return AccountType.add_root(code=code, name=name), True
    # treebeard caches numchild on the instance: re-read the parent before adding a child.
    parent.refresh_from_db()
    return parent.add_child(code=code, name=name), True


def create_default_chart(currencies=None) -> list[str]:
    """Create the missing account types and core accounts; return what was created."""
    created = []
    with transaction.atomic():

        def walk(nodes, parent):
            for code, name, children in nodes:
                node, was_created = _ensure_type(code, name, parent)
                if was_created:
                    created.append(f"account type {node.full_name}")
                walk(children, node)

        walk(names.DEFAULT_CHART, None)
        for currency in currencies or settings.ACCOUNTS_CURRENCIES:
            for name, _type_code, _unlimited in names.core_accounts():
                account, was_created = ensure_core_account(name, currency)
                if was_created:
                    created.append(f"account {account.name} ({currency})")
    return created
