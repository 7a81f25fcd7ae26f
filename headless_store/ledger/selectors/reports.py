"""Finance reports, one selector each, used by the dashboard, its CSV export and the staff API.

* Deferred income at a date: what the shop owes its customers at the end of that day, per
  account type and currency, aged by days until expiry.
* Profit and loss between two dates: money loaded, redemptions, refunds, lapsed balances,
  withdrawals and promotions, and the net income they make.

Dates are calendar days in the shop's time zone (settings.TIME_ZONE); a report "at" a date
counts everything up to the end of that day.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from .. import exceptions, names
from ..inputs import EARLIEST, check_date, check_moment
from ..models import Account, AccountType, Leg, Lot, LotEntry, Transfer
from ..money import quantize

ZERO = Decimal("0")
AGE_BUCKETS = ("no_expiry", "expired", "within_30", "within_60", "within_90", "over_90")
AGE_LABELS = {
    "no_expiry": "No expiry date",
    "expired": "Expired",
    "within_30": "Expires in 30 days or less",
    "within_60": "31 to 60 days",
    "within_90": "61 to 90 days",
    "over_90": "More than 90 days",
}


def _within_calendar(day: dt.date, field: str) -> dt.date:
    """A report's or a search's day: between 1970 and 2199, as every date input (`inputs.check_date`)."""
    return check_date(day, field)


def end_of_day(day: dt.date, field: str = "date") -> dt.datetime:
    """The first instant after `day` in the shop's time zone."""
    day = _within_calendar(day, field)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def start_of_day(day: dt.date, field: str = "date") -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_within_calendar(day, field), dt.time.min))


def age_bucket(end_date, cutoff) -> str:
    if end_date is None:
        return "no_expiry"
    if end_date <= cutoff:
        return "expired"
    days = (end_date - cutoff).days
    if days <= 30:
        return "within_30"
    if days <= 60:
        return "within_60"
    if days <= 90:
        return "within_90"
    return "over_90"


@dataclass
class Bucket:
    accounts: int = 0
    total: Decimal = ZERO


@dataclass
class DeferredIncomeRow:
    account_type: str
    currency: str
    buckets: dict[str, Bucket] = field(default_factory=lambda: {b: Bucket() for b in AGE_BUCKETS})

    @property
    def accounts(self) -> int:
        return sum(b.accounts for b in self.buckets.values())

    @property
    def total(self) -> Decimal:
        return sum((b.total for b in self.buckets.values()), ZERO)


@dataclass
class DeferredIncomeReport:
    date: dt.date
    cutoff: dt.datetime
    rows: list[DeferredIncomeRow]

    def totals(self) -> dict[str, Decimal]:
        """Grand total per currency."""
        totals = defaultdict(lambda: ZERO)
        for row in self.rows:
            totals[row.currency] += row.total
        return dict(totals)


def deferred_income_types():
    parent = AccountType.objects.filter(code=names.DEFERRED_INCOME).first()
    if parent is None:
        return AccountType.objects.none()
    return AccountType.objects.filter(path__startswith=parent.path, depth__gt=parent.depth)


def deferred_income_report(date: dt.date, currency: str | None = None) -> DeferredIncomeReport:
    """Balances of every deferred-income account at the end of `date`, aged by expiry."""
    cutoff = end_of_day(date)
    types = deferred_income_types()
    legs = Leg.objects.filter(account__account_type__in=types, date_created__lt=cutoff)
    if currency:
        legs = legs.filter(account__currency=currency)
    balances = (
        legs.values("account_id", "account__currency", "account__end_date", "account__account_type__name")
        .annotate(balance=Sum("amount"))
        .exclude(balance=0)
    )
    rows: dict[tuple[str, str], DeferredIncomeRow] = {}
    for entry in balances:
        key = (entry["account__account_type__name"], entry["account__currency"])
        row = rows.setdefault(key, DeferredIncomeRow(*key))
        bucket = row.buckets[age_bucket(entry["account__end_date"], cutoff)]
        bucket.accounts += 1
        bucket.total += quantize(entry["balance"], entry["account__currency"])
    return DeferredIncomeReport(date=date, cutoff=cutoff, rows=sorted(rows.values(), key=lambda r: (r.currency, r.account_type)))


# -- profit and loss --------------------------------------------------------------------------
PL_LINES = (
    ("loaded_from_bank", "Money in: loaded from the bank (sales, top-ups)"),
    ("loaded_from_unpaid", "Money in: loaded from unpaid sources"),
    ("promotions", "Promotions issued (loyalty points, goodwill)"),
    ("redemptions", "Redemptions (spent by customers)"),
    ("refunds", "Refunds back to customers' accounts"),
    ("lapsed", "Lapsed balances (expired accounts)"),
    ("withdrawals", "Withdrawals back to the bank or unpaid sources"),
)


@dataclass
class ProfitLossReport:
    start_date: dt.date
    end_date: dt.date
    currency: str
    lines: dict[str, Decimal]

    @property
    def net(self) -> Decimal:
        """Income recognised: redemptions less refunds, plus lapsed balances, less promotions."""
        lines = self.lines
        return lines["redemptions"] - lines["refunds"] + lines["lapsed"] - lines["promotions"]


def _kind(type_code: str, deferred_codes: set[str]) -> str:
    if type_code in deferred_codes:
        return "deferred"
    return {
        names.BANK: "bank",
        names.UNPAID_SOURCES: "unpaid",
        names.PROMOTIONS: "promotions",
        names.REDEMPTIONS: "redemptions",
        names.LAPSED: "lapsed",
    }.get(type_code, "other")


LINE_FOR_FLOW = {
    ("bank", "deferred"): "loaded_from_bank",
    ("unpaid", "deferred"): "loaded_from_unpaid",
    ("promotions", "deferred"): "promotions",
    ("deferred", "redemptions"): "redemptions",
    ("redemptions", "deferred"): "refunds",
    ("deferred", "lapsed"): "lapsed",
    ("deferred", "bank"): "withdrawals",
    ("deferred", "unpaid"): "withdrawals",
}


def profit_loss_report(start_date: dt.date, end_date: dt.date, currency: str) -> ProfitLossReport:
    """Money moved between the deferred-income accounts and the rest, from the start of
    `start_date` to the end of `end_date`, per line; a reversal counts against its line."""
    deferred_codes = set(deferred_income_types().values_list("code", flat=True))
    flows = (
        Transfer.objects.filter(
            currency=currency, date_created__gte=start_of_day(start_date, "start_date"),
            date_created__lt=end_of_day(end_date, "end_date")
        )
        .values(source_type=F("source__account_type__code"), destination_type=F("destination__account_type__code"))
        .annotate(total=Sum("amount"))
    )
    lines = {code: ZERO for code, _label in PL_LINES}
    for flow in flows:
        source = _kind(flow["source_type"], deferred_codes)
        destination = _kind(flow["destination_type"], deferred_codes)
        amount = quantize(flow["total"], currency)
        if (source, destination) in LINE_FOR_FLOW:
            lines[LINE_FOR_FLOW[(source, destination)]] += amount
        elif (destination, source) in LINE_FOR_FLOW and (destination, source) != ("redemptions", "deferred"):
            # A reversal of a load, a lapse or a withdrawal counts against that line.
            lines[LINE_FOR_FLOW[(destination, source)]] -= amount
    return ProfitLossReport(start_date, end_date, currency, lines)


def currencies_in_use() -> list[str]:
    return sorted(set(Account.objects.values_list("currency", flat=True)))


__all__ = [
    "AGE_BUCKETS", "AGE_LABELS", "PL_LINES", "DeferredIncomeReport", "ProfitLossReport",
    "deferred_income_report", "profit_loss_report", "currencies_in_use",
]


# -- account statements --------------------------------------------------------------------------
@dataclass(frozen=True)
class StatementLine:
    leg: Leg
    lots: list[tuple[int, str, Decimal]]  # (lot id, category, amount moved on it: + made/given back, - spent)


@dataclass(frozen=True)
class Statement:
    account: Account
    start: dt.datetime
    end: dt.datetime
    opening: Decimal
    lines: list[StatementLine]
    closing: Decimal

    def csv_rows(self):
        yield ["account", self.account.pk, self.account.name, self.account.currency]
        yield ["period", self.start.isoformat(), self.end.isoformat()]
        yield ["opening balance", "", "", "", str(self.opening)]
        yield ["date", "reference", "description", "amount", "balance after", "lots"]
        for line in self.lines:
            leg = line.leg
            lots = "; ".join(f"lot #{pk} {category} {amount:+}" for pk, category, amount in line.lots)
            yield [leg.date_created.isoformat(), leg.transfer.reference, leg.transfer.description or "",
                   str(leg.amount), str(leg.balance_after), lots]
        yield ["closing balance", "", "", "", str(self.closing)]


def check_period(start, end) -> tuple[dt.datetime, dt.datetime]:
    """A statement's period: two timezone-aware moments between 1970 and 2199, `start` before
    `end`, returned in UTC (use them). Any length is fine: its balances are two index reads and its
    lines come a page at a time. (A moment without a zone is refused rather than guessed: a
    period's edges decide which movements a statement holds.)"""
    start, end = check_moment(start, "start"), check_moment(end, "end")
    if start >= end:
        raise exceptions.InvalidInput("The period must end after it starts.", field="end")
    return start, end


def statement_balances(account: Account, start, end) -> tuple[Decimal, Decimal]:
    """(opening, closing): the balance just before `start` and just before `end` (balance-at
    reads, no sum over history)."""
    from .accounts import balance_at

    start, end = check_period(start, end)
    just_before = dt.timedelta(microseconds=1)
    opening = Decimal(0) if start.date() <= EARLIEST else balance_at(account.pk, start - just_before)
    return opening, balance_at(account.pk, end - just_before)


def _period_legs(account: Account, start, end):
    return Leg.objects.filter(account=account, date_created__gte=start, date_created__lt=end)


def statement_lines(account: Account, start, end, *, limit: int | None = None,
                    after_leg_id: int | None = None, field: str = "after") -> list[StatementLine]:
    """The period's movements, oldest first, each with the lots it made, spent, gave back or
    lapsed: all of them, or `limit` after the leg `after_leg_id` (InvalidInput naming `field` if
    that leg is not one of this account's in the period). Two queries whatever the page holds."""
    start, end = check_period(start, end)
    legs = _period_legs(account, start, end)
    if after_leg_id is not None:
        mark = legs.filter(pk=after_leg_id).values("date_created", "id").first()
        if mark is None:
            raise exceptions.InvalidInput("This cursor is not from this statement.", field=field)
        legs = legs.filter(Q(date_created__gt=mark["date_created"]) | Q(date_created=mark["date_created"],
                                                                         id__gt=mark["id"]))
    legs = legs.select_related("transfer").order_by("date_created", "id")
    legs = list(legs if limit is None else legs[:limit])
    transfer_ids = [leg.transfer_id for leg in legs]
    moved: dict[int, list] = {pk: [] for pk in transfer_ids}
    if transfer_ids:
        made = Lot.objects.filter(account=account, transfer_id__in=transfer_ids).values_list(
            "transfer_id", "pk", "category", "amount").order_by("id")
        entries = LotEntry.objects.filter(lot__account=account, transfer_id__in=transfer_ids).values_list(
            "transfer_id", "lot_id", "lot__category", "amount").order_by("id")
        for transfer_id, lot_id, category, amount in [*made, *entries]:
            moved[transfer_id].append((lot_id, category, amount))
    return [StatementLine(leg, moved[leg.transfer_id]) for leg in legs]


def statement_line_count(account: Account, start, end) -> int:
    start, end = check_period(start, end)
    return _period_legs(account, start, end).count()


def account_statement(account: Account, start, end) -> Statement:
    """The account between `start` (inclusive) and `end` (exclusive): the balance before, each
    movement with the lots it made, spent, gave back or lapsed, and the balance after. The two
    balances are balance-at reads (no sum over history); the lines one query, their lots two more."""
    opening, closing = statement_balances(account, start, end)
    return Statement(account=account, start=start, end=end, opening=opening,
                     lines=statement_lines(account, start, end), closing=closing)
