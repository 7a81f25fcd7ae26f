"""The card checkout racing and failing on PostgreSQL: two checkouts holding one wallet, two
payments of one checkout, payment against the expiry sweep and against cancellation, a database
error while capturing, and a worker killed mid-payment. Afterwards no money is held for ever and
none is taken without a paid order."""
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from oscarapi.basket.operations import store_basket_in_session

from headless_store.checkout import card, exceptions
from headless_store.checkout.accounts import CheckoutDetails
from headless_store.checkout.allocation import PaymentSourceRequest
from headless_store.checkout.gateways import sandbox
from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.ledger import facade
from headless_store.ledger.models import Account, Hold
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import country  # noqa: F401 (fixture)
from tests.tasks import run_tasks

from .test_races import race

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ADDRESS = {"first_name": "Ada", "last_name": "Lovelace", "line1": "1 Row", "line4": "London", "postcode": "N1 9GU",
           "country": "GB"}


@pytest.fixture(autouse=True)
def _ships_to_gb(country):  # noqa: F811 (the fixture imported above)
    """Every checkout here delivers to GB (the API tests' `country` fixture)."""


@pytest.fixture
def product(db):
    return create_product(title="Kettle", price=D("45.00"), num_in_stock=100)


def request_of(user, basket=None):
    request = RequestFactory().post("/graphql/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if basket is not None:
        store_basket_in_session(basket, request.session)  # a guest's basket is the session's
    return request


def start(user, product, wallet=None, code=None, quantity=1):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    basket.add_product(product, quantity)
    payments = [PaymentSourceRequest(account_id=wallet.pk)] if wallet else []
    payments += [PaymentSourceRequest(code=code)] if code else []
    return card.start_card_checkout(
        request=request_of(user, basket), basket_id=basket.pk, payments=payments,
        details=CheckoutDetails(shipping_address=ADDRESS, guest_email=None if user else "guest@example.com"),
    ).checkout


def pay(user, checkout, number=sandbox.APPROVED):
    return card.pay_card_checkout(request=request_of(user), token=checkout.token, card_token=number)


def assert_nothing_stuck(wallet):
    """Every checkout is PAID with its holds captured and its card charged once, or ended with
    its holds released and no live card authorisation; the ledger reconciles."""
    run_tasks()  # the workers' card captures
    for checkout in CardCheckout.objects.select_related("order"):
        holds = Hold.objects.filter(merchant_reference=checkout.order.number)
        charges = SandboxCharge.objects.filter(order_reference=checkout.order.number)
        if checkout.status == CardCheckout.Status.PAID:
            assert all(h.status == Hold.Status.CAPTURED for h in holds)
            assert checkout.order.status == "Pending"
            assert [c.status for c in charges.exclude(status=SandboxCharge.Status.VOIDED)] == ["CAPTURED"]
        else:
            assert checkout.status in CardCheckout.ENDED, checkout.status
            assert not holds.filter(status=Hold.Status.PENDING).exists()
            assert checkout.order.status == "Cancelled"
            assert not charges.exclude(status=SandboxCharge.Status.VOIDED).exists()
    fresh = Account.objects.get(pk=wallet.pk)
    pending = sum(h.amount for h in Hold.objects.filter(source=wallet, status=Hold.Status.PENDING))
    assert fresh.held == pending and fresh.balance - fresh.held >= 0
    assert ledger_health().ok


def test_two_checkouts_holding_one_wallet_never_hold_more_than_it_has(chart, product):
    alice = UserFactory()
    wallet = AccountFactory(primary_user=alice, funded=D("30.00"))
    results = race(4, lambda i: start(alice, product, Account.objects.get(pk=wallet.pk)))
    started = [r for r in results if isinstance(r, CardCheckout)]
    assert started, results
    assert sum(c.ledger_amount for c in started) <= D("30.00")
    assert all(isinstance(r, (CardCheckout, Exception)) for r in results)
    for checkout in started:
        pay(alice, checkout)
    assert Account.objects.get(pk=wallet.pk).balance == D("30.00") - sum(c.ledger_amount for c in started)
    assert_nothing_stuck(wallet)


@pytest.mark.parametrize("rounds", range(3))
def test_two_payments_of_one_checkout_charge_the_card_once(chart, product, rounds):
    alice = UserFactory()
    wallet = AccountFactory(primary_user=alice, funded=D("20.00"))
    checkout = start(alice, product, wallet)
    results = race(2, lambda i: pay(alice, checkout))
    paid = [r for r in results if isinstance(r, card.CardCheckoutResult)]
    assert paid and all(isinstance(r, (card.CardCheckoutResult, exceptions.CheckoutInProgress)) for r in results)
    assert SandboxCharge.objects.count() == 1
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00")
    assert_nothing_stuck(wallet)


@pytest.mark.parametrize("rival", ["sweep", "cancel"])
@pytest.mark.parametrize("rounds", range(3))
def test_payment_against_the_sweep_or_cancellation_one_outcome_wins(chart, product, rival, rounds):
    alice = UserFactory()
    wallet = AccountFactory(primary_user=alice, funded=D("20.00"))
    checkout = start(alice, product, wallet)
    if rival == "sweep":  # the checkout expires right as the shopper pays
        CardCheckout.objects.filter(pk=checkout.pk).update(expires_at=timezone.now() + timedelta(milliseconds=20))
        Hold.objects.filter(merchant_reference=checkout.order.number).update(
            expires_at=timezone.now() + timedelta(milliseconds=20))

    def act(i):
        if i == 0:
            return pay(alice, checkout)
        if rival == "sweep":
            time.sleep(0.02)
            return card.sweep_card_checkouts()
        return card.cancel_card_checkout(request=request_of(alice), token=checkout.token)

    race(2, act)
    assert_nothing_stuck(wallet)
    final = CardCheckout.objects.get(pk=checkout.pk).status
    balance = Account.objects.get(pk=wallet.pk).balance
    assert (final, balance) in {(CardCheckout.Status.PAID, D("0.00")), (CardCheckout.Status.EXPIRED, D("20.00")),
                                (CardCheckout.Status.CANCELLED, D("20.00"))}


def test_the_sweep_never_voids_the_card_of_a_payment_completing_under_it(chart, product, monkeypatch):
    """The sweep meets a checkout whose time is up while its payment is completing (the PAID update
    made, not committed): it waits for the row and leaves the paid order its card. (It voided the
    authorisation first and lost the row after, leaving a paid order with its card voided.)"""
    alice = UserFactory()
    wallet = AccountFactory(primary_user=alice, funded=D("20.00"))
    checkout = start(alice, product, wallet)
    CardCheckout.objects.filter(pk=checkout.pk).update(expires_at=timezone.now() + timedelta(seconds=2))
    swept = {}
    real_lines = card.paid_order_lines

    def lines_while_the_sweep_runs(order):  # inside _complete, after AUTHORISING -> PAID
        def sweep():
            try:
                swept["result"] = card.sweep_card_checkouts(at=timezone.now() + timedelta(minutes=5))
            finally:
                connection.close()

        thread = threading.Thread(target=sweep)
        thread.start()
        thread.join(timeout=1.0)  # the sweep waits for this row (it voided the card at once before)
        swept["thread"] = thread
        return real_lines(order)

    monkeypatch.setattr(card, "paid_order_lines", lines_while_the_sweep_runs)
    assert pay(alice, checkout).checkout.status == CardCheckout.Status.PAID
    swept["thread"].join(timeout=30)
    assert swept["result"]["expired"] == 0
    assert_nothing_stuck(wallet)
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.CAPTURED


def test_a_database_error_while_capturing_leaves_nothing_taken(chart, product, monkeypatch):
    alice = UserFactory()
    wallet = AccountFactory(primary_user=alice, funded=D("20.00"))
    checkout = start(alice, product, wallet)

    def broken_capture(hold, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(facade, "capture", broken_capture)
    with pytest.raises(OperationalError):
        pay(alice, checkout)
    assert CardCheckout.objects.get(pk=checkout.pk).status == CardCheckout.Status.EXPIRED
    assert Account.objects.get(pk=wallet.pk).balance == D("20.00")
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.VOIDED
    assert_nothing_stuck(wallet)


def test_a_worker_killed_mid_payment_loses_nothing(chart, product):
    """A real process pays with a slow card and is killed with SIGKILL while the processor is
    authorising; the sweep then voids the authorisation it made and releases the holds."""
    gift = issue_gift_card(amount=D("20.00"), currency="GBP")
    checkout = start(None, product, code=gift.code)
    assert Account.objects.get(pk=gift.account.pk).held == D("20.00")
    script = (
        "from django.contrib.auth.models import AnonymousUser\n"
        "from django.test import RequestFactory\n"
        "from headless_store.checkout import card\n"
        "r = RequestFactory().post('/'); r.user = AnonymousUser(); r.session = {}\n"
        f"card.pay_card_checkout(request=r, token={checkout.token!r}, card_token='4000000000003220')\n"
    )
    env = {**os.environ, "DATABASE_URL": _database_url(), "SANDBOX_SLOW_SECONDS": "30"}
    worker = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not SandboxCharge.objects.exists():  # authorised at the processor; the answer never comes back
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        worker.kill()
        worker.wait()
    assert CardCheckout.objects.get(pk=checkout.pk).status == CardCheckout.Status.AUTHORISING
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.AUTHORISED
    assert card.sweep_card_checkouts(at=timezone.now())["expired"] == 0  # not expired yet: maybe still running
    assert card.sweep_card_checkouts(at=timezone.now() + timedelta(minutes=16))["expired"] == 1
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.VOIDED
    assert Order.objects.get().status == "Cancelled"
    assert Hold.objects.get().status == Hold.Status.VOIDED
    assert_nothing_stuck(gift.account)


def _database_url() -> str:
    """The test database, for a separate process."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
