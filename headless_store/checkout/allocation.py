"""Which accounts pay how much of an order: the payment sources a shopper names (an account of
theirs or a gift-card code), resolved and checked, and the order's total split over them within
each account's rules (range restrictions, credit limits). Used by every checkout that takes
wallet money (accounts.py, card.py, classic.py); nothing here moves money.
"""
from dataclasses import dataclass
from decimal import Decimal

from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.exceptions import blame
from headless_store.ledger.money import Money, parse_amount, quantize
from headless_store.ledger.selectors.accounts import paying_account
from headless_store.ledger.services.giftcards import find_by_code
from headless_store.network import client_ip

from . import exceptions
from .signals import payment_sources_chosen

MAX_PAYMENT_SOURCES = 10


@dataclass(frozen=True)
class PaymentSourceRequest:
    """One way to pay: an account of the viewer's (by pk) or a gift-card code; `amount` is
    optional (None: as much as this source may pay of what is still due)."""

    account_id: int | None = None
    code: str | None = None
    amount: object = None


def resolve_source(index, source: PaymentSourceRequest, request, currency):
    user = request.user if request.user.is_authenticated else None
    if (source.account_id is None) == (not source.code):
        raise exceptions.CheckoutInvalid({f"payments.{index}": ["Give exactly one of accountId and code."]})
    if source.code:
        account = find_by_code(source.code, ip=client_ip(request), user=user)
    elif source.account_id < 1:  # no account has it: what an API passes for an id it could not read
        raise ledger_exceptions.InvalidInput("This is not a valid account ID.", field="account_id")
    else:
        account = paying_account(user, source.account_id)
        if account is None:
            raise ledger_exceptions.AccountNotFound("No such account.", field="account_id")
        if account.is_closed():
            raise ledger_exceptions.ClosedAccount("This account is closed.")
        if account.is_frozen():
            raise ledger_exceptions.FrozenAccount("This account is frozen.")
        if not account.is_active():
            raise ledger_exceptions.InactiveAccount("This account cannot be used at the moment (outside its validity dates).")
    if account.currency != currency:
        raise ledger_exceptions.CurrencyMismatch(
            f"This account holds {account.currency}; the basket is in {currency}."
        )
    return account


class OrderShares:
    """What is still unpaid of each part of an order: each line, and the non-product charges
    (shipping, and whatever else makes up the total). A range-restricted account can only take
    from the lines in its range, so two such accounts cannot both pay for the same line."""

    def __init__(self, basket, shipping_charge: Decimal, total: Decimal):
        self.parts = {("line", line.pk): (line, line.line_price_incl_tax_incl_discounts) for line in basket.all_lines()}
        other = total - shipping_charge - sum((due for _line, due in self.parts.values()), Decimal("0"))
        self.parts["shipping"] = (None, shipping_charge + other)  # order-level charges and discounts
        self.due = {key: due for key, (_line, due) in self.parts.items()}

    def eligible(self, account) -> list:
        return [key for key, (line, _due) in self.parts.items() if account.can_pay_for(line.product if line else None)]

    def capacity(self, account) -> Decimal:
        """The most this account may pay of what is still due (the account's own rules)."""
        return account.permitted_allocation(
            sum((max(self.due[key], Decimal("0")) for key in self.eligible(account)), Decimal("0"))
        )

    def take(self, account, amount: Decimal) -> None:
        for key in self.eligible(account):
            share = min(amount, max(self.due[key], Decimal("0")))
            self.due[key] -= share
            amount -= share

    @property
    def remaining(self) -> Decimal:
        return sum(self.due.values(), Decimal("0"))


def allocate(sources, accounts, basket, shipping_charge: Decimal, total: Decimal, currency: str, *,
             leave_rest: bool = False):
    """Split `total` over the accounts: explicit amounts as given, the rest in order, each
    within what the account may pay of what is still due. Returns [(account, amount)];
    PaymentIncomplete if something is left unpaid, unless `leave_rest` (a card pays it)."""
    payment_sources_chosen.send(sender=type(basket), basket=basket, accounts=list(enumerate(accounts)))
    shares = OrderShares(basket, shipping_charge, total)
    allocations = []
    for index, (source, account) in enumerate(zip(sources, accounts, strict=True)):
        permitted = shares.capacity(account)
        if source.amount is not None:
            with blame(f"payments.{index}.amount"):
                amount = _explicit_amount(source.amount, account, permitted, shares.remaining, currency)
        else:
            amount = min(permitted, shares.remaining)
        if amount > 0:
            allocations.append((account, amount))
            shares.take(account, amount)
    if shares.remaining > 0 and not leave_rest:
        raise exceptions.PaymentIncomplete(quantize(shares.remaining, currency), currency)
    return allocations


def _explicit_amount(raw, account, permitted, remaining, currency):
    amount = parse_amount(raw, currency)
    available = account.amount_available
    if available is not None and amount > available:
        raise ledger_exceptions.InsufficientFunds(
            f"This account has only {Money(available, currency)} available."
        )
    if amount > permitted:
        raise ledger_exceptions.InvalidAmount(
            f"At most {Money(permitted, currency)} of this order can be paid from this account."
        )
    if amount > remaining:
        raise ledger_exceptions.InvalidAmount("The payments add up to more than the order total.")
    return amount


def check_sources(payments, *, required: bool = True) -> None:
    if required and not payments:
        raise exceptions.CheckoutInvalid({"payments": ["Give at least one payment source."]})
    if len(payments) > MAX_PAYMENT_SOURCES:
        raise exceptions.CheckoutInvalid({"payments": [f"At most {MAX_PAYMENT_SOURCES} payment sources."]})
