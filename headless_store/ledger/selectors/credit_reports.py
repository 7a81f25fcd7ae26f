"""Finance reports on customer credit: breakage (the proportional method), dormant accounts, and
credit lots about to expire. One selector each, read by the dashboard pages and their CSV exports.

**Breakage, proportional method** (ASC 606-10-55-48 / IFRS 15 B46): value customers are expected
never to spend is recognised as income in proportion to what they do spend. Per account type
(under Deferred income) and currency, at each month's end (the shop's time zone):

* `issued` to date: money into the type's accounts from outside the type (loads from the bank,
  unpaid sources, promotions, refunds to store credit, money moved in from another type), less
  the reversals of such credits;
* `redeemed` to date: money out of the type's accounts to anything but Lapsed (spent at checkout,
  withdrawn, moved to another type, such as a gift card redeemed into a wallet), less the
  reversals of such debits (a refund of a payment made from the account);
* `lapsed` to date: money moved to Lapsed by expiry (already income in the profit/loss report);
* `rate`: the expected breakage rate: ACCOUNTS_BREAKAGE_RATES[type code] where set, else an
  estimate from history at that month's end: of the value of the type's credit lots whose expiry
  fell before the month's end, the share that lapsed (their LAPSE entries dated before it); 0
  while no lot has expired (`rate_source` says which);
* `expected_breakage` = rate x issued; `expected_redemptions` = issued - expected_breakage;
* `breakage_to_date` = min(expected_breakage, expected_breakage x redeemed / expected_redemptions)
  (0 while nothing is expected to be redeemed), rounded to the currency;
* `recognised` in the month = breakage_to_date at its end - at the previous month's end
  (a cumulative catch-up: a change of rate or a reversed issue can make it negative);
* `accrual_to_date` = max(breakage_to_date - lapsed, 0): the part of the breakage not yet booked
  by the ledger itself when lots lapsed, i.e. what finance accrues on top of the Lapsed account.

Transfers between two accounts of the same type are not counted (the type's pool is unchanged).

**Dormancy**: open or frozen accounts of types under Deferred income with money in them and no
customer activity since the cutoff (N calendar months before today). Customer activity is a
transfer that moved money on the account and that the customer made: one made by a signed-in user
who is not staff (paying, redeeming a gift card, a shop purchase of a card), or money spent at
checkout (a debit to Redemptions that reverses nothing: a guest paying with a gift-card code).
Not customer activity: staff top-ups, withdrawals, reversals and refunds, promotions and points
credited by the shop, expiry lapses, balance enquiries (no movement). An account with no customer
activity at all is dormant from its opening. Grouped by the owner's (primary user's) country and
region (state/county) from their default billing address, else their default shipping address;
no owner or no address: 'unknown'.

**Expiring lots**: credit lots with money left whose expiry falls in the next N days (after now,
at most now + N days), on accounts that are not closed.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from oscar.core.loading import get_model

from .. import exceptions, names
from ..conf import settings
from ..inputs import check_date
from ..models import Account, Leg, Lot, LotEntry
from ..money import quantize
from .reports import deferred_income_types, start_of_day

ZERO = Decimal("0")
RATE_QUANTUM = Decimal("0.0001")
#: At most this many months in one breakage report.
MAX_MONTHS = 36
#: At most this many days ahead for the expiring-lots report, and months back for dormancy.
MAX_DAYS_AHEAD = 3660
MAX_DORMANT_MONTHS = 600
UNKNOWN = "unknown"


# -- months ------------------------------------------------------------------------------------
def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier if negative), the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = add_months(month, 1)
    return months


def _local_month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_start(value)


# -- breakage ----------------------------------------------------------------------------------
def configured_rate(type_code: str) -> Decimal | None:
    """ACCOUNTS_BREAKAGE_RATES[type_code] as a Decimal in [0, 1), or None where not set."""
    value = (settings.ACCOUNTS_BREAKAGE_RATES or {}).get(type_code)
    if value is None:
        return None
    rate = Decimal(str(value))
    if not ZERO <= rate < 1:
        raise exceptions.InvalidInput(
            f"ACCOUNTS_BREAKAGE_RATES[{type_code!r}] must be at least 0 and below 1.", field="rate")
    return rate


def proportional_breakage(issued: Decimal, redeemed: Decimal, rate: Decimal, currency: str) -> Decimal:
    """Breakage recognised to date by the proportional method (see the module docstring)."""
    issued, redeemed = max(issued, ZERO), max(redeemed, ZERO)
    expected = quantize(rate * issued, currency, ROUND_HALF_UP)
    expected_redemptions = issued - expected
    if expected_redemptions <= 0:
        return ZERO
    return min(expected, quantize(expected * redeemed / expected_redemptions, currency, ROUND_HALF_UP))


@dataclass
class BreakageRow:
    account_type: str
    account_type_name: str
    currency: str
    month: dt.date
    issued: Decimal
    redeemed: Decimal
    lapsed: Decimal
    issued_to_date: Decimal
    redeemed_to_date: Decimal
    lapsed_to_date: Decimal
    rate: Decimal
    rate_source: str  # "setting", "history" or "no history"
    breakage_before: Decimal  # breakage_to_date at the end of the month before

    @property
    def expected_breakage(self) -> Decimal:
        return quantize(self.rate * max(self.issued_to_date, ZERO), self.currency, ROUND_HALF_UP)

    @property
    def expected_redemptions(self) -> Decimal:
        return max(self.issued_to_date, ZERO) - self.expected_breakage

    @property
    def breakage_to_date(self) -> Decimal:
        return proportional_breakage(self.issued_to_date, self.redeemed_to_date, self.rate, self.currency)

    @property
    def recognised(self) -> Decimal:
        return self.breakage_to_date - self.breakage_before

    @property
    def accrual_to_date(self) -> Decimal:
        return max(self.breakage_to_date - self.lapsed_to_date, ZERO)


@dataclass
class BreakageReport:
    first_month: dt.date
    last_month: dt.date
    rows: list[BreakageRow]

    CSV_HEADER = ["account_type", "currency", "month", "issued", "redeemed", "lapsed", "issued_to_date",
                  "redeemed_to_date", "lapsed_to_date", "rate", "rate_source", "expected_breakage",
                  "expected_redemptions", "breakage_to_date", "breakage_before", "recognised", "accrual_to_date"]

    def csv_rows(self):
        yield self.CSV_HEADER
        for r in self.rows:
            yield [r.account_type, r.currency, r.month.strftime("%Y-%m"), r.issued, r.redeemed, r.lapsed,
                   r.issued_to_date, r.redeemed_to_date, r.lapsed_to_date, r.rate, r.rate_source,
                   r.expected_breakage, r.expected_redemptions, r.breakage_to_date, r.breakage_before,
                   r.recognised, r.accrual_to_date]


def _counterpart_type():
    return Case(When(account_id=F("transfer__source_id"), then=F("transfer__destination__account_type__code")),
                default=F("transfer__source__account_type__code"))


def breakage_flows(end: dt.datetime, currency: str | None = None) -> dict:
    """{(type code, currency, month): {"issued", "redeemed", "lapsed"}} from the legs before `end`."""
    legs = Leg.objects.filter(account__account_type__in=deferred_income_types(), date_created__lt=end)
    if currency:
        legs = legs.filter(account__currency=currency)
    rows = (legs.annotate(counterpart=_counterpart_type(), month=TruncMonth("date_created"),
                          reversal=ExpressionWrapper(Q(transfer__parent__isnull=False), output_field=BooleanField()),
                          positive=ExpressionWrapper(Q(amount__gt=0), output_field=BooleanField()))
            .values("account__account_type__code", "account__currency", "counterpart", "month", "reversal", "positive")
            .annotate(total=Sum("amount")))
    flows: dict = defaultdict(lambda: {"issued": ZERO, "redeemed": ZERO, "lapsed": ZERO})
    for row in rows:
        type_code, counterpart = row["account__account_type__code"], row["counterpart"]
        if counterpart == type_code:
            continue
        key = (type_code, row["account__currency"], _local_month(row["month"]))
        total = quantize(Decimal(row["total"]), row["account__currency"])
        if counterpart == names.LAPSED:
            flows[key]["lapsed"] -= total
        elif row["positive"] != row["reversal"]:  # a credit, or a reversal taking a credit back
            flows[key]["issued"] += total
        else:
            flows[key]["redeemed"] -= total
    return flows


def _lapse_history(end: dt.datetime, currency: str | None):
    """(expired, lapsed): {(type, currency, expiry month): lot amounts} and
    {(type, currency, expiry month, lapse month): lapsed} for lots whose expiry is before `end`."""
    lots = Lot.objects.filter(expires_at__lt=end)
    entries = LotEntry.objects.filter(kind=LotEntry.Kind.LAPSE, lot__expires_at__lt=end, date_created__lt=end)
    if currency:
        lots, entries = lots.filter(account__currency=currency), entries.filter(lot__account__currency=currency)
    expired = defaultdict(lambda: ZERO)
    for row in (lots.annotate(month=TruncMonth("expires_at"))
                .values("account__account_type__code", "account__currency", "month").annotate(total=Sum("amount"))):
        expired[(row["account__account_type__code"], row["account__currency"], _local_month(row["month"]))] += \
            quantize(Decimal(row["total"]), row["account__currency"])
    lapsed = defaultdict(lambda: ZERO)
    for row in (entries.annotate(month=TruncMonth("lot__expires_at"), lapse_month=TruncMonth("date_created"))
                .values("lot__account__account_type__code", "lot__account__currency", "month", "lapse_month")
                .annotate(total=Sum("amount"))):
        key = (row["lot__account__account_type__code"], row["lot__account__currency"], _local_month(row["month"]),
               _local_month(row["lapse_month"]))
        lapsed[key] -= quantize(Decimal(row["total"]), row["lot__account__currency"])
    return expired, lapsed


def historical_rate(expired, lapsed, type_code, currency, month) -> Decimal | None:
    """Lapsed / value of the lots whose expiry fell before the end of `month` (None: no such lot)."""
    value = sum((v for (t, c, m), v in expired.items() if (t, c) == (type_code, currency) and m <= month), ZERO)
    if value <= 0:
        return None
    gone = sum((v for (t, c, m, lm), v in lapsed.items()
                if (t, c) == (type_code, currency) and m <= month and lm <= month), ZERO)
    return min((gone / value).quantize(RATE_QUANTUM, ROUND_HALF_UP), Decimal("0.9999"))


def breakage_report(first_month: dt.date, last_month: dt.date, currency: str | None = None) -> BreakageReport:
    """The proportional method's inputs and results per account type, currency and month, from
    `first_month` to `last_month` (any day of each)."""
    first_month = month_start(check_date(first_month, "first_month"))
    last_month = month_start(check_date(last_month, "last_month"))
    if first_month > last_month:
        raise exceptions.InvalidInput("The first month must not be after the last.", field="first_month")
    months = months_between(first_month, last_month)
    if len(months) > MAX_MONTHS:
        raise exceptions.InvalidInput(f"At most {MAX_MONTHS} months at once.", field="last_month")
    end = start_of_day(add_months(last_month, 1), "last_month")
    flows = breakage_flows(end, currency)
    expired, lapsed = _lapse_history(end, currency)
    type_names = dict(deferred_income_types().values_list("code", "name"))
    rows = []
    for type_code, cur in sorted({(t, c) for t, c, _m in flows}):
        configured = configured_rate(type_code)
        to_date = {"issued": ZERO, "redeemed": ZERO, "lapsed": ZERO}
        for (t, c, m), values in flows.items():
            if (t, c) == (type_code, cur) and m < first_month:
                for name in to_date:
                    to_date[name] += values[name]
        previous_rate = configured
        if previous_rate is None:
            previous_rate = historical_rate(expired, lapsed, type_code, cur, add_months(first_month, -1)) or ZERO
        before = proportional_breakage(to_date["issued"], to_date["redeemed"], previous_rate, cur)
        for month in months:
            values = flows.get((type_code, cur, month), {"issued": ZERO, "redeemed": ZERO, "lapsed": ZERO})
            for name in to_date:
                to_date[name] += values[name]
            if configured is not None:
                rate, source = configured, "setting"
            else:
                estimate = historical_rate(expired, lapsed, type_code, cur, month)
                rate, source = (estimate, "history") if estimate is not None else (ZERO, "no history")
            row = BreakageRow(type_code, type_names.get(type_code, type_code), cur, month, values["issued"],
                              values["redeemed"], values["lapsed"], to_date["issued"], to_date["redeemed"],
                              to_date["lapsed"], rate, source, before)
            rows.append(row)
            before = row.breakage_to_date
    return BreakageReport(first_month, last_month, rows)


# -- dormancy ----------------------------------------------------------------------------------
def customer_activity() -> Q:
    """Legs (of an account) whose transfer counts as the customer's own activity (module docstring)."""
    return (Q(transfer__user__isnull=False, transfer__user__is_staff=False)
            | Q(amount__lt=0, transfer__parent__isnull=True,
                transfer__destination__account_type__code=names.REDEMPTIONS))


@dataclass
class DormantAccount:
    account: Account
    last_activity: dt.datetime | None  # None: never (dormant since opening)
    country: str
    region: str

    @property
    def dormant_since(self) -> dt.datetime:
        return self.last_activity or self.account.date_created


@dataclass
class DormancyGroup:
    country: str
    region: str
    accounts: list[DormantAccount] = field(default_factory=list)

    def totals(self) -> dict[str, Decimal]:
        totals = defaultdict(lambda: ZERO)
        for item in self.accounts:
            totals[item.account.currency] += item.account.balance
        return dict(sorted(totals.items()))


@dataclass
class DormancyReport:
    months: int
    cutoff: dt.datetime
    groups: list[DormancyGroup]

    CSV_HEADER = ["country", "region", "account_id", "account", "account_type", "currency", "balance",
                  "last_customer_activity", "opened"]

    def csv_rows(self):
        yield self.CSV_HEADER
        for group in self.groups:
            for item in group.accounts:
                account = item.account
                yield [group.country, group.region, account.pk, str(account), account.account_type.code,
                       account.currency, quantize(account.balance, account.currency),
                       item.last_activity.isoformat() if item.last_activity else "",
                       account.date_created.isoformat()]


def owner_regions(user_ids) -> dict[int, tuple[str, str]]:
    """user id -> (country code, region) of their default billing address, else default shipping."""
    UserAddress = get_model("address", "UserAddress")  # noqa: N806
    found: dict[int, tuple[int, tuple[str, str]]] = {}
    addresses = (UserAddress.objects.filter(user_id__in=list(user_ids))
                 .filter(Q(is_default_for_billing=True) | Q(is_default_for_shipping=True))
                 .values_list("user_id", "country_id", "state", "is_default_for_billing"))
    for user_id, country, state, billing in addresses:
        rank = 0 if billing else 1
        if user_id not in found or rank < found[user_id][0]:
            found[user_id] = (rank, (country or UNKNOWN, (state or "").strip() or UNKNOWN))
    return {user_id: place for user_id, (_rank, place) in found.items()}


def dormancy_report(months: int, *, today: dt.date | None = None, currency: str | None = None) -> DormancyReport:
    """Accounts with money and no customer activity for `months` calendar months (module docstring)."""
    if not 1 <= months <= MAX_DORMANT_MONTHS:
        raise exceptions.InvalidInput(f"Give between 1 and {MAX_DORMANT_MONTHS} months.", field="months")
    today = today or timezone.localdate()
    cutoff = start_of_day(add_months(today, -months), "months")
    last = (Leg.objects.filter(account_id=OuterRef("pk")).filter(customer_activity())
            .values("account_id").annotate(last=Max("date_created")).values("last"))
    accounts = (Account.objects.filter(account_type__in=deferred_income_types(), balance__gt=0,
                                       status__in=[Account.Status.OPEN, Account.Status.FROZEN])
                .annotate(last_activity=Subquery(last))
                .filter(Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True, date_created__lt=cutoff))
                .select_related("account_type", "primary_user").order_by("pk"))
    if currency:
        accounts = accounts.filter(currency=currency)
    accounts = list(accounts)
    places = owner_regions({a.primary_user_id for a in accounts if a.primary_user_id})
    groups: dict[tuple[str, str], DormancyGroup] = {}
    for account in accounts:
        country, region = places.get(account.primary_user_id, (UNKNOWN, UNKNOWN))
        group = groups.setdefault((country, region), DormancyGroup(country, region))
        group.accounts.append(DormantAccount(account, account.last_activity, country, region))
    ordered = sorted(groups.values(), key=lambda g: (g.country == UNKNOWN, g.country, g.region == UNKNOWN, g.region))
    return DormancyReport(months, cutoff, ordered)


# -- lots expiring soon ------------------------------------------------------------------------
@dataclass
class ExpiringLotsReport:
    days: int
    start: dt.datetime
    end: dt.datetime
    lots: list[Lot]

    CSV_HEADER = ["lot_id", "account_id", "account", "account_type", "owner_email", "category", "currency",
                  "remaining", "held", "expires_at"]

    def totals(self) -> dict[tuple[str, str], Decimal]:
        """(currency, category) -> what is left of the lots."""
        totals = defaultdict(lambda: ZERO)
        for lot in self.lots:
            totals[(lot.account.currency, lot.category)] += lot.remaining
        return dict(sorted(totals.items()))

    def csv_rows(self):
        yield self.CSV_HEADER
        for lot in self.lots:
            account = lot.account
            yield [lot.pk, account.pk, str(account), account.account_type.code,
                   account.primary_user.email if account.primary_user_id else "", lot.category, account.currency,
                   quantize(lot.remaining, account.currency), quantize(lot.held, account.currency),
                   lot.expires_at.isoformat()]


def expiring_lots(start: dt.datetime, end: dt.datetime, *, currency: str | None = None):
    """Lots with money left expiring after `start`, at or before `end`, on accounts not closed."""
    lots = (Lot.objects.filter(remaining__gt=0, expires_at__gt=start, expires_at__lte=end)
            .exclude(account__status=Account.Status.CLOSED))
    if currency:
        lots = lots.filter(account__currency=currency)
    return lots


def expiring_lots_report(days: int, *, now: dt.datetime | None = None, currency: str | None = None) -> ExpiringLotsReport:
    if not 1 <= days <= MAX_DAYS_AHEAD:
        raise exceptions.InvalidInput(f"Give between 1 and {MAX_DAYS_AHEAD} days.", field="days")
    now = now or timezone.now()
    end = now + dt.timedelta(days=days)
    lots = list(expiring_lots(now, end, currency=currency)
                .select_related("account__account_type", "account__primary_user").order_by("expires_at", "pk"))
    return ExpiringLotsReport(days, now, end, lots)
