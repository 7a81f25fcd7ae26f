"""Staff: createWebhookEndpoint, updateWebhookEndpoint, deleteWebhookEndpoint."""
import strawberry

from headless_store.events import services

from ..context import Info
from ..errors import AccountError
from ..fields import Input, mutation
from .types import WebhookEndpoint


@strawberry.input(description="Register a URL for signed events.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description="http(s) URL that receives POSTs.")
    event_types: list[str] = strawberry.field(default_factory=list, description="Types to send; empty: all.")
    description: str = strawberry.field(default="", description="What it is for.")


@strawberry.input(description="Change an endpoint; omitted fields stay as they are.")
class UpdateWebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint.")
    url: str | None = strawberry.field(default=None, description="New URL.")
    event_types: list[str] | None = strawberry.field(default=None, description="New event types; empty: all.")
    description: str | None = strawberry.field(default=None, description="New description.")
    is_active: bool | None = strawberry.field(default=None, description="Pause (false) or resume (true).")


@strawberry.input(description="Remove an endpoint and its delivery log.")
class DeleteWebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint.")


@strawberry.type(description="The result of a webhook endpoint operation.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(default=None, description="The endpoint as it is now.")
    errors: list[AccountError] = strawberry.field(default_factory=list, description="Why nothing changed, if so.")


@strawberry.type
class WebhookMutations:
    @mutation("create_webhook_endpoint", description="Register a webhook endpoint; its signing secret is in the "
                                                     "answer, once.")
    def create_webhook_endpoint(self, info: Info, input: Input[CreateWebhookEndpointInput]) -> WebhookEndpointPayload:
        endpoint = services.create_endpoint(staff=info.context.request.user, url=input.url,
                                            event_types=input.event_types, description=input.description)
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint, with_secret=True))

    @mutation("update_webhook_endpoint", description="Change a webhook endpoint, or pause it.")
    def update_webhook_endpoint(self, info: Info, input: Input[UpdateWebhookEndpointInput]) -> WebhookEndpointPayload:
        endpoint = services.update_endpoint(input.endpoint_id, url=input.url, event_types=input.event_types,
                                            description=input.description, is_active=input.is_active)
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint))

    @mutation("delete_webhook_endpoint", description="Remove a webhook endpoint and its delivery log.")
    def delete_webhook_endpoint(self, info: Info, input: Input[DeleteWebhookEndpointInput]) -> WebhookEndpointPayload:
        services.delete_endpoint(input.endpoint_id)
        return WebhookEndpointPayload()
