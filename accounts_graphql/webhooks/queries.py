"""Staff: webhookEndpoints, webhookDeliveries."""
from typing import Annotated

import strawberry

from headless_store.events.models import WebhookDelivery as DeliveryModel
from headless_store.events.models import WebhookEndpoint as EndpointModel
from headless_store.events.services import find_endpoint
from headless_store.ledger.exceptions import InvalidInput

from ..context import Info
from ..fields import query
from ..pagination import After, Before, Connection, First, Last, keyset_page, page
from .types import WebhookDelivery, WebhookEndpoint

STATUSES = {choice for choice, _label in DeliveryModel.Status.choices}


@strawberry.type
class WebhookQueries:
    @query("webhook_endpoints", description="The registered webhook endpoints.")
    def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.from_model(endpoint) for endpoint in EndpointModel.objects.order_by("pk")]

    @query("webhook_deliveries", description="The delivery log, newest first: a connection with the same "
           "arguments and keyset cursors as every customer list (at most 100 a page).")
    def webhook_deliveries(
        self, info: Info,
        endpoint_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this endpoint's.")] = None,
        status: Annotated[str | None, strawberry.argument(description="PENDING, SUCCEEDED or FAILED.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[WebhookDelivery]:
        deliveries = DeliveryModel.objects.select_related("event")
        if endpoint_id is not None:
            deliveries = deliveries.filter(endpoint=find_endpoint(endpoint_id))
        if status is not None:
            if status not in STATUSES:
                raise InvalidInput(f"One of {', '.join(sorted(STATUSES))}.", field="status")
            deliveries = deliveries.filter(status=status)
        rows, page_info = keyset_page(deliveries, first, after, last, before)
        return page([(WebhookDelivery.from_model(row), row) for row in rows], page_info, deliveries.count)
