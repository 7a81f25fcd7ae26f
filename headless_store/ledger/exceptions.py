"""The ledger's exceptions: django-oscar-accounts' hierarchy, plus the cases it did not name.

Code written against django-oscar-accounts catches `AccountException` and its subclasses; that
keeps working. `FrozenAccount` is a `ClosedAccount` because the old package refused frozen
accounts with `ClosedAccount`. The API layer maps these to error codes in one place.

Every refusal may name the input at fault as a dotted path of the operation's arguments
(`amount`, `payments.0.code`); `blame()` adds the outer part of the path where a caller knows it.
Messages are for people: they never carry internal ids or another exception's text.
"""
from contextlib import contextmanager


class AccountException(Exception):
    """Base class: the ledger refused an operation and changed nothing."""

    field: str | None = None

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        if field is not None:
            self.field = field


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


class InvalidInput(AccountException):
    """An argument is missing, malformed or names nothing that exists (`field` says which)."""


class NotAuthenticated(AccountException):
    """The operation needs a signed-in user."""


class AccountNotEmpty(AccountException):
    """An account with a non-zero balance cannot be closed."""


class InsufficientFunds(AccountException):
    """The debit would take the balance below the account's credit limit."""


class InvalidAmount(AccountException):
    """The amount is not a positive, finite decimal the currency can hold."""


class InvalidTransfer(AccountException):
    """The transfer itself makes no sense (for example, an account paying itself)."""


class InactiveAccount(AccountException):
    """The account is outside its validity window (not started yet, or expired)."""


class ClosedAccount(AccountException):
    """The account is closed and can neither send nor receive money."""


class FrozenAccount(ClosedAccount):
    """The account is frozen by staff; it can move no money until thawed."""


class CurrencyMismatch(AccountException):
    """Money can only move between accounts of one currency."""


class NotAuthorised(AccountException):
    """The user may not move money out of this account."""


class ReversalNotPermitted(AccountException):
    """Nothing (or not that much) is left to reverse on this transfer."""


class IdempotencyConflict(AccountException):
    """The idempotency key was used before for a different operation."""


class HoldNotPending(AccountException):
    """The hold was captured, voided or expired already."""


class HoldExpired(HoldNotPending):
    """The hold's expiry has passed: it can no longer be captured."""


class AccountNotFound(AccountException):
    """No such account (or none the caller may see)."""


class InvalidCode(AccountException):
    """The code is unknown or cannot be used; deliberately says no more than that."""


class CodeAttemptsBlocked(AccountException):
    """Too many failed code attempts; the caller must wait `retry_after` seconds."""

    def __init__(self, retry_after: int, *, field: str | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"Too many failed code attempts. Try again in {self.retry_after} seconds.", field=field)
