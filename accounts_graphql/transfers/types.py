"""Transfers and their legs.

A leg (`Transaction` in the ledger's models, after django-oscar-accounts) is one account's side
of a transfer. Customers see the legs on their accounts as `Transfer` entries of their history;
staff see them as `LedgerEntry` rows of an account and whole transfers as `LedgerTransfer`.
Another customer's account never appears: a customer's entry names its counterparty only when
it is one of the viewer's accounts, a shop account or a gift card.
"""
import datetime as dt
from enum import Enum

import strawberry

from headless_store.ledger import codes, names

from ..context import Info
from ..ids import global_id
from ..loaders import counterparty_id
from ..money import Money


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
    created_at: dt.datetime = strawberry.field(description="When the transfer was made.")
    _other_id: strawberry.Private[int]

    @strawberry.field(
        description="Where the money came from or went: one of your accounts, a gift card, or the shop. "
        "Null when it is nobody you may know of."
    )
    def counterparty(self, info: Info) -> str | None:
        loaders = info.context.loaders
        return counterparty_label(loaders.counterparties.load(self._other_id), loaders.viewer_account_ids())

    @classmethod
    def from_leg(cls, leg, info: Info) -> "Transfer":
        transfer = leg.transfer
        currency = transfer.currency
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
            _other_id=counterparty_id(leg),
        )

    @classmethod
    def from_legs(cls, legs, info: Info) -> list["Transfer"]:
        """Entries for a list of legs, their counterparties loaded together when asked for."""
        legs = list(legs)
        info.context.loaders.counterparties.prime(counterparty_id(leg) for leg in legs)
        return [cls.from_leg(leg, info) for leg in legs]


def counterparty_label(account, visible_ids) -> str | None:
    if account is None:
        return None
    if account.pk in visible_ids:
        return account.name
    if account.code_hash is not None:
        return f"Gift card {codes.mask(account.code_last4)}"
    return _CORE_LABELS.get(account.account_type.code)


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

    @classmethod
    def of(cls, account) -> "LedgerAccountRef":
        return cls(id=global_id("Account", account.pk), name=str(account), account_type_code=account.account_type.code)


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
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, transfer, info: Info) -> "LedgerTransfer":
        info.context.loaders.refunded.prime([transfer.pk])
        return cls(
            id=global_id("LedgerTransfer", transfer.pk),
            reference=transfer.reference,
            source=LedgerAccountRef.of(transfer.source),
            destination=LedgerAccountRef.of(transfer.destination),
            amount=Money.of(transfer.amount, transfer.currency),
            parent_reference=transfer.parent.reference if transfer.parent_id else None,
            merchant_reference=transfer.merchant_reference,
            description=transfer.description,
            username=transfer.username,
            created_at=transfer.date_created,
            _pk=transfer.pk,
        )

    @strawberry.field(description="What can still be reversed or refunded.")
    def refundable(self, info: Info) -> Money:
        refunded = info.context.loaders.refunded.load(self._pk)
        return Money.of(self.amount.amount - refunded, self.amount.currency)
