"""Credit expiry notices: credit.expiring_soon once per lot and expiry date, credit.expired when a
lot lapses, each with its e-mail through Oscar's communication framework, and the customer's
opt-out."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from oscar.core.loading import get_model

from headless_store.events.models import Event
from headless_store.ledger import core, facade, lots, periodic
from headless_store.ledger.models import CreditEmailPreference, Lot, LotNotice
from headless_store.ledger.services.notices import announce_expiring_lots, send_notice_emails, set_expiry_emails
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db
Email = get_model("communication", "Email")


@pytest.fixture
def customer():
    return UserFactory(first_name="Ada")


def credit(account, amount, *, expires_in=None, category=None):
    expires_at = timezone.now() + expires_in if expires_in else None
    posted = facade.transfer(core.bank_account(), account, D(amount),
                             lot=lots.Credit(category=category, expires_at=expires_at))
    return Lot.objects.get(transfer=posted)


def events(event_type):
    return list(Event.objects.filter(type=event_type).order_by("created_at"))


def test_expiring_soon_is_announced_and_emailed_once_across_two_sweeps(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    wallet = AccountFactory(primary_user=customer)
    lot = credit(wallet, "12.00", expires_in=timedelta(days=10), category="promotional")
    credit(wallet, "5.00", expires_in=timedelta(days=40))  # not yet due
    credit(wallet, "7.00")  # never expires

    first, second = periodic.sweep(), periodic.sweep()

    assert (first["lots_announced"], first["notice_emails_sent"]) == (1, 1)
    assert (second["lots_announced"], second["notice_emails_sent"]) == (0, 0)
    [event] = events("credit.expiring_soon")
    assert event.data == {"lot_id": lot.pk, "account_id": wallet.pk, "user_id": customer.pk, "category": "promotional",
                          "amount": "12.00", "currency": "GBP", "expires_at": lot.expires_at.isoformat()}
    [message] = mail.outbox
    assert message.to == [customer.email]
    assert "12.00 GBP" in message.subject and lot.expires_at.strftime("%-d %B %Y") in message.subject
    assert "Hello Ada" in message.body and reverse("credit-emails") in message.body
    notice = LotNotice.objects.get()
    assert (notice.kind, notice.email_status, notice.email_attempts) == ("expiring_soon", "SENT", 1)
    assert Email.objects.filter(user=customer, subject=message.subject).count() == 1  # Oscar's e-mail history


def test_a_lot_pushed_out_to_a_new_expiry_is_announced_again_for_it(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    lot = credit(AccountFactory(primary_user=customer), "10.00", expires_in=timedelta(days=5))
    periodic.sweep()
    later = lot.expires_at + timedelta(days=3)
    Lot.objects.filter(pk=lot.pk).update(expires_at=later)  # what extend_on_load does for a new load

    periodic.sweep()
    periodic.sweep()

    assert [e.data["expires_at"] for e in events("credit.expiring_soon")] == [
        lot.expires_at.isoformat(), later.isoformat()]
    assert len(mail.outbox) == 2


def test_a_customer_who_opted_out_gets_the_event_but_no_email(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    set_expiry_emails(user=customer, wanted=False)
    credit(AccountFactory(primary_user=customer), "10.00", expires_in=timedelta(days=3))

    periodic.sweep()

    assert len(events("credit.expiring_soon")) == 1
    assert mail.outbox == []
    assert LotNotice.objects.get().email_status == "OPTED_OUT"


def test_opting_out_after_the_notice_but_before_its_email_is_respected(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    credit(AccountFactory(primary_user=customer), "10.00", expires_in=timedelta(days=3))
    announce_expiring_lots()
    set_expiry_emails(user=customer, wanted=False)

    send_notice_emails()

    assert mail.outbox == [] and LotNotice.objects.get().email_status == "OPTED_OUT"


def test_a_gift_card_without_an_owner_gets_the_event_and_no_email(chart, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    credit(AccountFactory(), "10.00", expires_in=timedelta(days=3))

    periodic.sweep()

    assert len(events("credit.expiring_soon")) == 1 and mail.outbox == []
    assert LotNotice.objects.get().email_status == "NO_ADDRESS"


def test_a_lapsed_lot_sends_credit_expired_once_with_its_email(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = None  # only the expiry itself here
    wallet = AccountFactory(primary_user=customer)
    lot = credit(wallet, "8.00", expires_in=timedelta(hours=1))
    facade.transfer(wallet, core.redemptions_account(), D("3.00"))

    with freeze_time(timezone.now() + timedelta(hours=2)):
        first, second = periodic.sweep(), periodic.sweep()

    assert (first["lots_lapsed"], second["lots_lapsed"]) == (1, 0)
    [event] = events("credit.expired")
    lapse = LotNotice.objects.get(kind="expired").transfer
    assert lapse.destination == core.lapsed_account()
    assert event.data == {"lot_id": lot.pk, "account_id": wallet.pk, "user_id": customer.pk, "category": "paid",
                          "amount": "5.00", "currency": "GBP", "expires_at": lot.expires_at.isoformat(),
                          "transfer": lapse.reference}
    [message] = mail.outbox
    assert "5.00 GBP" in message.subject and "expired" in message.subject


def test_an_account_past_its_end_date_sends_credit_expired_per_lot(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = None
    wallet = AccountFactory(primary_user=customer, end_date=timezone.now() + timedelta(hours=1))
    first, second = credit(wallet, "4.00"), credit(wallet, "6.00", expires_in=timedelta(days=30))

    with freeze_time(timezone.now() + timedelta(hours=2)):
        periodic.sweep()

    assert sorted((e.data["lot_id"], e.data["amount"]) for e in events("credit.expired")) == [
        (first.pk, "4.00"), (second.pk, "6.00")]
    assert len(mail.outbox) == 2


def test_a_failed_send_is_tried_again_by_the_next_sweep_then_given_up(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    settings.ACCOUNTS_NOTICE_EMAIL_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.ledger.test_notices.BrokenBackend"
    credit(AccountFactory(primary_user=customer), "10.00", expires_in=timedelta(days=3))

    assert periodic.sweep()["notice_emails_failed"] == 1
    notice = LotNotice.objects.get()
    assert (notice.email_status, notice.email_attempts, notice.email_error) == ("PENDING", 1, "ConnectionRefusedError")
    periodic.sweep()
    assert LotNotice.objects.get().email_status == "FAILED"
    assert periodic.sweep()["notice_emails_failed"] == 0
    assert len(events("credit.expiring_soon")) == 1  # the event went out once, whatever the mail did


def test_the_notice_email_can_be_overridden_in_oscars_dashboard(chart, customer, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    CommunicationEventType = get_model("communication", "CommunicationEventType")  # noqa: N806
    CommunicationEventType.objects.update_or_create(code="CREDIT_EXPIRING_SOON", defaults={
        "email_subject_template": "Use your {{ amount }} by {{ expires_at|date:'j M' }}",
        "email_body_template": "Hi {{ user.first_name }}"})
    lot = credit(AccountFactory(primary_user=customer), "10.00", expires_in=timedelta(days=3))

    periodic.sweep()

    [message] = mail.outbox
    assert message.subject == f"Use your 10.00 by {timezone.localtime(lot.expires_at):%-d %b}"
    assert message.body == "Hi Ada"


def test_the_email_types_are_in_oscars_dashboard(chart):
    from headless_store.ledger.services.notices import ensure_notice_email_types

    ensure_notice_email_types()  # what migration 0008 ran (a flushing test may have emptied the table)
    CommunicationEventType = get_model("communication", "CommunicationEventType")  # noqa: N806
    assert set(CommunicationEventType.objects.filter(code__startswith="CREDIT_").values_list("code", flat=True)) == {
        "CREDIT_EXPIRING_SOON", "CREDIT_EXPIRED"}


def test_the_customer_turns_expiry_emails_off_and_on_from_their_account(client, customer):
    client.force_login(customer)
    page = client.get(reverse("credit-emails"))
    assert page.status_code == 200 and b'name="expiry_emails"' in page.content and b"checked" in page.content

    client.post(reverse("credit-emails"), {})
    assert CreditEmailPreference.objects.get(user=customer).expiry_emails is False
    client.post(reverse("credit-emails"), {"expiry_emails": "on"})
    assert CreditEmailPreference.objects.get(user=customer).expiry_emails is True
    assert reverse("credit-emails").encode() in client.get(reverse("customer:profile-view")).content  # a tab


def test_the_preferences_page_needs_sign_in(client):
    response = client.get(reverse("credit-emails"))
    assert response.status_code == 302 and "login" in response["Location"]


class BrokenBackend:
    """A mail server that refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
