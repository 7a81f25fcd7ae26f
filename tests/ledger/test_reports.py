"""Deferred income and profit/loss against a ledger built with known answers."""
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from django.utils import timezone

from headless_store.ledger import core, facade
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.reports import deferred_income_report, profit_loss_report
from headless_store.ledger.services.expiry import close_expired_accounts
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def moment(day, hour=12):
    return timezone.make_aware(dt.datetime(2026, 1, 1, hour) + dt.timedelta(days=day - 1))


@contextmanager
def at(instant, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: instant)
    yield
    monkeypatch.undo()


@pytest.fixture
def ledger(chart, monkeypatch):
    """Jan 10: cards A (100 from the bank, no expiry) and B (50 from unpaid sources, expires
    Feb 1), points W (30 from promotions, expires Jun 1). Jan 15: A pays 40 and gets 10 back,
    W pays 5, B returns 20 to the bank."""
    with at(moment(10), monkeypatch):
        card_a = AccountFactory(name="A", type_code="gift_cards")
        card_b = AccountFactory(name="B", type_code="gift_cards", end_date=timezone.make_aware(dt.datetime(2026, 2, 1)))
        points = AccountFactory(name="W", type_code="loyalty_points", end_date=timezone.make_aware(dt.datetime(2026, 6, 1)))
        facade.transfer(core.bank_account(), card_a, D("100"))
        facade.transfer(core.unpaid_source_account(), card_b, D("50"))
        facade.transfer(core.promotions_account(), points, D("30"))
    with at(moment(15), monkeypatch):
        payment = facade.transfer(card_a, core.redemptions_account(), D("40"))
        facade.reverse(payment, amount=D("10"))
        facade.transfer(points, core.redemptions_account(), D("5"))
        facade.transfer(card_b, core.bank_account(), D("20"))
    return {"A": card_a, "B": card_b, "W": points}


def rows(report):
    return {(r.account_type, r.currency): r for r in report.rows}


def test_deferred_income_at_the_end_of_a_day_aged_by_expiry(ledger):
    report = rows(deferred_income_report(dt.date(2026, 1, 15)))
    cards, points = report[("Gift cards", "GBP")], report[("Loyalty points", "GBP")]
    assert (cards.accounts, cards.total) == (2, D("100"))
    assert (cards.buckets["no_expiry"].accounts, cards.buckets["no_expiry"].total) == (1, D("70"))
    assert (cards.buckets["within_30"].accounts, cards.buckets["within_30"].total) == (1, D("30"))
    assert (points.buckets["over_90"].accounts, points.buckets["over_90"].total) == (1, D("25"))


def test_an_earlier_date_sees_earlier_balances(ledger):
    report = deferred_income_report(dt.date(2026, 1, 10))
    assert report.totals() == {"GBP": D("180")}
    assert deferred_income_report(dt.date(2026, 1, 9)).rows == []


def test_profit_and_loss_over_a_month(ledger):
    report = profit_loss_report(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "GBP")
    assert report.lines == {
        "loaded_from_bank": D("100"), "loaded_from_unpaid": D("50"), "promotions": D("30"),
        "redemptions": D("45"), "refunds": D("10"), "lapsed": D("0"), "withdrawals": D("20"),
    }
    assert report.net == D("5")  # 45 redeemed - 10 refunded + 0 lapsed - 30 promotions


def test_the_date_range_is_inclusive_by_day(ledger):
    assert profit_loss_report(dt.date(2026, 1, 15), dt.date(2026, 1, 15), "GBP").lines["redemptions"] == D("45")
    assert profit_loss_report(dt.date(2026, 1, 16), dt.date(2026, 1, 31), "GBP").lines["redemptions"] == 0
    assert profit_loss_report(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "EUR").net == 0


def test_the_expiry_sweep_moves_the_lapsed_amount_from_deferred_income_to_income(ledger, monkeypatch):
    before = rows(deferred_income_report(dt.date(2026, 2, 1)))[("Gift cards", "GBP")]
    assert before.buckets["expired"].total == D("30")  # B expired at midnight, still owed
    with at(moment(33), monkeypatch):  # Feb 2
        sweep = close_expired_accounts()
    assert [a.name for a, _ in sweep.closed] == ["B"]
    after = rows(deferred_income_report(dt.date(2026, 2, 2)))[("Gift cards", "GBP")]
    assert after.total == D("70") and after.buckets["expired"].accounts == 0
    february = profit_loss_report(dt.date(2026, 2, 1), dt.date(2026, 2, 28), "GBP")
    assert february.lines["lapsed"] == D("30") and february.net == D("30")
    assert Account.objects.get(name="B").is_closed()
