"""Customer-facing types: Money, Account and Transfer (one entry of an account's history).

Types are filled from model rows once (`from_model`), so most fields are plain attributes and
cost nothing extra to resolve. Another customer's account never appears: a transfer names its
counterparty only when it is one of the viewer's accounts, a shop account or a gift card.
"""
from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from headless_store.ledger import codes, names
from headless_store.ledger.money import quantize
from headless_store.ledger.selectors.accounts import accounts_by_id

from ..context import Info
from ..ids import global_id
from ..history import account_history, register_account
from ..pagination import After, Connection, First


@strawberry.type(description="An amount of money in one currency.")
class Money:
    amount: Decimal = strawberry.field(description="The amount, with the currency's decimal places.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. GBP.")

    @classmethod
    def of(cls, amount, currency: str) -> "Money":
        return cls(amount=quantize(amount, currency), currency=currency)

    @classmethod
    def maybe(cls, amount, currency: str) -> "Money | None":
        return None if amount is None else cls.of(amount, currency)


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


@strawberry.enum(description="Whether an entry added money to the account or took it out.")
class TransferDirection(Enum):
    CREDIT = "CREDIT"
    DEBIT = "DEBIT"


_CORE_LABELS = {
    names.REDEMPTIONS: "Payment",
    names.LAPSED: "Expiry",
    names.BANK: "Shop",
    names.UNPAID_SOURCES: "Shop",
    names.PROMOTIONS: "Promotion",
}


@strawberry.type(description="One entry in an account's history: the account's side of a transfer.")
class Transfer:
    id: strawberry.ID = strawberry.field(description="Global ID of this entry.")
    reference: str = strawberry.field(description="The transfer's reference, for support and receipts.")
    account_id: strawberry.ID = strawberry.field(description="The account this entry belongs to.")
    direction: TransferDirection = strawberry.field(description="CREDIT: money in; DEBIT: money out.")
    amount: Money = strawberry.field(description="Signed change to the account: positive in, negative out.")
    balance_after: Money = strawberry.field(description="The account's balance right after this entry.")
    description: str | None = strawberry.field(description="What the transfer was for.")
    merchant_reference: str | None = strawberry.field(description="The order number, for payments and refunds.")
    is_reversal: bool = strawberry.field(description="This entry reverses or refunds an earlier transfer.")
    created_at: datetime = strawberry.field(description="When the transfer was made.")
    _other_id: strawberry.Private[int]

    @strawberry.field(
        description="Where the money came from or went: one of your accounts, a gift card, or the shop. "
        "Null when it is nobody you may know of."
    )
    def counterparty(self, info: Info) -> str | None:
        cache = info.context.cache
        pending = cache.setdefault("counterparty_ids", set())
        known = cache.setdefault("counterparties", {})
        if self._other_id not in known:  # one query for every entry in the response, on first use
            known.update(accounts_by_id(pending - known.keys()))
        return counterparty_label(known[self._other_id], info.context.viewer_account_ids())

    @classmethod
    def from_leg(cls, leg, info: Info) -> "Transfer":
        transfer = leg.transfer
        currency = transfer.currency
        other_id = transfer.destination_id if leg.account_id == transfer.source_id else transfer.source_id
        info.context.cache.setdefault("counterparty_ids", set()).add(other_id)
        return cls(
            id=global_id("Transfer", leg.pk),
            reference=transfer.reference,
            account_id=global_id("Account", leg.account_id),
            direction=TransferDirection.CREDIT if leg.amount > 0 else TransferDirection.DEBIT,
            amount=Money.of(leg.amount, currency),
            balance_after=Money.of(leg.balance_after, currency),
            description=transfer.description,
            merchant_reference=transfer.merchant_reference,
            is_reversal=transfer.parent_id is not None,
            created_at=leg.date_created,
            _other_id=other_id,
        )


def counterparty_label(account, visible_ids) -> str | None:
    if account.pk in visible_ids:
        return account.name
    if account.code_hash is not None:
        return f"Gift card {codes.mask(account.code_last4)}"
    return _CORE_LABELS.get(account.account_type.code)


@strawberry.type(description="An account holding money for you: store credit, a gift card, points, a B2B account.")
class Account:
    id: strawberry.ID = strawberry.field(description="Global ID.")
    name: str = strawberry.field(description="The account's name.")
    kind: AccountKind = strawberry.field(description="What the account is for.")
    currency: str = strawberry.field(description="ISO 4217 currency of everything in this account.")
    balance: Money = strawberry.field(description="Money in the account now (negative when a B2B account owes).")
    amount_available: Money | None = strawberry.field(
        description="What can be spent now: balance plus credit limit. Null when unlimited."
    )
    credit_limit: Money | None = strawberry.field(
        description="How far below zero the balance may go (0 for most accounts). Null when unlimited."
    )
    status: AccountStatus = strawberry.field(description="OPEN, FROZEN (by staff) or CLOSED.")
    start_date: datetime | None = strawberry.field(description="First moment the account can be used.")
    end_date: datetime | None = strawberry.field(description="When the account expires; unspent money lapses.")
    is_active: bool = strawberry.field(description="Inside its validity dates now.")
    code_last4: str | None = strawberry.field(
        description="A gift card's code, masked to its last 4 characters (••••ABCD). The full code is never shown again."
    )
    can_be_used_for_non_products: bool = strawberry.field(description="May pay for shipping and other charges.")
    product_range: str | None = strawberry.field(description="Name of the product range this account may pay for; null: any product.")
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, account, info: Info) -> "Account":
        register_account(info, "customer", account.pk)
        return cls(name=account.name, **account_fields(account), _pk=account.pk)

    @strawberry.field(description="This account's history, newest first (at most 100 per page).")
    def transfers(self, info: Info, first: First = None, after: After = None) -> Connection[Transfer]:
        return account_history(
            info, group="customer", account_pk=self._pk, first=first, after=after,
            node=lambda leg: Transfer.from_leg(leg, info),
        )


def account_fields(account) -> dict:
    """The fields customers and staff both see of an account."""
    currency = account.currency
    return {
        "id": global_id("Account", account.pk),
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
    }


AccountConnection = Connection[Account]
TransferConnection = Connection[Transfer]
