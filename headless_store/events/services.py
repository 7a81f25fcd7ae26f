"""Registering webhook endpoints (the dashboard and the staff API share these)."""
from urllib.parse import urlsplit

from django.db import transaction

from headless_store.ledger.exceptions import AccountNotFound, InvalidInput
from headless_store.ledger.inputs import parse_pk

from .models import EVENT_TYPES, WebhookEndpoint


def _check(url=None, event_types=None, description=None) -> None:
    if url is not None:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
            raise InvalidInput("Give an http or https URL (at most 500 characters).", field="url")
    if event_types is not None:
        unknown = sorted(set(event_types) - set(EVENT_TYPES))
        if unknown:
            raise InvalidInput(f"Unknown event types: {', '.join(unknown)}. Known: {', '.join(EVENT_TYPES)}.",
                               field="event_types")
    if description is not None and len(description) > 200:
        raise InvalidInput("At most 200 characters.", field="description")


def create_endpoint(*, staff, url: str, event_types=(), description: str = "") -> WebhookEndpoint:
    """Register an endpoint; its signing secret is made here (show it to the staff member)."""
    _check(url, event_types, description)
    return WebhookEndpoint.objects.create(url=url, event_types=sorted(set(event_types)), description=description or "",
                                          created_by=staff)


def update_endpoint(endpoint_id, **changes) -> WebhookEndpoint:
    """Change an endpoint's url, event types, description or whether it is active."""
    changes = {name: value for name, value in changes.items() if value is not None}
    _check(changes.get("url"), changes.get("event_types"), changes.get("description"))
    with transaction.atomic():
        endpoint = find_endpoint(endpoint_id, lock=True)
        for name, value in changes.items():
            setattr(endpoint, name, sorted(set(value)) if name == "event_types" else value)
        endpoint.save()
    return endpoint


def delete_endpoint(endpoint_id) -> None:
    """Remove an endpoint and its delivery log."""
    find_endpoint(endpoint_id).delete()


def find_endpoint(endpoint_id, *, lock=False) -> WebhookEndpoint:
    endpoints = WebhookEndpoint.objects.select_for_update() if lock else WebhookEndpoint.objects
    pk = parse_pk(endpoint_id)
    endpoint = endpoints.filter(pk=pk).first() if pk is not None else None
    if endpoint is None:
        raise AccountNotFound("No such webhook endpoint.", field="endpoint_id")
    return endpoint
