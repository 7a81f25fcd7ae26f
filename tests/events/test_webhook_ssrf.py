"""Webhooks cannot reach inside: URLs are checked when registered, every address is checked when
connecting (the one connected to is the one checked), redirects are not followed, and failures are
recorded as categories. Receivers are pytest-httpserver on loopback, let through only by
WEBHOOK_ALLOWED_NETWORKS; nothing here sends a packet anywhere else (tests/conftest.py guards it)."""
import socket

import pytest
from django.utils import timezone
from werkzeug import Response

from headless_store.events import outbound, services
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from headless_store.events.tasks import deliver_webhook
from headless_store.ledger.exceptions import InvalidInput
from tests.tasks import run_tasks

INTERNAL = [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://169.254.169.254/latest/meta-data",
    "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/", "http://0.0.0.0/",
    "http://[::]/", "http://224.0.0.1/", "http://[ff02::1]/", "http://100.64.0.1/", "http://[fe80::1]/",
    "http://[fd00::1]/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a9fe:a9fe]/", "http://255.255.255.255/",
    "http://[fe80::1%25eth0]/",
]
NON_CANONICAL = {"http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/"}
MALFORMED = [
    "http://a b/", "http://hooks.example.com/\r\nX-Injected: 1", "http://hooks.example.com/\nx", "http://hooks.example.com:99999/",
    "http://hooks.example.com:0/", "http://hooks.example.com:http/", "http:///path", "http://user:secret@hooks.example.com/",
    "http://@hooks.example.com/", "ftp://hooks.example.com/x", "file:///etc/passwd", "gopher://hooks.example.com/",
    "javascript:alert(1)", "hooks.example.com/x", "http://héllo.example.com/", "http://-bad-.example.com/",
    "http://[::1/", "http://hooks.example.com\t/",
]
TOO_LONG = "http://" + "a" * 490 + ".com/"


@pytest.fixture
def nothing_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []


def deliver(url: str) -> WebhookDelivery:
    """Deliver one event to `url` as a stored endpoint (as one registered before these checks existed)."""
    endpoint = WebhookEndpoint.objects.create(url=url)
    event = Event.objects.create(type="transfer.posted", data={"amount": "1.00"},
                                 dispatched_at=timezone.now())  # dispatched here, by hand: not the relay's
    delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint)
    deliver_webhook.enqueue(delivery.pk)
    run_tasks()
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("url", INTERNAL + MALFORMED + [TOO_LONG])
def test_internal_and_malformed_urls_are_refused_at_registration(db, nothing_allowed, url):
    with pytest.raises(InvalidInput) as refused:
        services.create_endpoint(staff=None, url=url)
    assert refused.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", ["https://hooks.example.com/in", "http://erp.shop.example:8443/x?y=1",
                                 "https://93.184.216.34/hooks", "https://[2606:4700::1111]/"])
def test_public_urls_are_accepted(db, nothing_allowed, url):
    assert services.create_endpoint(staff=None, url=url).url == url


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_blocked_at_connect_time_before_any_packet(db, nothing_allowed, outbound_connections, url):
    delivery = deliver(url)
    assert (delivery.status, delivery.attempts) == ("FAILED", 1)  # given up at once
    # Names in odd numeric forms (2130706433, 0x7f.1) are refused as URLs; the rest by their address.
    assert delivery.last_error == ("invalid URL" if url in NON_CANONICAL else "blocked address")
    assert outbound_connections == []  # refused before connecting


@pytest.mark.parametrize("url", MALFORMED)
def test_an_unusable_stored_url_fails_at_once_as_invalid(db, nothing_allowed, outbound_connections, url):
    delivery = deliver(url)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("FAILED", 1, None)
    assert delivery.last_error == "invalid URL"
    assert outbound_connections == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_at_connect_time_unless_allowlisted(db, settings, httpserver, host):
    """The same live receiver: blocked without the allowlist (nothing arrives), reached with it."""
    httpserver.expect_request("/hooks", method="POST").respond_with_data("ok")
    url = f"http://{host}:{httpserver.port}/hooks"
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    assert deliver(url).last_error == "blocked address"
    assert httpserver.log == []
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    delivery = deliver(url)
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == ("SUCCEEDED", 200, "")
    assert [request.headers["Host"] for request, _response in httpserver.log] == [f"{host}:{httpserver.port}"]


def test_a_name_with_any_internal_address_is_refused_and_nothing_is_connected(
        db, nothing_allowed, monkeypatch, outbound_connections):
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
    monkeypatch.setattr(outbound, "getaddrinfo", lambda *args, **kwargs: answers)
    delivery = deliver("https://hooks.example.com/in")
    assert (delivery.status, delivery.last_error) == ("FAILED", "blocked address")
    assert outbound_connections == []


def test_dns_rebinding_cannot_pass_the_connection_goes_to_the_checked_address(
        db, nothing_allowed, monkeypatch, outbound_connections, settings):
    """The resolver answers a public address, then loopback: the name is resolved once per attempt and
    the connection goes to the address that was checked (here refused by the suite's guard)."""
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    asked = []

    def rebinding(host, port, *args, **kwargs):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(outbound, "getaddrinfo", rebinding)
    delivery = deliver("http://rebind.example.com/in")
    assert asked == ["rebind.example.com"]
    assert outbound_connections == ["93.184.216.34"]
    assert delivery.last_error == "connection refused"


def test_redirects_are_not_followed_and_recorded_as_such(db, loopback_webhooks, settings, httpserver):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    httpserver.expect_request("/hooks").respond_with_response(
        Response("", status=302, headers={"Location": httpserver.url_for("/internal-admin")}))
    httpserver.expect_request("/internal-admin").respond_with_data("secret")
    delivery = deliver(httpserver.url_for("/hooks"))
    assert (delivery.status, delivery.last_status_code) == ("FAILED", 302)
    assert delivery.last_error == "HTTP 302 (redirects are not followed)"
    assert [request.path for request, _response in httpserver.log] == ["/hooks"]


@pytest.mark.parametrize("answer, category", [(500, "HTTP 500"), (404, "HTTP 404"), ("refused", "connection refused"),
                                              ("dns", "DNS failure"), ("tls", "TLS error"), ("timeout", "timeout"),
                                              ("closed", "connection closed")])
def test_failures_are_recorded_as_categories_without_internals(
        db, loopback_webhooks, settings, httpserver, answer, category):
    settings.WEBHOOK_MAX_ATTEMPTS, settings.WEBHOOK_TIMEOUT_SECONDS = 1, 0.5
    url = httpserver.url_for("/hooks")
    if isinstance(answer, int):
        httpserver.expect_request("/hooks").respond_with_data("", status=answer)
    elif answer == "refused":
        url = "http://127.0.0.1:9/hooks"  # discard: nothing listens
    elif answer == "dns":
        url = "http://hooks.invalid/in"
    elif answer == "tls":
        httpserver.expect_request("/hooks").respond_with_data("plain http")
        url = url.replace("http://", "https://")
    elif answer == "timeout":
        release = __import__("threading").Event()
        httpserver.expect_request("/hooks").respond_with_handler(lambda request: release.wait(10) and Response("late"))
    elif answer == "closed":
        import socket as sockets
        listener = sockets.create_server(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"
        __import__("threading").Thread(target=lambda: listener.accept()[0].close(), daemon=True).start()
    try:
        delivery = deliver(url)
    finally:
        if answer == "timeout":
            release.set()
    assert (delivery.status, delivery.last_error) == ("FAILED", category)
