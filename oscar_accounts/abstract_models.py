"""OA's managers, on the ledger: `Transfer.objects.create(source, destination, amount, ...)` posts
through headless_store.ledger.facade (row locks, both legs, balances updated in one statement),
and `Account.objects` understands OA's `code=` lookups (matched by the code's keyed hash)."""
from decimal import Decimal, InvalidOperation

from django.db import models, transaction

from headless_store.ledger import codes as ledger_codes
from headless_store.ledger import exceptions
from headless_store.ledger import facade as ledger_facade
from headless_store.ledger.models import AccountQuerySet, TransferQuerySet


def as_oa(instance, model):
    """A ledger instance seen as its oscar_accounts proxy (same row, same cached relations)."""
    if instance is not None and not isinstance(instance, model):
        instance.__class__ = model
    return instance


class OAAccountQuerySet(AccountQuerySet):
    """`filter(code=...)`, `get(code=...)`, `exclude(code=...)`: the code is matched by its keyed hash
    (upper or lower case, with or without dashes, as the ledger normalises codes)."""

    def _filter_or_exclude(self, negate, args, kwargs):
        if "code" in kwargs:
            kwargs = dict(kwargs)
            code = kwargs.pop("code")
            if code is None:
                kwargs["code_hash__isnull"] = True
            else:
                kwargs["code_hash"] = ledger_codes.code_hash(code)
        return super()._filter_or_exclude(negate, args, kwargs)


class OAAccountManager(models.Manager.from_queryset(OAAccountQuerySet)):
    pass


class ActiveAccountManager(OAAccountManager):
    def get_queryset(self):
        return super().get_queryset().active()


class ExpiredAccountManager(OAAccountManager):
    def get_queryset(self):
        return super().get_queryset().expired()


class PostingManager(models.Manager.from_queryset(TransferQuerySet)):
    """OA's `Transfer.objects`: `create()` posts a transfer (OA's signature); the rest is the
    ledger's read-only transfer queryset."""

    def create(self, source, destination, amount, parent=None, user=None, merchant_reference=None,
               description=None):
        self.verify_transfer(source, destination, amount, user)
        with transaction.atomic():
            posted = ledger_facade.transfer(source, destination, amount, parent=parent, user=user,
                                            merchant_reference=merchant_reference, description=description)
            return self._wrap(posted)

    def _wrap(self, obj):
        """The posted ledger transfer as this manager's model (OA's hook of the same name, inside
        the posting's transaction: whatever it raises undoes the posting)."""
        return as_oa(obj, self.model)

    def verify_transfer(self, source, destination, amount, user=None):
        """OA's checks, in OA's order, on the instances as given; the facade checks again on the
        locked rows, so a stale instance cannot let a debit through."""
        try:
            positive = Decimal(str(amount)) > 0
        except (InvalidOperation, ValueError):
            positive = False
        if not positive:
            raise exceptions.InvalidAmount("Debits must use a positive amount")
        if not source.is_open():
            raise exceptions.ClosedAccount("Source account has been closed")
        if not source.can_be_authorised_by(user):
            raise exceptions.NotAuthorised("This user is not authorised to make transfers from this account")
        if not destination.is_open():
            raise exceptions.ClosedAccount("Destination account has been closed")
        if not source.is_debit_permitted(amount):
            raise exceptions.InsufficientFunds(f"Unable to debit {Decimal(str(amount)):.2f} from account #{source.pk}:")
