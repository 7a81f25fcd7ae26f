"""Transfers and their legs.

A leg (`Leg`, the `Transaction` model of django-oscar-accounts) is one account's side of a
transfer (see the glossary in the README). Customers see the legs on their accounts as `Transfer` entries of their history
(filled once from rows, like `Account`); staff see them as `LedgerEntry` rows of an account and
whole transfers as `LedgerTransfer` (strawberry-graphql-django types over the models, loaded by
its optimizer).
Another customer's account never appears: a customer's entry names its counterparty only when
it is one of the viewer's accounts, a shop account or a gift card.
"""
import datetime as dt
from enum import Enum

import strawberry
import strawberry_django

from headless_store.ledger import codes, names
from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.models import Leg
from headless_store.ledger.models import Transfer as TransferModel
from headless_store.ledger.selectors.transfers import refunded_amount

from ..context import Info
from ..ids import global_id
from ..loaders import counterparty_id
from ..money import Money
from ..nodes import Node


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


@strawberry.type(description="One leg: an account's side of a transfer, an entry in its history. (The type "
                             "keeps its first name, Transfer; payload fields holding legs are named leg/legs.)")
class Transfer(Node):
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


@strawberry_django.type(Leg, name="LedgerEntry", description="One leg: an account's side of a transfer.")
class LedgerEntry:
    created_at: dt.datetime = strawberry_django.field(field_name="date_created", description="When.")

    @strawberry_django.field(description="Global ID of the leg (a Transfer ID in the customer API).")
    def id(self: Leg) -> strawberry.ID:
        return global_id("Transfer", self.pk)

    @strawberry_django.field(description="Reference of its transfer.", select_related=["transfer"])
    def transfer_reference(self: Leg) -> str:
        return self.transfer.reference

    @strawberry_django.field(description="Signed change to the account.", select_related=["transfer"])
    def amount(self: Leg) -> Money:
        return Money.of(self.amount, self.transfer.currency)

    @strawberry_django.field(description="The account's balance right after it.", select_related=["transfer"])
    def balance_after(self: Leg) -> Money:
        return Money.of(self.balance_after, self.transfer.currency)

    @strawberry_django.field(description="The transfer's description.", select_related=["transfer"])
    def description(self: Leg) -> str | None:
        return self.transfer.description

    @strawberry_django.field(description="The transfer's merchant reference.", select_related=["transfer"])
    def merchant_reference(self: Leg) -> str | None:
        return self.transfer.merchant_reference

    @strawberry_django.field(description="Who made the transfer (empty for the system).", select_related=["transfer"])
    def username(self: Leg) -> str:
        return self.transfer.username


@strawberry_django.type(AccountModel, name="LedgerAccountRef", description="The name and ID of an account a transfer touches.")
class LedgerAccountRef:
    @strawberry_django.field(description="Global ID.")
    def id(self: AccountModel) -> strawberry.ID:
        return global_id("Account", self.pk)

    @strawberry_django.field(description="Name (gift cards show only the code's last 4 characters).")
    def name(self: AccountModel) -> str:
        return str(self)

    @strawberry_django.field(description="Code of its account type.", select_related=["account_type"])
    def account_type_code(self: AccountModel) -> str:
        return self.account_type.code


@strawberry_django.type(TransferModel, name="LedgerTransfer", description="A transfer in full: both accounts, who and why.")
class LedgerTransfer:
    reference: str = strawberry_django.field(description="Unique reference (32 hex characters).")
    source: LedgerAccountRef = strawberry_django.field(description="Where the money came from.")
    destination: LedgerAccountRef = strawberry_django.field(description="Where it went.")
    merchant_reference: str | None = strawberry_django.field(description="Order number or other merchant reference.")
    description: str | None = strawberry_django.field(description="Why.")
    username: str = strawberry_django.field(description="Who (a snapshot that survives the user's deletion).")
    created_at: dt.datetime = strawberry_django.field(field_name="date_created", description="When.")

    @strawberry_django.field(description="Global ID.")
    def id(self: TransferModel) -> strawberry.ID:
        return global_id("LedgerTransfer", self.pk)

    @strawberry_django.field(description="Amount moved.")
    def amount(self: TransferModel) -> Money:
        return Money.of(self.amount, self.currency)

    @strawberry_django.field(description="The transfer this one reverses or refunds.", select_related=["parent"])
    def parent_reference(self: TransferModel) -> str | None:
        return self.parent.reference if self.parent_id else None

    @strawberry_django.field(description="What can still be reversed or refunded.",
                             annotate={"refunded": lambda info: refunded_amount()})
    def refundable(self: TransferModel) -> Money:
        refunded = self.refunded if hasattr(self, "refunded") else self.reversed_amount()  # one looked up alone
        return Money.of(self.amount - refunded, self.currency)
