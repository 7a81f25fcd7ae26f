"""Staff queries: accounts, account, accountTypes, transfer, allTransfers, reports, ledgerHealth.

Each needs a staff user holding the named `ledger.*` permission (Django groups can grant them).
"""
import datetime as dt
from typing import Annotated

import strawberry
from django.db.models import Q

from headless_store.ledger import exceptions
from headless_store.ledger.models import Account, AccountType, Transfer
from headless_store.ledger.money import currency_exponent
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.selectors.staff import ACCOUNT_RELATIONS, search_accounts
from headless_store.ledger.selectors.reports import (
    deferred_income_report,
    end_of_day,
    profit_loss_report,
    start_of_day,
)

from ..context import Info
from ..errors import api_error
from ..ids import decode_owned_id
from ..pagination import After, Connection, First, connection, keyset_page, offset_connection, offset_page
from ..transfers.mutations import find_transfer
from .inputs import LedgerAccountFilter, TransferFilter
from .types import (
    AccountOrdering,
    AccountTypeNode,
    DeferredIncomeReportType,
    LedgerAccount,
    LedgerHealthType,
    LedgerTransfer,
    ProfitLossReportType,
)

TRANSFER_RELATIONS = ("source__account_type", "destination__account_type", "parent")


def staff(info: Info, permission: str):
    try:
        return info.context.staff(permission)
    except exceptions.AccountException as error:
        raise api_error(error) from error


def filtered_accounts(filter: LedgerAccountFilter | None, search: str | None):
    filter = filter or LedgerAccountFilter()
    return search_accounts(
        search=search, type_codes=filter.type_code, statuses=[s.value for s in filter.status or []],
        currency=filter.currency, owner_email=filter.owner_email, code_last4=filter.code_last4,
        is_active=filter.is_active, is_expired=filter.is_expired,
    )


def _account(value) -> Account:
    pk = decode_owned_id(value, "Account")
    account = Account.objects.select_related(*ACCOUNT_RELATIONS).filter(pk=pk).first()
    if account is None:
        raise exceptions.AccountNotFound("No account with this ID.")
    return account


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    currency_exponent(value)
    return value


@strawberry.type
class StaffQueries:
    @strawberry.field(description="Every account, filtered, searched and ordered (staff: ledger.view_account).")
    def accounts(
        self, info: Info, first: First = None, after: After = None,
        filter: Annotated[LedgerAccountFilter | None, strawberry.argument(description="Only accounts matching this.")] = None,
        search: Annotated[str | None, strawberry.argument(description="Name, description, owner email or code's last 4.")] = None,
        ordering: Annotated[AccountOrdering, strawberry.argument(description="Order of the list.")] = AccountOrdering.NEWEST,
    ) -> Connection[LedgerAccount]:
        staff(info, "view_account")
        accounts = filtered_accounts(filter, search)
        rows, cursors, page_info = offset_page(accounts.order_by(ordering.value, "-pk"), first, after)
        return offset_connection([LedgerAccount.from_model(a, info) for a in rows], cursors, page_info, accounts.count)

    @strawberry.field(description="One account with its legs (staff: ledger.view_account).")
    def account(self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Account ID.")]) -> LedgerAccount:
        staff(info, "view_account")
        try:
            return LedgerAccount.from_model(_account(id), info)
        except exceptions.AccountException as error:
            raise api_error(error) from error

    @strawberry.field(description="The chart of accounts as a tree (staff: ledger.view_account).")
    def account_types(self, info: Info) -> list[AccountTypeNode]:
        staff(info, "view_account")
        nodes = list(AccountType.objects.order_by("path"))
        by_path, roots = {}, []
        for node in nodes:
            parent = by_path.get(node.path[: -AccountType.steplen])
            full = f"{parent.full_name} / {node.name}" if parent else node.name
            item = AccountTypeNode(code=node.code, name=node.name, full_name=full, children=[])
            by_path[node.path] = item
            (parent.children if parent else roots).append(item)
        return roots

    @strawberry.field(description="One transfer by ID or reference (staff: ledger.view_transfer).")
    def transfer(
        self, info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="A transfer or entry ID.")] = None,
        reference: Annotated[str | None, strawberry.argument(description="The 32-character reference.")] = None,
    ) -> LedgerTransfer:
        staff(info, "view_transfer")
        try:
            found = find_transfer(reference if reference is not None else id)
        except (exceptions.AccountException, ValueError) as error:
            raise api_error(exceptions.AccountNotFound(str(error))) from error
        transfer = Transfer.objects.select_related(*TRANSFER_RELATIONS).get(pk=found.pk)
        return LedgerTransfer.from_model(transfer)

    @strawberry.field(description="Every transfer, newest first, filtered (staff: ledger.view_transfer).")
    def all_transfers(
        self, info: Info, first: First = None, after: After = None,
        filter: Annotated[TransferFilter | None, strawberry.argument(description="Only transfers matching this.")] = None,
    ) -> Connection[LedgerTransfer]:
        staff(info, "view_transfer")
        transfers = Transfer.objects.select_related(*TRANSFER_RELATIONS)
        if filter:
            if filter.date_from:
                transfers = transfers.filter(date_created__gte=start_of_day(filter.date_from))
            if filter.date_to:
                transfers = transfers.filter(date_created__lt=end_of_day(filter.date_to))
            if filter.account_id:
                try:
                    pk = decode_owned_id(filter.account_id, "Account")
                except exceptions.AccountException as error:
                    raise api_error(error) from error
                transfers = transfers.filter(Q(source_id=pk) | Q(destination_id=pk))
            if filter.merchant_reference:
                transfers = transfers.filter(merchant_reference=filter.merchant_reference)
            if filter.user_email:
                transfers = transfers.filter(user__email__iexact=filter.user_email.strip())
        rows, page_info = keyset_page(transfers, first, after)
        return connection([(LedgerTransfer.from_model(t), t) for t in rows], page_info, transfers.count)

    @strawberry.field(description="What the shop owes customers at the end of a day, aged by expiry (staff: ledger.view_reports).")
    def deferred_income_report(
        self, info: Info,
        date: Annotated[dt.date, strawberry.argument(description="The day (in the shop's time zone).")],
        currency: Annotated[str | None, strawberry.argument(description="Only this currency.")] = None,
    ) -> DeferredIncomeReportType:
        staff(info, "view_reports")
        try:
            return DeferredIncomeReportType.from_report(deferred_income_report(date, _currency(currency)))
        except exceptions.AccountException as error:
            raise api_error(error) from error

    @strawberry.field(description="Money in, redemptions, refunds, lapsed, withdrawals and net between two days (staff: ledger.view_reports).")
    def profit_loss_report(
        self, info: Info,
        start_date: Annotated[dt.date, strawberry.argument(description="First day, included.")],
        end_date: Annotated[dt.date, strawberry.argument(description="Last day, included.")],
        currency: Annotated[str, strawberry.argument(description="ISO 4217 currency.")],
    ) -> ProfitLossReportType:
        staff(info, "view_reports")
        try:
            if start_date > end_date:
                raise exceptions.InvalidTransfer("The start date must not be after the end date.")
            return ProfitLossReportType.from_report(profit_loss_report(start_date, end_date, _currency(currency)))
        except exceptions.AccountException as error:
            raise api_error(error) from error

    @strawberry.field(description="Every reconciliation check, as data (staff: ledger.view_reports).")
    def ledger_health(self, info: Info) -> LedgerHealthType:
        staff(info, "view_reports")
        return LedgerHealthType.from_health(ledger_health())
