"""A gift card as its buyer sees it (never its code), and its delivery log for staff."""
from datetime import date, datetime
from enum import Enum

import strawberry

from ..ids import global_id
from ..money import Money


@strawberry.enum(description="Where a sold gift card is.")
class GiftCardStatus(Enum):
    SCHEDULED = "SCHEDULED"
    SENT = "SENT"
    FAILED = "FAILED"
    VOIDED = "VOIDED"


@strawberry.type(description="One attempt to e-mail a sold gift card.")
class GiftCardDelivery:
    status: str = strawberry.field(description="SENT or FAILED.")
    to_email: str = strawberry.field(description="Where it went.")
    error: str | None = strawberry.field(description="What kind of failure (never the message).")
    resent_by_staff: bool = strawberry.field(description="A staff resend, not the scheduled sending.")
    created_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_model(cls, delivery) -> "GiftCardDelivery":
        return cls(status=delivery.status, to_email=delivery.to_email, error=delivery.error or None,
                   resent_by_staff=delivery.resent_by_id is not None, created_at=delivery.created_at)


@strawberry.type(description="A gift card bought in the shop. Its code only ever goes to the recipient by e-mail.")
class GiftCardPurchase:
    id: strawberry.ID = strawberry.field(description="Global ID (GiftCardPurchase).")
    order_number: str = strawberry.field(description="The order it was bought with.")
    amount: Money = strawberry.field(description="What the card was worth when issued.")
    recipient_name: str = strawberry.field(description="Who it is for (may be empty).")
    recipient_email: str = strawberry.field(description="Where it is (or was) sent.")
    message: str = strawberry.field(description="The buyer's message.")
    deliver_on: date = strawberry.field(description="The day it is sent.")
    status: GiftCardStatus = strawberry.field(description="SCHEDULED, SENT, FAILED (staff resend it) or VOIDED (refunded).")
    sent_at: datetime | None = strawberry.field(description="When it was last e-mailed.")
    used: bool = strawberry.field(description="Whether any of it was spent or redeemed.")
    _sale: strawberry.Private[object]

    @strawberry.field(description="Staff only: every sending, newest first (empty for customers).")
    def deliveries(self, info: strawberry.Info) -> list[GiftCardDelivery]:
        user = info.context.user
        if not (user and user.is_staff):
            return []
        return [GiftCardDelivery.from_model(d) for d in self._sale.deliveries.all()]

    @classmethod
    def from_model(cls, sale) -> "GiftCardPurchase":
        card = sale.account
        voided = sale.status == "VOIDED"
        return cls(id=strawberry.ID(global_id("GiftCardPurchase", sale.pk)), order_number=sale.order.number,
                   amount=Money.of(sale.amount, sale.currency), recipient_name=sale.recipient_name,
                   recipient_email=sale.recipient_email, message=sale.message, deliver_on=sale.deliver_on,
                   status=GiftCardStatus(sale.status), sent_at=sale.sent_at,
                   used=not voided and card.balance - card.held < sale.amount, _sale=sale)
