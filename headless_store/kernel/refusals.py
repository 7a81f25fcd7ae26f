"""Refusals: the one base class of every expected "no" the domains answer with.

A refusal means the operation changed nothing. It carries a stable `code` (a string; the API
layer shows it as its error-code enum, unchanged) and may name the input at fault as a dotted
path of the operation's arguments (`amount`, `payments.0.code`); `blame()` adds the outer part of
the path where a caller knows it. Messages are for people: they never carry internal ids or
another exception's text.

Each domain declares its refusals and their codes beside its code (ledger/exceptions.py,
checkout/exceptions.py, events/exceptions.py); the codes every domain shares are here.
"""
from contextlib import contextmanager
from enum import StrEnum


class RefusalCode(StrEnum):
    """Codes any domain may use."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"


class Refusal(Exception):
    """Base class: a domain refused an operation and changed nothing."""

    code: str = RefusalCode.INVALID
    field: str | None = None

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        if field is not None:
            self.field = field

    @property
    def problems(self) -> list["Refusal"]:
        """The refusals this one stands for: itself, or each of a group's (checkout's CheckoutRefused)."""
        return [self]


class NotFound(Refusal):
    """No such thing (or none the caller may see). Domains subclass it per kind of thing."""

    code = RefusalCode.NOT_FOUND


class IdempotencyConflict(Refusal):
    """The idempotency key was used before for a different operation."""

    code = RefusalCode.IDEMPOTENCY_CONFLICT


@contextmanager
def blame(field: str, *kinds: type[Exception]):
    """Refusals raised inside name `field` as (the start of) their input path.

    `kinds` narrows which refusals are blamed (default: any exception with a `field`)."""
    try:
        yield
    except Exception as error:
        if not hasattr(error, "field") or (kinds and not isinstance(error, kinds)):
            raise
        error.field = f"{field}.{error.field}" if error.field else field
        raise


def every_refusal() -> list[type[Refusal]]:
    """Every refusal class defined so far (each domain's, once its module is imported)."""
    found, stack = [], [Refusal]
    while stack:
        klass = stack.pop()
        found.append(klass)
        stack.extend(klass.__subclasses__())
    return found
