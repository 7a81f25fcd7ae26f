"""Reads of gift-card sales: the buyer's, staff lists, and the dashboard's figures."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from headless_store.ledger.models import Account

from .models import GiftCardSale

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def sales_bought_by(user):
    return GiftCardSale.objects.filter(buyer=user).select_related("order", "account")


def sales_for_staff(*, status: str | None = None):
    sales = GiftCardSale.objects.select_related("order", "account")
    return sales.filter(status=status) if status else sales


def sale_by_pk(pk: int) -> GiftCardSale:
    return GiftCardSale.objects.select_related("order", "account").prefetch_related("deliveries").get(pk=pk)


@dataclass(frozen=True)
class SalesRow:
    period: dt.date
    currency: str
    cards: int
    amount: Decimal


def sold_per_period(*, period: str = "month", since: dt.date | None = None) -> list[SalesRow]:
    """Cards sold (voided ones included: they were sold) per day, week or month and currency, newest first."""
    sales = GiftCardSale.objects.all()
    if since:
        sales = sales.filter(created_at__date__gte=since)
    rows = (sales.annotate(period=PERIODS[period]("created_at", tzinfo=timezone.get_current_timezone()))
            .values("period", "currency").annotate(cards=Count("pk"), amount=Sum("amount")).order_by("-period", "currency"))
    return [SalesRow(period=row["period"].date() if hasattr(row["period"], "date") else row["period"],
                     currency=row["currency"], cards=row["cards"], amount=row["amount"]) for row in rows]


@dataclass(frozen=True)
class Outstanding:
    currency: str
    cards: int
    liability: Decimal  # what sold cards still hold: the shop owes it


def outstanding_liability() -> list[Outstanding]:
    """What the shop still owes on the cards it sold (open cards' balances), per currency."""
    rows = (Account.objects.filter(gift_card_sale__isnull=False, status__in=("OPEN", "FROZEN"))
            .values("currency").annotate(cards=Count("pk", filter=Q(balance__gt=0)), liability=Sum("balance"))
            .order_by("currency"))
    return [Outstanding(currency=row["currency"], cards=row["cards"], liability=row["liability"] or Decimal("0"))
            for row in rows]
