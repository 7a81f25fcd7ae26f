"""Relay connections with keyset cursors (stable while new rows arrive), newest first."""
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

import strawberry
from django.conf import settings

from .errors import invalid_argument
from .ids import MalformedId, cursor, decode_cursor

T = TypeVar("T")

First = Annotated[int | None, strawberry.argument(description="Page size, at most 100 (default 20).")]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor (a `pageInfo.endCursor`).")]


@strawberry.type(description="Where this page sits in the whole list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item on this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after` for the next page.")


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


def page_size(first: int | None) -> int:
    limit = settings.GRAPHQL_API["MAX_PAGE_SIZE"]
    if first is None:
        return settings.GRAPHQL_API["DEFAULT_PAGE_SIZE"]
    if not 0 <= first <= limit:
        raise invalid_argument(f"`first` must be between 0 and {limit}.", "first")
    return first


def after_key(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        return decode_cursor(after)
    except MalformedId:
        raise invalid_argument("`after` is not a cursor from this API.", "after") from None


def keyset_page(queryset, first: int | None, after: str | None):
    """(rows, PageInfo) for `queryset` ordered by descending id, starting after the cursor."""
    size = page_size(first)
    start = after_key(after)
    if start is not None:
        queryset = queryset.filter(pk__lt=start)
    rows = list(queryset.order_by("-pk")[: size + 1])
    return page_from_rows(rows, size, start is not None)


def page_from_rows(rows, size, has_previous):
    has_next = len(rows) > size
    rows = rows[:size]
    return rows, PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursor(rows[0].pk) if rows else None,
        end_cursor=cursor(rows[-1].pk) if rows else None,
    )


def connection(nodes_and_rows, page_info, count) -> Connection:
    """Build a connection from (node, row) pairs; `count` is called only if totalCount is asked."""
    return Connection(
        edges=[Edge(cursor=cursor(row.pk), node=node) for node, row in nodes_and_rows],
        page_info=page_info,
        _count=count,
    )


def offset_page(queryset, first: int | None, after: str | None):
    """(rows, PageInfo, cursor maker) for any ordering: cursors hold positions."""
    size = page_size(first)
    start = 0 if after is None else after_key(after)
    rows = list(queryset[start : start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    cursors = [cursor(start + i + 1) for i in range(len(rows))]
    return rows, cursors, PageInfo(
        has_next_page=has_next,
        has_previous_page=start > 0,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def offset_connection(nodes, cursors, page_info, count) -> Connection:
    return Connection(
        edges=[Edge(cursor=c, node=node) for node, c in zip(nodes, cursors, strict=True)], page_info=page_info, _count=count
    )


def history_page(info, account_pk: int, first: int | None, after: str | None, node) -> Connection:
    """A page of one account's history, loaded with every other account of the response."""
    size, start = page_size(first), after_key(after)
    history = info.context.loaders.history
    legs = history.legs(account_pk, limit=size + 1, before_leg_id=start)
    legs, page_info = page_from_rows(legs, size, start is not None)
    return connection([(node(leg), leg) for leg in legs], page_info, lambda: history.count(account_pk))
