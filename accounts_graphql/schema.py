"""The schema: the domain queries and mutations merged, with the hardening extensions."""
import strawberry
from strawberry.schema.config import StrawberryConfig

from .checkout.mutations import CheckoutMutations
from .extensions import schema_extensions
from .giftcards.mutations import GiftCardMutations
from .scalars import SCALAR_MAP
from .transfers.mutations import TransferMutations
from .wallets.queries import WalletQueries


@strawberry.type(description="Read your accounts, balances and history.")
class Query(WalletQueries):
    pass


@strawberry.type(description="Move money: redeem gift cards, pay baskets, reverse transfers (staff).")
class Mutation(GiftCardMutations, CheckoutMutations, TransferMutations):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=schema_extensions(),
    config=StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=True),
)
