"""Operating the shop: request ids in every log line and response, health endpoints, and the
ledger's Prometheus counters (next to django-prometheus' request and database metrics).

`/metrics` answers only a scraper that shows METRICS_TOKEN as a bearer token or calls from
METRICS_ALLOWED_NETWORKS (the client's address behind TRUSTED_PROXY_COUNT proxies); with neither
configured it is open with DEBUG only, else a 404. Under gunicorn every process writes its metrics
into PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py) and `/metrics` adds them all up, task workers'
included when they share the directory.
"""
import contextvars
import hmac
import ipaddress
import logging
import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter

from .network import client_ip

_request_id = contextvars.ContextVar("request_id", default="-")

TRANSFERS = Counter("ledger_transfers_total", "Transfers posted, by currency and kind.", ["currency", "kind"])
REFUSALS = Counter("api_refusals_total", "Operations the API refused, by error code.", ["code"])


def request_id_of(request) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh one (logs and errors quote it)."""
    if not hasattr(request, "request_id"):
        given = request.headers.get("X-Request-ID", "")
        sane = 0 < len(given) <= 64 and all(c.isalnum() or c in "._-" for c in given) and given.isascii()
        request.request_id = given if sane else uuid.uuid4().hex
    return request.request_id


class RequestIdMiddleware:
    """Gives each request an id, puts it in every log record of the request and in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_id.set(request_id_of(request))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to log records ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def liveness(request):
    """The process answers: no database, no cache (a load balancer restarts what fails this)."""
    return JsonResponse({"status": "ok"})


def metrics(request):
    """Prometheus' scrape, for the configured scraper only (never public with DEBUG off)."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        if settings.DEBUG:
            return ExportToDjangoView(request)
        return HttpResponse("Not Found", status=404, content_type="text/plain")
    if _shows_token(request, token) or _from_networks(request, networks):
        return ExportToDjangoView(request)
    return HttpResponse("Forbidden", status=403, content_type="text/plain")


def _shows_token(request, token: str | None) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _from_networks(request, networks) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def count_transfer(sender, transfer, **kwargs) -> None:
    TRANSFERS.labels(transfer.currency, "reversal" if transfer.parent_id else "transfer").inc()


def count_refusal(code: str) -> None:
    REFUSALS.labels(code).inc()
