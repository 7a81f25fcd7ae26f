"""Money: an amount in one currency, shown with the currency's own decimal places."""
from decimal import Decimal

import strawberry

from headless_store.ledger.money import quantize


@strawberry.type(description="An amount of money in one currency.")
class Money:
    amount: Decimal = strawberry.field(description="The amount, with the currency's decimal places.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. GBP.")

    @classmethod
    def of(cls, amount, currency: str) -> "Money":
        return cls(amount=quantize(amount, currency), currency=currency)

    @classmethod
    def maybe(cls, amount, currency: str) -> "Money | None":
        return None if amount is None else cls.of(amount, currency)
