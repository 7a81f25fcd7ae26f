"""Amounts and currencies: what a valid amount of money is, per ISO 4217 currency, and `Money`,
the one value (amount + currency) that forms, messages and refusals show.

The number of decimal places comes from Babel's CLDR data (GBP 2, JPY 0, BHD 3), not from a
hand-kept table. Floats are refused: a binary fraction is not an amount of money. Every money
column stores STORED_DECIMAL_PLACES places (STORED_QUANTUM; `stored_amount()` reads an amount back
from SQL, `rounded()` keeps a computed one at that scale on SQLite); a currency's own quantum is
`quantum(currency)`, and `Money.__str__` ("12.50 GBP") is the one way an amount is written for
people.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_currency_precision, get_territory_currencies
from django.db import connection

from .conf import settings
from .exceptions import InvalidAmount

#: Decimal places stored in every money column: enough for any ISO 4217 currency (CLF has 4).
STORED_DECIMAL_PLACES = 4
#: Digits in every money column.
STORED_MAX_DIGITS = 20
#: The smallest amount a money column holds (what every stored or SQL-computed amount rounds to).
STORED_QUANTUM = Decimal(1).scaleb(-STORED_DECIMAL_PLACES)


def stored_amount(value) -> Decimal:
    """An amount read back from SQL, at the stored scale (SQLite hands back floats)."""
    return (value if isinstance(value, Decimal) else Decimal(repr(value))).quantize(STORED_QUANTUM)


def rounded(expression: str) -> str:
    """A computed SQL amount at the stored scale: SQLite keeps decimals as floats, so each write and
    each comparison rounds there; PostgreSQL's NUMERIC is exact and needs nothing."""
    if connection.vendor == "sqlite":
        return f"ROUND({expression}, {STORED_DECIMAL_PLACES})"
    return expression


def is_known_currency(code: str) -> bool:
    """An ISO 4217 code of money in use: legal tender in some territory today (CLDR). Not the
    codes for testing (XTS) or no currency (XXX), precious metals (XAU), units of account and
    funds codes (XDR, CLF, USN) or withdrawn currencies (DEM)."""
    return isinstance(code, str) and code in active_currencies()


@lru_cache(maxsize=1)
def active_currencies() -> frozenset[str]:
    today = datetime.date.today()
    return frozenset(currency for territory in get_global("territory_currencies")
                     for currency in get_territory_currencies(territory, today, tender=True))


def currency_exponent(code: str) -> int:
    """Decimal places of the currency's minor unit."""
    try:
        return _exponent(code)
    except TypeError:  # unhashable: certainly not a currency code
        raise InvalidAmount(f"{code!r} is not the ISO 4217 code of a currency in use.") from None


@lru_cache(maxsize=512)
def _exponent(code) -> int:
    # CLDR data does not change while the process runs; Babel rebuilds its currency set per call.
    if not is_known_currency(code):
        raise InvalidAmount(f"{code!r} is not the ISO 4217 code of a currency in use.")
    return get_currency_precision(code)


def require_currency(code, field: str = "currency") -> str:
    """`code` if it is an ISO 4217 currency code; InvalidInput naming `field` otherwise."""
    from .exceptions import InvalidInput

    try:
        currency_exponent(code)
    except InvalidAmount as error:
        raise InvalidInput(str(error), field=field) from None
    return code


def max_transfer_amount() -> Decimal:
    return Decimal(str(settings.ACCOUNTS_MAX_TRANSFER_AMOUNT))


def parse_amount(value, currency: str, *, allow_zero: bool = False) -> Decimal:
    """Return `value` as a Decimal amount of `currency`, or raise InvalidAmount saying why.

    Accepts Decimal, int and decimal strings. Refuses floats, booleans, NaN, infinities, zero,
    negative amounts, more decimal places than the currency has, and amounts above
    ACCOUNTS_MAX_TRANSFER_AMOUNT. With `allow_zero` (credit limits), zero is accepted.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount("Amounts must be decimals or strings, not floats.")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount(f"{value!r} is not a number.") from None
    if not amount.is_finite():
        raise InvalidAmount("Amounts must be finite numbers.")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidAmount("Amounts must be greater than zero." if not allow_zero else "Amounts cannot be negative.")
    exponent = currency_exponent(currency)
    if amount > max_transfer_amount():
        raise InvalidAmount(f"Amounts may not exceed {max_transfer_amount()} {currency}.")
    if _decimal_places(amount) > exponent:  # 1.100 is 1.10 and fine for GBP; 1.005 is not
        raise InvalidAmount(f"{currency} amounts have at most {exponent} decimal places.")
    return amount.quantize(Decimal(1).scaleb(-exponent))


def _decimal_places(amount: Decimal) -> int:
    """Significant decimal places, read from the digits themselves: normalize() would underflow
    1e-9999999 to zero in the default context and let it through as 0.00."""
    _sign, digits, exponent = amount.as_tuple()
    trailing_zeros = 0
    for digit in reversed(digits[1:]):
        if digit != 0:
            break
        trailing_zeros += 1
    return max(0, -(exponent + trailing_zeros))


def quantum(currency: str) -> Decimal:
    """The currency's minor unit as an amount: 0.01 GBP, 1 JPY, 0.001 BHD."""
    return Decimal(1).scaleb(-currency_exponent(currency))


def quantize(amount: Decimal, currency: str, rounding: str | None = None) -> Decimal:
    """Show a stored amount with the currency's own number of decimal places (lossless), or round
    a computed one to them with `rounding` (e.g. ROUND_DOWN)."""
    return amount.quantize(quantum(currency), rounding=rounding)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. `str()` writes it for people with the currency's own decimal
    places ("12.50 GBP", "1200 JPY", "1.250 BHD"); no code writes amounts by hand.

    Built from a trusted amount (a stored or computed one) directly, or from input with
    `Money.parse()`, which refuses what `parse_amount` refuses."""

    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, value, currency: str, *, allow_zero: bool = False) -> "Money":
        return cls(parse_amount(value, currency, allow_zero=allow_zero), currency)

    @property
    def quantized(self) -> Decimal:
        """The amount with the currency's decimal places (a stored amount has exactly those)."""
        return quantize(self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.quantized} {self.currency}"


def money(amount, currency: str) -> str:
    """`amount` of `currency` written for people: str(Money(amount, currency))."""
    return str(Money(Decimal(amount), currency))
