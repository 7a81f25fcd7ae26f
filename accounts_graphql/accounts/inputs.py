"""Inputs of the account operations: customers' and staff's filters, opening, changing and closing."""
import datetime as dt
from decimal import Decimal

import strawberry

from .types import AccountKind, AccountStatus


@strawberry.input(description="Narrow `myAccounts`; every field is optional and they combine with AND.")
class AccountFilter:
    status: list[AccountStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    kind: list[AccountKind] | None = strawberry.field(default=None, description="Only these kinds of account.")
    currency: str | None = strawberry.field(default=None, description="Only this ISO 4217 currency.")
    is_active: bool | None = strawberry.field(default=None, description="Only accounts inside (true) or outside (false) their validity dates.")


@strawberry.input(description="Narrow `accounts`; fields combine with AND.")
class LedgerAccountFilter:
    type_code: list[str] | None = strawberry.field(default=None, description="Account type codes, e.g. gift_cards.")
    status: list[AccountStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    currency: str | None = strawberry.field(default=None, description="Only this currency.")
    owner_email: str | None = strawberry.field(default=None, description="Primary or secondary user's email (exact, any case).")
    code_last4: str | None = strawberry.field(default=None, description="A gift card's last 4 code characters.")
    is_active: bool | None = strawberry.field(default=None, description="Inside (true) or outside (false) the validity window.")
    is_expired: bool | None = strawberry.field(default=None, description="End date passed (true) or not (false).")


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


@strawberry.input(description="Freeze, thaw or close an account.")
class AccountStateInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
