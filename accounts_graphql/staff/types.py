"""Staff-facing types: every account, transfers in full, the chart, reports and ledger health."""
import datetime as dt
from enum import Enum

import strawberry

from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.selectors.staff import secondary_user_emails
from headless_store.ledger.selectors.reports import AGE_BUCKETS, AGE_LABELS, PL_LINES

from ..context import Info
from ..ids import global_id
from ..history import account_history, register_account
from ..pagination import After, Connection, First
from ..wallets.types import AccountKind, AccountStatus, Money, account_fields


@strawberry.type(name="LedgerAccount", description="Any account in the ledger, as staff see it.")
class LedgerAccount:
    id: strawberry.ID = strawberry.field(description="Global ID (the same as the customer API's Account ID).")
    name: str = strawberry.field(description="Name.")
    description: str = strawberry.field(description="Free text for staff.")
    kind: AccountKind = strawberry.field(description="What the account is for (OTHER for core accounts).")
    account_type: str = strawberry.field(description="Full name of its account type, e.g. Liabilities / Deferred income / Gift cards.")
    account_type_code: str = strawberry.field(description="Code of its account type, e.g. gift_cards.")
    currency: str = strawberry.field(description="ISO 4217 currency.")
    balance: Money = strawberry.field(description="Balance now.")
    amount_available: Money | None = strawberry.field(description="Balance plus credit limit; null when unlimited.")
    credit_limit: Money | None = strawberry.field(description="How far below zero it may go; null when unlimited.")
    status: AccountStatus = strawberry.field(description="OPEN, FROZEN or CLOSED.")
    start_date: dt.datetime | None = strawberry.field(description="Validity start.")
    end_date: dt.datetime | None = strawberry.field(description="Expiry.")
    is_active: bool = strawberry.field(description="Inside its validity window now.")
    is_expired: bool = strawberry.field(description="Its end date has passed.")
    code_last4: str | None = strawberry.field(description="A gift card's code, masked to its last 4 characters.")
    primary_user_email: str | None = strawberry.field(description="Email of the owner.")
    product_range: str | None = strawberry.field(description="Product range it may pay for; null: any.")
    can_be_used_for_non_products: bool = strawberry.field(description="May pay for shipping and other charges.")
    created_at: dt.datetime = strawberry.field(description="When it was opened.")
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, account: AccountModel, info: Info) -> "LedgerAccount":
        register_account(info, "staff", account.pk)
        return cls(
            name=account.name,
            description=account.description,
            account_type=account.account_type.name,
            account_type_code=account.account_type.code,
            is_expired=account.is_expired(),
            primary_user_email=account.primary_user.email if account.primary_user_id else None,
            created_at=account.date_created,
            _pk=account.pk,
            **account_fields(account),
        )

    @strawberry.field(description="Emails of the secondary users, who may also spend from it.")
    def secondary_user_emails(self, info: Info) -> list[str]:
        cache = info.context.cache
        if "secondary_emails" not in cache:  # one query for every account in the response
            cache["secondary_emails"] = secondary_user_emails(cache[("staff", "ids")])
        return cache["secondary_emails"].get(self._pk, [])

    @strawberry.field(description="Its legs, newest first, each with the balance after it (at most 100 per page).")
    def entries(self, info: Info, first: First = None, after: After = None) -> Connection["LedgerEntry"]:
        return account_history(
            info, group="staff", account_pk=self._pk, first=first, after=after, node=LedgerEntry.from_leg
        )


@strawberry.type(name="LedgerEntry", description="One leg: an account's side of a transfer.")
class LedgerEntry:
    id: strawberry.ID = strawberry.field(description="Global ID of the leg (a Transfer ID in the customer API).")
    transfer_reference: str = strawberry.field(description="Reference of its transfer.")
    amount: Money = strawberry.field(description="Signed change to the account.")
    balance_after: Money = strawberry.field(description="The account's balance right after it.")
    description: str | None = strawberry.field(description="The transfer's description.")
    merchant_reference: str | None = strawberry.field(description="The transfer's merchant reference.")
    username: str = strawberry.field(description="Who made the transfer (empty for the system).")
    created_at: dt.datetime = strawberry.field(description="When.")

    @classmethod
    def from_leg(cls, leg) -> "LedgerEntry":
        transfer = leg.transfer
        return cls(
            id=global_id("Transfer", leg.pk),
            transfer_reference=transfer.reference,
            amount=Money.of(leg.amount, transfer.currency),
            balance_after=Money.of(leg.balance_after, transfer.currency),
            description=transfer.description,
            merchant_reference=transfer.merchant_reference,
            username=transfer.username,
            created_at=leg.date_created,
        )


@strawberry.type(name="LedgerAccountRef", description="The name and ID of an account a transfer touches.")
class LedgerAccountRef:
    id: strawberry.ID = strawberry.field(description="Global ID.")
    name: str = strawberry.field(description="Name (gift cards show only the code's last 4 characters).")
    account_type_code: str = strawberry.field(description="Code of its account type.")


@strawberry.type(name="LedgerTransfer", description="A transfer in full: both accounts, who and why.")
class LedgerTransfer:
    id: strawberry.ID = strawberry.field(description="Global ID.")
    reference: str = strawberry.field(description="Unique reference (32 hex characters).")
    source: LedgerAccountRef = strawberry.field(description="Where the money came from.")
    destination: LedgerAccountRef = strawberry.field(description="Where it went.")
    amount: Money = strawberry.field(description="Amount moved.")
    parent_reference: str | None = strawberry.field(description="The transfer this one reverses or refunds.")
    merchant_reference: str | None = strawberry.field(description="Order number or other merchant reference.")
    description: str | None = strawberry.field(description="Why.")
    username: str = strawberry.field(description="Who (a snapshot that survives the user's deletion).")
    created_at: dt.datetime = strawberry.field(description="When.")
    _transfer: strawberry.Private[object]

    @classmethod
    def from_model(cls, transfer) -> "LedgerTransfer":
        def ref(account):
            return LedgerAccountRef(id=global_id("Account", account.pk), name=str(account),
                                    account_type_code=account.account_type.code)

        return cls(
            id=global_id("LedgerTransfer", transfer.pk),
            reference=transfer.reference,
            source=ref(transfer.source),
            destination=ref(transfer.destination),
            amount=Money.of(transfer.amount, transfer.currency),
            parent_reference=transfer.parent.reference if transfer.parent_id else None,
            merchant_reference=transfer.merchant_reference,
            description=transfer.description,
            username=transfer.username,
            created_at=transfer.date_created,
            _transfer=transfer,
        )

    @strawberry.field(description="What can still be reversed or refunded.")
    def refundable(self) -> Money:
        return Money.of(self._transfer.max_refund(), self._transfer.currency)


@strawberry.type(name="AccountTypeNode", description="A node of the chart of accounts.")
class AccountTypeNode:
    code: str = strawberry.field(description="Stable code, e.g. gift_cards.")
    name: str = strawberry.field(description="Name.")
    full_name: str = strawberry.field(description="Ancestors' names and its own, joined with ' / '.")
    children: list["AccountTypeNode"] = strawberry.field(description="Sub-types.")


@strawberry.type(name="AgeBucket", description="Deferred income in one age band (days until expiry).")
class AgeBucketRow:
    bucket: str = strawberry.field(description=f"One of: {', '.join(AGE_BUCKETS)}.")
    label: str = strawberry.field(description="The band in words.")
    accounts: int = strawberry.field(description="Accounts holding money in this band.")
    total: Money = strawberry.field(description="What they hold.")


@strawberry.type(name="DeferredIncomeRow", description="One account type in one currency.")
class DeferredIncomeRowType:
    account_type: str = strawberry.field(description="Account type name.")
    currency: str = strawberry.field(description="Currency.")
    accounts: int = strawberry.field(description="Accounts holding money.")
    total: Money = strawberry.field(description="What they hold in all.")
    buckets: list[AgeBucketRow] = strawberry.field(description="The same, by days until expiry.")


@strawberry.type(name="DeferredIncomeReport", description="What the shop owes its customers at the end of a day.")
class DeferredIncomeReportType:
    date: dt.date = strawberry.field(description="The day reported on.")
    cutoff: dt.datetime = strawberry.field(description="Balances include every leg before this instant.")
    rows: list[DeferredIncomeRowType] = strawberry.field(description="Per account type and currency.")
    totals: list[Money] = strawberry.field(description="Grand total per currency.")

    @classmethod
    def from_report(cls, report) -> "DeferredIncomeReportType":
        return cls(
            date=report.date,
            cutoff=report.cutoff,
            rows=[
                DeferredIncomeRowType(
                    account_type=row.account_type, currency=row.currency, accounts=row.accounts,
                    total=Money.of(row.total, row.currency),
                    buckets=[
                        AgeBucketRow(bucket=name, label=AGE_LABELS[name], accounts=b.accounts,
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
class ProfitLossReportType:
    start_date: dt.date = strawberry.field(description="First day, included.")
    end_date: dt.date = strawberry.field(description="Last day, included.")
    currency: str = strawberry.field(description="Currency.")
    lines: list[ProfitLossLine] = strawberry.field(description="Each kind of movement.")
    net: Money = strawberry.field(description="Redemptions - refunds + lapsed - promotions.")

    @classmethod
    def from_report(cls, report) -> "ProfitLossReportType":
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
class LedgerHealthType:
    ok: bool = strawberry.field(description="True when no check has a violation.")
    checks: list[HealthCheck] = strawberry.field(description="Every check.")
    currencies: list[CurrencySummary] = strawberry.field(description="Totals per currency.")

    @classmethod
    def from_health(cls, health) -> "LedgerHealthType":
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


@strawberry.enum(description="How to order `accounts`.")
class AccountOrdering(Enum):
    NEWEST = "-pk"
    OLDEST = "pk"
    BALANCE_DESC = "-balance"
    BALANCE_ASC = "balance"
    NAME = "name"
    EXPIRING_SOON = "end_date"


@strawberry.type(name="IssuedGiftCard", description="A new gift card and its code, shown this once.")
class IssuedGiftCardType:
    code: str = strawberry.field(description="The full code, in groups of 4. It is never shown again.")
    account: LedgerAccount = strawberry.field(description="The gift-card account.")
