"""A gift card as issued: its code, shown this once."""
import strawberry

from ..accounts.types import LedgerAccount


@strawberry.type(name="IssuedGiftCard", description="A new gift card and its code, shown this once.")
class IssuedGiftCard:
    code: str = strawberry.field(description="The full code, in groups of 4. It is never shown again.")
    account: LedgerAccount = strawberry.field(description="The gift-card account.")
