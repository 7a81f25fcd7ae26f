"""The placed order, as the payer sees it."""
from datetime import datetime
from enum import Enum

import strawberry

from headless_store.ledger.models import Hold

from ..ids import global_id
from ..money import Money
from ..nodes import Node


@strawberry.type(description="An Oscar order placed by payWithAccount or a card checkout; a signed-in "
                              "customer refetches their own with node(id:).")
class Order(Node):
    id: strawberry.ID = strawberry.field(description="Global ID (for a normalised cache and node(id:)).")
    number: str = strawberry.field(description="The order number (also the merchant reference of its payments).")
    status: str = strawberry.field(description="Oscar's order status.")
    total: Money = strawberry.field(description="Order total including tax and shipping.")
    shipping: Money = strawberry.field(description="Shipping charge including tax.")
    placed_at: datetime = strawberry.field(description="When the order was placed.")
    guest_email: str | None = strawberry.field(description="The email given for a guest checkout.")

    @classmethod
    def from_model(cls, order) -> "Order":
        return cls(
            id=global_id("Order", order.pk),
            number=order.number,
            status=order.status,
            total=Money.of(order.total_incl_tax, order.currency),
            shipping=Money.of(order.shipping_incl_tax, order.currency),
            placed_at=order.date_placed,
            guest_email=order.guest_email or None,
        )


@strawberry.enum(description="Where a card checkout is.")
class CardCheckoutStatus(Enum):
    PENDING = "PENDING"
    AUTHORISING = "AUTHORISING"
    PAID = "PAID"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


@strawberry.type(description="Money held on one of the checkout's accounts until the card is paid.")
class HeldPayment:
    account_id: strawberry.ID = strawberry.field(description="The account held.")
    amount: Money = strawberry.field(description="How much is held (taken when the card is paid).")
    status: str = strawberry.field(description="PENDING, CAPTURED, VOIDED or EXPIRED.")


@strawberry.type(description="A checkout paid partly from accounts (held) and the rest by card.")
class CardCheckout:
    id: strawberry.ID = strawberry.field(description="This checkout's secret id: pass it to payCardCheckout.")
    status: CardCheckoutStatus = strawberry.field(
        description="PENDING: waiting for the card; PAID: done; FAILED, CANCELLED, EXPIRED: ended, nothing taken."
    )
    order: Order = strawberry.field(description="The order, placed as 'Pending payment' until the card is paid.")
    from_accounts: Money = strawberry.field(description="What the accounts pay (held now, taken on payment).")
    by_card: Money = strawberry.field(description="What is left for the card.")
    expires_at: datetime = strawberry.field(description="Pay by then, or the holds are released and the order cancelled.")
    card: str | None = strawberry.field(description="The card that paid, e.g. 'Visa ending 4242'.")
    failure: str | None = strawberry.field(description="Why it ended, when it did.")
    holds: list[HeldPayment] = strawberry.field(description="The accounts held for this checkout.")

    @classmethod
    def from_model(cls, checkout) -> "CardCheckout":
        currency = checkout.currency
        return cls(
            id=checkout.token,
            status=CardCheckoutStatus(checkout.status),
            order=Order.from_model(checkout.order),
            from_accounts=Money.of(checkout.ledger_amount, currency),
            by_card=Money.of(checkout.card_amount, currency),
            expires_at=checkout.expires_at,
            card=checkout.card_label or None,
            failure=checkout.failure or None,
            holds=[
                HeldPayment(account_id=global_id("Account", hold.source_id), amount=Money.of(hold.amount, currency),
                            status=hold.status)
                for hold in getattr(checkout, "holds", None)
                or Hold.objects.filter(merchant_reference=checkout.order.number).order_by("pk")
            ],
        )


@strawberry.type(description="A gift card a payment took money from (as Shopify's appliedGiftCards).")
class AppliedGiftCard:
    last_characters: str = strawberry.field(description="The code's last 4 characters.")
    amount_used: Money = strawberry.field(description="What this payment took from it.")
    balance: Money = strawberry.field(description="What is left on it now.")
