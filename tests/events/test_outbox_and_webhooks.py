"""The outbox and webhooks: events written with the money, delivered by the task engine's
worker, signed per Standard Webhooks, retried with backoff, once per event id."""
import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook
from werkzeug import Response

from headless_store.events import tasks
from headless_store.events.models import Event, WebhookDelivery, WebhookEndpoint
from headless_store.ledger import core, exceptions, facade
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0


@pytest.fixture
def endpoint(httpserver):
    return WebhookEndpoint.objects.create(url=httpserver.url_for("/hooks"))


def received(httpserver):
    return [(request, response.status_code) for request, response in httpserver.log]


@pytest.mark.database_backend
def test_a_transfer_writes_its_event_alone_and_wakes_the_relay_after_commit(
        chart, redemptions, django_capture_on_commit_callbacks):
    wallet = AccountFactory(funded=D("10"))
    Event.objects.all().delete()
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks() as committed:
        posted = facade.transfer(wallet, redemptions, D("4.00"), merchant_reference="100007")
    assert not DBTaskResult.objects.exists()  # nothing but the event in the money's transaction
    event = Event.objects.get()
    assert event.type == "transfer.posted"
    assert event.data == {
        "reference": posted.reference, "source_account_id": wallet.pk, "destination_account_id": redemptions.pk,
        "amount": "4.00", "currency": "GBP", "merchant_reference": "100007", "description": None,
        "reverses": None, "created_at": posted.date_created.isoformat(),
    }
    assert event.dispatched_at is None
    for callback in committed:
        callback()
    assert DBTaskResult.objects.get().task_path == "headless_store.events.tasks.relay_events"


def test_a_refused_transfer_writes_no_event(chart, redemptions):
    wallet = AccountFactory(funded=D("10"))
    before = Event.objects.count(), DBTaskResult.objects.count()
    with pytest.raises(exceptions.InsufficientFunds):
        facade.transfer(wallet, redemptions, D("11.00"))
    assert (Event.objects.count(), DBTaskResult.objects.count()) == before


def test_each_money_movement_has_its_event_type(chart, redemptions):
    wallet = AccountFactory(funded=D("50"))
    Event.objects.all().delete()
    payment = facade.transfer(wallet, redemptions, D("10"))
    facade.reverse(payment, amount=D("4"))
    hold = facade.hold(wallet, redemptions, D("5"))
    facade.capture(hold, amount=D("3"))
    facade.void(facade.hold(wallet, redemptions, D("1")))
    issue_gift_card(amount=D("20"), currency="GBP")
    assert list(Event.objects.order_by("created_at").values_list("type", flat=True)) == [
        "transfer.posted", "transfer.reversed", "hold.placed", "transfer.posted", "hold.captured", "hold.placed",
        "hold.voided", "transfer.posted", "giftcard.issued",
    ]


def test_endpoints_get_signed_events_they_subscribed_to(chart, redemptions, httpserver):
    everything = WebhookEndpoint.objects.create(url=httpserver.url_for("/all"))
    holds_only = WebhookEndpoint.objects.create(url=httpserver.url_for("/holds"), event_types=["hold.placed"])
    WebhookEndpoint.objects.create(url=httpserver.url_for("/off"), is_active=False)
    httpserver.expect_request("/all", method="POST").respond_with_data("ok")
    httpserver.expect_request("/holds", method="POST").respond_with_data("ok")
    wallet = AccountFactory(funded=D("50"))
    run_tasks()  # the funding transfer's event
    httpserver.clear_log()
    facade.hold(wallet, redemptions, D("5"), merchant_reference="100042")
    run_tasks()
    paths = sorted(request.path for request, _status in received(httpserver))
    assert paths == ["/all", "/holds"]
    for request, _status in received(httpserver):
        endpoint = everything if request.path == "/all" else holds_only
        body = request.get_data(as_text=True)
        verified = Webhook(endpoint.secret).verify(body, dict(request.headers))  # raises if the signature is wrong
        assert verified["type"] == "hold.placed" and verified["data"]["merchant_reference"] == "100042"
        assert request.headers["webhook-id"] == verified["id"] == Event.objects.get(type="hold.placed").webhook_id
    assert WebhookDelivery.objects.filter(status="SUCCEEDED", event__type="hold.placed").count() == 2


def test_a_failing_endpoint_is_retried_with_backoff_and_gets_each_event_once(
        chart, redemptions, httpserver, endpoint, fast_retries):
    wallet = AccountFactory(funded=D("50"))
    run_tasks()
    Event.objects.all().delete()
    httpserver.clear_log()
    statuses = iter([500, 503, 200])
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(
        lambda request: Response("", status=next(statuses)))
    facade.transfer(wallet, redemptions, D("1.00"))
    run_tasks()
    attempts = received(httpserver)
    assert [status for _request, status in attempts] == [500, 503, 200]
    assert len({request.headers["webhook-id"] for request, _status in attempts}) == 1  # one event id throughout
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("SUCCEEDED", 3, 200)
    run_tasks()  # nothing more is sent once it succeeded
    tasks.requeue_stale_deliveries(at=delivery.next_attempt_at + timedelta(days=1))
    run_tasks()
    assert len(received(httpserver)) == 3


def test_an_endpoint_that_keeps_failing_is_given_up_on_and_never_blocks_payments(
        chart, redemptions, settings, fast_retries):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/nothing-listens-here")
    wallet = AccountFactory(funded=D("50"))
    payment = facade.transfer(wallet, redemptions, D("5.00"))  # committed whatever the endpoint does
    run_tasks()
    assert all(d.status == "FAILED" and d.attempts == 3 and d.last_error for d in WebhookDelivery.objects.all())
    assert facade.Transfer.objects.filter(pk=payment.pk).exists()
    assert core.redemptions_account().balance == D("5.00")


@pytest.mark.parametrize("attempts, seconds", [(1, 10), (2, 20), (3, 40), (8, 1280), (30, 6 * 3600)])
def test_backoff_doubles_and_is_capped(attempts, seconds):
    assert tasks.backoff(attempts) == timedelta(seconds=seconds)


@pytest.mark.database_backend
def test_the_maintenance_chain_schedules_one_next_run(chart):
    DBTaskResult.objects.all().delete()
    assert tasks.schedule_maintenance() is True
    assert tasks.schedule_maintenance() is False  # one waiting already
    run_worker_once = DBTaskResult.objects.get(task_path=tasks.MAINTENANCE)
    run_tasks(max_tasks=1)
    run_worker_once.refresh_from_db()
    assert run_worker_once.status == "SUCCESSFUL"
    waiting = DBTaskResult.objects.filter(task_path=tasks.MAINTENANCE, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after is not None


def test_event_payloads_are_json(chart, redemptions):
    wallet = AccountFactory(funded=D("10"))
    facade.transfer(wallet, redemptions, D("1.00"))
    for event in Event.objects.all():
        json.dumps(event.data)
        assert json.loads(tasks.payload_of(event))["id"] == event.webhook_id
