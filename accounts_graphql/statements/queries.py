"""Statement queries: a customer's `myAccountStatement` (their own accounts only) and staff's
`accountStatement` (any account). Who may call each is declared with its field (fields.py)."""
import datetime as dt
from typing import Annotated

import strawberry

from headless_store.ledger.selectors.accounts import account_by_pk, viewer_account

from ..context import Info
from ..fields import query
from ..ids import decode_owned_id
from .types import AccountStatement

AccountId = Annotated[strawberry.ID, strawberry.argument(description="The account (an Account ID).")]
Start = Annotated[dt.datetime, strawberry.argument(
    description="The period's first moment, inclusive, with its zone (e.g. 2026-03-01T00:00:00Z).")]
End = Annotated[dt.datetime, strawberry.argument(
    description="The period's end, exclusive, with its zone; after `start`. Any length between 1970 and 2199.")]


@strawberry.type
class StatementQueries:
    @query("my_account_statement", description="The statement of one of your accounts for a period: opening "
           "balance, each movement with the credit lots it touched, closing balance. Someone else's account, "
           "or an ID that is not an account's, is NOT_FOUND; a bad period is INVALID. Requires sign-in.")
    def my_account_statement(self, info: Info, account_id: AccountId, start: Start, end: End) -> AccountStatement:
        account = viewer_account(info.context.viewer(), decode_owned_id(account_id, "Account", "account_id"))
        return AccountStatement.of(account, start, end)

    @query("account_statement", description="Any account's statement for a period: opening balance, each "
           "movement with the credit lots it touched, closing balance (as the dashboard's statement page and CSV).")
    def account_statement(self, info: Info, account_id: AccountId, start: Start, end: End) -> AccountStatement:
        account = account_by_pk(decode_owned_id(account_id, "Account", "account_id"), field="account_id")
        return AccountStatement.of(account, start, end)
