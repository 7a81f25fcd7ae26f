"""The Decimal scalar: amounts travel as strings ("12.50") so no digit is lost.

Input values are passed on as given (string or number) and validated by the ledger, so a bad
amount ("abc", "NaN", "1.005" for GBP) answers INVALID_AMOUNT in the payload, with its field,
instead of a bare coercion error.
"""
import decimal

import strawberry


def _lenient(value):
    if isinstance(value, float):  # a JSON number: keep the digits the client sent
        return repr(value)
    return value


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='A decimal number as a string, e.g. "12.50". Money amounts have at most the '
    "currency's decimal places (GBP 2, JPY 0).",
    serialize=str,
    parse_value=_lenient,
)

SCALAR_MAP = {decimal.Decimal: DecimalScalar}
