"""Account mutations (staff): createAccount, updateAccount, freezeAccount, thawAccount, closeAccount.

Each parses its input, calls one service and returns the account as it is now; refusals come
back in `errors` (fields.py), recorded against the acting staff user.
"""

import strawberry

from headless_store.ledger.exceptions import InvalidInput, blame
from headless_store.ledger.money import parse_amount, require_currency
from headless_store.ledger.selectors.accounts import account_by_pk, counter_account, product_range_by_id, user_by_email
from headless_store.ledger.services import accounts as account_services

from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from ..ids import decode_id
from .inputs import AccountStateInput, CreateAccountInput, UpdateAccountInput
from .types import LedgerAccount


@strawberry.type(description="The result of an account operation.")
class AccountPayload:
    account: LedgerAccount | None = strawberry.field(default=None, description="The account as it is now.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing changed, if so.")

    @classmethod
    def of(cls, pk: int, info: Info) -> "AccountPayload":
        return cls(account=account_by_pk(pk))


def staff_account(global_id, field: str = "account_id"):
    return account_by_pk(decode_id(global_id, "Account", field), field=field)


def credit_limit(value, currency: str):
    with blame("credit_limit"):
        return parse_amount(value, currency, allow_zero=True)


def secondary_users(emails):
    return [user_by_email(email, field=f"secondary_user_emails.{i}") for i, email in enumerate(emails or [])]


def optional_id(value, type_name: str, field: str):
    return None if value is None else decode_id(value, type_name, field)


def shop_account(global_id, currency: str, field: str):
    """The Bank, Unpaid source or Promotions account an input names (None: the service's default)."""
    return counter_account(optional_id(global_id, "Account", field), currency, field=field)


@strawberry.type
class AccountMutations:
    @mutation("create_account", description="Open an account of any type, optionally with an opening balance.")
    def create_account(
        self, info: Info, input: Input[CreateAccountInput]
    ) -> AccountPayload:
        currency = require_currency(input.currency.strip().upper())
        account = account_services.open_account(
            staff=info.context.user, name=input.name, type_code=input.type_code, currency=currency,
            description=input.description or "",
            primary_user=user_by_email(input.primary_user_email, field="primary_user_email"),
            secondary_users=secondary_users(input.secondary_user_emails),
            credit_limit=None if input.unlimited_credit else credit_limit(input.credit_limit or 0, currency),
            start_date=input.start_date, end_date=input.end_date,
            product_range=product_range_by_id(input.product_range_id, field="product_range_id"),
            can_be_used_for_non_products=input.can_be_used_for_non_products,
            opening_balance=input.opening_balance,
            source=shop_account(input.source_account_id, currency, "source_account_id"),
        )
        return AccountPayload.of(account.pk, info)

    @mutation(
        "update_account",
        description="Change an account's details, credit limit and dates included; never its balance or status.",
    )
    def update_account(
        self, info: Info, input: Input[UpdateAccountInput]
    ) -> AccountPayload:
        account = staff_account(input.account_id)
        changes = {
            name: getattr(input, name)
            for name in ("name", "description", "credit_limit", "start_date", "end_date", "can_be_used_for_non_products")
            if getattr(input, name) is not strawberry.UNSET
        }
        for required in ("name", "can_be_used_for_non_products"):
            if required in changes and changes[required] is None:
                raise InvalidInput("This cannot be empty.", field=required)
        if "description" in changes and changes["description"] is None:
            changes["description"] = ""
        if changes.get("credit_limit") is not None:
            changes["credit_limit"] = credit_limit(changes["credit_limit"], account.currency)
        if input.primary_user_email is not strawberry.UNSET:
            changes["primary_user"] = user_by_email(input.primary_user_email, field="primary_user_email")
        if input.product_range_id is not strawberry.UNSET:
            changes["product_range"] = product_range_by_id(input.product_range_id, field="product_range_id")
        secondary = None
        if input.secondary_user_emails is not strawberry.UNSET:
            secondary = secondary_users(input.secondary_user_emails)
        account_services.update_account(account, staff=info.context.user, secondary_users=secondary, **changes)
        return AccountPayload.of(account.pk, info)

    @mutation("freeze_account", description="Stop all money movement on an open account.")
    def freeze_account(
        self, info: Info, input: Input[AccountStateInput]
    ) -> AccountPayload:
        return _transition(info, input, account_services.freeze_account)

    @mutation("thaw_account", description="Reopen a frozen account; a closed one stays closed.")
    def thaw_account(
        self, info: Info, input: Input[AccountStateInput]
    ) -> AccountPayload:
        return _transition(info, input, account_services.thaw_account)

    @mutation("close_account", description="Close an empty account for good; refused while it holds or owes money.")
    def close_account(
        self, info: Info, input: Input[AccountStateInput]
    ) -> AccountPayload:
        return _transition(info, input, account_services.close_account)


def _transition(info, input, service) -> AccountPayload:
    account = staff_account(input.account_id)
    service(account)
    return AccountPayload.of(account.pk, info)
