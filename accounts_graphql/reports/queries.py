"""Report queries (staff): deferredIncomeReport, profitLossReport, ledgerHealth. The dashboard's
report pages read the same selectors."""
import datetime as dt
from typing import Annotated

import strawberry

from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.money import require_currency
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.selectors.reports import deferred_income_report, profit_loss_report

from ..context import Info
from ..fields import query
from .types import DeferredIncomeReport, LedgerHealth, ProfitLossReport


@strawberry.type
class ReportQueries:
    @query("deferred_income_report", description="What the shop owes customers at the end of a day, aged by expiry.")
    def deferred_income_report(
        self, info: Info,
        date: Annotated[dt.date, strawberry.argument(description="The day (in the shop's time zone).")],
        currency: Annotated[str | None, strawberry.argument(description="Only this currency.")] = None,
    ) -> DeferredIncomeReport:
        currency = None if currency is None else require_currency(currency)
        return DeferredIncomeReport.from_report(deferred_income_report(date, currency))

    @query("profit_loss_report", description="Money in, redemptions, refunds, lapsed, withdrawals and net between two days.")
    def profit_loss_report(
        self, info: Info,
        start_date: Annotated[dt.date, strawberry.argument(description="First day, included.")],
        end_date: Annotated[dt.date, strawberry.argument(description="Last day, included.")],
        currency: Annotated[str, strawberry.argument(description="ISO 4217 currency.")],
    ) -> ProfitLossReport:
        if start_date > end_date:
            raise InvalidInput("The start date must not be after the end date.", field="end_date")
        return ProfitLossReport.from_report(profit_loss_report(start_date, end_date, require_currency(currency)))

    @query("ledger_health", description="Every reconciliation check, as data.")
    def ledger_health(self, info: Info) -> LedgerHealth:
        return LedgerHealth.from_health(ledger_health())
