"""OA's `setup.create_default_accounts()`: the ledger's default chart and core accounts
(`oscar_accounts_init`), plus a child of "Deferred income" for each name in
ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES and an unlimited account for each of
ACCOUNTS_UNPAID_SOURCES. Unlike OA's, it can run again: it creates only what is missing."""
from django.db import transaction

from headless_store.ledger import names as ledger_names
from headless_store.ledger.services.accounts import account_type
from headless_store.ledger.services.chart import create_default_chart

from . import names


def create_default_accounts(currencies=None) -> list[str]:
    """Create what is missing; return what was created."""
    from .models import Account, AccountType

    with transaction.atomic():
        created = create_default_chart(currencies)
        deferred_income = account_type(ledger_names.DEFERRED_INCOME)
        for name in names.DEFERRED_INCOME_ACCOUNT_TYPES:
            if not AccountType.objects.filter(name=name).exists():
                parent = AccountType.objects.get(pk=deferred_income.pk)  # fresh: treebeard keeps numchild on it
                AccountType.objects.add_child(parent, instance=AccountType(name=name))
                created.append(f"account type {name}")
        unpaid = account_type(ledger_names.UNPAID_SOURCES)
        for currency in currencies or [None]:
            for name in names.UNPAID_ACCOUNTS:
                account = Account(name=name, account_type=unpaid, credit_limit=None,
                                  description=f"Core account: {name}")
                if currency:
                    account.currency = currency
                if not Account.objects.filter(**ledger_names.core_lookup(name, account.currency)).exists():
                    account.save()
                    created.append(f"account {name} ({account.currency})")
    return created

