"""How every root field is declared: `query(...)`, `connection(...)` and `mutation(...)` name their
operation in the permission table (headless_store/ledger/permissions.py) and get two field extensions:

- `Allowed`: strawberry-graphql-django's permission extension, checking the operation's rule
  before the resolver runs (is_staff AND the `ledger.*` permission for staff operations);
- `Refusals`: the one place where an expected refusal becomes API data. Mutations answer with
  their payload and `errors` (`errors.refusal_payload`); queries with a top-level error that
  carries the code (`errors.api_error`). Anonymous callers always get a top-level
  UNAUTHENTICATED. Anything unexpected passes through, to be masked (see extensions.py).

Resolvers therefore hold no permission checks and no try/except: they parse, call one service
or selector, and map the result.
"""
import dataclasses
import datetime
import logging
from typing import Annotated, Any, TypeVar

import strawberry
import strawberry_django
from django.conf import settings
from strawberry.extensions.field_extension import FieldExtension
from strawberry_django.permissions import DjangoPermissionExtension

from headless_store.ledger.exceptions import InvalidInput, NotAuthenticated
from headless_store.ledger.inputs import check_date
from headless_store.ledger.permissions import OPERATIONS, PUBLIC_OPERATIONS
from headless_store.observability import count_refusal

from .errors import EXPECTED, UndeclaredCode, api_error, declared_codes, describe_codes, refusal_payload, unauthenticated

T = TypeVar("T")
logger = logging.getLogger(__name__)

#: Every mutation takes one `input`: `def mutation(self, info, input: Input[XInput]) -> XPayload`.
Input = Annotated[T, strawberry.argument(description="The operation's input.")]


class Allowed(DjangoPermissionExtension):
    """Only users the operation's rule allows may resolve the field."""

    def __init__(self, operation: str):
        super().__init__(use_directives=False, fail_silently=False)
        self.operation = operation
        self.rule = OPERATIONS[operation]

    def resolve_for_user(self, resolver, user, *, info, source):
        self.rule.check(user)  # NotAuthenticated / NotAuthorised, mapped by Refusals
        return resolver()


class Refusals(FieldExtension):
    """Expected refusals become the payload's `errors` (mutations) or a coded error (queries).
    With `clean`, it checks the arguments first (see CleanInput): one extension, so one frame
    less on every root field's stack."""

    def __init__(self, *, payload: bool, clean: bool = False, operation: str | None = None):
        self.payload = payload
        self.clean = clean
        self.declared = frozenset(declared_codes(operation)) if payload else frozenset()

    def resolve(self, next_, source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        try:
            if self.clean:
                clean(kwargs)
            return next_(source, info, **kwargs)
        except NotAuthenticated:
            raise unauthenticated() from None
        except EXPECTED as error:
            if not self.payload:
                raise api_error(error) from error
            payload = refusal_payload(info.return_type, error)
            codes = {item.code.value for item in payload.errors}
            for code in codes:
                count_refusal(code)
            if codes - self.declared:
                undeclared = UndeclaredCode(f"{info.field_name} answered {sorted(codes - self.declared)}, which its "
                                            "description does not list (accounts_graphql/errors.py MUTATION_CODES)")
                if settings.GRAPHQL_API.get("CHECK_DECLARED_CODES"):
                    raise undeclared from error  # the test suite: a bug to fix
                logger.error("%s", undeclared)  # in production the client still gets its answer
            return payload


#: The longest text and list any argument may hold; nothing the API takes comes near.
MAX_TEXT = 10_000
MAX_ITEMS = 100


class CleanInput(FieldExtension):
    """Arguments the database or an encoder cannot take are refused with INVALID, naming their
    field, before any resolver runs: text with NUL characters or lone surrogates, overlong text,
    overlong lists. (Everything else is the domain's to judge.)"""

    def resolve(self, next_, source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        clean(kwargs)
        return next_(source, info, **kwargs)


def clean(arguments: dict) -> None:
    for name, value in arguments.items():
        _check(value, "" if name == "input" else name)


def _check(value, path: str) -> None:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"At most {MAX_TEXT:,} characters.", field=path or None)
        if "\x00" in value or not _encodable(value):
            raise InvalidInput("This text holds characters that are not allowed.", field=path or None)
    elif isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise InvalidInput(f"At most {MAX_ITEMS} items.", field=path or None)
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, (datetime.date, datetime.datetime)):
        check_date(value, path or None)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _check(getattr(value, item.name), f"{path}.{item.name}" if path else item.name)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") cannot be stored or sent
        return False
    return True


def _extensions(operation: str | None, payload: bool) -> list[FieldExtension]:
    """[innermost ... outermost]: input checks run once the caller is allowed; refusals of
    either become the answer."""
    if operation not in OPERATIONS and operation not in PUBLIC_OPERATIONS:
        raise KeyError(f"{operation!r} is not in the permission table (ledger/permissions.py)")
    if operation in OPERATIONS:
        return [CleanInput(), Allowed(operation), Refusals(payload=payload, operation=operation)]
    return [Refusals(payload=payload, clean=True, operation=operation)]  # public: nothing to check before the arguments


def _describe(description: str, operation: str | None) -> str:
    rule = OPERATIONS.get(operation)
    return f"{description} Requires {rule.describe()}." if rule is not None and rule.staff else description


def query(operation: str, *, description: str, **kwargs):
    """A root query field guarded by `operation`'s rule."""
    return strawberry.field(
        description=_describe(description, operation), extensions=_extensions(operation, False), **kwargs
    )


def mutation(operation: str, *, description: str, **kwargs):
    """A root mutation guarded by `operation`'s rule; refusals come back in its payload, with the
    codes its description lists (errors.MUTATION_CODES)."""
    return strawberry.mutation(
        description=f"{_describe(description, operation)} {describe_codes(operation)}", extensions=_extensions(operation, True), **kwargs
    )


def connection(operation: str, graphql_type, *, description: str, **kwargs):
    """A root connection over a queryset (strawberry-graphql-django pages it and its optimizer
    loads what the query selects), guarded by `operation`'s rule."""
    return strawberry_django.connection(
        graphql_type, description=_describe(description, operation), extensions=_extensions(operation, False), **kwargs
    )
