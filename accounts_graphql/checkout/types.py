"""The placed order, as the payer sees it."""
from datetime import datetime

import strawberry

from ..money import Money


@strawberry.type(description="An Oscar order placed by payWithAccount.")
class Order:
    number: str = strawberry.field(description="The order number (also the merchant reference of its payments).")
    status: str = strawberry.field(description="Oscar's order status.")
    total: Money = strawberry.field(description="Order total including tax and shipping.")
    shipping: Money = strawberry.field(description="Shipping charge including tax.")
    placed_at: datetime = strawberry.field(description="When the order was placed.")
    guest_email: str | None = strawberry.field(description="The email given for a guest checkout.")

    @classmethod
    def from_model(cls, order) -> "Order":
        return cls(
            number=order.number,
            status=order.status,
            total=Money.of(order.total_incl_tax, order.currency),
            shipping=Money.of(order.shipping_incl_tax, order.currency),
            placed_at=order.date_placed,
            guest_email=order.guest_email or None,
        )
