"""Inputs for payWithAccount."""
from decimal import Decimal
from enum import Enum

import strawberry


@strawberry.input(description="A postal address (as Oscar stores it). The fields the shop requires (OSCAR_REQUIRED_ADDRESS_FIELDS) are checked by the mutation, so a missing one is reported with its `field` together with every other input error.")
class AddressInput:
    title: str | None = strawberry.field(default=None, description="Mr, Ms, Dr...")
    first_name: str | None = strawberry.field(default=None, description="Given name. Required: a missing one is `INVALID` on its field, with every other input error.")
    last_name: str | None = strawberry.field(default=None, description="Family name. Required: a missing one is `INVALID` on its field, with every other input error.")
    line1: str | None = strawberry.field(default=None, description="First address line. Required: a missing one is `INVALID` on its field, with every other input error.")
    line2: str | None = strawberry.field(default=None, description="Second address line.")
    line3: str | None = strawberry.field(default=None, description="Third address line.")
    line4: str | None = strawberry.field(default=None, description="City or town. Required: a missing one is `INVALID` on its field, with every other input error.")
    state: str | None = strawberry.field(default=None, description="State, county or region.")
    postcode: str | None = strawberry.field(default=None, description="Postal code. Required: a missing one is `INVALID` on its field, with every other input error.")
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 country code, e.g. GB. Required: a missing one is `INVALID` on its field, with every other input error.")
    phone_number: str | None = strawberry.field(default=None, description="Phone number in international format.")
    notes: str | None = strawberry.field(default=None, description="Delivery instructions.")


@strawberry.input(description="One way to pay: one of your accounts or a gift-card code. Give exactly one.")
class PaymentSourceInput:
    account_id: strawberry.ID | None = strawberry.field(default=None, description="One of your accounts.")
    code: str | None = strawberry.field(default=None, description="A gift-card code (guests pay this way).")
    amount: Decimal | None = strawberry.field(
        default=None, description="How much to take from this source; omitted: as much as it may pay of what is still due."
    )


@strawberry.input(description="Pay a django-oscar-api basket from accounts and place the order.")
class PayWithAccountInput:
    basket_id: strawberry.ID = strawberry.field(description="The basket id from django-oscar-api (`/api/basket/` -> `id`).")
    payments: list[PaymentSourceInput] = strawberry.field(description="Where the money comes from, in order (at most 10).")
    shipping_address: AddressInput | None = strawberry.field(default=None, description="Needed when the basket needs shipping.")
    shipping_method_code: str | None = strawberry.field(default=None, description="From `/api/basket/shipping-methods/`; default: the shop's default.")
    billing_address: AddressInput | None = strawberry.field(default=None, description="Billing address, if different.")
    guest_email: str | None = strawberry.field(default=None, description="Required when not signed in.")
    total: Decimal | None = strawberry.field(
        default=None, description="The total the shopper was shown; BASKET_CHANGED if the order total now differs."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat the same key to retry safely: the first result comes back, nothing is paid twice."
    )


@strawberry.input(
    description="Start a checkout paid partly from accounts and gift cards (held now) and the rest by card."
)
class StartCardCheckoutInput(PayWithAccountInput):
    payments: list[PaymentSourceInput] = strawberry.field(
        default_factory=list,
        description="Accounts and gift-card codes to hold, in order (at most 10); empty: all by card.",
    )
    card_token: str | None = strawberry.field(
        default=None,
        description="Charge the card at once (one round trip), as payCardCheckout would; "
        "omitted: the checkout waits for payCardCheckout.",
    )


@strawberry.input(description="Pay what the held accounts leave, by card.")
class PayCardCheckoutInput:
    checkout_id: strawberry.ID = strawberry.field(description="From startCardCheckout. Keep it secret.")
    card_token: str = strawberry.field(
        description="The card processor's token for the card, made in the browser by its library. "
        "The sandbox takes a test card number (see the README)."
    )


@strawberry.input(description="Give up a card checkout: its holds are released and its order cancelled.")
class CancelCardCheckoutInput:
    checkout_id: strawberry.ID = strawberry.field(description="From startCardCheckout.")


@strawberry.enum(description="Where a refund goes.")
class RefundDestination(Enum):
    CARD = "CARD"
    ACCOUNTS = "ACCOUNTS"
    STORE_CREDIT = "STORE_CREDIT"


@strawberry.input(description="Some of one order line to refund.")
class RefundLineInput:
    line_id: int = strawberry.field(description="The Oscar order line's id.")
    quantity: int = strawberry.field(description="How many of it (at most what is left after earlier refunds).")


@strawberry.input(description="Refund (part of) an order: an amount or some lines, to its card, to the accounts "
                              "that paid it, or to the customer's store credit.")
class RefundOrderInput:
    order_number: str = strawberry.field(description="The Oscar order number.")
    destination: RefundDestination = strawberry.field(
        description="CARD: back to the card; ACCOUNTS: back to the wallets and gift cards that paid, oldest payment "
        "first; STORE_CREDIT: to the customer's store-credit wallet, whatever paid (not for guest orders)."
    )
    amount: Decimal | None = strawberry.field(
        default=None, description="How much; at most what was paid that way and not refunded yet. Or give `lines`.")
    lines: list[RefundLineInput] | None = strawberry.field(
        default=None, description="Lines to refund at their unit price (instead of `amount`).")
    reason: str | None = strawberry.field(default=None, description="Shown in the accounts' history.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat the same key to retry safely: the first refund comes back."
    )
