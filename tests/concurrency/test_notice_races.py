"""Expiry notices racing on PostgreSQL: sweeps on several workers at once announce and e-mail each
expiring lot exactly once."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.utils import timezone

from headless_store.events.models import Event
from headless_store.ledger import core, facade, lots, periodic
from headless_store.ledger.models import LotNotice
from headless_store.ledger.services.notices import announce_expiring_lots, send_notice_emails
from tests.factories import AccountFactory, UserFactory

from .test_races import race

pytestmark = pytest.mark.postgres


def expiring_lots(count):
    for i in range(count):
        wallet = AccountFactory(primary_user=UserFactory())
        facade.transfer(core.bank_account(), wallet, D("10.00"),
                        lot=lots.Credit(expires_at=timezone.now() + timedelta(days=2, hours=i)))


@pytest.mark.parametrize("rounds", range(3))
def test_concurrent_sweeps_announce_and_email_each_lot_once(chart, settings, rounds):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    expiring_lots(6)

    results = race(4, lambda i: periodic.sweep())

    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["lots_announced"] for r in results) == 6
    assert sum(r["notice_emails_sent"] for r in results) == 6
    assert Event.objects.filter(type="credit.expiring_soon").count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        LotNotice.objects.values_list("lot__account__primary_user__email", flat=True))
    assert set(LotNotice.objects.values_list("email_status", flat=True)) == {"SENT"}


def test_concurrent_senders_send_each_pending_email_once(chart, settings):
    settings.ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
    expiring_lots(8)
    assert announce_expiring_lots() == 8

    results = race(4, lambda i: send_notice_emails())

    assert sum(r["sent"] for r in results) == 8 and len(mail.outbox) == 8
    assert len({m.to[0] for m in mail.outbox}) == 8
