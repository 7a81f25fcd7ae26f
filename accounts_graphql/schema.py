"""The schema: the domain queries and mutations merged, with the hardening extensions."""
import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .checkout.mutations import CheckoutMutations
from .extensions import schema_extensions
from .giftcards.mutations import GiftCardMutations
from .staff.mutations import StaffMutations
from .staff.queries import StaffQueries
from .scalars import SCALAR_MAP
from .transfers.mutations import TransferMutations
from .wallets.queries import WalletQueries


@strawberry.type(description="Customers read their accounts, balances and history; staff read the whole ledger.")
class Query(WalletQueries, StaffQueries):
    pass


@strawberry.type(description="Customers redeem gift cards and pay baskets; staff run accounts and move money.")
class Mutation(GiftCardMutations, CheckoutMutations, TransferMutations, StaffMutations):
    pass


class SyncExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Every resolver here is synchronous (the view is Django's sync view), so no value is ever
    awaitable: skip graphql-core's awaitable check on each of the ~1,500 values of a page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_awaitable = _never_awaitable


def _never_awaitable(value) -> bool:
    return False


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=schema_extensions(),
    config=StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=True),
    execution_context_class=SyncExecutionContext,
)
