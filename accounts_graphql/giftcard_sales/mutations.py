"""resendGiftCard (staff)."""
import strawberry

from headless_store.giftcard_sales.selectors import sale_by_pk
from headless_store.giftcard_sales.services import resend

from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from ..ids import decode_owned_id
from .inputs import ResendGiftCardInput
from .types import GiftCardDelivery, GiftCardPurchase


@strawberry.type(description="The result of resendGiftCard.")
class ResendGiftCardPayload:
    gift_card: GiftCardPurchase | None = strawberry.field(default=None, description="The card, as it now is.")
    delivery: GiftCardDelivery | None = strawberry.field(default=None, description="This sending.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was sent, if so.")


@strawberry.type
class GiftCardSaleMutations:
    @mutation("resend_gift_card", description="E-mail a sold gift card again, re-keyed: a new code goes out and the "
              "one sent before stops working. A voided or used-up card is refused; a failed send changes nothing.")
    def resend_gift_card(self, info: Info, input: Input[ResendGiftCardInput]) -> ResendGiftCardPayload:
        pk = decode_owned_id(input.gift_card_id, "GiftCardPurchase", "gift_card_id")
        delivery = resend(sale_id=pk, staff=info.context.user, to_email=input.email)
        return ResendGiftCardPayload(gift_card=GiftCardPurchase.from_model(sale_by_pk(pk)),
                                     delivery=GiftCardDelivery.from_model(delivery))
