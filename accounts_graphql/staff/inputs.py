"""Inputs of the staff operations."""
import datetime as dt
from decimal import Decimal

import strawberry

from ..wallets.types import AccountStatus


@strawberry.input(description="Narrow `accounts`; fields combine with AND.")
class LedgerAccountFilter:
    type_code: list[str] | None = strawberry.field(default=None, description="Account type codes, e.g. gift_cards.")
    status: list[AccountStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    currency: str | None = strawberry.field(default=None, description="Only this currency.")
    owner_email: str | None = strawberry.field(default=None, description="Primary or secondary user's email (exact, any case).")
    code_last4: str | None = strawberry.field(default=None, description="A gift card's last 4 code characters.")
    is_active: bool | None = strawberry.field(default=None, description="Inside (true) or outside (false) the validity window.")
    is_expired: bool | None = strawberry.field(default=None, description="End date passed (true) or not (false).")


@strawberry.input(description="Narrow `allTransfers`; fields combine with AND.")
class TransferFilter:
    date_from: dt.date | None = strawberry.field(default=None, description="From this day (included).")
    date_to: dt.date | None = strawberry.field(default=None, description="To this day (included).")
    account_id: strawberry.ID | None = strawberry.field(default=None, description="Touching this account.")
    merchant_reference: str | None = strawberry.field(default=None, description="This merchant reference (exact).")
    user_email: str | None = strawberry.field(default=None, description="Made by this user.")


@strawberry.input(description="Open a new account of any type.")
class CreateAccountInput:
    name: str = strawberry.field(description="Name.")
    type_code: str = strawberry.field(description="Account type code, e.g. store_credit, gift_cards, b2b_prepaid.")
    currency: str = strawberry.field(description="ISO 4217 currency.")
    description: str | None = strawberry.field(default=None, description="Free text for staff.")
    primary_user_email: str | None = strawberry.field(default=None, description="Owner's email.")
    secondary_user_emails: list[str] | None = strawberry.field(default=None, description="Who else may spend from it.")
    credit_limit: Decimal | None = strawberry.field(default=None, description="How far below zero it may go (default 0).")
    unlimited_credit: bool = strawberry.field(default=False, description="No credit limit at all (source accounts).")
    start_date: dt.datetime | None = strawberry.field(default=None, description="Validity start.")
    end_date: dt.datetime | None = strawberry.field(default=None, description="Expiry.")
    product_range_id: strawberry.ID | None = strawberry.field(default=None, description="Oscar range id it may pay for.")
    can_be_used_for_non_products: bool = strawberry.field(default=True, description="May pay for shipping too.")
    opening_balance: Decimal | None = strawberry.field(default=None, description="Money to load at once.")
    source_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where the opening balance comes from (default: Unpaid source)."
    )


@strawberry.input(description="Change an account's details; omitted fields stay as they are.")
class UpdateAccountInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Free text for staff.")
    credit_limit: Decimal | None = strawberry.field(default=strawberry.UNSET, description="New credit limit; null: unlimited.")
    start_date: dt.datetime | None = strawberry.field(default=strawberry.UNSET, description="Validity start; null clears it.")
    end_date: dt.datetime | None = strawberry.field(default=strawberry.UNSET, description="Expiry; null clears it.")
    primary_user_email: str | None = strawberry.field(default=strawberry.UNSET, description="Owner's email; null: nobody.")
    secondary_user_emails: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the secondary users.")
    product_range_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Oscar range id; null: any product.")
    can_be_used_for_non_products: bool | None = strawberry.field(default=strawberry.UNSET, description="May pay for shipping too.")


@strawberry.input(description="Issue up to 1,000 gift cards of one amount.")
class IssueGiftCardsInput:
    count: int = strawberry.field(description="How many (1 to 1,000).")
    amount: Decimal = strawberry.field(description="Value of each card.")
    currency: str = strawberry.field(description="ISO 4217 currency.")
    start_date: dt.datetime | None = strawberry.field(default=None, description="Validity start.")
    end_date: dt.datetime | None = strawberry.field(default=None, description="Expiry.")
    product_range_id: strawberry.ID | None = strawberry.field(default=None, description="Oscar range id the cards may pay for.")
    source_account_id: strawberry.ID | None = strawberry.field(default=None, description="Where the money comes from (default: Unpaid source).")


@strawberry.input(description="Move money into or out of an account.")
class MoveMoneyInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    amount: Decimal = strawberry.field(description="How much.")
    counter_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="The other side: Bank, Unpaid source or Promotions (default: Unpaid source)."
    )
    description: str | None = strawberry.field(default=None, description="Why (recorded on the transfer).")
    idempotency_key: str | None = strawberry.field(default=None, description="Repeat the same key to retry safely.")


@strawberry.input(description="Freeze, thaw or close an account.")
class AccountStateInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
