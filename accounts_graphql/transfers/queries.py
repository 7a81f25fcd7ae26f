"""Transfer queries: the viewer's history (`transfers`); staff's `transfer` and `allTransfers`."""
from collections.abc import Iterable
from typing import Annotated

import strawberry

from headless_store.ledger import exceptions
from headless_store.ledger.models import Transfer as TransferModel
from headless_store.ledger.selectors import transfers as selectors
from headless_store.ledger.selectors.accounts import legs_of

from ..context import Info
from ..fields import connection, query
from ..ids import MalformedId, decode_id, decode_owned_id
from ..pagination import After, Before, Connection, First, Last, StaffConnection, keyset_page, page
from .inputs import TransferFilter
from .types import LedgerTransfer, Transfer


def find_transfer(value, field: str):
    """A transfer by its ID ("LedgerTransfer:<pk>"), an entry's ID ("Transfer:<leg>") or its reference."""
    value = str(value).strip()
    if selectors.REFERENCE.match(value.upper()):
        return selectors.require(selectors.transfer_by_reference(value), field)
    try:
        found = selectors.transfer_by_pk(decode_id(value, "LedgerTransfer", field))
    except MalformedId:
        found = selectors.transfer_of_leg(decode_id(value, "Transfer", field))
    return selectors.require(found, field)


@strawberry.type
class TransferQueries:
    @query("transfers", description="Your history across your accounts (or one of them), newest first. Requires sign-in.")
    def transfers(
        self, info: Info,
        account_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this account of yours.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Transfer]:
        ids = info.context.loaders.viewer_account_ids()
        if account_id is not None:
            pk = decode_owned_id(account_id, "Account", "account_id")
            if pk not in ids:
                raise exceptions.AccountNotFound("No account with this ID.", field="account_id")
            ids = [pk]
        legs = legs_of(ids)
        rows, page_info = keyset_page(legs, first, after, last, before)
        return page(list(zip(Transfer.from_legs(rows, info), rows, strict=True)), page_info, legs.count)

    @query("transfer", description="One transfer by ID or reference.")
    def transfer(
        self, info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="A transfer or entry ID.")] = None,
        reference: Annotated[str | None, strawberry.argument(description="The 32-character reference.")] = None,
    ) -> LedgerTransfer | None:
        if reference is not None:
            return selectors.require(selectors.transfer_by_reference(reference), "reference")
        try:
            return find_transfer(id, "id")
        except MalformedId:
            raise exceptions.TransferNotFound("No transfer with this ID.", field="id") from None

    @connection("all_transfers", StaffConnection[LedgerTransfer], description="Every transfer, newest first, filtered.")
    def all_transfers(
        self, info: Info,
        filter: Annotated[TransferFilter | None, strawberry.argument(description="Only transfers matching this.")] = None,
    ) -> Iterable[TransferModel]:
        filter = filter or TransferFilter()
        return selectors.search_transfers(
            merchant_reference=filter.merchant_reference, date_from=filter.date_from, date_to=filter.date_to,
            account_id=None if filter.account_id is None else decode_owned_id(filter.account_id, "Account", "filter.account_id"),
            user_email=filter.user_email,
        )
