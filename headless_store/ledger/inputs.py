"""What callers may send, decided once for every entry point (the API, the dashboard, services):
row ids in ASCII digits, dates within sane bounds. Currencies are money.py's."""
import datetime as dt
import re

from .exceptions import InvalidInput

_ASCII_ID = re.compile(r"[0-9]{1,18}")
#: Dates outside these years are typing mistakes (0001-01-01, 9999-12-31), not validity windows.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2199, 12, 31)


def parse_pk(value) -> int | None:
    """A row id written in ASCII digits (at most 18, so it fits a bigint), else None. Python's
    int() also reads "١", "１", " 1", "+1" and "1_0"; an id is none of those."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) and not isinstance(value, bool) else ""
    if not _ASCII_ID.fullmatch(text):
        return None
    pk = int(text)
    return pk if pk > 0 else None


def check_date(value, field: str | None = None):
    """`value` (a date or datetime) if it lies between EARLIEST and LATEST; InvalidInput naming
    `field` otherwise."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(day, dt.date) and not EARLIEST <= day <= LATEST:
        raise InvalidInput(f"Give a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}.", field=field)
    return value


def check_moment(value, field: str | None = None) -> dt.datetime:
    """`value` in UTC if it is a timezone-aware datetime between EARLIEST and LATEST; InvalidInput
    naming `field` otherwise (a moment without a zone would be read in some zone by guesswork).
    Use the value returned: ISO 8601 and Python allow offsets up to +-23:59, PostgreSQL only
    +-15:59, so a moment reaches SQL in UTC."""
    if not isinstance(value, dt.datetime):
        raise InvalidInput("Give a date and time.", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("Give the time with its zone, e.g. 2026-03-01T00:00:00Z.", field=field)
    check_date(value, field)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00: before any datetime, but refused above already
        raise InvalidInput(f"Give a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}.",
                           field=field) from None
