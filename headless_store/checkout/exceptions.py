"""Why paying a basket (or refunding an order) failed. Nothing was paid, refunded or placed in any
of these cases.

Checkout refusals are kernel `Refusal`s (headless_store/kernel/refusals.py) like the ledger's:
each may name the input at fault (`field`, a dotted path) and carries its code, the checkout's
own (`CheckoutCode`) or a kernel one."""
from enum import StrEnum

from headless_store.kernel.refusals import NotFound, Refusal
from headless_store.ledger.money import Money


class CheckoutCode(StrEnum):
    """The checkout's own refusal codes."""

    BASKET_EMPTY = "BASKET_EMPTY"
    BASKET_CHANGED = "BASKET_CHANGED"
    PAYMENT_INCOMPLETE = "PAYMENT_INCOMPLETE"
    ORDER_PLACEMENT_FAILED = "ORDER_PLACEMENT_FAILED"
    CARD_DECLINED = "CARD_DECLINED"
    CARD_RETRY = "CARD_RETRY"
    PAYMENT_GATEWAY_ERROR = "PAYMENT_GATEWAY_ERROR"
    CHECKOUT_CLOSED = "CHECKOUT_CLOSED"
    CHECKOUT_IN_PROGRESS = "CHECKOUT_IN_PROGRESS"
    REFUND_NOT_POSSIBLE = "REFUND_NOT_POSSIBLE"


class CheckoutError(Refusal):
    """Base class for checkout refusals. A refusal about an existing card checkout carries it
    (`checkout`), so the caller can show where it now is (declined, still pending, expired)."""

    checkout = None


class BasketNotFound(NotFound, CheckoutError):
    """No open basket with that id that the caller may use (unknown, someone else's, submitted)."""


class BasketEmpty(CheckoutError):
    """The basket has no lines."""

    code = CheckoutCode.BASKET_EMPTY


class BasketChanged(CheckoutError):
    """The order total is no longer what the shopper was shown."""

    code = CheckoutCode.BASKET_CHANGED

    def __init__(self, total, currency):
        self.total, self.currency = total, currency
        super().__init__(f"The basket changed: the total is now {Money(total, currency)}.", field="total")


class PaymentIncomplete(CheckoutError):
    """The payment sources do not cover the order total."""

    code = CheckoutCode.PAYMENT_INCOMPLETE

    def __init__(self, amount_due, currency):
        self.amount_due, self.currency = amount_due, currency
        super().__init__(f"The payments do not cover the order: {Money(amount_due, currency)} is still due.",
                         field="payments")


class CheckoutInvalid(CheckoutError):
    """Checkout fields failed validation; `errors` maps field names to messages."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {_text(messages)}" for field, messages in errors.items()))


class OrderPlacementFailed(CheckoutError):
    """Oscar refused to write the order (a payment or stock rule said no); nothing was charged."""

    code = CheckoutCode.ORDER_PLACEMENT_FAILED


class CheckoutNotFound(NotFound, CheckoutError):
    """No card checkout with that id that the caller may use."""


class CheckoutInProgress(CheckoutError):
    """A card payment for this checkout is being authorised right now; wait for its answer."""

    code = CheckoutCode.CHECKOUT_IN_PROGRESS


class CheckoutClosed(CheckoutError):
    """The checkout has ended (declined, cancelled or expired): its holds are released and its
    order cancelled. Start again from the basket."""

    code = CheckoutCode.CHECKOUT_CLOSED


class CardDeclined(CheckoutError):
    """The card was declined. The checkout has ended: its holds are released."""

    code = CheckoutCode.CARD_DECLINED


class CardRetry(CheckoutError):
    """The card processor asks the shopper to try again; the checkout and its holds stay."""

    code = CheckoutCode.CARD_RETRY


class PaymentGatewayError(CheckoutError):
    """The card processor did not answer. The checkout has ended and nothing was taken."""

    code = CheckoutCode.PAYMENT_GATEWAY_ERROR


class CheckoutRefused(CheckoutError):
    """Several refusals of one checkout at once (the address and the payments, say): `problems`
    holds each, so a front end can show them all, each by its field."""

    def __init__(self, problems: list):
        self._problems = [item for problem in problems for item in problem.problems]
        super().__init__("; ".join(str(problem) for problem in self._problems))

    @property
    def problems(self) -> list:
        return self._problems

    def find(self, kind):
        return next((problem for problem in self.problems if isinstance(problem, kind)), None)


class OrderNotFound(NotFound, CheckoutError):
    """No order with that number."""


class RefundNotPossible(CheckoutError):
    """The refund is more than what is left to refund by that means, or there is nothing to
    refund that way."""

    code = CheckoutCode.REFUND_NOT_POSSIBLE


def _text(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in messages.items())
    if isinstance(messages, (list, tuple)):
        return " ".join(_text(m) for m in messages)
    return str(messages)
