"""Why a gift-card sale refused something. Each is a kernel refusal (NotFound) or a subclass of the
ledger's or the checkout's, so the API maps it to that code (INVALID, REFUND_NOT_POSSIBLE, NOT_FOUND)
in its one place."""
from headless_store.checkout.exceptions import RefundNotPossible
from headless_store.kernel.refusals import NotFound
from headless_store.ledger.exceptions import InvalidInput


class GiftCardOptionsInvalid(InvalidInput):
    """A gift-card product added to a basket with options that do not hold (a malformed e-mail, a
    date in the past...). `errors` maps each option's code to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()),
                         field=next(iter(errors), None))


class GiftCardLineTooLarge(InvalidInput):
    """At checkout: a gift-card line holds more cards than GIFT_CARD_MAX_QUANTITY."""


class GiftCardCannotPayForGiftCards(InvalidInput):
    """A gift card was offered as payment for a basket with gift cards (GIFT_CARD_PAY_FOR_GIFT_CARDS off)."""


class GiftCardAlreadySpent(RefundNotPossible):
    """A refund would void a gift card some of which was spent (or redeemed into a wallet)."""


class GiftCardStillLive(RefundNotPossible):
    """An amount refund would return money that still stands behind live gift cards."""


class GiftCardSaleNotFound(NotFound):
    """No gift card sold with that id."""


class GiftCardNotDeliverable(InvalidInput):
    """The card cannot be (re)sent: it was voided, or it holds nothing any more."""
