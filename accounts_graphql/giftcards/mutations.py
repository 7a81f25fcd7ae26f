"""redeemGiftCard: move a gift card's balance into the viewer's store credit."""
from typing import Annotated

import strawberry

from headless_store.ledger import exceptions
from headless_store.ledger.services.giftcards import redeem_gift_card

from ..context import Info
from ..errors import AccountError, errors_from
from ..wallets.types import Account, Money, Transfer


@strawberry.input(description="A gift-card code to redeem into your store credit.")
class RedeemGiftCardInput:
    code: str = strawberry.field(description="The code as printed; case, spaces and dashes do not matter.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat the same key to retry safely: the first result comes back, nothing moves twice."
    )


@strawberry.type(description="The result of redeemGiftCard.")
class RedeemGiftCardPayload:
    account: Account | None = strawberry.field(default=None, description="Your store-credit account that received the money.")
    transfer: Transfer | None = strawberry.field(default=None, description="The entry on that account.")
    amount: Money | None = strawberry.field(default=None, description="How much was moved.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing happened, if so.")


@strawberry.type
class GiftCardMutations:
    @strawberry.mutation(
        description="Move a gift card's whole balance into your store-credit account of its currency "
        "(opened on first use). Unknown, expired, closed, empty and redeemed codes all answer INVALID_CODE; "
        "too many failures answer CODE_ATTEMPTS_BLOCKED with `retryAfter`. Requires sign-in."
    )
    def redeem_gift_card(
        self, info: Info, input: Annotated[RedeemGiftCardInput, strawberry.argument(description="The operation's input.")]
    ) -> RedeemGiftCardPayload:
        user = info.context.viewer()
        try:
            redemption = redeem_gift_card(
                code=input.code, user=user, ip=info.context.ip, idempotency_key=input.idempotency_key
            )
        except exceptions.AccountException as error:
            code_error = isinstance(error, (exceptions.InvalidCode, exceptions.CodeAttemptsBlocked))
            return RedeemGiftCardPayload(errors=errors_from(error, field="code" if code_error else None))
        leg = redemption.transfer.transactions.select_related("transfer").get(account=redemption.wallet)
        return RedeemGiftCardPayload(
            account=Account.from_model(redemption.wallet, info),
            transfer=Transfer.from_leg(leg, info),
            amount=Money.of(redemption.transfer.amount, redemption.transfer.currency),
        )
