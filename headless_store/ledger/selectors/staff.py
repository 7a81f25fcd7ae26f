"""Reads for staff: every account, searched and filtered (dashboard and staff API share this)."""
from django.contrib.auth import get_user_model
from django.db.models import Q
from oscar.core.loading import get_model

from .. import codes, exceptions, names
from ..inputs import parse_pk
from ..models import Account

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
        owned = Account.objects.filter(Q(primary_user__email__iexact=email) | Q(secondary_users__email__iexact=email))
        accounts = accounts.filter(pk__in=owned.values("pk"))
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
