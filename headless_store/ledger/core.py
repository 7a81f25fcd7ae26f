"""The core accounts (Bank, Unpaid source, Promotions, Redemptions, Lapsed), one per currency.

Found by the names in settings, as in django-oscar-accounts. `oscar_accounts_init` creates them
for ACCOUNTS_CURRENCIES; another currency's core accounts are opened the first time they are
needed (a unique index keeps one per name and currency).
"""
from decimal import Decimal

from django.db import IntegrityError, transaction

from headless_store.kernel.compiled import CompiledQuery

from . import names
from .conf import settings
from .models import Account
from .money import currency_exponent
from .services.accounts import account_type


def _core_account(setting_name: str, currency: str | None) -> Account:
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    name = getattr(settings, setting_name)
    account = _CORE.first(name=name, currency=currency)
    if account is not None:
        return account
    return ensure_core_account(name, currency)[0]


#: `Account.objects.filter(**names.core_lookup(name, currency)).first()`, compiled once.
_CORE = CompiledQuery(
    lambda name, currency: Account.objects.filter(**names.core_lookup(name, currency)).order_by("pk")[:1],
    name=str, currency=str,
)


def ensure_core_account(name: str, currency: str) -> tuple[Account, bool]:
    """Get or create one core account; returns (account, created)."""
    currency_exponent(currency)
    spec = {core_name: (type_code, unlimited) for core_name, type_code, unlimited in names.core_accounts()}
    type_code, unlimited = spec[name]
    lookup = names.core_lookup(name, currency)
    try:
        with transaction.atomic():
            return Account.objects.get_or_create(
                **lookup,
                defaults={
                    "account_type": account_type(type_code),
                    "credit_limit": None if unlimited else Decimal("0"),
                    "description": f"Core account: {name}",
                },
            )
    except IntegrityError:
        return Account.objects.get(**lookup), False


def bank_account(currency=None) -> Account:
    return _core_account("ACCOUNTS_BANK_NAME", currency)


def unpaid_source_account(currency=None) -> Account:
    return _core_account("ACCOUNTS_UNPAID_SOURCE_NAME", currency)


def promotions_account(currency=None) -> Account:
    return _core_account("ACCOUNTS_PROMOTIONS_NAME", currency)


def redemptions_account(currency=None) -> Account:
    return _core_account("ACCOUNTS_REDEMPTIONS_NAME", currency)


def lapsed_account(currency=None) -> Account:
    return _core_account("ACCOUNTS_LAPSED_NAME", currency)
