"""Idempotent operations: run once per (scope, key); a retry with the same input gets the
first result back, a retry with other input gets IdempotencyConflict."""
import hashlib
import json

from django.db import IntegrityError, transaction

from ..exceptions import IdempotencyConflict, InvalidTransfer
from ..models import IdempotencyRecord


def fingerprint(operation: str, payload) -> str:
    """A stable hash of an operation's input (anything JSON can encode, Decimals as strings)."""
    blob = json.dumps([operation, payload], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def run_idempotent(*, scope: str, key: str | None, operation: str, payload, action):
    """Run `action()` (which returns a JSON-able result) at most once per (scope, key).

    Returns (result, replayed). Without a key, simply runs the action. The action runs inside
    the same transaction as the record, so a failure leaves neither behind.
    """
    if key is None:
        return action(), False
    if not (0 < len(key) <= 255):
        raise InvalidTransfer("Idempotency keys have 1 to 255 characters.")
    digest = fingerprint(operation, payload)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=scope, key=key, operation=operation, fingerprint=digest
            )
            result = action()
            IdempotencyRecord.objects.filter(pk=record.pk).update(result=result)
            return result, False
    except IntegrityError:
        earlier = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if earlier is None:
            raise
    if earlier.operation != operation or earlier.fingerprint != digest:
        raise IdempotencyConflict("This idempotency key was already used with different input.")
    return earlier.result, True
