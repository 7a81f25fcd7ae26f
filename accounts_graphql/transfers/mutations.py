"""reverseTransfer (staff): send a transfer's money back to where it came from."""
import re
from decimal import Decimal

from typing import Annotated

import strawberry

from headless_store.ledger import exceptions, facade
from headless_store.ledger.models import Transaction, Transfer as TransferModel

from ..context import Info
from ..errors import AccountError, AccountErrorCode, errors_from
from ..ids import MalformedId, decode_id
from ..wallets.types import Transfer

REFERENCE = re.compile(r"^[0-9A-F]{32}$")


@strawberry.input(description="Reverse a transfer in full or in part.")
class ReverseTransferInput:
    transfer_id: strawberry.ID = strawberry.field(description="The transfer: an entry's ID or the transfer's reference.")
    amount: Decimal | None = strawberry.field(default=None, description="Omit to reverse everything still left.")
    reason: str | None = strawberry.field(default=None, description="Recorded as the reversal's description.")
    idempotency_key: str | None = strawberry.field(default=None, description="Repeat the same key to retry safely.")


@strawberry.type(description="The result of reverseTransfer.")
class ReverseTransferPayload:
    transfer: Transfer | None = strawberry.field(default=None, description="The reversal, as an entry on the account that got its money back.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing happened, if so.")


def find_transfer(value) -> TransferModel:
    """A transfer by ID ("LedgerTransfer:<pk>"), entry ID ("Transfer:<leg>") or reference."""
    value = str(value).strip()
    if REFERENCE.match(value.upper()):
        transfer = TransferModel.objects.filter(reference=value.upper()).first()
    else:
        try:
            transfer = TransferModel.objects.filter(pk=decode_id(value, "LedgerTransfer")).first()
        except MalformedId:
            leg_pk = decode_id(value, "Transfer")
            transfer = TransferModel.objects.filter(transactions__pk=leg_pk).first()
    if transfer is None:
        raise exceptions.AccountNotFound("No transfer with this ID.")
    return transfer


@strawberry.type
class TransferMutations:
    @strawberry.mutation(
        description="Reverse a transfer (staff with the reverse_transfer permission): in full, or partly up to "
        "what is still left. The money goes back to the original source and the reversal links to the original."
    )
    def reverse_transfer(
        self, info: Info, input: Annotated[ReverseTransferInput, strawberry.argument(description="The operation's input.")]
    ) -> ReverseTransferPayload:
        user = info.context.viewer()
        if not user.has_perm("ledger.reverse_transfer"):
            return ReverseTransferPayload(
                errors=[AccountError(field=None, code=AccountErrorCode.PERMISSION_DENIED,
                                     message="You do not have permission to reverse transfers.")]
            )
        try:
            original = find_transfer(input.transfer_id)
            reversal = facade.reverse(
                original, user, description=input.reason or None, amount=input.amount,
                idempotency_key=f"reverse:{user.pk}:{input.idempotency_key}" if input.idempotency_key else None,
                check_authorisation=False,
            )
        except MalformedId as error:
            return ReverseTransferPayload(errors=errors_from(error, field="transferId"))
        except exceptions.AccountException as error:
            field = "amount" if isinstance(error, (exceptions.InvalidAmount, exceptions.ReversalNotPermitted)) else None
            return ReverseTransferPayload(errors=errors_from(error, field=field))
        leg = Transaction.objects.select_related("transfer").get(transfer=reversal, amount__gt=0)
        return ReverseTransferPayload(transfer=Transfer.from_leg(leg, info))
