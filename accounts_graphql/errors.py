"""The one place where domain exceptions become API error codes.

Expected failures are data: each mutation payload has `errors: [AccountError!]!`. Queries,
which return plain values, raise `api_error()` GraphQL errors carrying the same codes in
`extensions.code`. The input at fault comes from the exception itself (`error.field`, a dotted
path of snake_case argument names, shown here in camelCase). Anything else is unexpected: it
is masked and logged once (see extensions.py). fields.py applies this to every root field.
"""
from enum import Enum

import strawberry
from graphql import GraphQLError

from headless_store.checkout import exceptions as checkout
from headless_store.kernel.refusals import Refusal
from headless_store.ledger import exceptions as ledger


@strawberry.enum(description="Why an operation was refused. Stable: front ends switch on these.")
class AccountErrorCode(Enum):
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    ACCOUNT_CLOSED = "ACCOUNT_CLOSED"
    ACCOUNT_FROZEN = "ACCOUNT_FROZEN"
    ACCOUNT_INACTIVE = "ACCOUNT_INACTIVE"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_CODE = "INVALID_CODE"
    CODE_ATTEMPTS_BLOCKED = "CODE_ATTEMPTS_BLOCKED"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    BASKET_EMPTY = "BASKET_EMPTY"
    BASKET_CHANGED = "BASKET_CHANGED"
    PAYMENT_INCOMPLETE = "PAYMENT_INCOMPLETE"
    REVERSAL_NOT_PERMITTED = "REVERSAL_NOT_PERMITTED"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    ORDER_PLACEMENT_FAILED = "ORDER_PLACEMENT_FAILED"
    CARD_DECLINED = "CARD_DECLINED"
    CARD_RETRY = "CARD_RETRY"
    PAYMENT_GATEWAY_ERROR = "PAYMENT_GATEWAY_ERROR"
    CHECKOUT_CLOSED = "CHECKOUT_CLOSED"
    CHECKOUT_IN_PROGRESS = "CHECKOUT_IN_PROGRESS"
    REFUND_NOT_POSSIBLE = "REFUND_NOT_POSSIBLE"
    INVALID = "INVALID"


@strawberry.type(description="A refusal: which input field (if one), a stable code, and a message for people.")
class AccountError:
    field: str | None = strawberry.field(description="The input field at fault, e.g. `payments.0.amount`; null when none is.")
    code: AccountErrorCode = strawberry.field(description="Stable machine-readable reason.")
    message: str = strawberry.field(description="What went wrong, in words a shopper can read.")
    retry_after: int | None = strawberry.field(
        default=None, description="With CODE_ATTEMPTS_BLOCKED: seconds to wait before entering codes again."
    )


#: Exceptions the API answers with a code; everything else is a bug and gets masked. Every
#: domain's refusal is a kernel Refusal carrying its code (tests/test_refusals.py checks that each
#: is a value of AccountErrorCode, so the public codes stay what they were).
EXPECTED = (Refusal,)


def code_for(error: Exception) -> AccountErrorCode:
    if not isinstance(error, Refusal):
        raise KeyError(type(error))
    return AccountErrorCode(str(error.code))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def field_path(path: str | None) -> str | None:
    """`payments.0.account_id` -> `payments.0.accountId`."""
    return ".".join(_camel(part) for part in path.split(".")) if path else None


def _flatten(errors, prefix=""):
    """DRF's nested error dict -> [(camelCase dotted field, message)]."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = _camel(str(key)) if key != "non_field_errors" else ""
            yield from _flatten(value, f"{prefix}.{name}".strip(".") if name else prefix)
    elif isinstance(errors, (list, tuple)):
        for item in errors:
            yield from _flatten(item, prefix)
    else:
        yield prefix or None, str(errors)


def errors_from(error: Exception) -> list[AccountError]:
    """The payload errors for an expected exception (each of a group's, in order)."""
    if len(error.problems) > 1 or error.problems[0] is not error:
        return [item for problem in error.problems for item in errors_from(problem)]
    code = code_for(error)
    if isinstance(error, checkout.CheckoutInvalid):
        return [AccountError(field=f, code=code, message=m) for f, m in _flatten(error.errors)]
    return [
        AccountError(
            field=field_path(getattr(error, "field", None)),
            code=code,
            message=str(error),
            retry_after=getattr(error, "retry_after", None),
        )
    ]


def refusal_payload(payload_type, error: Exception):
    """A mutation's payload saying why nothing happened; a payload may add what it knows
    (say, the amount still due) with a `refused(error, errors)` classmethod."""
    errors = errors_from(error)
    refused = getattr(payload_type, "refused", None)
    return refused(error, errors) if refused else payload_type(errors=errors)


def api_error(error: Exception) -> GraphQLError:
    """A top-level GraphQL error for an expected exception (queries have no payload)."""
    extensions = {"code": code_for(error).value}
    if getattr(error, "field", None):
        extensions["field"] = field_path(error.field)
    if getattr(error, "retry_after", None):
        extensions["retryAfter"] = error.retry_after
    return GraphQLError(str(error), extensions=extensions)


def unauthenticated() -> GraphQLError:
    return GraphQLError("Sign in to do this.", extensions={"code": "UNAUTHENTICATED"})


def invalid_argument(message: str, field: str) -> GraphQLError:
    """A top-level INVALID error for an argument checked in the API layer (page arguments)."""
    return api_error(ledger.InvalidInput(message, field=field))
