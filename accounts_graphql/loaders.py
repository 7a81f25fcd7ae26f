"""Typed per-request loaders for the hand-filled customer types: every relation a resolver
follows is loaded for the whole response in one query, whatever order graphql-core resolves the
fields in. (The model-backed staff types are loaded by strawberry-graphql-django's optimizer.)

The view is Django's sync view (Oscar is synchronous), so these are synchronous batch loaders
rather than strawberry's async DataLoader: keys are *primed* as soon as a list of rows is known
(a page of accounts, a page of legs), and the first `load()` fetches every primed key at once.
Each loader lives on the request's context and is thrown away with it.
"""
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from headless_store.ledger.selectors.accounts import (
    accounts_by_id,
    latest_legs_per_account,
    leg_counts,
    viewer_account_ids,
)
from headless_store.ledger.selectors.lots import open_lot_counts, open_lots

K = TypeVar("K")
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    """Values by key for one request: what was primed is fetched together on the first load."""

    def __init__(self, fetch: Callable[[list[K]], Mapping[K, V]], default: V | None = None):
        self._fetch = fetch
        self._default = default
        self._values: dict[K, V] = {}
        self._pending: set[K] = set()

    def prime(self, keys: Iterable[K]) -> None:
        self._pending.update(key for key in keys if key not in self._values)

    def load(self, key: K) -> V:
        if key not in self._values:
            batch = [*self._pending, key]
            found = self._fetch(batch)
            self._values.update({k: found.get(k, self._default) for k in batch})
            self._pending.clear()
        return self._values[key]


class AccountHistoryLoader:
    """Pages of legs for every account a response holds, loaded in one query per page shape.

    Accounts are registered as their nodes are built; the first account asked for its history
    loads the page of every registered account, and primes the counterparty loader with the
    other side of every leg on those pages."""

    def __init__(self, counterparties: BatchLoader):
        self.account_ids: list[int] = []
        self._pages: dict[tuple[int, int | None], dict[int, list]] = {}
        self._counts = BatchLoader(leg_counts, default=0)
        self._counterparties = counterparties

    def register(self, pk: int) -> None:
        self.account_ids.append(pk)
        self._counts.prime([pk])

    def legs(self, pk: int, *, limit: int, before_leg_id: int | None) -> list:
        key = (limit, before_leg_id)
        if key not in self._pages or pk not in self._pages[key]:
            self._pages[key] = latest_legs_per_account(
                list(dict.fromkeys(self.account_ids + [pk])), limit=limit, before_leg_id=before_leg_id
            )
            self._counterparties.prime(counterparty_ids(leg for legs in self._pages[key].values() for leg in legs))
        return self._pages[key][pk]

    def count(self, pk: int) -> int:
        return self._counts.load(pk)


class AccountLotsLoader:
    """The first page of open credit lots of every account a response holds, in one query per
    page size; their counts in one more (only if asked)."""

    def __init__(self):
        self.account_ids: list[int] = []
        self._pages: dict[int, dict[int, list]] = {}
        self._counts = BatchLoader(open_lot_counts, default=0)

    def register(self, pk: int) -> None:
        self.account_ids.append(pk)
        self._counts.prime([pk])

    def first_page(self, pk: int, *, limit: int) -> list:
        if limit not in self._pages or pk not in self._pages[limit]:
            self._pages[limit] = open_lots(list(dict.fromkeys(self.account_ids + [pk])), limit=limit)
        return self._pages[limit][pk]

    def count(self, pk: int) -> int:
        return self._counts.load(pk)


def counterparty_id(leg) -> int:
    transfer = leg.transfer
    return transfer.destination_id if leg.account_id == transfer.source_id else transfer.source_id


def counterparty_ids(legs) -> list[int]:
    return [counterparty_id(leg) for leg in legs]


@dataclass
class Loaders:
    """Everything a customer response may need to load, per request."""

    user: object
    counterparties: BatchLoader = field(init=False)
    history: AccountHistoryLoader = field(init=False)
    lots: AccountLotsLoader = field(init=False)
    _viewer_account_ids: frozenset[int] | None = field(init=False, default=None)

    def __post_init__(self):
        self.counterparties = BatchLoader(accounts_by_id)
        self.history = AccountHistoryLoader(self.counterparties)
        self.lots = AccountLotsLoader()

    def viewer_account_ids(self) -> frozenset[int]:
        """Ids of the viewer's own accounts (one query per request, only when needed)."""
        if self._viewer_account_ids is None:
            self._viewer_account_ids = frozenset(viewer_account_ids(self.user))
        return self._viewer_account_ids
