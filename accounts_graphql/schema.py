"""The schema: each domain's queries and mutations merged, with the hardening extensions.

Domains mirror the ledger's feature packages: accounts, giftcards, transfers, checkout, reports.
Customer and staff fields of one domain sit together; fields.py guards each with its rule from
the permission table (headless_store/ledger/permissions.py).
"""
import strawberry
from django.conf import settings
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .accounts.mutations import AccountMutations
from .accounts.queries import AccountQueries
from .checkout.mutations import CheckoutMutations
from .extensions import schema_extensions
from .giftcard_sales.mutations import GiftCardSaleMutations
from .giftcard_sales.queries import GiftCardSaleQueries
from .giftcards.mutations import GiftCardMutations
from .loyalty.queries import LoyaltyQueries
from .nodes import NodeQueries
from .reports.queries import ReportQueries
from .scalars import SCALAR_MAP
from .statements.queries import StatementQueries
from .transfers.mutations import TransferMutations
from .transfers.queries import TransferQueries
from .webhooks.mutations import WebhookMutations
from .webhooks.queries import WebhookQueries


@strawberry.type(description="Customers read their accounts, balances and history; staff read the whole ledger.")
class Query(NodeQueries, AccountQueries, TransferQueries, ReportQueries, WebhookQueries, LoyaltyQueries,
            GiftCardSaleQueries, StatementQueries):
    pass


@strawberry.type(description="Customers redeem gift cards and pay baskets; staff run accounts and move money.")
class Mutation(GiftCardMutations, CheckoutMutations, TransferMutations, AccountMutations, WebhookMutations,
               GiftCardSaleMutations):
    pass


class SyncExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Every resolver here is synchronous (the view is Django's sync view), so no value is ever
    awaitable: skip graphql-core's awaitable check on each of the ~1,500 values of a page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_awaitable = _never_awaitable


def _never_awaitable(value) -> bool:
    return False


class AccountsSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Strawberry logs every error with its traceback, expected refusals included; here the
        error policy (extensions.ErrorPolicy) logs each unexpected error once instead."""


schema = AccountsSchema(
    query=Query,
    mutation=Mutation,
    extensions=schema_extensions(),
    config=StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=True,
                            relay_max_results=settings.GRAPHQL_API["MAX_PAGE_SIZE"]),
    execution_context_class=SyncExecutionContext,
)
