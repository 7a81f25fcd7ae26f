"""Gift-card mutations: customers' redeemGiftCard; staff's issueGiftCards."""

import strawberry

from headless_store.ledger.money import require_currency
from headless_store.ledger.selectors.accounts import legs_of, product_range_by_id, search_accounts
from headless_store.ledger.services import giftcards as services
from headless_store.ledger.services.giftcards import redeem_gift_card

from ..accounts.mutations import shop_account
from ..accounts.types import Account
from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from ..ids import cursor
from ..money import Money
from ..pagination import Edge
from ..transfers.types import Transfer
from .inputs import IssueGiftCardsInput, RedeemGiftCardInput
from .types import IssuedGiftCard


@strawberry.type(description="The result of redeemGiftCard.")
class RedeemGiftCardPayload:
    @strawberry.field(description="The redemption's leg on that account.",
                      deprecation_reason="It is a leg, not a transfer: use `leg`.")
    def transfer(self) -> Transfer | None:
        return self.leg

    account: Account | None = strawberry.field(default=None, description="Your store-credit account that received the money.")
    leg: Transfer | None = strawberry.field(default=None, description="The redemption's leg on that account.")
    transfer_edge: Edge[Transfer] | None = strawberry.field(
        default=None, description="The same entry as an edge of that account's `transfers` connection (newest first "
        "there): prepend it to the cached history, no refetch needed.")
    amount: Money | None = strawberry.field(default=None, description="How much was moved.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing happened, if so.")


@strawberry.type(description="The result of issueGiftCards: the codes, shown this once.")
class IssueGiftCardsPayload:
    gift_cards: list[IssuedGiftCard] = strawberry.field(default_factory=list, description="The new cards with their codes.")
    total: Money | None = strawberry.field(default=None, description="Value issued in all.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was issued, if so.")


@strawberry.type
class GiftCardMutations:
    @mutation(
        "redeem_gift_card",
        description="Move a gift card's whole balance into your store-credit account of its currency "
        "(opened on first use). Unknown, expired, closed, empty and redeemed codes all answer INVALID_CODE; "
        "too many failures answer CODE_ATTEMPTS_BLOCKED with `retryAfter`. Requires sign-in.",
    )
    def redeem_gift_card(
        self, info: Info, input: Input[RedeemGiftCardInput]
    ) -> RedeemGiftCardPayload:
        redemption = redeem_gift_card(
            code=input.code, user=info.context.user, ip=info.context.ip, idempotency_key=input.idempotency_key
        )
        legs = list(legs_of([redemption.wallet.pk]).filter(transfer=redemption.transfer))
        entry = Transfer.from_legs(legs, info)[0]
        return RedeemGiftCardPayload(
            account=Account.from_model(redemption.wallet, info),
            leg=entry,
            transfer_edge=Edge(cursor=cursor(legs[0].pk), node=entry),
            amount=Money.of(redemption.transfer.amount, redemption.transfer.currency),
        )

    @mutation(
        "issue_gift_cards",
        description="Issue up to 1,000 gift cards; each code is in this payload and never shown again.",
    )
    def issue_gift_cards(
        self, info: Info, input: Input[IssueGiftCardsInput]
    ) -> IssueGiftCardsPayload:
        currency = require_currency(input.currency.strip().upper())
        batch = services.issue_gift_cards(
            staff=info.context.user, count=input.count, amount=input.amount, currency=currency,
            start_date=input.start_date, end_date=input.end_date,
            product_range=product_range_by_id(input.product_range_id, field="product_range_id"),
            source=shop_account(input.source_account_id, currency, "source_account_id"),
        )
        accounts = search_accounts().in_bulk([card.account.pk for card in batch.cards])
        return IssueGiftCardsPayload(
            gift_cards=[
                IssuedGiftCard(code=card.code, account=accounts[card.account.pk])
                for card in batch.cards
            ],
            total=Money.of(batch.total, currency),
        )
