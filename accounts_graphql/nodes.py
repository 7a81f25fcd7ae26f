"""Relay's Node interface: refetch one of your objects by its global ID (`node`, `nodes`).

Only the viewer's own objects resolve: their accounts (`Account`), the entries of those
accounts (`Transfer`) and their orders (`Order`); any other ID, malformed or someone else's, is null, never an error, so
one bad ID does not null a whole answer."""
from typing import Annotated

import strawberry

from headless_store.checkout.selectors import orders_of
from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.selectors.accounts import legs_of, viewer_account_ids, viewer_accounts

from .context import Info
from .fields import query
from .ids import parse_id
from .loaders import counterparty_id

MAX_NODES = 100


@strawberry.interface(description="An object with a global ID: refetch it with node(id:).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global ID.")


def resolve_nodes(info: Info, ids) -> list:
    from .accounts.types import Account
    from .checkout.types import Order
    from .transfers.types import Transfer

    user = info.context.request.user
    wanted = [parse_id(value) or ("", 0) for value in ids]  # a malformed ID is simply not one of yours
    account_pks = {pk for kind, pk in wanted if kind == "Account"}
    leg_pks = {pk for kind, pk in wanted if kind == "Transfer"}
    accounts = {a.pk: a for a in viewer_accounts(user).filter(pk__in=account_pks)} if account_pks else {}
    legs = ({leg.pk: leg for leg in legs_of(viewer_account_ids(user)).filter(pk__in=leg_pks)}
            if leg_pks else {})
    order_pks = {pk for kind, pk in wanted if kind == "Order"}
    orders = {o.pk: o for o in orders_of(user).filter(pk__in=order_pks)} if order_pks else {}
    if legs:
        info.context.loaders.counterparties.prime(counterparty_id(leg) for leg in legs.values())
    found = []
    for kind, pk in wanted:
        if kind == "Account" and pk in accounts:
            found.append(Account.from_model(accounts[pk], info))
        elif kind == "Transfer" and pk in legs:
            found.append(Transfer.from_leg(legs[pk], info))
        elif kind == "Order" and pk in orders:
            found.append(Order.from_model(orders[pk]))
        else:
            found.append(None)
    return found


@strawberry.type
class NodeQueries:
    @query("node", description="One of your accounts, history entries or orders by its global ID; null if it is not yours.")
    def node(self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Global ID.")]) -> Node | None:
        return resolve_nodes(info, [id])[0]

    @query("nodes", description="Several at once, in order; null for each that is not yours (at most 100).")
    def nodes(
        self, info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")]
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInput(f"At most {MAX_NODES} IDs.", field="ids")
        return resolve_nodes(info, ids)
