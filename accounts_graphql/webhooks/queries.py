"""Staff: webhookEndpoints, webhookDeliveries."""
from typing import Annotated

import strawberry

from headless_store.events.models import WebhookDelivery as DeliveryModel
from headless_store.events.models import WebhookEndpoint as EndpointModel
from headless_store.events.services import find_endpoint
from headless_store.ledger.exceptions import InvalidInput

from ..context import Info
from ..fields import query
from .types import WebhookDelivery, WebhookEndpoint

STATUSES = {choice for choice, _label in DeliveryModel.Status.choices}


@strawberry.type
class WebhookQueries:
    @query("webhook_endpoints", description="The registered webhook endpoints.")
    def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.from_model(endpoint) for endpoint in EndpointModel.objects.order_by("pk")]

    @query("webhook_deliveries", description="The delivery log, newest first (at most 100).")
    def webhook_deliveries(
        self, info: Info,
        endpoint_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this endpoint's.")] = None,
        status: Annotated[str | None, strawberry.argument(description="PENDING, SUCCEEDED or FAILED.")] = None,
        first: Annotated[int, strawberry.argument(description="How many (1-100).")] = 20,
    ) -> list[WebhookDelivery]:
        if not 1 <= first <= 100:
            raise InvalidInput("Ask for 1 to 100 deliveries.", field="first")
        deliveries = DeliveryModel.objects.select_related("event").order_by("-pk")
        if endpoint_id is not None:
            deliveries = deliveries.filter(endpoint=find_endpoint(endpoint_id))
        if status is not None:
            if status not in STATUSES:
                raise InvalidInput(f"One of {', '.join(sorted(STATUSES))}.", field="status")
            deliveries = deliveries.filter(status=status)
        return [WebhookDelivery.from_model(delivery) for delivery in deliveries[:first]]
