"""Why paying a basket failed. Nothing was paid and no order was placed in any of these cases.

Like the ledger's refusals, each may name the input at fault (`field`, a dotted path)."""


class CheckoutError(Exception):
    """Base class for checkout refusals."""

    field: str | None = None

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


def _text(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in messages.items())
    if isinstance(messages, (list, tuple)):
        return " ".join(_text(m) for m in messages)
    return str(messages)
