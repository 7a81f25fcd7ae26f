"""Reads of credit lots: an account's open lots (money left) in spending order, a page at a time.

The order is the one debits follow (lots.py): the soonest expiry first (never-expiring last), then
promotional, points, paid, refund, then the oldest. A debit takes from the lots usable now in this
order; a lot not yet effective takes its place in it once it is, and an expired lot waits here
for the sweep (`LotState` says which). Pages of many accounts load in one query (a window per
account), so a page of accounts with their lots costs the same at 5 accounts as at 50.
"""
from enum import StrEnum

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .. import exceptions
from ..models import Lot

#: Spending order, as debits take lots (lots._spendable's k1..k4).
SPENDING_ORDER = (F("expires_at").asc(nulls_last=True), F("priority").asc(), F("id").asc())


class LotState(StrEnum):
    """Where a lot stands at a moment."""

    USABLE = "USABLE"  # may be spent now
    NOT_YET_EFFECTIVE = "NOT_YET_EFFECTIVE"  # its effective_from is still ahead
    EXPIRED = "EXPIRED"  # past its expires_at; the sweep lapses what is left


def lot_state(lot: Lot, at=None) -> LotState:
    at = at or timezone.now()
    if lot.expires_at is not None and at >= lot.expires_at:
        return LotState.EXPIRED
    if lot.effective_from is not None and at < lot.effective_from:
        return LotState.NOT_YET_EFFECTIVE
    return LotState.USABLE


def _open():
    return Lot.objects.filter(remaining__gt=0)


def open_lots(account_ids, *, limit: int) -> dict[int, list[Lot]]:
    """The first `limit` open lots of each account, in spending order, in one query:
    {account_id: [lots]}."""
    lots = (
        _open().filter(account_id__in=list(account_ids))
        .annotate(position=Window(RowNumber(), partition_by=[F("account_id")], order_by=list(SPENDING_ORDER)))
        .filter(position__lte=limit)
        .order_by("account_id", *SPENDING_ORDER)
    )
    grouped: dict[int, list[Lot]] = {pk: [] for pk in account_ids}
    for lot in lots:
        grouped[lot.account_id].append(lot)
    return grouped


def open_lots_after(account_id: int, after_lot_id: int, *, limit: int, field: str = "after") -> list[Lot]:
    """Up to `limit` open lots of one account that come after lot `after_lot_id` in spending order
    (a later page; the cursor lot may have been used up since). InvalidInput naming `field` if that
    lot is not this account's."""
    mark = Lot.objects.filter(pk=after_lot_id, account_id=account_id).values("expires_at", "priority", "id").first()
    if mark is None:
        raise exceptions.InvalidInput("This cursor is not from this account's lots.", field=field)
    expires, priority, pk = mark["expires_at"], mark["priority"], mark["id"]
    same_expiry = Q(expires_at__isnull=True) if expires is None else Q(expires_at=expires)
    later = same_expiry & (Q(priority__gt=priority) | Q(priority=priority, id__gt=pk))
    if expires is not None:
        later |= Q(expires_at__isnull=True) | Q(expires_at__gt=expires)
    return list(_open().filter(later, account_id=account_id).order_by(*SPENDING_ORDER)[:limit])


def open_lot_counts(account_ids) -> dict[int, int]:
    counts = dict(_open().filter(account_id__in=list(account_ids)).values("account_id")
                  .annotate(n=Count("id")).values_list("account_id", "n"))
    return {pk: counts.get(pk, 0) for pk in account_ids}


def open_lots_prefetch(limit: int, to_attr: str):
    """A Prefetch of each account's first `limit` open lots in spending order (Django windows a
    sliced prefetch per account: one query for a page of accounts)."""
    from django.db.models import Prefetch

    return Prefetch("lots", queryset=_open().order_by(*SPENDING_ORDER)[:limit], to_attr=to_attr)


def open_lot_count_expression():
    """Per account (an outer query's pk): how many open lots it has, as one subquery."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counted = (_open().filter(account_id=OuterRef("pk")).order_by().values("account_id")
               .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
