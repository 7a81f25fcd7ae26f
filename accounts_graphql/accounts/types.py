"""Accounts as customers see them (`Account`) and as staff see them (`LedgerAccount`).

Both are filled once from a model row, so most fields are plain attributes and cost nothing
extra to resolve (bench/graphql.py measured strawberry_django's per-field resolution on the
customer hot path; see bench/RESULTS.md). The fields both audiences see are declared once, in
`AccountFields`; staff add theirs. Histories come from the request's loaders, one query for
every account of a response.
"""
import datetime as dt
from enum import Enum

import strawberry

from headless_store.ledger import codes, names
from headless_store.ledger.models import Account as AccountModel

from ..context import Info
from ..ids import global_id
from ..money import Money
from ..pagination import After, Connection, First, history_page
from ..transfers.types import LedgerEntry, Transfer


@strawberry.enum(description="Whether money can move in and out of an account.")
class AccountStatus(Enum):
    OPEN = "OPEN"
    FROZEN = "FROZEN"
    CLOSED = "CLOSED"


@strawberry.enum(description="What an account is for.")
class AccountKind(Enum):
    STORE_CREDIT = names.STORE_CREDIT
    GIFT_CARD = names.GIFT_CARDS
    LOYALTY_POINTS = names.LOYALTY_POINTS
    REFUND_WALLET = names.REFUND_WALLETS
    B2B_PREPAID = names.B2B_PREPAID
    OTHER = "other"


_KINDS = {kind.value: kind for kind in AccountKind}


@strawberry.type(name="AccountFields", description="What customers and staff both see of an account.")
class AccountFields:
    id: strawberry.ID = strawberry.field(description="Global ID (the same in the customer and the staff API).")
    name: str = strawberry.field(description="The account's name.")
    kind: AccountKind = strawberry.field(description="What the account is for (OTHER for the shop's own accounts).")
    currency: str = strawberry.field(description="ISO 4217 currency of everything in this account.")
    balance: Money = strawberry.field(description="Money in the account now (negative when a B2B account owes).")
    amount_available: Money | None = strawberry.field(
        description="What can be spent now: balance plus credit limit. Null when unlimited."
    )
    credit_limit: Money | None = strawberry.field(
        description="How far below zero the balance may go (0 for most accounts). Null when unlimited."
    )
    status: AccountStatus = strawberry.field(description="OPEN, FROZEN (by staff) or CLOSED.")
    start_date: dt.datetime | None = strawberry.field(description="First moment the account can be used.")
    end_date: dt.datetime | None = strawberry.field(description="When the account expires; unspent money lapses.")
    is_active: bool = strawberry.field(description="Inside its validity dates now.")
    code_last4: str | None = strawberry.field(
        description="A gift card's code, masked to its last 4 characters (••••ABCD). The full code is never shown again."
    )
    can_be_used_for_non_products: bool = strawberry.field(description="May pay for shipping and other charges.")
    product_range: str | None = strawberry.field(description="Name of the product range this account may pay for; null: any product.")
    _pk: strawberry.Private[int]

    @staticmethod
    def fields_of(account: AccountModel, info: Info) -> dict:
        info.context.loaders.history.register(account.pk)
        currency = account.currency
        return {
            "id": global_id("Account", account.pk),
            "name": account.name,
            "kind": _KINDS.get(account.account_type.code, AccountKind.OTHER),
            "currency": currency,
            "balance": Money.of(account.balance, currency),
            "amount_available": Money.maybe(account.amount_available, currency),
            "credit_limit": Money.maybe(account.credit_limit, currency),
            "status": AccountStatus(account.status),
            "start_date": account.start_date,
            "end_date": account.end_date,
            "is_active": account.is_active(),
            "code_last4": codes.mask(account.code_last4) or None,
            "can_be_used_for_non_products": account.can_be_used_for_non_products,
            "product_range": account.product_range.name if account.product_range_id else None,
            "_pk": account.pk,
        }


@strawberry.type(description="An account holding money for you: store credit, a gift card, points, a B2B account.")
class Account(AccountFields):
    @classmethod
    def from_model(cls, account: AccountModel, info: Info) -> "Account":
        return cls(**cls.fields_of(account, info))

    @strawberry.field(description="This account's history, newest first (at most 100 per page).")
    def transfers(self, info: Info, first: First = None, after: After = None) -> Connection[Transfer]:
        return history_page(info, self._pk, first, after, lambda leg: Transfer.from_leg(leg, info))


@strawberry.type(name="LedgerAccount", description="Any account in the ledger, as staff see it.")
class LedgerAccount(AccountFields):
    description: str = strawberry.field(description="Free text for staff.")
    account_type: str = strawberry.field(description="Full name of its account type, e.g. Liabilities / Deferred income / Gift cards.")
    account_type_code: str = strawberry.field(description="Code of its account type, e.g. gift_cards.")
    is_expired: bool = strawberry.field(description="Its end date has passed.")
    primary_user_email: str | None = strawberry.field(description="Email of the owner.")
    created_at: dt.datetime = strawberry.field(description="When it was opened.")

    @classmethod
    def from_model(cls, account: AccountModel, info: Info) -> "LedgerAccount":
        info.context.loaders.secondary_emails.prime([account.pk])
        return cls(
            description=account.description,
            account_type=account.account_type.name,
            account_type_code=account.account_type.code,
            is_expired=account.is_expired(),
            primary_user_email=account.primary_user.email if account.primary_user_id else None,
            created_at=account.date_created,
            **cls.fields_of(account, info),
        )

    @strawberry.field(description="Emails of the secondary users, who may also spend from it.")
    def secondary_user_emails(self, info: Info) -> list[str]:
        return info.context.loaders.secondary_emails.load(self._pk)

    @strawberry.field(description="Its legs, newest first, each with the balance after it (at most 100 per page).")
    def entries(self, info: Info, first: First = None, after: After = None) -> Connection[LedgerEntry]:
        return history_page(info, self._pk, first, after, LedgerEntry.from_leg)


@strawberry.type(name="AccountTypeNode", description="A node of the chart of accounts.")
class AccountTypeNode:
    code: str = strawberry.field(description="Stable code, e.g. gift_cards.")
    name: str = strawberry.field(description="Name.")
    full_name: str = strawberry.field(description="Ancestors' names and its own, joined with ' / '.")
    children: list["AccountTypeNode"] = strawberry.field(description="Sub-types.")


@strawberry.enum(description="How to order `accounts`.")
class AccountOrdering(Enum):
    NEWEST = "-pk"
    OLDEST = "pk"
    BALANCE_DESC = "-balance"
    BALANCE_ASC = "balance"
    NAME = "name"
    EXPIRING_SOON = "end_date"


AccountConnection = Connection[Account]
