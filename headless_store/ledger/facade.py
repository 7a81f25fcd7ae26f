"""The one way to move money: `transfer()` and `reverse()`; and two-phase postings, `hold()`
then `capture()` or `void()` (see holds.py).

The signatures are django-oscar-accounts' own, so code written against that package reads the
same. What differs is how a transfer is posted, inside one database transaction:

1. insert the transfer row (a repeated idempotency key collides here, before any money moves,
   and a concurrent retry waits on the unique index until the first call has finished);
2. in descending primary-key order (one order, so two transfers never deadlock; the shop's own
   accounts, the oldest and busiest, last, so they are held the shortest), one conditional UPDATE per account
   that locks the row, checks status, currency, owner and credit limit against the locked
   values, and changes the balance, returning the new balance; zero rows back means refused,
   and the row is read once to say why;
3. insert both legs with their `balance_after`.

Cost does not grow with an account's history: no SUM over legs on the write path. The posting
itself is posting.py's `Posting` (shared with holds.py).
"""
import logging
from functools import partial

from django.db import transaction

from . import exceptions
from .models import Transfer
from .money import Money, parse_amount
from .posting import Posting, check_replay, owner_condition, transfer_data  # noqa: F401  (owner_condition, transfer_data: public here too)
from .services.idempotency import first_use, stored_key
from .signals import guard_reversal, transfer_reversed

logger = logging.getLogger("headless_store.ledger")

__all__ = ["transfer", "reverse", "hold", "capture", "void", "balance"]

def transfer(
    source,
    destination,
    amount,
    parent=None,
    user=None,
    merchant_reference=None,
    description=None,
    *,
    idempotency_key=None,
    check_authorisation=True,
    lot=None,
    savepoint=True,
):
    """Move `amount` from `source` to `destination` and return the `Transfer`.

    Raises an `AccountException` subclass and changes nothing when the transfer is refused.
    `user` is recorded on the transfer and, unless `check_authorisation` is False (staff
    operations that checked permissions themselves), must be allowed to debit `source`.
    A repeated `idempotency_key` returns the first transfer when the arguments match and
    raises `IdempotencyConflict` when they differ. `source.balance` and
    `destination.balance` hold the new balances afterwards. `lot` (a `lots.Credit`) gives the
    category, start and expiry of the credit lot made in a customer-owned destination.
    `savepoint=False` is for a caller inside its own transaction that ends it on any error from
    here (a checkout: all or nothing): the transfer takes no savepoint of its own (two statements
    fewer), and an error marks the caller's transaction for rollback (Django's
    `atomic(savepoint=False)`), so a refused transfer can never commit half-written.
    """
    try:
        posting = Posting.build(
            source, destination, amount, parent, user, merchant_reference, description,
            idempotency_key, check_authorisation, lot,
        )
        return posting.post(savepoint=savepoint)
    except exceptions.AccountException as exc:
        logger.info("Transfer refused: %s", exc)
        raise
    # Anything else (a database error, a bug) propagates as it is: it is not a refusal, and its
    # text is for the logs, never for a message a client could read.


def reverse(
    transfer,
    user=None,
    merchant_reference=None,
    description=None,
    *,
    amount=None,
    idempotency_key=None,
    check_authorisation=True,
):
    """Send money back from the transfer's destination to its source; return the reversal.

    Full by default; `amount` makes it partial (a refund). The reversal records the original
    as its `parent`, and all reversals of a transfer together never exceed its amount
    (`ReversalNotPermitted` once nothing, or not that much, is left).
    """
    try:
        return _reverse(
            transfer, user, merchant_reference, description, amount, idempotency_key,
            check_authorisation,
        )
    except exceptions.AccountException as exc:
        logger.info("Reversal refused: %s", exc)
        raise


def _reverse(original, user, merchant_reference, description, amount, idempotency_key,
             check_authorisation):
    with transaction.atomic():
        # Apps that know what the transfer paid for lock their rows first (an order's refund cap).
        guards = guard_reversal(original)
        # Serialise reversals of one transfer: the remaining amount is read under this lock.
        locked = (
            Transfer.objects.select_for_update(no_key=True)
            .select_related("source", "destination")
            .get(pk=original.pk)
        )
        merchant_reference = merchant_reference or locked.merchant_reference
        idempotency_key = stored_key(idempotency_key)
        earlier = first_use(Transfer, idempotency_key)
        if earlier is not None:
            return check_replay(
                earlier, locked.destination_id, locked.source_id,
                earlier.amount if amount is None else amount, locked.pk, user,
                merchant_reference,
            )
        remaining = locked.max_refund()
        if remaining <= 0:
            raise exceptions.ReversalNotPermitted(
                f"Transfer {locked.reference} has been reversed in full already."
            )
        with exceptions.blame("amount", exceptions.InvalidAmount):
            amount = remaining if amount is None else parse_amount(amount, locked.currency)
        if amount > remaining:
            raise exceptions.ReversalNotPermitted(
                f"At most {Money(remaining, locked.currency)} of transfer {locked.reference} "
                "can still be reversed.",
                field="amount",
            )
        for guard in guards:
            guard.check(amount)
        reversal = transfer(
            locked.destination,
            locked.source,
            amount,
            parent=locked,
            user=user,
            merchant_reference=merchant_reference,
            description=description or f"Reversal of {locked.reference}",
            idempotency_key=idempotency_key,
            check_authorisation=check_authorisation,
            savepoint=False,  # this reversal's own transaction (above) ends on any error from it
        )
        for guard in guards:
            guard.posted(reversal)
        transaction.on_commit(
            partial(transfer_reversed.send, sender=Transfer, transfer=reversal, original=locked)
        )
    # Callers holding the original's accounts see the balances move back.
    for name in ("source", "destination"):
        if getattr(Transfer, name).is_cached(original):
            getattr(original, name).balance = getattr(locked, name).balance
    return reversal



def balance(account, at=None):
    """The account's balance now (its row), or at `at`: just after the last leg posted at or
    before that moment, exact to the leg, without summing history."""
    from .selectors.accounts import balance_at, balance_now

    return balance_now(account.pk) if at is None else balance_at(account.pk, at)


from .holds import capture, hold, void  # noqa: E402  (two-phase postings build on transfer())
