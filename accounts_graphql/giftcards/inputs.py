"""Inputs of the gift-card operations."""
import datetime as dt
from decimal import Decimal

import strawberry


@strawberry.input(description="Issue up to 1,000 gift cards of one amount.")
class IssueGiftCardsInput:
    count: int = strawberry.field(description="How many (1 to 1,000).")
    amount: Decimal = strawberry.field(description="Value of each card.")
    currency: str = strawberry.field(description="ISO 4217 currency.")
    start_date: dt.datetime | None = strawberry.field(default=None, description="Validity start.")
    end_date: dt.datetime | None = strawberry.field(default=None, description="Expiry.")
    product_range_id: strawberry.ID | None = strawberry.field(default=None, description="Oscar range id the cards may pay for.")
    source_account_id: strawberry.ID | None = strawberry.field(default=None, description="Where the money comes from (default: Unpaid source).")


@strawberry.input(description="A gift-card code to redeem into your store credit.")
class RedeemGiftCardInput:
    code: str = strawberry.field(description="The code as printed; case, spaces and dashes do not matter.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat the same key to retry safely: the first result comes back, nothing moves twice."
    )
