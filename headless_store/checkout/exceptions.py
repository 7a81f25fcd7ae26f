"""Why paying a basket failed. Nothing was paid and no order was placed in any of these cases.

Like the ledger's refusals, each may name the input at fault (`field`, a dotted path)."""


class CheckoutError(Exception):
    """Base class for checkout refusals. A refusal about an existing card checkout carries it
    (`checkout`), so the caller can show where it now is (declined, still pending, expired)."""

    field: str | None = None
    checkout = None

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        if field is not None:
            self.field = field


class BasketNotFound(CheckoutError):
    """No open basket with that id that the caller may use (unknown, someone else's, submitted)."""


class BasketEmpty(CheckoutError):
    """The basket has no lines."""


class BasketChanged(CheckoutError):
    """The order total is no longer what the shopper was shown."""

    def __init__(self, total, currency):
        self.total, self.currency = total, currency
        super().__init__(f"The basket changed: the total is now {total} {currency}.", field="total")


class PaymentIncomplete(CheckoutError):
    """The payment sources do not cover the order total."""

    def __init__(self, amount_due, currency):
        self.amount_due, self.currency = amount_due, currency
        super().__init__(f"The payments do not cover the order: {amount_due} {currency} is still due.", field="payments")


class CheckoutInvalid(CheckoutError):
    """Checkout fields failed validation; `errors` maps field names to messages."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {_text(messages)}" for field, messages in errors.items()))


class OrderPlacementFailed(CheckoutError):
    """Oscar refused to write the order (a payment or stock rule said no); nothing was charged."""


class CheckoutNotFound(CheckoutError):
    """No card checkout with that id that the caller may use."""


class CheckoutInProgress(CheckoutError):
    """A card payment for this checkout is being authorised right now; wait for its answer."""


class CheckoutClosed(CheckoutError):
    """The checkout has ended (declined, cancelled or expired): its holds are released and its
    order cancelled. Start again from the basket."""


class CardDeclined(CheckoutError):
    """The card was declined. The checkout has ended: its holds are released."""


class CardRetry(CheckoutError):
    """The card processor asks the shopper to try again; the checkout and its holds stay."""


class PaymentGatewayError(CheckoutError):
    """The card processor did not answer. The checkout has ended and nothing was taken."""


class CheckoutRefused(CheckoutError):
    """Several refusals of one checkout at once (the address and the payments, say): `problems`
    holds each, so a front end can show them all, each by its field."""

    def __init__(self, problems: list):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def find(self, kind):
        return next((problem for problem in self.problems if isinstance(problem, kind)), None)


class RefundNotPossible(CheckoutError):
    """The refund is more than what is left to refund by that means, or there is nothing to
    refund that way."""


def _text(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in messages.items())
    if isinstance(messages, (list, tuple)):
        return " ".join(_text(m) for m in messages)
    return str(messages)
