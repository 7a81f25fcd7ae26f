"""Reads of transfers for staff: one search shared by the dashboard and the staff API, lookups
by reference, and what has been reversed of each transfer."""
import re
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .. import exceptions
from ..models import Leg, Transfer
from ..money import STORED_DECIMAL_PLACES, STORED_MAX_DIGITS
from .reports import end_of_day, start_of_day

#: What a page of transfers shows of each: both accounts with their type, and the parent.
TRANSFER_RELATIONS = ("source__account_type", "destination__account_type", "parent")
REFERENCE = re.compile(r"^[0-9A-F]{32}$")


def search_transfers(
    *, reference: str | None = None, merchant_reference: str | None = None, date_from=None, date_to=None,
    account_id: int | None = None, user_email: str | None = None,
):
    """Transfers matching every given criterion, newest first."""
    transfers = Transfer.objects.select_related(*TRANSFER_RELATIONS).order_by("-pk")
    if reference and reference.strip():
        transfers = transfers.filter(reference=reference.strip().upper())
    if merchant_reference and merchant_reference.strip():
        transfers = transfers.filter(merchant_reference=merchant_reference.strip())
    if date_from:
        transfers = transfers.filter(date_created__gte=start_of_day(date_from, "filter.date_from"))
    if date_to:
        transfers = transfers.filter(date_created__lt=end_of_day(date_to, "filter.date_to"))
    if account_id is not None:
        transfers = transfers.filter(Q(source_id=account_id) | Q(destination_id=account_id))
    if user_email and user_email.strip():
        transfers = transfers.filter(user__email__iexact=user_email.strip())
    return transfers


def transfer_by_reference(reference: str) -> Transfer | None:
    reference = str(reference).strip().upper()
    if not REFERENCE.match(reference):
        return None
    return Transfer.objects.select_related(*TRANSFER_RELATIONS).filter(reference=reference).first()


def transfer_by_pk(pk: int) -> Transfer | None:
    return Transfer.objects.select_related(*TRANSFER_RELATIONS).filter(pk=pk).first()


def transfer_of_leg(leg_pk: int) -> Transfer | None:
    return Transfer.objects.select_related(*TRANSFER_RELATIONS).filter(transactions__pk=leg_pk).first()


def require(transfer: Transfer | None, field: str | None = None) -> Transfer:
    if transfer is None:
        raise exceptions.TransferNotFound("No transfer with this ID.", field=field)
    return transfer


def refunded_amount():
    """An expression for a transfer queryset: what has been reversed or refunded of each so far."""
    return Coalesce(
        Subquery(
            Transfer.objects.filter(parent=OuterRef("pk")).order_by().values("parent")
            .annotate(total=Sum("amount")).values("total")[:1]
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=STORED_MAX_DIGITS, decimal_places=STORED_DECIMAL_PLACES),
    )


def credited_leg(transfer: Transfer) -> Leg:
    """The leg that received a transfer's money."""
    return Leg.objects.select_related("transfer").get(transfer=transfer, amount__gt=0)
