"""Checkout: payWithAccount (accounts and gift cards cover the basket), the card checkout
(startCardCheckout, payCardCheckout, cancelCardCheckout: accounts held, the rest by card) and,
for staff, refundOrder."""
import dataclasses
from dataclasses import asdict

import strawberry

from headless_store.checkout import card, refunds
from headless_store.checkout import exceptions as checkout_exceptions
from headless_store.checkout.accounts import CheckoutDetails, pay_basket_from_accounts
from headless_store.checkout.allocation import PaymentSourceRequest
from headless_store.ledger import names
from headless_store.ledger.inputs import parse_pk
from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.selectors.accounts import legs_of

from ..accounts.types import Account
from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from ..ids import MalformedId, cursor, decode_id
from ..money import Money
from ..pagination import Edge
from ..transfers.types import Transfer
from .inputs import (
    AddressInput,
    CancelCardCheckoutInput,
    PayCardCheckoutInput,
    PayWithAccountInput,
    RefundOrderInput,
    StartCardCheckoutInput,
)
from .types import AppliedGiftCard, CardCheckout, Order

LEGS_NOT_TRANSFERS = "These are legs (each account's side of a transfer), not transfers: use `legs`."

@strawberry.type(description="The result of payWithAccount.")
class PayWithAccountPayload:
    order: Order | None = strawberry.field(default=None, description="The placed order.")
    amount_due: Money | None = strawberry.field(
        default=None, description="With PAYMENT_INCOMPLETE: what the given sources leave unpaid."
    )
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was paid, if so.")
    _transfers: strawberry.Private[list] = dataclasses.field(default_factory=list)

    @strawberry.field(description="One leg per account charged.")
    def legs(self, info: Info) -> list[Transfer]:
        return _entries(self._transfers, info, debit=True)

    @strawberry.field(description="One leg per account charged.", deprecation_reason=LEGS_NOT_TRANSFERS)
    def transfers(self, info: Info) -> list[Transfer]:
        return self.legs(info)

    @strawberry.field(description="The same entries as edges of their accounts' `transfers` connections (newest "
                      "first there): prepend each to its account's cached history, no refetch needed.")
    def transfer_edges(self, info: Info) -> list[Edge[Transfer]]:
        return _edges(self._transfers, info, debit=True)

    @strawberry.field(description="The accounts charged, as they are now: update cached balances from these.")
    def accounts(self, info: Info) -> list[Account]:
        return _accounts(self._transfers, info)

    @strawberry.field(description="The gift cards charged: last characters, amount used, balance left.")
    def applied_gift_cards(self) -> list[AppliedGiftCard]:
        return _gift_cards(self._transfers)

    @classmethod
    def refused(cls, error, errors) -> "PayWithAccountPayload":
        if isinstance(error, checkout_exceptions.CheckoutRefused):
            error = error.find(checkout_exceptions.PaymentIncomplete) or error
        if isinstance(error, checkout_exceptions.PaymentIncomplete):
            return cls(amount_due=Money.of(error.amount_due, error.currency), errors=errors)
        return cls(errors=errors)


def _charged_accounts(transfers) -> list:
    """The accounts the payment took money from, as they are now, in the payment's order."""
    if not transfers:
        return []
    rows = AccountModel.objects.select_related("account_type", "product_range").in_bulk(
        {t.source_id for t in transfers})
    seen, ordered = set(), []
    for t in transfers:
        if t.source_id not in seen:
            seen.add(t.source_id)
            ordered.append(rows[t.source_id])
    return ordered


def _accounts(transfers, info: Info) -> list[Account]:
    return [Account.from_model(account, info) for account in _charged_accounts(transfers)]


def _gift_cards(transfers) -> list[AppliedGiftCard]:
    taken = {}
    for t in transfers:
        taken[t.source_id] = taken.get(t.source_id, 0) + t.amount
    return [
        AppliedGiftCard(last_characters=account.code_last4, amount_used=Money.of(taken[account.pk], account.currency),
                        balance=Money.of(account.balance, account.currency))
        for account in _charged_accounts(transfers) if account.account_type.code == names.GIFT_CARDS
    ]


def _payer_legs(transfers, *, debit: bool) -> list:
    """The payer's leg of each transfer (debit: the accounts charged; else the accounts refunded)."""
    if not transfers:
        return []
    accounts = {t.source_id if debit else t.destination_id for t in transfers}
    side = {"amount__lt": 0} if debit else {"amount__gt": 0}
    return list(legs_of(accounts).filter(transfer__in=transfers, **side).order_by("pk"))


def _entries(transfers, info: Info, *, debit: bool) -> list[Transfer]:
    return Transfer.from_legs(_payer_legs(transfers, debit=debit), info)


def _edges(transfers, info: Info, *, debit: bool) -> list[Edge[Transfer]]:
    legs = _payer_legs(transfers, debit=debit)
    return [Edge(cursor=cursor(leg.pk), node=node) for leg, node in zip(legs, Transfer.from_legs(legs, info), strict=True)]


@strawberry.type(
    description="The result of startCardCheckout, payCardCheckout and cancelCardCheckout. Whatever the outcome "
    "(paid, pending, declined, CARD_RETRY, expired, cancelled), `checkout` is the checkout as it now is and "
    "`accounts` the accounts it holds or charged, as they now are, so a normalised cache stays true; only a "
    "checkout that was never started or is not yours (NOT_FOUND, a refused start) leaves both empty."
)
class CardCheckoutPayload:
    checkout: CardCheckout | None = strawberry.field(default=None, description="The checkout, as it now is.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing changed, if so.")
    _transfers: strawberry.Private[list] = dataclasses.field(default_factory=list)
    _checkout: strawberry.Private[object] = None

    @strawberry.field(description="Once PAID: one leg per account charged.")
    def legs(self, info: Info) -> list[Transfer]:
        return _entries(self._transfers, info, debit=True)

    @strawberry.field(description="Once PAID: one leg per account charged.", deprecation_reason=LEGS_NOT_TRANSFERS)
    def transfers(self, info: Info) -> list[Transfer]:
        return self.legs(info)

    @strawberry.field(
        description="The accounts the checkout holds (PENDING), charged (PAID) or released (ended), as they are "
        "now: update cached balances and held amounts from these."
    )
    def accounts(self, info: Info) -> list[Account]:
        if self._checkout is None:
            return _accounts(self._transfers, info)
        return [Account.from_model(account, info) for account in card.held_accounts(self._checkout)]

    @strawberry.field(description="Once PAID: the gift cards charged: last characters, amount used, balance left.")
    def applied_gift_cards(self) -> list[AppliedGiftCard]:
        return _gift_cards(self._transfers)

    @classmethod
    def refused(cls, error, errors) -> "CardCheckoutPayload":
        if getattr(error, "checkout", None) is not None:  # declined, CARD_RETRY, expired, closed: where it is now
            return cls.of_checkout(error.checkout, errors=errors)
        return cls(errors=errors)

    @classmethod
    def of(cls, result) -> "CardCheckoutPayload":
        return cls.of_checkout(result.checkout, transfers=result.transfers)

    @classmethod
    def of_checkout(cls, checkout, *, transfers=(), errors=()) -> "CardCheckoutPayload":
        return cls(checkout=CardCheckout.from_model(checkout), errors=list(errors), _transfers=list(transfers),
                   _checkout=checkout)


@strawberry.type(description="The result of refundOrder.")
class RefundOrderPayload:
    order: Order | None = strawberry.field(default=None, description="The refunded order.")
    refunded: Money | None = strawberry.field(default=None, description="How much was refunded.")
    card_refund_reference: str | None = strawberry.field(default=None, description="The card processor's reference.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was refunded, if so.")
    _transfers: strawberry.Private[list] = dataclasses.field(default_factory=list)

    @strawberry.field(description="ACCOUNTS and STORE_CREDIT: one leg per account credited.")
    def legs(self, info: Info) -> list[Transfer]:
        return _entries(self._transfers, info, debit=False)

    @strawberry.field(description="ACCOUNTS and STORE_CREDIT: one leg per account credited.",
                      deprecation_reason=LEGS_NOT_TRANSFERS)
    def transfers(self, info: Info) -> list[Transfer]:
        return self.legs(info)

    @classmethod
    def refused(cls, error, errors) -> "RefundOrderPayload":
        return cls(errors=errors)


def _details(input) -> CheckoutDetails:
    return CheckoutDetails(
        shipping_address=_address(input.shipping_address),
        billing_address=_address(input.billing_address),
        shipping_method_code=input.shipping_method_code,
        guest_email=input.guest_email,
        total=input.total,
    )


def _address(address: AddressInput | None):
    if address is None:
        return None
    return {key: value for key, value in asdict(address).items() if value is not None}


#: No account has this primary key: the checkout refuses it as INVALID on `payments.N.accountId`.
NO_ACCOUNT = 0


def _account_pk(value) -> int | None:
    """A malformed account id is passed on as NO_ACCOUNT, so the checkout answers INVALID on it
    together with every other input error, instead of refusing the whole input before looking."""
    if value is None:
        return None
    try:
        return decode_id(value, "Account")
    except MalformedId:
        return NO_ACCOUNT


def _sources(payments) -> list[PaymentSourceRequest]:
    return [PaymentSourceRequest(account_id=_account_pk(p.account_id), code=p.code, amount=p.amount) for p in payments]


def _basket_id(value) -> int:
    pk = parse_pk(str(value).strip())
    if pk is None:
        raise checkout_exceptions.BasketNotFound("No open basket with this id belongs to you.", field="basket_id")
    return pk


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
            details=_details(input),
            idempotency_key=input.idempotency_key,
        )
        return PayWithAccountPayload(order=Order.from_model(result.order), _transfers=result.transfers)

    @mutation(
        "start_card_checkout",
        description="Start paying the basket you built through /api/basket/ partly from your accounts and/or "
        "gift-card codes and the rest by card. The accounts are held (not yet taken), the order is placed as "
        "'Pending payment' and the basket is frozen; pay the rest with payCardCheckout before `expiresAt`, or give "
        "`cardToken` here to charge the card at once (the same outcomes and codes as payCardCheckout). "
        "When the accounts cover everything, the checkout is PAID at once.",
    )
    def start_card_checkout(self, info: Info, input: Input[StartCardCheckoutInput]) -> CardCheckoutPayload:
        return CardCheckoutPayload.of(card.start_card_checkout(
            request=info.context.request, basket_id=_basket_id(input.basket_id), payments=_sources(input.payments),
            details=_details(input), card_token=input.card_token, idempotency_key=input.idempotency_key,
        ))

    @mutation(
        "pay_card_checkout",
        description="Pay the rest of a card checkout by card. Approved: the held accounts are charged and the "
        "order is paid (PAID). CARD_DECLINED or PAYMENT_GATEWAY_ERROR: the checkout has ended, the holds are "
        "released and the basket is open again. CARD_RETRY: try again, with this card or another. "
        "Repeating it for a PAID checkout returns it again.",
    )
    def pay_card_checkout(self, info: Info, input: Input[PayCardCheckoutInput]) -> CardCheckoutPayload:
        return CardCheckoutPayload.of(card.pay_card_checkout(
            request=info.context.request, token=str(input.checkout_id), card_token=input.card_token,
        ))

    @mutation(
        "cancel_card_checkout",
        description="Give up a card checkout that is not paid: the holds are released, the order is cancelled "
        "and the basket is open again.",
    )
    def cancel_card_checkout(self, info: Info, input: Input[CancelCardCheckoutInput]) -> CardCheckoutPayload:
        checkout = card.cancel_card_checkout(request=info.context.request, token=str(input.checkout_id))
        return CardCheckoutPayload.of_checkout(checkout)

    @mutation(
        "refund_order",
        description="Refund (part of) an order, an amount or some lines: to the card it was paid with, back to the "
        "accounts and gift cards that paid it, or to the customer's store credit. Capped by what was paid that way "
        "and not refunded yet, and by what is left of the order's total. Loyalty points earned by the order are "
        "taken back pro rata.",
    )
    def refund_order(self, info: Info, input: Input[RefundOrderInput]) -> RefundOrderPayload:
        order = refunds.find_order(input.order_number)
        refund = refunds.refund_order(
            order=order, staff=info.context.request.user, amount=input.amount,
            lines=[(line.line_id, line.quantity) for line in input.lines] if input.lines else None,
            destination=refunds.RefundDestination(input.destination.value), reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return RefundOrderPayload(order=Order.from_model(order), refunded=Money.of(refund.amount, order.currency),
                                  card_refund_reference=refund.reference or None, _transfers=refund.transfers)
