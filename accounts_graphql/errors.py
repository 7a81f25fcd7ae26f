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
from headless_store.observability import count_refusal

#: What each code means: the enum's value descriptions in the schema, and the README's table.
DESCRIPTIONS: dict[str, str] = {
    "INVALID_AMOUNT": "An amount is zero, negative, has more decimal places than its currency, or is more than may be paid or moved here.",
    "INSUFFICIENT_FUNDS": "The account has less available (balance less holds plus credit limit) than asked for.",
    "ACCOUNT_CLOSED": "The account is closed: it can neither pay nor receive.",
    "ACCOUNT_FROZEN": "Staff froze the account: it cannot move money until they thaw it.",
    "ACCOUNT_INACTIVE": "The account is outside its validity dates, or may not pay for these items or for shipping.",
    "CURRENCY_MISMATCH": "The account's currency is not the basket's or the other account's.",
    "INVALID_CODE": "The gift-card code is unknown, used up, expired, closed or someone else's (never told apart).",
    "CODE_ATTEMPTS_BLOCKED": "Too many wrong codes from this user or address: wait `retryAfter` seconds.",
    "NOT_FOUND": "Nothing with this id (or code) is yours to use: an account, basket, checkout, order or endpoint.",
    "PERMISSION_DENIED": "Signed in, but not allowed: staff operations need is_staff and the operation's permission.",
    "BASKET_EMPTY": "The basket has no lines to pay for.",
    "BASKET_CHANGED": "The basket's total is not the `total` the shopper was shown: show the new one and ask again.",
    "PAYMENT_INCOMPLETE": "The payment sources do not cover the total: `amountDue` says how much is left.",
    "REVERSAL_NOT_PERMITTED": "This transfer cannot be reversed (already reversed in full, a reversal itself, or more than is left).",
    "IDEMPOTENCY_CONFLICT": "This idempotency key was used with other input: use a new key for a new operation.",
    "ORDER_PLACEMENT_FAILED": "Oscar refused to place the order; nothing was taken and the basket is open.",
    "CARD_DECLINED": "The card was declined: the checkout ended, holds were released, the basket is open again.",
    "CARD_RETRY": "A soft decline: the checkout and its holds stay; pay again with this or another card.",
    "PAYMENT_GATEWAY_ERROR": "The card processor did not answer: nothing was taken and the checkout ended.",
    "CHECKOUT_CLOSED": "The card checkout has ended (paid, declined, cancelled or expired).",
    "CHECKOUT_IN_PROGRESS": "A payment of this checkout (or basket) is being made right now: wait for it.",
    "REFUND_NOT_POSSIBLE": "More than was paid that way and not refunded yet, or no way to refund to this destination.",
    "INVALID": "An input is malformed or not allowed (see `field`): a bad id, address, date, text, cursor or page size.",
}

AccountErrorCode = strawberry.enum(
    Enum("AccountErrorCode", {code: strawberry.enum_value(code, description=text) for code, text in DESCRIPTIONS.items()}),
    name="AccountErrorCode",
    description="Why an operation was refused. Stable: front ends switch on these. Each mutation's description "
    "lists the codes it may return.",
)


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


#: The codes each mutation may return in its payload's `errors`: written into its description
#: (fields.mutation) and enforced where refusals become payloads (fields.Refusals: an undeclared
#: code is a bug, so the API suite, which walks every refusal path, fails on it).
_MONEY = ("INVALID_AMOUNT", "INSUFFICIENT_FUNDS", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN", "CURRENCY_MISMATCH")
_CHECKOUT = (*_MONEY, "ACCOUNT_INACTIVE", "INVALID_CODE", "CODE_ATTEMPTS_BLOCKED", "NOT_FOUND", "PERMISSION_DENIED",
             "BASKET_EMPTY", "BASKET_CHANGED", "PAYMENT_INCOMPLETE", "IDEMPOTENCY_CONFLICT", "ORDER_PLACEMENT_FAILED",
             "CHECKOUT_IN_PROGRESS", "INVALID")
_CARD = ("CARD_DECLINED", "CARD_RETRY", "PAYMENT_GATEWAY_ERROR", "CHECKOUT_CLOSED", "CHECKOUT_IN_PROGRESS")
_STAFF_ACCOUNT = ("NOT_FOUND", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN", "PERMISSION_DENIED", "INVALID")
MUTATION_CODES: dict[str, tuple[str, ...]] = {
    "redeem_gift_card": ("INVALID_CODE", "CODE_ATTEMPTS_BLOCKED", *_MONEY, "ACCOUNT_INACTIVE", "IDEMPOTENCY_CONFLICT",
                         "PERMISSION_DENIED", "INVALID"),
    "pay_with_account": _CHECKOUT,
    "start_card_checkout": (*_CHECKOUT, *_CARD),
    "pay_card_checkout": ("NOT_FOUND", *_CARD, *_MONEY, "ACCOUNT_INACTIVE", "ORDER_PLACEMENT_FAILED", "PERMISSION_DENIED",
                          "INVALID"),
    "cancel_card_checkout": ("NOT_FOUND", "CHECKOUT_CLOSED", "CHECKOUT_IN_PROGRESS", "PERMISSION_DENIED", "INVALID"),
    "refund_order": ("NOT_FOUND", "REFUND_NOT_POSSIBLE", *_MONEY, "PAYMENT_GATEWAY_ERROR", "IDEMPOTENCY_CONFLICT",
                     "PERMISSION_DENIED", "INVALID"),
    "reverse_transfer": ("NOT_FOUND", "REVERSAL_NOT_PERMITTED", *_MONEY, "IDEMPOTENCY_CONFLICT", "PERMISSION_DENIED",
                         "INVALID"),
    "top_up_account": (*_STAFF_ACCOUNT, *_MONEY, "IDEMPOTENCY_CONFLICT"),
    "withdraw_from_account": (*_STAFF_ACCOUNT, *_MONEY, "IDEMPOTENCY_CONFLICT"),
    "create_account": (*_STAFF_ACCOUNT, *_MONEY, "IDEMPOTENCY_CONFLICT"),
    "update_account": (*_STAFF_ACCOUNT, "INVALID_AMOUNT"),
    "freeze_account": _STAFF_ACCOUNT,
    "thaw_account": _STAFF_ACCOUNT,
    "close_account": _STAFF_ACCOUNT,
    "issue_gift_cards": ("INVALID_AMOUNT", "CURRENCY_MISMATCH", "NOT_FOUND", "IDEMPOTENCY_CONFLICT", "PERMISSION_DENIED",
                         "INVALID"),
    "resend_gift_card": ("NOT_FOUND", "PERMISSION_DENIED", "INVALID"),
    "create_webhook_endpoint": ("PERMISSION_DENIED", "INVALID"),
    "update_webhook_endpoint": ("NOT_FOUND", "PERMISSION_DENIED", "INVALID"),
    "delete_webhook_endpoint": ("NOT_FOUND", "PERMISSION_DENIED", "INVALID"),
}


def declared_codes(operation: str) -> tuple[str, ...]:
    """The codes `operation` may return, in the enum's order (KeyError: not in the table)."""
    listed = set(MUTATION_CODES[operation])
    unknown = listed - set(DESCRIPTIONS)
    if unknown:
        raise KeyError(f"{operation} lists unknown codes {sorted(unknown)}")
    return tuple(code for code in DESCRIPTIONS if code in listed)


def describe_codes(operation: str) -> str:
    return "Error codes: " + ", ".join(f"`{code}`" for code in declared_codes(operation)) + "."


class UndeclaredCode(AssertionError):
    """A mutation answered a code its description does not list (a bug: fix the table or the code)."""


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
    """A top-level GraphQL error for an expected exception (queries have no payload); counted
    in `api_refusals_total` like every refusal."""
    count_refusal(code_for(error).value)
    extensions = {"code": code_for(error).value}
    if getattr(error, "field", None):
        extensions["field"] = field_path(error.field)
    if getattr(error, "retry_after", None):
        extensions["retryAfter"] = error.retry_after
    return GraphQLError(str(error), extensions=extensions)


def unauthenticated() -> GraphQLError:
    count_refusal("UNAUTHENTICATED")
    return GraphQLError("Sign in to do this.", extensions={"code": "UNAUTHENTICATED"})


def invalid_argument(message: str, field: str) -> GraphQLError:
    """A top-level INVALID error for an argument checked in the API layer (page arguments, on
    nested fields too): the same mapping and metric as every refusal (api_error)."""
    return api_error(ledger.InvalidInput(message, field=field))
