"""The ledger's reports and health checks, as staff read them."""
import datetime as dt

import strawberry

from headless_store.ledger.selectors.reports import AGE_BUCKETS, AGE_LABELS, PL_LINES

from ..money import Money


@strawberry.type(name="AgeBucket", description="Deferred income in one age band (days until expiry).")
class AgeBucket:
    bucket: str = strawberry.field(description=f"One of: {', '.join(AGE_BUCKETS)}.")
    label: str = strawberry.field(description="The band in words.")
    accounts: int = strawberry.field(description="Accounts holding money in this band.")
    total: Money = strawberry.field(description="What they hold.")


@strawberry.type(name="DeferredIncomeRow", description="One account type in one currency.")
class DeferredIncomeRow:
    account_type: str = strawberry.field(description="Account type name.")
    currency: str = strawberry.field(description="Currency.")
    accounts: int = strawberry.field(description="Accounts holding money.")
    total: Money = strawberry.field(description="What they hold in all.")
    buckets: list[AgeBucket] = strawberry.field(description="The same, by days until expiry.")


@strawberry.type(name="DeferredIncomeReport", description="What the shop owes its customers at the end of a day.")
class DeferredIncomeReport:
    date: dt.date = strawberry.field(description="The day reported on.")
    cutoff: dt.datetime = strawberry.field(description="Balances include every leg before this instant.")
    rows: list[DeferredIncomeRow] = strawberry.field(description="Per account type and currency.")
    totals: list[Money] = strawberry.field(description="Grand total per currency.")

    @classmethod
    def from_report(cls, report) -> "DeferredIncomeReport":
        return cls(
            date=report.date,
            cutoff=report.cutoff,
            rows=[
                DeferredIncomeRow(
                    account_type=row.account_type, currency=row.currency, accounts=row.accounts,
                    total=Money.of(row.total, row.currency),
                    buckets=[
                        AgeBucket(bucket=name, label=AGE_LABELS[name], accounts=b.accounts,
                                     total=Money.of(b.total, row.currency))
                        for name, b in row.buckets.items()
                    ],
                )
                for row in report.rows
            ],
            totals=[Money.of(total, currency) for currency, total in sorted(report.totals().items())],
        )


@strawberry.type(name="ProfitLossLine", description="One line of the profit and loss report.")
class ProfitLossLine:
    code: str = strawberry.field(description="Stable code of the line.")
    label: str = strawberry.field(description="The line in words.")
    amount: Money = strawberry.field(description="Total over the period.")


@strawberry.type(name="ProfitLossReport", description="Money through the ledger between two days, and the net income.")
class ProfitLossReport:
    start_date: dt.date = strawberry.field(description="First day, included.")
    end_date: dt.date = strawberry.field(description="Last day, included.")
    currency: str = strawberry.field(description="Currency.")
    lines: list[ProfitLossLine] = strawberry.field(description="Each kind of movement.")
    net: Money = strawberry.field(description="Redemptions - refunds + lapsed - promotions.")

    @classmethod
    def from_report(cls, report) -> "ProfitLossReport":
        return cls(
            start_date=report.start_date, end_date=report.end_date, currency=report.currency,
            lines=[ProfitLossLine(code=code, label=label, amount=Money.of(report.lines[code], report.currency))
                   for code, label in PL_LINES],
            net=Money.of(report.net, report.currency),
        )


@strawberry.type(name="HealthCheck", description="One ledger invariant and how many rows break it.")
class HealthCheck:
    code: str = strawberry.field(description="Stable code of the check.")
    description: str = strawberry.field(description="The invariant.")
    violations: int = strawberry.field(description="Rows that break it (0 when healthy).")
    examples: list[str] = strawberry.field(description="Up to 10 of them (references or account IDs).")


@strawberry.type(name="CurrencySummary", description="Ledger totals in one currency.")
class CurrencySummary:
    currency: str = strawberry.field(description="Currency.")
    accounts: int = strawberry.field(description="Accounts.")
    transfers: int = strawberry.field(description="Transfers.")
    balance_total: Money = strawberry.field(description="Sum of all balances (zero when healthy).")
    customer_balances: Money = strawberry.field(description="What deferred-income accounts hold.")


@strawberry.type(name="LedgerHealth", description="The reconciliation checks, as data.")
class LedgerHealth:
    ok: bool = strawberry.field(description="True when no check has a violation.")
    checks: list[HealthCheck] = strawberry.field(description="Every check.")
    currencies: list[CurrencySummary] = strawberry.field(description="Totals per currency.")

    @classmethod
    def from_health(cls, health) -> "LedgerHealth":
        return cls(
            ok=health.ok,
            checks=[HealthCheck(code=c.code, description=c.description, violations=c.violations, examples=c.examples)
                    for c in health.checks],
            currencies=[
                CurrencySummary(currency=c.currency, accounts=c.accounts, transfers=c.transfers,
                                balance_total=Money.of(c.balance_total, c.currency),
                                customer_balances=Money.of(c.customer_balances, c.currency))
                for c in health.currencies
            ],
        )
