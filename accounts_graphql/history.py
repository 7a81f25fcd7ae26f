"""Account history pages for nested connections, batched: the first account on a response to
ask for its history loads the page for every account of that response in one query."""
from headless_store.ledger.selectors.accounts import latest_legs_per_account, leg_counts

from .pagination import after_key, connection, page_from_rows, page_size


def register_account(info, group: str, pk: int) -> None:
    """Note an account the response holds, so its history can be loaded with the others'."""
    info.context.cache.setdefault((group, "ids"), []).append(pk)


def account_history(info, *, group: str, account_pk: int, first, after, node):
    size, start = page_size(first), after_key(after)
    cache = info.context.cache
    ids = cache[(group, "ids")]
    key = (group, size, start)
    if key not in cache:
        cache[key] = latest_legs_per_account(ids, limit=size + 1, before_leg_id=start)
    legs, page_info = page_from_rows(cache[key].get(account_pk, []), size, start is not None)

    def count() -> int:
        if (group, "counts") not in cache:
            cache[(group, "counts")] = leg_counts(ids)
        return cache[(group, "counts")][account_pk]

    return connection([(node(leg), leg) for leg in legs], page_info, count)
