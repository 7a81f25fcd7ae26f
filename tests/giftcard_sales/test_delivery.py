"""Delivery: failures are logged and retried, staff resend (re-keyed), and the code is stored nowhere."""
import datetime as dt
import logging
from decimal import Decimal as D

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from headless_store.giftcard_sales import exceptions, services
from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger import codes
from tests.checkout.test_pay import pay, source
from tests.factories import AccountFactory, UserFactory
from tests.tasks import run_tasks

from .conftest import add_gift_card
from .helpers import code_in, redeem

pytestmark = pytest.mark.django_db

DOWN = "tests.giftcard_sales.failing_mail.DownBackend"


@pytest.fixture
def bought(api, chart, customer, gift_cards, country):
    """A 50.00 card for bob@example.com, paid; its e-mail not yet sent."""
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    add_gift_card(api, gift_cards["50"], recipient_name="Bob", recipient_email="bob@example.com",
                  message="Enjoy")
    assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
    return GiftCardSale.objects.get()


def later(minutes):
    return freeze_time(timezone.now() + dt.timedelta(minutes=minutes))


def test_a_failed_send_is_logged_retried_and_then_sent(bought, settings):
    settings.EMAIL_BACKEND = DOWN
    run_tasks()
    bought.refresh_from_db()
    assert bought.status == "SCHEDULED"
    [failed] = bought.deliveries.all()
    assert (failed.status, failed.error, failed.to_email) == ("FAILED", "SMTPServerDisconnected", "bob@example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with later(5):
        run_tasks()
    bought.refresh_from_db()
    assert bought.status == "SENT" and [d.status for d in bought.deliveries.all()] == ["SENT", "FAILED"]
    assert mail.outbox[0].to == ["bob@example.com"]


def test_a_send_that_keeps_failing_is_given_up_for_staff_to_see(bought, settings):
    settings.EMAIL_BACKEND, settings.TASK_MAX_ATTEMPTS = DOWN, 1
    run_tasks()
    bought.refresh_from_db()
    assert bought.status == "FAILED"
    assert list(services.failed_deliveries()) == [bought]


def test_staff_resend_rekeys_the_card(bought, other_customer):
    staff = UserFactory(is_staff=True)
    run_tasks()
    first = code_in(mail.outbox[0])
    delivery = services.resend(sale_id=bought.pk, staff=staff, to_email="Robert@Example.com")
    assert (delivery.status, delivery.resent_by, delivery.to_email) == ("SENT", staff, "robert@example.com")
    second = code_in(mail.outbox[-2] if mail.outbox[-1].to != ["robert@example.com"] else mail.outbox[-1])
    assert second != first
    assert [e["code"] for e in redeem(other_customer, first)["errors"]] == ["INVALID_CODE"]
    assert redeem(other_customer, second)["errors"] == []
    bought.refresh_from_db()
    assert bought.recipient_email == "robert@example.com" and bought.deliveries.count() == 2


def test_a_failed_resend_leaves_the_code_the_recipient_has(bought, other_customer, settings):
    run_tasks()
    code = code_in(mail.outbox[0])
    settings.EMAIL_BACKEND = DOWN
    with pytest.raises(exceptions.GiftCardNotDeliverable, match="could not be sent"):
        services.resend(sale_id=bought.pk, staff=UserFactory(is_staff=True))
    assert redeem(other_customer, code)["errors"] == []


def test_a_spent_or_voided_card_is_not_resent(bought, other_customer):
    run_tasks()
    redeem(other_customer, code_in(mail.outbox[0]))
    with pytest.raises(exceptions.GiftCardNotDeliverable, match="spent or redeemed"):
        services.resend(sale_id=bought.pk, staff=UserFactory(is_staff=True))
    with pytest.raises(exceptions.GiftCardSaleNotFound):
        services.resend(sale_id="nope", staff=UserFactory(is_staff=True))


def test_a_lost_delivery_task_is_queued_again_by_the_sweep(bought):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the task row lost
    assert services.queue_due_deliveries() == 1
    assert services.queue_due_deliveries() == 0  # one is waiting now
    run_tasks()
    assert GiftCardSale.objects.get().status == "SENT"


def _everything_stored() -> str:
    """Every row of every table, as text."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_the_code_is_in_no_log_event_task_or_column(api, chart, customer, gift_cards, country, caplog, settings):
    settings.GIFT_CARD_PAY_FOR_GIFT_CARDS = True
    caplog.set_level(logging.DEBUG)
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    add_gift_card(api, gift_cards["25"], recipient_email="bob@example.com")
    pay(api, api.basket()["id"], [source(wallet)])
    run_tasks()
    sale = GiftCardSale.objects.get()
    services.resend(sale_id=sale.pk, staff=UserFactory(is_staff=True))
    sent = [code_in(m) for m in mail.outbox if m.to == ["bob@example.com"]]
    assert len(sent) == 2
    stored, logged = _everything_stored(), caplog.text
    for code in sent:
        for form in (code, codes.normalise(code), code.lower()):
            assert form not in stored and form not in logged
    assert codes.code_hash(sent[-1]) in stored  # what is kept: the hash
