"""Credit lots as customers and staff see them: each open lot (money left) of an account with its
category and clock, in the order debits spend them (headless_store/ledger/selectors/lots.py).

`Account.lots` and `LedgerAccount.lots` are pages of at most 100 (default 20). The first page of
every account in a response is loaded in one query (a window per account), its count in one
more; later pages (`after`) are read per account.
"""
import datetime as dt
from collections.abc import Callable
from enum import Enum

import strawberry
from django.utils import timezone

from headless_store.ledger.models import Lot
from headless_store.ledger.selectors.lots import LotState, lot_state, open_lots_after

from ..ids import global_id
from ..money import Money
from ..pagination import Connection, after_key, page, page_from_rows, page_size

DESCRIPTION = ("Its open credit lots (money left), in the order payments spend them: the soonest expiry first "
               "(never-expiring last), then promotional, points, paid, refund, then the oldest. A payment takes "
               "only from USABLE lots, in this order. At most 100 per page (default 20).")


@strawberry.enum(description="Where a credit lot's money came from (it decides the spending order among lots "
                             "that expire together).")
class CreditLotCategory(Enum):
    PROMOTIONAL = Lot.Category.PROMOTIONAL.value
    POINTS = Lot.Category.POINTS.value
    PAID = Lot.Category.PAID.value
    REFUND = Lot.Category.REFUND.value


CreditLotState = strawberry.enum(LotState, name="CreditLotState", description=(
    "USABLE: may be spent now. NOT_YET_EFFECTIVE: its effectiveFrom is still ahead. EXPIRED: past its "
    "expiresAt; what is left lapses at the next expiry sweep and can no longer be spent."))


@strawberry.type(description="One credit into an account, spent on its own clock: what is left of it, its "
                             "category, and when it may be spent.")
class CreditLot:
    id: strawberry.ID = strawberry.field(description="Global ID of the lot (statements name lots by it).")
    category: CreditLotCategory = strawberry.field(description="paid, promotional, refund or points credit.")
    amount: Money = strawberry.field(description="What the credit put in.")
    remaining: Money = strawberry.field(description="What is left of it (part of the account's balance).")
    held: Money = strawberry.field(description="Of what is left, reserved by checkouts waiting for a card payment.")
    effective_from: dt.datetime | None = strawberry.field(description="From when it may be spent; null: from "
                                                                      "when it was made.")
    expires_at: dt.datetime | None = strawberry.field(description="When what is left of it lapses; null: never.")
    state: CreditLotState = strawberry.field(description="Whether it may be spent now.")
    created_at: dt.datetime = strawberry.field(description="When it was made.")

    @classmethod
    def from_model(cls, lot: Lot, currency: str, now: dt.datetime) -> "CreditLot":
        return cls(
            id=global_id("CreditLot", lot.pk),
            category=CreditLotCategory(lot.category),
            amount=Money.of(lot.amount, currency),
            remaining=Money.of(lot.remaining, currency),
            held=Money.of(lot.held, currency),
            effective_from=lot.effective_from,
            expires_at=lot.expires_at,
            state=lot_state(lot, now),
            created_at=lot.date_created,
        )


@strawberry.type(description="What one movement did to one credit lot.")
class LotMovement:
    lot_id: strawberry.ID = strawberry.field(description="The lot (a CreditLot's id).")
    category: CreditLotCategory = strawberry.field(description="The lot's category.")
    amount: Money = strawberry.field(description="Positive: the lot was made or given back to; negative: spent "
                                                 "from or lapsed.")


def lots_page(account_pk: int, currency: str, first: int | None, after: str | None, *,
              first_page: Callable[[int], list], count: Callable[[], int]) -> Connection[CreditLot]:
    """A page of one account's open lots: the first from `first_page(limit)` (batched by the
    caller), later ones (`after`, a lot's cursor) read on their own."""
    size, start = page_size(first), after_key(after)
    rows = first_page(size + 1) if start is None else open_lots_after(account_pk, start, limit=size + 1)
    rows, page_info = page_from_rows(rows, size, start is not None)
    now = timezone.now()
    return page([(CreditLot.from_model(lot, currency, now), lot) for lot in rows], page_info, count)
