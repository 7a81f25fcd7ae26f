"""The ledger's exceptions: django-oscar-accounts' hierarchy, plus the cases it did not name.

Code written against django-oscar-accounts catches `AccountException` and its subclasses; that
keeps working. `FrozenAccount` is a `ClosedAccount` because the old package refused frozen
accounts with `ClosedAccount`. The API layer maps these to error codes in one place.
"""


class AccountException(Exception):
    """Base class: the ledger refused an operation and changed nothing."""


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


class AccountNotFound(AccountException):
    """No such account (or none the caller may see)."""


class InvalidCode(AccountException):
    """The code is unknown or cannot be used; deliberately says no more than that."""


class CodeAttemptsBlocked(AccountException):
    """Too many failed code attempts; the caller must wait `retry_after` seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"Too many failed code attempts. Try again in {self.retry_after} seconds.")
