"""Inputs of the gift-card sales mutations."""
import strawberry


@strawberry.input(description="Send a sold gift card again, with a new code (the code sent before stops working).")
class ResendGiftCardInput:
    gift_card_id: strawberry.ID = strawberry.field(description="The GiftCardPurchase's global ID.")
    email: str | None = strawberry.field(default=None, description="Send it here instead (the recipient's new address).")
