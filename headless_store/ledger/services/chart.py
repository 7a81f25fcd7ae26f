"""The default chart of accounts and the core accounts, created idempotently."""
from django.db import transaction

from .. import conf, names
from ..core import ensure_core_account
from ..models import Account, AccountType


def create_default_chart(currencies=None) -> list[str]:
    """Create the missing account types and core accounts; return what was created."""
    currencies = list(currencies or conf.currencies())
    created = []
    types = {node.code: node for node in AccountType.objects.all()}
    core_names = [name for name, _code, _unlimited in names.core_accounts()]
    existing_core = set(
        Account.objects.filter(name__in=core_names, currency__in=currencies, **names.core_lookup())
        .values_list("name", "currency")
    )
    with transaction.atomic():

        def walk(nodes, parent):
            for code, name, children in nodes:
                node = types.get(code)
                if node is None:
                    new = AccountType(code=code, name=name)
                    if parent is None:
                        node = AccountType.objects.add_root(instance=new)
                    else:
                        parent.refresh_from_db()  # treebeard keeps numchild on the instance
                        node = AccountType.objects.add_child(parent, instance=new)
                    created.append(f"account type {node.full_name}")
                walk(children, node)

        walk(names.DEFAULT_CHART, None)
        for currency in currencies:
            for name in core_names:
                if (name, currency) in existing_core:
                    continue
                account, was_created = ensure_core_account(name, currency)
                if was_created:
                    created.append(f"account {account.name} ({currency})")
    return created
