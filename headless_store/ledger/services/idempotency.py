"""Idempotency, in one place: the key rule, whose key it is (the scope), what the request was,
and the one replay check.

- The key rule: a key is 1 to MAX_KEY_LENGTH (200) characters without NUL, whoever gives it (an API
  client, a dashboard form, code calling the facade). `IdempotencyKey` checks it, once; 200 leaves
  room for the scope ("staff:123:") within the 255-character key columns.
- Scopes keep one caller's keys apart from everyone else's: a customer (`user:<pk>`), a guest's
  session (`session:<key>`), a staff member (`staff:<pk>`). Callers pass the raw key the client
  sent and the scope; nothing outside this module builds prefixed keys.
- The replay check (`replay()`): a retry with the same input gets the first result back; a retry
  with other input gets IdempotencyConflict. Input is compared by value: amounts as numbers
  ("4.990" == "4.99"), an empty text as none.
- Where the first result is kept: a transfer and a hold keep their key in a unique column (the
  row is the result: facade.py, holds.py); an operation of several steps (paying a basket, a
  refund, redeeming a code, starting a card checkout) keeps an IdempotencyRecord holding its
  input's fingerprint and result (`run_idempotent`), and posts its transfers without keys, the
  record's unique index already making the whole operation happen once.
"""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from ..exceptions import IdempotencyConflict, InvalidInput
from ..models import IdempotencyRecord

#: Longest key anyone may give (the scope is added to it in storage; the columns hold 255).
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


@dataclass(frozen=True)
class IdempotencyKey:
    """A checked key, in its scope (or none: code calling the facade directly). `str()` is the key
    as stored (`Transfer.idempotency_key` and `Hold.idempotency_key` are unique across the ledger)."""

    key: str
    scope: Scope | None = None

    def __post_init__(self):
        if not isinstance(self.key, str) or not 0 < len(self.key) <= MAX_KEY_LENGTH or "\x00" in self.key:
            raise InvalidInput(
                f"Idempotency keys have 1 to {MAX_KEY_LENGTH} characters and no NUL.", field="idempotency_key"
            )

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}" if self.scope is not None else self.key


def key_of(key, scope: Scope | None = None) -> IdempotencyKey | None:
    """`key` (a client's raw key, or an IdempotencyKey already) checked by the one key rule."""
    if key is None or isinstance(key, IdempotencyKey):
        return key
    return IdempotencyKey(str(key), scope)


def stored_key(key) -> str | None:
    """What a key column holds for `key` (raw or IdempotencyKey); None without a key."""
    key = key_of(key)
    return None if key is None else str(key)


def checked_key(key) -> str | None:
    """The client's key as given, or InvalidInput (blaming `idempotency_key`)."""
    key = key_of(key)
    return None if key is None else key.key


def scoped_key(scope: Scope, key) -> IdempotencyKey | None:
    """The client's `key` in `scope`, for the facade (which stores `str()` of it)."""
    return key_of(key, scope)


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


def same_input(earlier, given) -> bool:
    """The one comparison of a retry's input with the first call's: by canonical value (amounts
    as numbers, an empty text as none)."""
    return _canonical(_none_if_empty(earlier)) == _canonical(_none_if_empty(given))


def _none_if_empty(value):
    if isinstance(value, dict):
        return {k: _none_if_empty(v) for k, v in value.items()}
    return None if value == "" else value


def replay(earlier, given: dict, what: str):
    """The row that first used a key (a transfer, a hold) when `given` (field -> value) matches
    it; IdempotencyConflict otherwise."""
    first = {name: getattr(earlier, name) for name in given}
    if not same_input(first, given):
        raise IdempotencyConflict(
            f"This idempotency key was already used for a different {what}.", field="idempotency_key"
        )
    return earlier


def first_use(model, key: str | None):
    """The row of `model` (a Transfer, a Hold) whose unique `idempotency_key` column holds `key` (as
    stored), or None: none, or no key. After an IntegrityError, None means the error was about
    something else and the caller re-raises it."""
    return None if key is None else model.objects.filter(idempotency_key=key).first()


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
