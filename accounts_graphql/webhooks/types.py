"""Webhook endpoints and their deliveries, as staff see them."""
from datetime import datetime

import strawberry


@strawberry.type(description="A URL that receives signed events (Standard Webhooks).")
class WebhookEndpoint:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")
    url: str = strawberry.field(description="Where events are POSTed.")
    description: str = strawberry.field(description="What it is for.")
    event_types: list[str] = strawberry.field(description="Event types it receives; empty: all.")
    is_active: bool = strawberry.field(description="Inactive endpoints receive nothing.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_...): shown once, when the endpoint is created.")

    @classmethod
    def from_model(cls, endpoint, *, with_secret: bool = False) -> "WebhookEndpoint":
        return cls(id=strawberry.ID(str(endpoint.pk)), url=endpoint.url, description=endpoint.description,
                   event_types=list(endpoint.event_types), is_active=endpoint.is_active,
                   created_at=endpoint.created_at, secret=endpoint.secret if with_secret else None)


@strawberry.type(description="One event sent (or being sent) to one endpoint.")
class WebhookDelivery:
    event_id: str = strawberry.field(description="The event's id, sent as `webhook-id`: stable across retries.")
    event_type: str = strawberry.field(description="e.g. transfer.posted.")
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint.")
    status: str = strawberry.field(description="PENDING, SUCCEEDED or FAILED (gave up).")
    attempts: int = strawberry.field(description="POSTs made so far.")
    last_status_code: int | None = strawberry.field(description="The endpoint's last HTTP status.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    next_attempt_at: datetime | None = strawberry.field(description="When it is tried again (PENDING).")
    delivered_at: datetime | None = strawberry.field(description="When it succeeded.")

    @classmethod
    def from_model(cls, delivery) -> "WebhookDelivery":
        pending = delivery.status == "PENDING"
        return cls(event_id=delivery.event.webhook_id, event_type=delivery.event.type,
                   endpoint_id=strawberry.ID(str(delivery.endpoint_id)), status=delivery.status,
                   attempts=delivery.attempts, last_status_code=delivery.last_status_code,
                   last_error=delivery.last_error or None, next_attempt_at=delivery.next_attempt_at if pending else None,
                   delivered_at=delivery.delivered_at)
