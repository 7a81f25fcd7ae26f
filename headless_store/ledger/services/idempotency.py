"""Idempotent operations, in one place: whose key it is (the scope), what the request was (its
fingerprint), and running an operation at most once per (scope, key).

Scopes keep one caller's keys apart from everyone else's: a customer (`user:<pk>`), a guest's
session (`session:<key>`), a staff member (`staff:<pk>`). Callers pass the raw key the client
sent and the scope; nothing outside this module builds prefixed keys.

A retry with the same input gets the first result back; a retry with other input gets
IdempotencyConflict. Input is compared by value: amounts as numbers ("4.990" == "4.99").
"""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from ..exceptions import IdempotencyConflict, InvalidInput
from ..models import IdempotencyRecord

#: Longest key a client may send (the scope is added to it in storage).
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Scope:
    """Whose idempotency keys these are."""

    kind: str
    ident: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}"

    @classmethod
    def customer(cls, user) -> "Scope":
        return cls("user", str(user.pk))

    @classmethod
    def staff(cls, user) -> "Scope":
        return cls("staff", str(user.pk))

    @classmethod
    def of_request(cls, request) -> "Scope | None":
        """The signed-in customer, else the guest's session; None for a guest with no session yet."""
        if request.user.is_authenticated:
            return cls.customer(request.user)
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        return cls("session", session_key) if session_key else None


def checked_key(key) -> str | None:
    """The client's key as given, or InvalidInput (blaming `idempotency_key`)."""
    if key is None:
        return None
    key = str(key)
    if not 0 < len(key) <= MAX_KEY_LENGTH or "\x00" in key:
        raise InvalidInput(
            f"Idempotency keys have 1 to {MAX_KEY_LENGTH} characters and no NUL.", field="idempotency_key"
        )
    return key


def scoped_key(scope: Scope, key) -> str | None:
    """The key as stored on a transfer (`Transfer.idempotency_key` is unique across the ledger)."""
    key = checked_key(key)
    return None if key is None else f"{scope}:{key}"


def amount_value(raw) -> str | None:
    """An amount as a canonical value for fingerprints: "4.990", "4.99" and 4.99 are one value."""
    if raw is None:
        return None
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return str(raw)
    if not value.is_finite():
        return str(value)
    try:
        return format(value.normalize(), "f")
    except ArithmeticError:  # 1E+999999 overflows the context: no real amount, so any stable text
        return str(value)


def _canonical(value):
    if isinstance(value, Decimal):
        return amount_value(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def fingerprint(operation: str, payload) -> str:
    """A stable hash of an operation's input; Decimals compare by value."""
    blob = json.dumps([operation, _canonical(payload)], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def run_idempotent(*, scope: Scope | None, key: str | None, operation: str, payload, action):
    """Run `action()` (which returns a JSON-able result) at most once per (scope, key).

    Returns (result, replayed). Without a key (or a scope), simply runs the action. The action
    runs inside the same transaction as the record, so a failure leaves neither behind.
    """
    key = checked_key(key)
    if key is None or scope is None:
        return action(), False
    digest = fingerprint(operation, payload)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=str(scope), key=key, operation=operation, fingerprint=digest
            )
            result = action()
            IdempotencyRecord.objects.filter(pk=record.pk).update(result=result)
            return result, False
    except IntegrityError:
        earlier = IdempotencyRecord.objects.filter(scope=str(scope), key=key).first()
        if earlier is None:
            raise
    if earlier.operation != operation or earlier.fingerprint != digest:
        raise IdempotencyConflict(
            "This idempotency key was already used with different input.", field="idempotency_key"
        )
    return earlier.result, True
