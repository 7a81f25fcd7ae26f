"""Accounts as customers see them (`Account`) and as staff see them (`LedgerAccount`).

`LedgerAccount` is a strawberry-graphql-django type over the ledger's Account model: staff lists
return querysets and the optimizer joins or prefetches what a query selects (owner, type, range,
secondary users, each account's page of entries) in a constant number of queries.

`Account`, the customer's, is filled once from a row: on the hot path (`myAccounts`, about 1,500
fields a response) a plain attribute per field is what keeps the API within 2x of a plain Django
view; bench/graphql.py measured the model-backed alternative (bench/RESULTS.md). What both
audiences see is computed by the same functions (`values_of`) and described by the same words
(`DOCS`), so the two cannot drift apart.
"""
import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
import strawberry_django

from headless_store.ledger import codes, names
from headless_store.ledger.lots import USABLE_ANNOTATION, usable_credit_expression
from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.selectors.accounts import balance_at
from headless_store.ledger.selectors.lots import (
    open_lot_count_expression,
    open_lot_counts,
    open_lots,
    open_lots_prefetch,
)

from ..context import Info
from ..fields import Refusals
from ..ids import global_id
from ..lots.types import DESCRIPTION as LOTS_DESCRIPTION
from ..lots.types import CreditLot, lots_page
from ..money import Money
from ..nodes import Node
from ..pagination import After, Before, Connection, First, Last, StaffConnection, history_page
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

DOCS = {
    "id": "Global ID (the same in the customer and the staff API).",
    "name": "The account's name.",
    "kind": "What the account is for (OTHER for the shop's own accounts).",
    "currency": "ISO 4217 currency of everything in this account.",
    "balance": "Money in the account now (negative when a B2B account owes); with `at`, at that moment "
    "(just after the last movement posted at or before it; zero before the first).",
    "at": "A moment in the past: the balance then, exact to the movement.",
    "amount_available": "What can be spent now: balance, less what checkouts hold, plus credit limit, and never "
    "more than its USABLE credit lots have free (money in lots not yet effective, or expired and waiting for "
    "the sweep, is in the balance but cannot be spent). Null when unlimited.",
    "held": "Reserved by checkouts waiting for a card payment: still in the balance, not spendable.",
    "credit_limit": "How far below zero the balance may go (0 for most accounts). Null when unlimited.",
    "status": "OPEN, FROZEN (by staff) or CLOSED.",
    "start_date": "First moment the account can be used.",
    "end_date": "When the account expires; unspent money lapses.",
    "is_active": "Inside its validity dates now.",
    "code_last4": "A gift card's code, masked to its last 4 characters (••••ABCD). The full code is never shown again.",
    "can_be_used_for_non_products": "May pay for shipping and other charges.",
    "product_range": "Name of the product range this account may pay for; null: any product.",
}


def kind_of(account: AccountModel) -> AccountKind:
    return _KINDS.get(account.account_type.code, AccountKind.OTHER)


def values_of(account: AccountModel) -> dict:
    """What customers and staff both see of an account, from its row."""
    currency = account.currency
    return {
        "id": global_id("Account", account.pk),
        "name": account.name,
        "kind": kind_of(account),
        "currency": currency,
        "balance": Money.of(account.balance, currency),
        "amount_available": Money.maybe(account.amount_available, currency),
        "held": Money.of(account.held, currency),
        "credit_limit": Money.maybe(account.credit_limit, currency),
        "status": AccountStatus(account.status),
        "start_date": account.start_date,
        "end_date": account.end_date,
        "is_active": account.is_active(),
        "code_last4": codes.mask(account.code_last4) or None,
        "can_be_used_for_non_products": account.can_be_used_for_non_products,
        "product_range": account.product_range.name if account.product_range_id else None,
    }


@strawberry.type(description="An account holding money for you: store credit, a gift card, points, a B2B account.")
class Account(Node):
    id: strawberry.ID = strawberry.field(description=DOCS["id"])
    name: str = strawberry.field(description=DOCS["name"])
    kind: AccountKind = strawberry.field(description=DOCS["kind"])
    currency: str = strawberry.field(description=DOCS["currency"])
    amount_available: Money | None = strawberry.field(description=DOCS["amount_available"])
    held: Money = strawberry.field(description=DOCS["held"])
    credit_limit: Money | None = strawberry.field(description=DOCS["credit_limit"])
    status: AccountStatus = strawberry.field(description=DOCS["status"])
    start_date: dt.datetime | None = strawberry.field(description=DOCS["start_date"])
    end_date: dt.datetime | None = strawberry.field(description=DOCS["end_date"])
    is_active: bool = strawberry.field(description=DOCS["is_active"])
    code_last4: str | None = strawberry.field(description=DOCS["code_last4"])
    can_be_used_for_non_products: bool = strawberry.field(description=DOCS["can_be_used_for_non_products"])
    product_range: str | None = strawberry.field(description=DOCS["product_range"])
    _pk: strawberry.Private[int]
    _balance: strawberry.Private[Money]

    @classmethod
    def from_model(cls, account: AccountModel, info: Info) -> "Account":
        info.context.loaders.history.register(account.pk)
        info.context.loaders.lots.register(account.pk)
        values = values_of(account)
        balance = values.pop("balance")
        return cls(**values, _balance=balance, _pk=account.pk)

    @strawberry.field(description=DOCS["balance"], extensions=[Refusals(payload=False, clean=True)])
    def balance(self, at: Annotated[dt.datetime | None, strawberry.argument(description=DOCS["at"])] = None) -> Money:
        if at is None:
            return self._balance
        return Money.of(balance_at(self._pk, at), self.currency)

    @strawberry.field(description="This account's history, newest first (at most 100 per page): `first`/`after` "
                      "pages to older entries, `last`/`before` back to newer ones.")
    def transfers(self, info: Info, first: First = None, after: After = None, last: Last = None,
                  before: Before = None) -> Connection[Transfer]:
        return history_page(info, self._pk, first, after, lambda leg: Transfer.from_leg(leg, info),
                            last=last, before=before)

    @strawberry.field(description=LOTS_DESCRIPTION, extensions=[Refusals(payload=False, clean=True)])
    def lots(self, info: Info, first: First = None, after: After = None) -> Connection[CreditLot]:
        loader = info.context.loaders.lots
        return lots_page(self._pk, self.currency, first, after,
                         first_page=lambda limit: loader.first_page(self._pk, limit=limit),
                         count=lambda: loader.count(self._pk))


#: A page of staff accounts prefetches each one's first lots, up to a page and one more.
MAX_PREFETCHED_LOTS = 101


@strawberry_django.type(AccountModel, name="LedgerAccount", description="Any account in the ledger, as staff see it.")
class LedgerAccount:
    name: strawberry.auto = strawberry_django.field(description=DOCS["name"])
    description: strawberry.auto = strawberry_django.field(description="Free text for staff.")
    currency: str = strawberry_django.field(description=DOCS["currency"])
    start_date: dt.datetime | None = strawberry_django.field(description=DOCS["start_date"])
    end_date: dt.datetime | None = strawberry_django.field(description=DOCS["end_date"])
    can_be_used_for_non_products: bool = strawberry_django.field(description=DOCS["can_be_used_for_non_products"])
    created_at: dt.datetime = strawberry_django.field(field_name="date_created", description="When it was opened.")
    entries: StaffConnection[LedgerEntry] = strawberry_django.connection(
        field_name="transactions",
        description="Its legs, newest first, each with the balance after it (at most 100 per page).",
    )

    @strawberry_django.field(description=DOCS["id"])
    def id(self: AccountModel) -> strawberry.ID:
        return global_id("Account", self.pk)

    @strawberry_django.field(description=DOCS["kind"], select_related=["account_type"])
    def kind(self: AccountModel) -> AccountKind:
        return kind_of(self)

    @strawberry_django.field(description="Name of its account type, e.g. Gift cards.", select_related=["account_type"])
    def account_type(self: AccountModel) -> str:
        return self.account_type.name

    @strawberry_django.field(description="Code of its account type, e.g. gift_cards.", select_related=["account_type"])
    def account_type_code(self: AccountModel) -> str:
        return self.account_type.code

    @strawberry_django.field(description=DOCS["balance"], extensions=[Refusals(payload=False, clean=True)])
    def balance(self: AccountModel,
                at: Annotated[dt.datetime | None, strawberry.argument(description=DOCS["at"])] = None) -> Money:
        return Money.of(self.balance if at is None else balance_at(self.pk, at), self.currency)

    @strawberry_django.field(description=DOCS["amount_available"],
                             annotate={USABLE_ANNOTATION: lambda info: usable_credit_expression()})
    def amount_available(self: AccountModel) -> Money | None:
        return Money.maybe(self.amount_available, self.currency)

    @strawberry_django.field(
        description=LOTS_DESCRIPTION, extensions=[Refusals(payload=False, clean=True)],
        prefetch_related=[lambda info: open_lots_prefetch(MAX_PREFETCHED_LOTS, "first_open_lots")],
        annotate={"open_lot_count": lambda info: open_lot_count_expression()},
    )
    def lots(self: AccountModel, first: First = None, after: After = None) -> Connection[CreditLot]:
        def first_page(limit):
            prefetched = getattr(self, "first_open_lots", None)
            if prefetched is not None and limit <= MAX_PREFETCHED_LOTS:
                return prefetched[:limit]
            return open_lots([self.pk], limit=limit)[self.pk]  # one account, not through a list

        def count():
            counted = getattr(self, "open_lot_count", None)
            return counted if counted is not None else open_lot_counts([self.pk])[self.pk]

        return lots_page(self.pk, self.currency, first, after, first_page=first_page, count=count)

    @strawberry_django.field(description=DOCS["held"])
    def held(self: AccountModel) -> Money:
        return Money.of(self.held, self.currency)

    @strawberry_django.field(description=DOCS["credit_limit"])
    def credit_limit(self: AccountModel) -> Money | None:
        return Money.maybe(self.credit_limit, self.currency)

    @strawberry_django.field(description=DOCS["status"])
    def status(self: AccountModel) -> AccountStatus:
        return AccountStatus(self.status)

    @strawberry_django.field(description=DOCS["is_active"])
    def is_active(self: AccountModel) -> bool:
        return self.is_active()

    @strawberry_django.field(description="Its end date has passed.")
    def is_expired(self: AccountModel) -> bool:
        return self.is_expired()

    @strawberry_django.field(description=DOCS["code_last4"])
    def code_last4(self: AccountModel) -> str | None:
        return codes.mask(self.code_last4) or None

    @strawberry_django.field(description=DOCS["product_range"], select_related=["product_range"])
    def product_range(self: AccountModel) -> str | None:
        return self.product_range.name if self.product_range_id else None

    @strawberry_django.field(description="Email of the owner.", select_related=["primary_user"])
    def primary_user_email(self: AccountModel) -> str | None:
        return self.primary_user.email if self.primary_user_id else None

    @strawberry_django.field(description="Emails of the secondary users, who may also spend from it.",
                             prefetch_related=["secondary_users"])
    def secondary_user_emails(self: AccountModel) -> list[str]:
        return [user.email for user in self.secondary_users.all()]


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

