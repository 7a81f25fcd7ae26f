"""Relay connections.

Customer connections (`Connection`) are filled from rows with keyset cursors (stable while new
rows arrive), newest first. Staff connections (`StaffConnection`) are strawberry-graphql-django's
`DjangoListConnection` over querysets (offset cursors, `first`/`last`/`before`/`after`), with a
non-null `totalCount` and the same limits and typed INVALID errors for bad arguments.
"""
import binascii
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

import strawberry
from django.conf import settings
from django.db import models
from strawberry import relay
from strawberry.relay import PageInfo
from strawberry.relay.types import PREFIX
from strawberry.relay.utils import from_base64
from strawberry_django.pagination import get_total_count
from strawberry_django.relay import DjangoListConnection

from headless_store.ledger.selectors.accounts import legs_of

from .errors import invalid_argument
from .ids import MalformedId, cursor, decode_cursor
from .loaders import counterparty_id

T = TypeVar("T")

First = Annotated[int | None, strawberry.argument(description="Page size, at most 100 (default 20).")]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor (a `pageInfo.endCursor`).")]
Last = Annotated[int | None, strawberry.argument(description="Page backwards: this many, at most 100.")]
Before = Annotated[str | None, strawberry.argument(description="Page backwards: the rows before this cursor (a `pageInfo.startCursor`).")]


@strawberry.type(description="An item and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of items (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items on this page, newest first.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    _count: strawberry.Private[Callable[[], int]]

    @strawberry.field(description="How many items there are in all pages together.")
    def total_count(self) -> int:
        return self._count()


def page_size(first: int | None, name: str = "first") -> int:
    """The page size asked for (`first` or `last`), within the one bound of every connection."""
    limit = settings.GRAPHQL_API["MAX_PAGE_SIZE"]
    if first is None:
        return settings.GRAPHQL_API["DEFAULT_PAGE_SIZE"]
    if not 0 <= first <= limit:
        raise invalid_argument(f"`{name}` must be between 0 and {limit}.", name)
    return first


def not_a_cursor(name: str):
    return invalid_argument(f"`{name}` is not a cursor from this API.", name)


def after_key(after: str | None, name: str = "after") -> int | None:
    if after is None:
        return None
    try:
        return decode_cursor(after)
    except MalformedId:
        raise not_a_cursor(name) from None


def keyset_page(queryset, first: int | None, after: str | None, last: int | None = None, before: str | None = None):
    """(rows, PageInfo) for `queryset` ordered by descending id: `first` rows after the cursor
    `after`, or (paging backwards) the `last` rows before the cursor `before`."""
    if last is None and before is None:
        size = page_size(first)
        start = after_key(after)
        if start is not None:
            queryset = queryset.filter(pk__lt=start)
        rows = list(queryset.order_by("-pk")[: size + 1])
        return page_from_rows(rows, size, start is not None)
    if first is not None or after is not None:
        raise invalid_argument("Page forwards (`first`, `after`) or backwards (`last`, `before`), not both.", "last")
    size = page_size(last, "last")
    end = after_key(before, "before")
    if end is not None:
        queryset = queryset.filter(pk__gt=end)
    nearest = list(queryset.order_by("pk")[: size + 1])  # the rows just before the cursor, nearest first
    has_previous = len(nearest) > size
    rows = nearest[:size][::-1]
    return rows, PageInfo(
        has_next_page=end is not None,
        has_previous_page=has_previous,
        start_cursor=cursor(rows[0].pk) if rows else None,
        end_cursor=cursor(rows[-1].pk) if rows else None,
    )


def page_from_rows(rows, size, has_previous):
    has_next = len(rows) > size
    rows = rows[:size]
    return rows, PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursor(rows[0].pk) if rows else None,
        end_cursor=cursor(rows[-1].pk) if rows else None,
    )


def page(nodes_and_rows, page_info, count) -> Connection:
    """Build a connection from (node, row) pairs; `count` is called only if totalCount is asked."""
    return Connection(
        edges=[Edge(cursor=cursor(row.pk), node=node) for node, row in nodes_and_rows],
        page_info=page_info,
        _count=count,
    )


def history_page(info, account_pk: int, first: int | None, after: str | None, node, *,
                 last: int | None = None, before: str | None = None) -> Connection:
    """A page of one account's history: forwards, loaded with every other account of the
    response; backwards (`last`/`before`), on its own with the same keyset cursors."""
    history = info.context.loaders.history
    if last is not None or before is not None:
        rows, page_info = keyset_page(legs_of([account_pk]), first, after, last, before)
        info.context.loaders.counterparties.prime(counterparty_id(leg) for leg in rows)
        return page([(node(leg), leg) for leg in rows], page_info, lambda: history.count(account_pk))
    size, start = page_size(first), after_key(after)
    legs = history.legs(account_pk, limit=size + 1, before_leg_id=start)
    legs, page_info = page_from_rows(legs, size, start is not None)
    return page([(node(leg), leg) for leg in legs], page_info, lambda: history.count(account_pk))


def _check_window(first, last, after, before) -> None:
    """The customer connections' bounds (page_size) and typed errors for the staff connections'
    offset cursors (strawberry-graphql-django's own), before it reads them."""
    for name, value in (("first", first), ("last", last)):
        page_size(value, name)
    for name, value in (("after", after), ("before", before)):
        if value is None:
            continue
        try:
            kind, position = from_base64(value)
            valid = kind == PREFIX and 0 <= int(position) < 2**31
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            valid = False
        if not valid:
            raise not_a_cursor(name)


@strawberry.type(name="Connection", description="A page of items (Relay connection).")
class StaffConnection(DjangoListConnection[relay.NodeType]):
    @strawberry.field(description="How many items there are in all pages together.")
    def total_count(self) -> int:
        try:  # annotated by the optimizer, with the page, in the same query
            return self.edges[0].node._strawberry_total_count
        except (IndexError, AttributeError):
            pass
        return get_total_count(self.nodes) if isinstance(self.nodes, models.QuerySet) else len(self.nodes)

    @classmethod
    def resolve_connection(cls, nodes, *, info, before=None, after=None, first=None, last=None, **kwargs):
        _check_window(first, last, after, before)
        return super().resolve_connection(nodes, info=info, before=before, after=after, first=first, last=last, **kwargs)
