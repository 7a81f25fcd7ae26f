"""OA's models: AccountType, Account, Transfer, Transaction, as proxies of the ledger's.

Same rows, same invariants (balances change only through the facade, legs are write-once); on
top, OA's API: `Account()` with no type takes ACCOUNTS_DEFAULT_ACCOUNT_TYPE and with no currency
OSCAR_DEFAULT_CURRENCY; `code=` (constructor, attribute, lookups) is stored as the ledger's keyed
hash, the instance keeps the code it was given; `permitted_allocation(basket, shipping_total,
order_total)` beside the ledger's one-argument form; `as_dict()`, `_balance()`;
`Transfer.objects.create(source, destination, amount, ...)` posts through the facade."""
import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from headless_store.ledger import codes as ledger_codes
from headless_store.ledger import models as ledger
from headless_store.ledger.conf import settings as ledger_settings

from .abstract_models import ActiveAccountManager, ExpiredAccountManager, OAAccountManager, PostingManager

_NO_CODE = object()


class AccountType(ledger.AccountType):
    """OA creates types by name (`AccountType.add_root(name="Assets")`); the ledger finds them by
    `code`, made here from the name when none is given."""

    class Meta:
        proxy = True
        app_label = "oscar_accounts"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = _free_type_code(self.name)
        super().save(*args, **kwargs)


def _free_type_code(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", (name or "type").lower()).strip("_")[:56] or "type"
    code, n = base, 1
    while ledger.AccountType.objects.filter(code=code).exists():
        n += 1
        code = f"{base}_{n}"
    return code


def default_account_type() -> ledger.AccountType:
    """ACCOUNTS_DEFAULT_ACCOUNT_TYPE; the first account made without a type on an empty database
    creates the default chart, as `oscar_accounts_init` would."""
    code = ledger_settings.ACCOUNTS_DEFAULT_ACCOUNT_TYPE
    found = ledger.AccountType.objects.filter(code=code).first()
    if found is None:
        from headless_store.ledger.services.chart import create_default_chart

        create_default_chart()
        found = ledger.AccountType.objects.get(code=code)
    return found


class Account(ledger.Account):
    objects = OAAccountManager()
    active = ActiveAccountManager()
    expired = ExpiredAccountManager()

    class Meta:
        proxy = True
        app_label = "oscar_accounts"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not args and not self.currency:  # made in code, not loaded from the database
            self.currency = settings.OSCAR_DEFAULT_CURRENCY

    # -- OA's code: given in clear, stored as a keyed hash ------------------------------------
    @property
    def code(self):
        """The code this instance was given (normalised: upper case, no dashes); None when it was
        loaded from the database (only the hash and the last 4 characters are stored)."""
        return self.__dict__.get("_oa_code")

    @code.setter
    def code(self, value):
        value = ledger_codes.normalise(value) if value else None
        self.__dict__["_oa_code"] = value
        self.__dict__["_oa_code_to_store"] = value

    def save(self, *args, **kwargs):
        pending = self.__dict__.pop("_oa_code_to_store", _NO_CODE)
        if pending is not _NO_CODE:
            self.code_hash = ledger_codes.code_hash(pending) if pending else None
            self.code_last4 = ledger_codes.last4(pending) if pending else ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "code_hash", "code_last4"}
        if not self.currency:
            self.currency = settings.OSCAR_DEFAULT_CURRENCY
        if self.account_type_id is None:
            self.account_type = default_account_type()
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.code is not None or self.code_hash is not None

    def __str__(self):
        if self.code:
            return self.code
        return super().__str__() or "Anonymous"

    # -- OA's methods -------------------------------------------------------------------------
    def permitted_allocation(self, *args, **kwargs):
        """OA: `permitted_allocation(basket, shipping_total, order_total)`, what this account may
        pay of an order: the order total (less shipping when it may pay for products only), or,
        with a product range, the basket lines in the range (plus shipping if allowed); at most
        what it can spend. The ledger's form, `permitted_allocation(amount_due)`, still works."""
        if len(args) + len(kwargs) == 1:
            return super().permitted_allocation(*args, **kwargs)
        basket, shipping_total, order_total = _oa_allocation_args(args, kwargs)
        shipping_total = Decimal(shipping_total or 0)
        total = Decimal(order_total)
        if not self.can_be_used_for_non_products:
            total -= shipping_total
        if self.product_range_id is not None:
            in_range = sum((line.line_price_incl_tax_incl_discounts for line in basket.all_lines()
                            if self.product_range.contains_product(line.product)), Decimal("0"))
            if self.can_be_used_for_non_products:
                in_range += shipping_total
            total = min(total, in_range)
        return super().permitted_allocation(total)

    def _balance(self) -> Decimal:
        """The sum of the account's legs (the ledger keeps it in `balance`)."""
        if self.pk is None:
            return Decimal("0.00")
        return self.transactions.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")

    def as_dict(self) -> dict:
        """OA's REST API representation (oscar_accounts.api)."""
        code = self.code
        return {
            "code": code,
            "start_date": _utc_iso(self.start_date),
            "end_date": _utc_iso(self.end_date),
            "status": self.get_status_display(),
            "balance": f"{self.balance:.2f}",
            "currency": self.currency,
            "redemptions_url": reverse("oscar_accounts_api:account-redemptions", kwargs={"code": code}) if code else None,
            "refunds_url": reverse("oscar_accounts_api:account-refunds", kwargs={"code": code}) if code else None,
        }


def _utc_iso(moment) -> str:
    return moment.astimezone(datetime.UTC).isoformat() if moment else ""


def _oa_allocation_args(args, kwargs):
    names = ("basket", "shipping_total", "order_total")
    values = dict(zip(names, args, strict=False))
    values.update(kwargs)
    missing = [name for name in names if name not in values]
    if missing:
        raise TypeError(f"permitted_allocation() needs {', '.join(missing)}")
    return values["basket"], values["shipping_total"], values["order_total"]


class Transfer(ledger.Transfer):
    objects = PostingManager()

    class Meta:
        proxy = True
        app_label = "oscar_accounts"

    def save(self, *args, **kwargs):
        """OA lets code build a Transfer and save it: here saving a new one posts it through the
        facade (both legs, balances, every check); an existing one cannot change."""
        if not self._state.adding:
            return super().save(*args, **kwargs)
        posted = Transfer.objects.create(self.source, self.destination, self.amount, parent=self.parent,
                                         user=self.user, merchant_reference=self.merchant_reference,
                                         description=self.description)
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(posted, field.attname))
        self._state.adding = False
        self._state.db = posted._state.db

    def as_dict(self) -> dict:
        """OA's REST API representation. Codes are stored hashed, so `source_code` and
        `destination_code` are known only for accounts given their code in this process; the last
        4 characters are always there."""
        source, destination = self.source, self.destination
        return {
            "reference": self.reference,
            "source_code": getattr(source, "code", None),
            "source_code_last4": source.code_last4 or None,
            "source_name": source.name,
            "destination_code": getattr(destination, "code", None),
            "destination_code_last4": destination.code_last4 or None,
            "destination_name": destination.name,
            "amount": f"{self.amount:.2f}",
            "currency": self.currency,
            "available_to_refund": f"{self.max_refund():.2f}",
            "datetime": self.date_created.isoformat(),
            "merchant_reference": self.merchant_reference,
            "description": self.description,
            "reverse_url": reverse("oscar_accounts_api:transfer-reverse", kwargs={"reference": self.reference}),
            "refunds_url": reverse("oscar_accounts_api:transfer-refunds", kwargs={"reference": self.reference}),
        }


class Transaction(ledger.Transaction):
    class Meta:
        proxy = True
        app_label = "oscar_accounts"
