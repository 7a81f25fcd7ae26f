"""Staff mutations: createAccount, updateAccount, issueGiftCards, topUpAccount,
withdrawFromAccount, freezeAccount, thawAccount, closeAccount.

Each checks its `ledger.*` permission, calls one service, and reports refusals in `errors`.
Money moves only through the facade, recorded against the acting staff user.
"""
from typing import Annotated

import strawberry
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from headless_store.ledger import exceptions
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.money import parse_amount
from headless_store.ledger.services import accounts as account_services, staff as services

from ..context import Info
from ..errors import AccountError, errors_from
from ..ids import MalformedId
from ..wallets.types import Money
from .inputs import AccountStateInput, CreateAccountInput, IssueGiftCardsInput, MoveMoneyInput, UpdateAccountInput
from .queries import TRANSFER_RELATIONS, _account
from .types import IssuedGiftCardType, LedgerAccount, LedgerTransfer

Range = get_model("offer", "Range")


@strawberry.type(description="The result of an account operation.")
class AccountPayload:
    account: LedgerAccount | None = strawberry.field(default=None, description="The account as it is now.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing changed, if so.")


@strawberry.type(description="The result of a top-up or withdrawal.")
class MoveMoneyPayload:
    account: LedgerAccount | None = strawberry.field(default=None, description="The account as it is now.")
    transfer: LedgerTransfer | None = strawberry.field(default=None, description="The transfer made.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing moved, if so.")


@strawberry.type(description="The result of issueGiftCards: the codes, shown this once.")
class IssueGiftCardsPayload:
    gift_cards: list[IssuedGiftCardType] = strawberry.field(default_factory=list, description="The new cards with their codes.")
    total: Money | None = strawberry.field(default=None, description="Value issued in all.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing was issued, if so.")


class _Invalid(exceptions.AccountException):
    def __init__(self, message, field):
        super().__init__(message)
        self.field = field


def _user(email: str | None, field: str):
    if email in (None, ""):
        return None
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise _Invalid(f"No user with the email {email}.", field)
    return user


def _range(value, field: str):
    if value in (None, ""):
        return None
    found = Range.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
    if found is None:
        raise _Invalid("No product range with this id.", field)
    return found


def _counter_account(value, field: str, currency: str):
    if value is None:
        return None
    account = _account(value)
    if account not in services.source_accounts(currency):
        raise _Invalid("Money can only come from or go to the Bank, Unpaid source or Promotions account of this currency.", field)
    return account


def _credit_limit(value, currency):
    try:
        return parse_amount(value, currency, allow_zero=True)
    except exceptions.InvalidAmount as error:
        raise _Invalid(f"Credit limit: {error}", "creditLimit") from None


def _refused(payload_class, error, field=None):
    return payload_class(errors=errors_from(error, field=field))


EXPECTED = (exceptions.AccountException, MalformedId)


@strawberry.type
class StaffMutations:
    @strawberry.mutation(description="Open an account of any type, optionally with an opening balance (staff: ledger.manage_accounts).")
    def create_account(
        self, info: Info, input: Annotated[CreateAccountInput, strawberry.argument(description="The operation's input.")]
    ) -> AccountPayload:
        try:
            clerk = info.context.staff("manage_accounts")
            currency = input.currency.upper()
            account = services.open_account(
                staff=clerk, name=input.name, type_code=input.type_code, currency=currency,
                description=input.description or "",
                primary_user=_user(input.primary_user_email, "primaryUserEmail"),
                secondary_users=[_user(e, "secondaryUserEmails") for e in input.secondary_user_emails or []],
                credit_limit=None if input.unlimited_credit else _credit_limit(input.credit_limit or 0, currency),
                start_date=input.start_date, end_date=input.end_date,
                product_range=_range(input.product_range_id, "productRangeId"),
                can_be_used_for_non_products=input.can_be_used_for_non_products,
                opening_balance=input.opening_balance,
                source=_counter_account(input.source_account_id, "sourceAccountId", currency),
            )
        except EXPECTED as error:
            return _refused(AccountPayload, error)
        return _account_payload(account.pk, info)

    @strawberry.mutation(description="Change an account's details, credit limit and dates included; never its balance or status (staff: ledger.manage_accounts).")
    def update_account(
        self, info: Info, input: Annotated[UpdateAccountInput, strawberry.argument(description="The operation's input.")]
    ) -> AccountPayload:
        try:
            clerk = info.context.staff("manage_accounts")
            account = _account(input.account_id)
            changes = {}
            for name in ("name", "description", "credit_limit", "start_date", "end_date", "can_be_used_for_non_products"):
                value = getattr(input, name)
                if value is not strawberry.UNSET:
                    changes[name] = value
            if input.primary_user_email is not strawberry.UNSET:
                changes["primary_user"] = _user(input.primary_user_email, "primaryUserEmail")
            if input.product_range_id is not strawberry.UNSET:
                changes["product_range"] = _range(input.product_range_id, "productRangeId")
            secondary = None
            if input.secondary_user_emails is not strawberry.UNSET:
                secondary = [_user(e, "secondaryUserEmails") for e in input.secondary_user_emails or []]
            if changes.get("credit_limit") is not None:
                changes["credit_limit"] = _credit_limit(changes["credit_limit"], account.currency)
            for required, field in (("name", "name"), ("can_be_used_for_non_products", "canBeUsedForNonProducts")):
                if required in changes and changes[required] is None:
                    raise _Invalid("This cannot be empty.", field)
            if changes.get("description") is None and "description" in changes:
                changes["description"] = ""
            services.update_account(account, staff=clerk, secondary_users=secondary, **changes)
        except EXPECTED as error:
            return _refused(AccountPayload, error)
        return _account_payload(account.pk, info)

    @strawberry.mutation(description="Issue up to 1,000 gift cards; each code is in this payload and never shown again (staff: ledger.issue_gift_cards).")
    def issue_gift_cards(
        self, info: Info, input: Annotated[IssueGiftCardsInput, strawberry.argument(description="The operation's input.")]
    ) -> IssueGiftCardsPayload:
        try:
            clerk = info.context.staff("issue_gift_cards")
            currency = input.currency.upper()
            batch = services.issue_gift_cards(
                staff=clerk, count=input.count, amount=input.amount, currency=currency,
                start_date=input.start_date, end_date=input.end_date,
                product_range=_range(input.product_range_id, "productRangeId"),
                source=_counter_account(input.source_account_id, "sourceAccountId", currency),
            )
        except EXPECTED as error:
            return _refused(IssueGiftCardsPayload, error)
        accounts = Account.objects.select_related("account_type", "primary_user", "product_range").in_bulk(
            [card.account.pk for card in batch.cards]
        )
        return IssueGiftCardsPayload(
            gift_cards=[
                IssuedGiftCardType(code=card.code, account=LedgerAccount.from_model(accounts[card.account.pk], info))
                for card in batch.cards
            ],
            total=Money.of(batch.total, currency),
        )

    @strawberry.mutation(description="Load money into an account from Bank, Unpaid source or Promotions (staff: ledger.move_money).")
    def top_up_account(
        self, info: Info, input: Annotated[MoveMoneyInput, strawberry.argument(description="The operation's input.")]
    ) -> MoveMoneyPayload:
        return _move(info, input, services.top_up_account, "source")

    @strawberry.mutation(description="Return money from an account to Bank, Unpaid source or Promotions (staff: ledger.move_money).")
    def withdraw_from_account(
        self, info: Info, input: Annotated[MoveMoneyInput, strawberry.argument(description="The operation's input.")]
    ) -> MoveMoneyPayload:
        return _move(info, input, services.withdraw_from_account, "destination")

    @strawberry.mutation(description="Stop all money movement on an open account (staff: ledger.manage_accounts).")
    def freeze_account(
        self, info: Info, input: Annotated[AccountStateInput, strawberry.argument(description="The operation's input.")]
    ) -> AccountPayload:
        return _transition(info, input, account_services.freeze_account)

    @strawberry.mutation(description="Reopen a frozen account; a closed one stays closed (staff: ledger.manage_accounts).")
    def thaw_account(
        self, info: Info, input: Annotated[AccountStateInput, strawberry.argument(description="The operation's input.")]
    ) -> AccountPayload:
        return _transition(info, input, account_services.thaw_account)

    @strawberry.mutation(description="Close an empty account for good; refused while it holds or owes money (staff: ledger.manage_accounts).")
    def close_account(
        self, info: Info, input: Annotated[AccountStateInput, strawberry.argument(description="The operation's input.")]
    ) -> AccountPayload:
        return _transition(info, input, account_services.close_account)


def _account_by_pk(pk):
    return Account.objects.select_related("account_type", "primary_user", "product_range").get(pk=pk)


def _account_payload(pk, info) -> AccountPayload:
    """The account as it is now, after a change."""
    return AccountPayload(account=LedgerAccount.from_model(_account_by_pk(pk), info))


def _transition(info, input, service):
    try:
        info.context.staff("manage_accounts")
        account = _account(input.account_id)
        service(account)
    except EXPECTED as error:
        return _refused(AccountPayload, error)
    return _account_payload(account.pk, info)


def _move(info, input, service, counter: str):
    try:
        clerk = info.context.staff("move_money")
        account = _account(input.account_id)
        transfer = service(
            account, input.amount, staff=clerk, description=input.description,
            idempotency_key=f"staff:{clerk.pk}:{input.idempotency_key}" if input.idempotency_key else None,
            **{counter: _counter_account(input.counter_account_id, "counterAccountId", account.currency)},
        )
    except EXPECTED as error:
        field = "amount" if isinstance(error, (exceptions.InvalidAmount, exceptions.InsufficientFunds)) else None
        return _refused(MoveMoneyPayload, error, field)
    return MoveMoneyPayload(
        account=LedgerAccount.from_model(_account_by_pk(account.pk), info),
        transfer=LedgerTransfer.from_model(Transfer.objects.select_related(*TRANSFER_RELATIONS).get(pk=transfer.pk)),
    )
