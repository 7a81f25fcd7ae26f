"""Reads for staff: every account, searched and filtered (dashboard and staff API share this)."""
from django.db.models import Q

from .. import codes
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


def secondary_user_emails(account_ids) -> dict[int, list[str]]:
    """{account id: emails of its secondary users} for these accounts, in one query."""
    through = Account.secondary_users.through
    emails: dict[int, list[str]] = {}
    rows = through.objects.filter(account_id__in=account_ids).values_list("account_id", "user__email").order_by("pk")
    for account_id, email in rows:
        emails.setdefault(account_id, []).append(email)
    return emails
