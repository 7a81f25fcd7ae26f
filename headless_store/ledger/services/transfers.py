"""Money moves staff make on an account: load it, empty it, reverse a transfer.

Permissions are checked by the caller (API or dashboard); these services record the acting
staff user on every transfer and move money only through the facade. Opening and editing
accounts is in accounts.py, issuing gift cards in giftcards.py.
"""
from django.db import transaction

from .. import core, exceptions, facade
from ..models import Account
from ..money import Money, parse_amount
from .accounts import check_limits
from .idempotency import Scope, scoped_key


def top_up_account(account: Account, amount, *, staff, source: Account | None = None, description=None,
                   idempotency_key=None):
    """Load money into an open account from `source` (default: Unpaid source). A retried
    `idempotency_key` (this staff member's) returns the first top-up."""
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, account.currency)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        check_limits(amount, locked, locked.currency)
        source = source or core.unpaid_source_account(locked.currency)
        return facade.transfer(source, locked, amount, user=staff, description=description or "Top-up",
                               check_authorisation=False, idempotency_key=scoped_key(Scope.staff(staff), idempotency_key))


def withdraw_from_account(account: Account, amount, *, staff, destination: Account | None = None,
                          description=None, idempotency_key=None):
    """Return money from an account to `destination` (default: Unpaid source); at most its balance.
    A retried `idempotency_key` (this staff member's) returns the first withdrawal."""
    with exceptions.blame("amount", exceptions.InvalidAmount):
        amount = parse_amount(amount, account.currency)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if amount > locked.balance - locked.held:
            raise exceptions.InsufficientFunds(
                f"The account holds only {Money(max(locked.balance - locked.held, 0), locked.currency)}"
                " that no hold reserves.",
                field="amount",
            )
        destination = destination or core.unpaid_source_account(locked.currency)
        return facade.transfer(locked, destination, amount, user=staff, description=description or "Withdrawal",
                               check_authorisation=False,
                               idempotency_key=scoped_key(Scope.staff(staff), idempotency_key))


def reverse_transfer(transfer, *, staff, amount=None, reason: str | None = None, idempotency_key=None):
    """Send a transfer's money back to where it came from, in full or in part (up to what is
    left). The permission to do so is the caller's to check (ledger/permissions.py); the owner
    check does not apply. A retried `idempotency_key` (this staff member's) returns the first
    reversal."""
    return facade.reverse(
        transfer, staff, description=reason or None, amount=amount, check_authorisation=False,
        idempotency_key=scoped_key(Scope.staff(staff), idempotency_key),
    )


