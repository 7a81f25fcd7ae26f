"""Two-phase postings: reserve money now (`hold`), post it later (`capture`) or release it
(`void`), as TigerBeetle's pending/post/void and Oscar's `Source.allocate`/`debit`.

A pending hold's amount is kept in its source's `held` column, changed by the same kind of
conditional UPDATE that moves balances: one statement locks the source row, checks that
`balance - held - amount` stays within the credit limit, and reserves. So what is held counts
against what the source may still spend, race-free, and a transfer from the source checks
`balance - held` too. Capturing releases the whole hold and posts the captured part as an
ordinary transfer in the same transaction (a partial capture releases the rest). A hold expires
at `expires_at` (default ACCOUNTS_HOLD_TIMEOUT); an expired hold cannot be captured, and
`expire_holds()` (`manage.py ledger_expire_holds`, on a schedule) releases it.
"""
import secrets
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from headless_store.kernel.compiled import CompiledQuery

from . import events, exceptions, lots
from .conf import settings
from .models import Account, Hold, Transfer
from .money import Money, parse_amount, rounded, stored_amount
from .posting import Posting, owner_condition, posting_cursor
from .services.idempotency import amount_value, first_use, replay, stored_key

_ACCOUNT = Account._meta.db_table
_HOLD = Hold._meta.db_table


def hold(source, destination, amount, user=None, merchant_reference=None, description=None, *,
         expires_at=None, idempotency_key=None, savepoint=True) -> Hold:
    """Reserve `amount` of `source` for `destination` and return the pending Hold.

    Refused like a transfer (InvalidAmount, InsufficientFunds against what is not already held,
    ClosedAccount, FrozenAccount, CurrencyMismatch, NotAuthorised), changing nothing. A repeated
    `idempotency_key` returns the first hold when the arguments match, IdempotencyConflict
    otherwise. `source.held` holds the new reservation afterwards. `savepoint` as for
    `facade.transfer`."""
    posting = Posting.build(source, destination, amount, None, user, merchant_reference, description,
                             idempotency_key, True)
    now = timezone.now()
    expires_at = expires_at or now + timedelta(seconds=settings.ACCOUNTS_HOLD_TIMEOUT)
    if expires_at <= now:
        raise exceptions.InvalidInput("A hold must expire in the future.", field="expires_at")
    try:
        with transaction.atomic(savepoint=savepoint or posting.idempotency_key is not None):
            placed = Hold.objects.bulk_create([Hold(
                reference=secrets.token_hex(16).upper(), source_id=source.pk, destination_id=destination.pk,
                amount=posting.amount, currency=posting.currency, expires_at=expires_at,
                merchant_reference=posting.merchant_reference, description=posting.description,
                user_id=posting.user_id, idempotency_key=posting.idempotency_key,
            )])[0]
            with posting_cursor() as cursor:
                owner_sql, owner_params = owner_condition(posting.user_id)
                amount = connection.ops.adapt_decimalfield_value(posting.amount)
                reserve = (f"UPDATE {_ACCOUNT} SET held = {rounded('held + %s')} WHERE id = %s AND status = 'OPEN'"
                           f" AND currency = %s AND (credit_limit IS NULL OR {rounded('balance - held - %s')}"
                           f" >= -credit_limit){owner_sql}")
                params = [amount, source.pk, posting.currency, amount, *owner_params]
                # The destination is checked by the same statement (open, same currency), which
                # writes the hold.placed event too.
                event_sql, event_params = events.hold_changed("hold.placed", placed)
                if connection.vendor == "postgresql":
                    event_sql, event_params = f"WITH event AS ({event_sql}) ", event_params
                else:
                    cursor.execute(event_sql, event_params)
                    event_sql, event_params = "", []
                cursor.execute(
                    f"{event_sql}{reserve} AND EXISTS (SELECT 1 FROM {_ACCOUNT} d WHERE d.id = %s AND d.status = 'OPEN'"
                    " AND d.currency = %s) RETURNING held, balance",
                    [*event_params, *params, destination.pk, posting.currency],
                )
                row = cursor.fetchone()
                if row is None:  # say why: the source's refusal first, as a transfer would
                    cursor.execute(f"SELECT 1 FROM {_ACCOUNT} WHERE id = %s AND status = 'OPEN' AND currency = %s"
                                   f" AND (credit_limit IS NULL OR {rounded('balance - held - %s')} >= -credit_limit)"
                                   f"{owner_sql}", params[1:])
                    source_ok = cursor.fetchone() is not None
                    posting._explain_refusal(cursor, destination.pk if source_ok else source.pk, debit=not source_ok)
                lots.reserve(cursor, placed, source, stored_amount(row[1]), stored_amount(row[0]), now)
    except IntegrityError:
        earlier = first_use(Hold, posting.idempotency_key)
        if earlier is None:
            raise
        return replay(earlier, {
            "source_id": source.pk, "destination_id": destination.pk, "amount": posting.amount,
            "user_id": posting.user_id, "merchant_reference": posting.merchant_reference,
        }, "hold")
    source.held = stored_amount(row[0])  # the reserving UPDATE returned it
    lots.forget_usable(source)
    placed.source, placed.destination = source, destination
    placed.user = posting.user if posting.user_id else None
    return placed


def capture(hold, amount=None, user=None, *, idempotency_key=None, savepoint=True) -> Transfer:
    """Post a pending hold as a transfer, in full or (with `amount`) in part; the rest is
    released. Refused with HoldExpired past its expiry, HoldNotPending once captured, voided or
    expired; a retry with the capture's `idempotency_key` returns the same transfer. `savepoint`
    as for `facade.transfer`."""
    from .facade import transfer

    with transaction.atomic(savepoint=savepoint or idempotency_key is not None):
        # The hold row only is locked (the accounts' rows are locked by the transfer's own
        # conditional UPDATEs); its accounts and user are the caller's, or read.
        locked = _LOCKED.first(pk=hold.pk)
        if locked is None:
            raise Hold.DoesNotExist("Hold matching query does not exist.")
        _with_parties(locked, hold)
        idempotency_key = stored_key(idempotency_key)
        if locked.status == Hold.Status.CAPTURED and idempotency_key is not None:
            posted = locked.transfer
            if posted.idempotency_key == idempotency_key:
                return replay(posted, {"amount": amount_value(posted.amount if amount is None else amount)}, "capture")
        _require_pending(locked)
        if locked.has_expired():
            raise exceptions.HoldExpired("This hold has expired; its money is released.")
        with exceptions.blame("amount", exceptions.InvalidAmount):
            amount = locked.amount if amount is None else parse_amount(amount, locked.currency)
        if amount > locked.amount:
            raise exceptions.InvalidAmount(
                f"At most {Money(locked.amount, locked.currency)} can be captured.", field="amount"
            )
        source, destination = locked.source, locked.destination
        held_after = _release(locked)
        posted = transfer(
            source, destination, amount, user=user or locked.user, merchant_reference=locked.merchant_reference,
            description=locked.description, idempotency_key=idempotency_key, check_authorisation=False,
            lot=lots.FromHold(locked.pk),
            savepoint=False,  # this capture's own transaction (above) ends on any error from it
        )
        now = timezone.now()
        _end(locked, Hold.Status.CAPTURED, now, events.hold_changed("hold.captured", locked, captured=str(amount),
                                                                     transfer=posted.reference), transfer=posted)
    # The caller's instance as the row now is (no read-back: this transaction wrote it).
    hold.status, hold.transfer_id, hold.date_updated = Hold.Status.CAPTURED, posted.pk, now
    if Hold.source.is_cached(hold):
        hold.source.held = held_after
        lots.forget_usable(hold.source)
    return posted


def void(hold, user=None) -> Hold:
    """Release a pending hold. Voiding a voided or expired hold changes nothing; a captured one
    raises HoldNotPending (reverse its transfer instead)."""
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        if locked.status in (Hold.Status.VOIDED, Hold.Status.EXPIRED):
            return _refresh(hold)
        _require_pending(locked)
        _release(locked)
        _end(locked, Hold.Status.VOIDED, timezone.now(), events.hold_changed("hold.voided", locked))
    return _refresh(hold)


def expire_holds(*, at=None) -> int:
    """Release every pending hold whose expiry has passed at `at` (default now); how many."""
    at = at or timezone.now()
    released = 0
    for pk in list(Hold.objects.filter(status=Hold.Status.PENDING, expires_at__lte=at).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Hold.objects.select_for_update().filter(pk=pk, status=Hold.Status.PENDING,
                                                             expires_at__lte=at).first()
            if locked is None:  # captured or voided meanwhile
                continue
            _release(locked)
            _end(locked, Hold.Status.EXPIRED, timezone.now(), events.hold_changed("hold.expired", locked))
            released += 1
    return released


#: `Hold.objects.select_for_update().filter(pk=pk)`, compiled once.
_LOCKED = CompiledQuery(lambda pk: Hold.objects.select_for_update().filter(pk=pk), pk=int)


def _with_parties(locked: Hold, hold: Hold) -> None:
    """Give the locked hold its accounts and user: the caller's instances when it has them (the
    hold it placed in this request), else read (both accounts in one query). An account
    instance from earlier in the request is enough: every check of it is made again by the
    transfer's conditional UPDATEs, which also give it its new balance."""
    for name in ("source", "destination", "user"):
        if getattr(Hold, name).is_cached(hold) and getattr(hold, f"{name}_id") == getattr(locked, f"{name}_id"):
            setattr(locked, name, getattr(hold, name))
    if not (Hold.source.is_cached(locked) and Hold.destination.is_cached(locked)):
        accounts = Account.objects.in_bulk([locked.source_id, locked.destination_id])
        locked.source, locked.destination = accounts[locked.source_id], accounts[locked.destination_id]


def _require_pending(locked: Hold) -> None:
    if locked.status != Hold.Status.PENDING:
        raise exceptions.HoldNotPending(f"This hold is {locked.get_status_display().lower()} already.")


def _release(locked: Hold):
    """Give the hold's amount back to its source and its lots' reservations; the source's `held`
    afterwards (on PostgreSQL one statement)."""
    amount = connection.ops.adapt_decimalfield_value(locked.amount)
    release = f"UPDATE {_ACCOUNT} SET held = {rounded('held - %s')} WHERE id = %s RETURNING held"
    with posting_cursor() as cursor:
        if connection.vendor == "postgresql":
            lots_sql, lots_params = lots.release_sql(locked.pk)
            cursor.execute(f"WITH released AS ({release}), lots AS ({lots_sql}) SELECT held FROM released",
                           [amount, locked.source_id, *lots_params])
            return stored_amount(cursor.fetchone()[0])
        cursor.execute(release, [amount, locked.source_id])
        held = stored_amount(cursor.fetchone()[0])
        lots.release(cursor, locked.pk)
        return held


def _end(locked: Hold, status, now, event, transfer=None) -> None:
    """The hold's new status and its event (`event`: the outbox's INSERT), one statement on PostgreSQL."""
    end = f"UPDATE {_HOLD} SET status = %s, transfer_id = %s, date_updated = %s WHERE id = %s"
    params = [status, transfer.pk if transfer else None, connection.ops.adapt_datetimefield_value(now), locked.pk]
    event_sql, event_params = event
    with posting_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH ended AS ({end}) {event_sql}", [*params, *event_params])
        else:
            cursor.execute(end, params)
            cursor.execute(event_sql, event_params)


def _refresh(hold) -> Hold:
    """The caller's instance with the row's state (and its source's `held`)."""
    fresh = Hold.objects.get(pk=hold.pk)
    for name in ("status", "transfer_id", "date_updated"):
        setattr(hold, name, getattr(fresh, name))
    if Hold.source.is_cached(hold):
        hold.source.held = Account.objects.values_list("held", flat=True).get(pk=hold.source_id)
        lots.forget_usable(hold.source)
    return hold
