"""payWithAccount: pay the viewer's basket from accounts and gift cards; place the order."""
from dataclasses import asdict

from typing import Annotated

import strawberry

from headless_store.checkout import exceptions as checkout_exceptions
from headless_store.checkout.services import CheckoutDetails, PaymentSourceRequest, pay_basket_from_accounts
from headless_store.ledger import exceptions
from headless_store.ledger.models import Transaction

from ..context import Info
from ..errors import AccountError, errors_from
from ..ids import MalformedId, decode_id
from ..wallets.types import Money, Transfer
from .inputs import AddressInput, PayWithAccountInput
from .types import Order


@strawberry.type(description="The result of payWithAccount.")
class PayWithAccountPayload:
    order: Order | None = strawberry.field(default=None, description="The placed order.")
    transfers: list[Transfer] = strawberry.field(default_factory=list, description="One entry per account charged.")
    amount_due: Money | None = strawberry.field(
        default=None, description="With PAYMENT_INCOMPLETE: what the given sources leave unpaid."
    )
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was paid, if so.")


def _address(address: AddressInput | None):
    if address is None:
        return None
    return {key: value for key, value in asdict(address).items() if value is not None}


def _sources(payments):
    sources = []
    for index, payment in enumerate(payments):
        account_id = None
        if payment.account_id is not None:
            try:
                account_id = decode_id(payment.account_id, "Account")
            except MalformedId as error:
                error.field = f"payments.{index}.accountId"
                raise
        sources.append(PaymentSourceRequest(account_id=account_id, code=payment.code, amount=payment.amount))
    return sources


@strawberry.type
class CheckoutMutations:
    @strawberry.mutation(
        description="Pay the basket you built through /api/basket/ from your accounts and/or gift-card codes, "
        "and place the order. All or nothing: on any error no money moves and the basket stays open. "
        "Guests pay with codes and give `guestEmail`."
    )
    def pay_with_account(
        self, info: Info, input: Annotated[PayWithAccountInput, strawberry.argument(description="The operation's input.")]
    ) -> PayWithAccountPayload:
        request = info.context.request
        try:
            try:
                basket_id = int(input.basket_id)
            except (TypeError, ValueError):
                raise checkout_exceptions.BasketNotFound("No open basket with this id belongs to you.") from None
            result = pay_basket_from_accounts(
                request=request,
                basket_id=basket_id,
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
        except checkout_exceptions.PaymentIncomplete as error:
            return PayWithAccountPayload(
                amount_due=Money.of(error.amount_due, error.currency), errors=errors_from(error, field="payments")
            )
        except checkout_exceptions.BasketChanged as error:
            return PayWithAccountPayload(errors=errors_from(error, field="total"))
        except checkout_exceptions.BasketNotFound as error:
            return PayWithAccountPayload(errors=errors_from(error, field="basketId"))
        except (exceptions.AccountException, checkout_exceptions.CheckoutError, MalformedId) as error:
            return PayWithAccountPayload(errors=errors_from(error))
        legs = (
            Transaction.objects.filter(transfer__in=result.transfers, amount__lt=0)
            .select_related("transfer")
            .order_by("pk")
        )
        return PayWithAccountPayload(
            order=Order.from_model(result.order),
            transfers=[Transfer.from_leg(leg, info) for leg in legs],
        )
