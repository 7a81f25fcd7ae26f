"""The Decimal scalar: amounts travel as strings ("12.50") so no digit is lost.

Input values are passed on as given (string or number) and validated by the ledger, so a bad
amount ("abc", "NaN", "1.005" for GBP) answers INVALID_AMOUNT in the payload, with its field,
instead of a bare coercion error.

The DateTime scalar is strawberry's own (same name, description and ISO 8601 parsing), except that
a moment whose offset PostgreSQL cannot take is passed on in UTC: ISO 8601 allows offsets up to
+-23:59, PostgreSQL only +-15:59, and a moment is the same instant in any zone. (Other offsets are
kept, so a statement's period comes back in the zone it was asked in.)
"""
import datetime as dt
import decimal

import strawberry
from strawberry.schema.types.base_scalars import DateTimeDefinition


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

#: The largest UTC offset PostgreSQL takes.
WIDEST_OFFSET = dt.timedelta(hours=15, minutes=59)


def _utc(value):
    moment = DateTimeDefinition.parse_value(value)
    offset = moment.utcoffset() if moment.tzinfo is not None else None
    if offset is None or abs(offset) <= WIDEST_OFFSET:
        return moment  # a moment without its zone is refused where one is needed (check_moment)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # the first hours of year 1 (refused as out of range where used)
        return moment


DateTimeScalar = strawberry.scalar(
    dt.datetime, name=DateTimeDefinition.name, description=DateTimeDefinition.description,
    serialize=DateTimeDefinition.serialize, parse_value=_utc,
)

SCALAR_MAP = {decimal.Decimal: DecimalScalar, dt.datetime: DateTimeScalar}
