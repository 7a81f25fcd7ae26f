"""Registering webhook endpoints (the dashboard and the staff API share these)."""
import ipaddress
import re
import socket
from urllib.parse import urlsplit

from django.db import transaction

from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.inputs import parse_pk

from .exceptions import WebhookEndpointNotFound
from .models import WebhookEndpoint
from .registry import event_types as known_event_types

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def check_url(url, *, addresses: bool = True) -> str:
    """An endpoint URL webhooks may use: http(s), ASCII, no spaces or control characters, no user:password,
    a valid port, a DNS name or a canonical IP address, and if an address, a public one (or one in
    WEBHOOK_ALLOWED_NETWORKS). Names are not resolved here: every delivery checks the addresses it
    connects to (outbound.py), which also refuses IP literals (`addresses=False` skips that here).
    Raises InvalidInput naming `url`."""
    from .outbound import BlockedAddress, check_address

    def refuse(why: str):
        raise InvalidInput(f"Give an http or https URL (at most 500 characters): {why}", field="url")

    url = str(url)
    if len(url) > 500:
        refuse("this one is too long.")
    if not url.isascii() or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        refuse("spaces, control characters and non-ASCII characters are not allowed (use punycode for names).")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        refuse("its port or address is malformed.")
    if parts.scheme.lower() not in ("http", "https"):
        refuse("only http and https are allowed.")
    if "@" in parts.netloc:
        refuse("a user name or password in the URL is not allowed.")
    host = parts.hostname or ""
    if not host:
        refuse("it has no host.")
    if port is not None and not 0 < port < 65536:
        refuse("its port is out of range.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
        if ":" in host or "%" in host:
            refuse("its IPv6 address is malformed.")
        try:
            socket.inet_aton(host)
            refuse("write an IPv4 address as four decimal numbers (a.b.c.d).")
        except OSError:
            pass
        labels = host.rstrip(".").split(".")
        if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
            refuse("its host is not a valid name.")
    if address is not None and addresses:
        try:
            check_address(address)
        except BlockedAddress:
            refuse("webhooks may only reach public addresses.")
    return url


def _check(url=None, event_types=None, description=None) -> None:
    if url is not None:
        check_url(url)
    if event_types is not None:
        unknown = sorted(set(event_types) - set(known_event_types()))
        if unknown:
            raise InvalidInput(f"Unknown event types: {', '.join(unknown)}. Known: {', '.join(known_event_types())}.",
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
        raise WebhookEndpointNotFound("No such webhook endpoint.", field="endpoint_id")
    return endpoint
