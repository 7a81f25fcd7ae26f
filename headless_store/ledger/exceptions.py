"""The ledger's refusals: django-oscar-accounts' hierarchy, plus the cases it did not name.

Code written against django-oscar-accounts catches `AccountException` and its subclasses; that
keeps working. `AccountException` is a kernel `Refusal` (headless_store/kernel/refusals.py), as
every domain's refusals are, so a caller catches any domain's "no" with `except Refusal`.
`FrozenAccount` is a `ClosedAccount` because the old package refused frozen accounts with
`ClosedAccount`. Each class carries its code (`LedgerCode`, or a kernel `RefusalCode`); the API
layer shows them unchanged.
"""
from enum import StrEnum

from headless_store.kernel import refusals as kernel
from headless_store.kernel.refusals import NotFound, Refusal, RefusalCode, blame

__all__ = [
    "LedgerCode", "AccountException", "blame", "InvalidInput", "NotAuthenticated", "AccountNotEmpty",
    "InsufficientFunds", "InvalidAmount", "InvalidTransfer", "InactiveAccount", "ClosedAccount", "FrozenAccount",
    "CurrencyMismatch", "NotAuthorised", "ReversalNotPermitted", "IdempotencyConflict", "HoldNotPending",
    "HoldExpired", "AccountNotFound", "TransferNotFound", "InvalidCode", "CodeAttemptsBlocked",
]


class LedgerCode(StrEnum):
    """The ledger's own refusal codes (besides the kernel's INVALID, NOT_FOUND...)."""

    INVALID_AMOUNT = "INVALID_AMOUNT"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    ACCOUNT_CLOSED = "ACCOUNT_CLOSED"
    ACCOUNT_FROZEN = "ACCOUNT_FROZEN"
    ACCOUNT_INACTIVE = "ACCOUNT_INACTIVE"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_CODE = "INVALID_CODE"
    CODE_ATTEMPTS_BLOCKED = "CODE_ATTEMPTS_BLOCKED"
    REVERSAL_NOT_PERMITTED = "REVERSAL_NOT_PERMITTED"


class AccountException(Refusal):
    """Base class of the ledger's refusals: the ledger refused an operation and changed nothing."""


class InvalidInput(AccountException):
    """An argument is missing, malformed or names nothing that exists (`field` says which)."""


class NotAuthenticated(AccountException):
    """The operation needs a signed-in user."""


class AccountNotEmpty(AccountException):
    """An account with a non-zero balance cannot be closed."""


class InsufficientFunds(AccountException):
    """The debit would take the balance below the account's credit limit."""

    code = LedgerCode.INSUFFICIENT_FUNDS


class InvalidAmount(AccountException):
    """The amount is not a positive, finite decimal the currency can hold."""

    code = LedgerCode.INVALID_AMOUNT


class InvalidTransfer(AccountException):
    """The transfer itself makes no sense (for example, an account paying itself)."""


class InactiveAccount(AccountException):
    """The account is outside its validity window (not started yet, or expired)."""

    code = LedgerCode.ACCOUNT_INACTIVE


class ClosedAccount(AccountException):
    """The account is closed and can neither send nor receive money."""

    code = LedgerCode.ACCOUNT_CLOSED


class FrozenAccount(ClosedAccount):
    """The account is frozen by staff; it can move no money until thawed."""

    code = LedgerCode.ACCOUNT_FROZEN


class CurrencyMismatch(AccountException):
    """Money can only move between accounts of one currency."""

    code = LedgerCode.CURRENCY_MISMATCH


class NotAuthorised(AccountException):
    """The user may not move money out of this account."""

    code = RefusalCode.PERMISSION_DENIED


class ReversalNotPermitted(AccountException):
    """Nothing (or not that much) is left to reverse on this transfer."""

    code = LedgerCode.REVERSAL_NOT_PERMITTED


class IdempotencyConflict(kernel.IdempotencyConflict, AccountException):
    """The idempotency key was used before for a different operation (a refused transfer, so an
    AccountException too, as the facade's callers catch)."""


class HoldNotPending(AccountException):
    """The hold was captured, voided or expired already."""


class HoldExpired(HoldNotPending):
    """The hold's expiry has passed: it can no longer be captured."""


class AccountNotFound(NotFound, AccountException):
    """No such account (or none the caller may see)."""


class TransferNotFound(NotFound, AccountException):
    """No such transfer (or none the caller may see)."""


class InvalidCode(AccountException):
    """The code is unknown or cannot be used; deliberately says no more than that."""

    code = LedgerCode.INVALID_CODE


class CodeAttemptsBlocked(AccountException):
    """Too many failed code attempts; the caller must wait `retry_after` seconds."""

    code = LedgerCode.CODE_ATTEMPTS_BLOCKED

    def __init__(self, retry_after: int, *, field: str | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"Too many failed code attempts. Try again in {self.retry_after} seconds.", field=field)
