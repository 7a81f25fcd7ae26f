"""Transfer mutations (staff): reverseTransfer, topUpAccount, withdrawFromAccount.

Money moves only through the ledger's staff services, recorded against the acting staff user,
whose idempotency keys the ledger scopes to them.
"""

import strawberry

from headless_store.ledger.selectors.accounts import account_by_pk
from headless_store.ledger.selectors.transfers import credited_leg, transfer_by_pk
from headless_store.ledger.services import transfers as services

from ..accounts.mutations import shop_account, staff_account
from ..accounts.types import LedgerAccount
from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from .inputs import MoveMoneyInput, ReverseTransferInput
from .queries import find_transfer
from .types import LedgerTransfer, Transfer


@strawberry.type(description="The result of reverseTransfer.")
class ReverseTransferPayload:
    @strawberry.field(description="The reversal's leg on the account that got its money back.",
                      deprecation_reason="It is a leg, not a transfer: use `leg`.")
    def transfer(self) -> Transfer | None:
        return self.leg

    leg: Transfer | None = strawberry.field(
        default=None, description="The reversal's leg on the account that got its money back.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing happened, if so.")


@strawberry.type(description="The result of a top-up or withdrawal.")
class MoveMoneyPayload:
    account: LedgerAccount | None = strawberry.field(default=None, description="The account as it is now.")
    transfer: LedgerTransfer | None = strawberry.field(default=None, description="The transfer made.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing moved, if so.")


@strawberry.type
class TransferMutations:
    @mutation(
        "reverse_transfer",
        description="Reverse a transfer: in full, or partly up to what is still left. The money goes back to "
        "the original source and the reversal links to the original.",
    )
    def reverse_transfer(
        self, info: Info, input: Input[ReverseTransferInput]
    ) -> ReverseTransferPayload:
        reversal = services.reverse_transfer(
            find_transfer(input.transfer_id, "transfer_id"), staff=info.context.user, amount=input.amount,
            reason=input.reason, idempotency_key=input.idempotency_key,
        )
        return ReverseTransferPayload(leg=Transfer.from_legs([credited_leg(reversal)], info)[0])

    @mutation("top_up_account", description="Load money into an account from Bank, Unpaid source or Promotions.")
    def top_up_account(
        self, info: Info, input: Input[MoveMoneyInput]
    ) -> MoveMoneyPayload:
        return _move(info, input, services.top_up_account, "source")

    @mutation("withdraw_from_account", description="Return money from an account to Bank, Unpaid source or Promotions.")
    def withdraw_from_account(
        self, info: Info, input: Input[MoveMoneyInput]
    ) -> MoveMoneyPayload:
        return _move(info, input, services.withdraw_from_account, "destination")


def _move(info: Info, input: MoveMoneyInput, service, counter: str) -> MoveMoneyPayload:
    account = staff_account(input.account_id)
    transfer = service(
        account, input.amount, staff=info.context.user, description=input.description,
        idempotency_key=input.idempotency_key,
        **{counter: shop_account(input.counter_account_id, account.currency, "counter_account_id")},
    )
    return MoveMoneyPayload(account=account_by_pk(account.pk), transfer=transfer_by_pk(transfer.pk))
