"""Account statements: the balance before a period, each movement in it with the lots it touched,
and the balance after (headless_store/ledger/selectors/reports.py, the same statement as the
dashboard's page and CSV). The same type for a customer's own account and for staff."""
import datetime as dt

import strawberry

from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.selectors.reports import (
    StatementLine as StatementLineRow,
)
from headless_store.ledger.selectors.reports import (
    statement_balances,
    statement_line_count,
    statement_lines,
)

from ..fields import Refusals
from ..ids import global_id
from ..lots.types import CreditLotCategory, LotMovement
from ..money import Money
from ..pagination import After, Connection, First, after_key, page, page_from_rows, page_size


@strawberry.type(description="One movement on a statement: a leg of a transfer on the account.")
class StatementLine:
    id: strawberry.ID = strawberry.field(description="Global ID of the entry (a Transfer ID in the customer API).")
    reference: str = strawberry.field(description="The transfer's reference, for support and receipts.")
    description: str | None = strawberry.field(description="What the transfer was for.")
    merchant_reference: str | None = strawberry.field(description="The order number of a payment or a refund.")
    is_reversal: bool = strawberry.field(description="It reverses or refunds an earlier transfer.")
    amount: Money = strawberry.field(description="Signed change to the account: positive in, negative out.")
    balance_after: Money = strawberry.field(description="The account's balance right after it.")
    created_at: dt.datetime = strawberry.field(description="When it was posted.")
    lots: list[LotMovement] = strawberry.field(description="The credit lots it made, spent, gave back to or "
                                                           "lapsed, in the order it touched them.")

    @classmethod
    def from_row(cls, row: StatementLineRow, currency: str) -> "StatementLine":
        leg, transfer = row.leg, row.leg.transfer
        return cls(
            id=global_id("Transfer", leg.pk),
            reference=transfer.reference,
            description=transfer.description,
            merchant_reference=transfer.merchant_reference,
            is_reversal=transfer.parent_id is not None,
            amount=Money.of(leg.amount, currency),
            balance_after=Money.of(leg.balance_after, currency),
            created_at=leg.date_created,
            lots=[LotMovement(lot_id=global_id("CreditLot", lot_id), category=CreditLotCategory(category),
                              amount=Money.of(amount, currency)) for lot_id, category, amount in row.lots],
        )


@strawberry.type(description="An account's statement for a period, from `start` (inclusive) to `end` "
                             "(exclusive): opening balance + the lines' amounts = closing balance.")
class AccountStatement:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    currency: str = strawberry.field(description="ISO 4217 currency of every amount.")
    start: dt.datetime = strawberry.field(description="The period's first moment (inclusive).")
    end: dt.datetime = strawberry.field(description="The period's end (exclusive).")
    opening_balance: Money = strawberry.field(description="The balance just before `start`.")
    closing_balance: Money = strawberry.field(description="The balance just before `end`.")
    _account: strawberry.Private[AccountModel]

    @classmethod
    def of(cls, account: AccountModel, start: dt.datetime, end: dt.datetime) -> "AccountStatement":
        opening, closing = statement_balances(account, start, end)  # checks the period
        currency = account.currency
        return cls(account_id=global_id("Account", account.pk), currency=currency, start=start, end=end,
                   opening_balance=Money.of(opening, currency), closing_balance=Money.of(closing, currency),
                   _account=account)

    @strawberry.field(description="The period's movements, oldest first (at most 100 per page, default 20): "
                                  "`first`/`after` pages forwards.",
                      extensions=[Refusals(payload=False, clean=True)])
    def lines(self, first: First = None, after: After = None) -> Connection[StatementLine]:
        account, currency = self._account, self.currency
        size, start = page_size(first), after_key(after)
        rows = statement_lines(account, self.start, self.end, limit=size + 1, after_leg_id=start)
        legs, page_info = page_from_rows([row.leg for row in rows], size, start is not None)
        return page([(StatementLine.from_row(row, currency), row.leg) for row in rows[:len(legs)]], page_info,
                    lambda: statement_line_count(account, self.start, self.end))
