"""Inputs of the transfer operations: the staff search, moving money, reversing."""
import datetime as dt
from decimal import Decimal

import strawberry


@strawberry.input(description="Narrow `allTransfers`; fields combine with AND.")
class TransferFilter:
    date_from: dt.date | None = strawberry.field(default=None, description="From this day (included).")
    date_to: dt.date | None = strawberry.field(default=None, description="To this day (included).")
    account_id: strawberry.ID | None = strawberry.field(default=None, description="Touching this account.")
    merchant_reference: str | None = strawberry.field(default=None, description="This merchant reference (exact).")
    user_email: str | None = strawberry.field(default=None, description="Made by this user.")


@strawberry.input(description="Move money into or out of an account.")
class MoveMoneyInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    amount: Decimal = strawberry.field(description="How much.")
    counter_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="The other side: Bank, Unpaid source or Promotions (default: Unpaid source)."
    )
    description: str | None = strawberry.field(default=None, description="Why (recorded on the transfer).")
    idempotency_key: str | None = strawberry.field(default=None, description="Repeat the same key to retry safely.")


@strawberry.input(description="Reverse a transfer in full or in part.")
class ReverseTransferInput:
    transfer_id: strawberry.ID = strawberry.field(description="The transfer: an entry's ID or the transfer's reference.")
    amount: Decimal | None = strawberry.field(default=None, description="Omit to reverse everything still left.")
    reason: str | None = strawberry.field(default=None, description="Recorded as the reversal's description.")
    idempotency_key: str | None = strawberry.field(default=None, description="Repeat the same key to retry safely.")
