"""Relay global IDs ("Account:42", base64-encoded) and pagination cursors."""
import binascii

from strawberry.relay.utils import from_base64, to_base64

from headless_store.kernel.refusals import NotFound
from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.inputs import parse_pk


class MalformedId(InvalidInput):
    """The value is not a global ID of the expected type."""


def global_id(type_name: str, pk) -> str:
    return to_base64(type_name, pk)


def parse_id(value) -> tuple[str, int] | None:
    """(type name, primary key) of a global ID, or None if it is not one."""
    try:
        kind, raw = from_base64(str(value))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    pk = parse_pk(raw)
    return (kind, pk) if pk is not None else None


def decode_id(value, type_name: str, field: str | None = None) -> int:
    """The primary key inside a global ID of `type_name`; MalformedId (blaming `field`) otherwise."""
    parsed = parse_id(value)
    if parsed is None or parsed[0] != type_name:
        raise MalformedId(f"This is not a valid {type_name} ID.", field=field)
    return parsed[1]


def decode_owned_id(value, type_name: str, field: str | None = None) -> int:
    """As decode_id, but a malformed ID is simply not found (for lookups scoped to a viewer)."""
    try:
        return decode_id(value, type_name)
    except MalformedId:
        raise NotFound(f"No {type_name.lower()} with this ID.", field=field) from None


def cursor(pk: int) -> str:
    return to_base64("cursor", pk)


def decode_cursor(value) -> int:
    return decode_id(value, "cursor")
