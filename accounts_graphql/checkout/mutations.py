"""payWithAccount: pay the viewer's basket from accounts and gift cards; place the order."""
import dataclasses
from dataclasses import asdict

import strawberry

from headless_store.checkout import exceptions as checkout_exceptions
from headless_store.checkout.services import CheckoutDetails, PaymentSourceRequest, pay_basket_from_accounts
from headless_store.ledger.selectors.accounts import legs_of

from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from ..ids import decode_id
from ..money import Money
from ..transfers.types import Transfer
from .inputs import AddressInput, PayWithAccountInput
from .types import Order


@strawberry.type(description="The result of payWithAccount.")
class PayWithAccountPayload:
    order: Order | None = strawberry.field(default=None, description="The placed order.")
    amount_due: Money | None = strawberry.field(
        default=None, description="With PAYMENT_INCOMPLETE: what the given sources leave unpaid."
    )
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was paid, if so.")
    _transfers: strawberry.Private[list] = dataclasses.field(default_factory=list)

    @strawberry.field(description="One entry per account charged.")
    def transfers(self, info: Info) -> list[Transfer]:
        if not self._transfers:
            return []
        legs = legs_of({t.source_id for t in self._transfers}).filter(transfer__in=self._transfers, amount__lt=0)
        return Transfer.from_legs(legs.order_by("pk"), info)

    @classmethod
    def refused(cls, error, errors) -> "PayWithAccountPayload":
        if isinstance(error, checkout_exceptions.PaymentIncomplete):
            return cls(amount_due=Money.of(error.amount_due, error.currency), errors=errors)
        return cls(errors=errors)


def _address(address: AddressInput | None):
    if address is None:
        return None
    return {key: value for key, value in asdict(address).items() if value is not None}


def _sources(payments) -> list[PaymentSourceRequest]:
    return [
        PaymentSourceRequest(
            account_id=None if p.account_id is None else decode_id(p.account_id, "Account", f"payments.{i}.account_id"),
            code=p.code, amount=p.amount,
        )
        for i, p in enumerate(payments)
    ]


def _basket_id(value) -> int:
    value = str(value).strip()
    if not value.isdigit() or len(value) > 18:
        raise checkout_exceptions.BasketNotFound("No open basket with this id belongs to you.", field="basket_id")
    return int(value)


@strawberry.type
class CheckoutMutations:
    @mutation(
        "pay_with_account",
        description="Pay the basket you built through /api/basket/ from your accounts and/or gift-card codes, "
        "and place the order. All or nothing: on any error no money moves and the basket stays open. "
        "Guests pay with codes and give `guestEmail`.",
    )
    def pay_with_account(
        self, info: Info, input: Input[PayWithAccountInput]
    ) -> PayWithAccountPayload:
        result = pay_basket_from_accounts(
            request=info.context.request,
            basket_id=_basket_id(input.basket_id),
            payments=_sources(input.payments),
            details=CheckoutDetails(
                shipping_address=_address(input.shipping_address),
                billing_address=_address(input.billing_address),
                shipping_method_code=input.shipping_method_code,
                guest_email=input.guest_email,
                total=input.total,
            ),
            idempotency_key=input.idempotency_key,
        )
        return PayWithAccountPayload(order=Order.from_model(result.order), _transfers=result.transfers)
