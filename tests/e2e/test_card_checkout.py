"""The demo SPA's "pay the rest by card" in a real browser, against the sandbox processor."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from headless_store.checkout.card import sweep_card_checkouts
from headless_store.checkout.gateways import sandbox
from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.ledger.models import Account, Hold
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.tasks import run_tasks

from .conftest import screenshot
from .test_demo_spa import add_to_basket, fill_address

pytestmark = pytest.mark.postgres

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def guest_pays(page, code, card_number):
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    expect(page.locator("#basket-total")).to_have_text("£45.00")
    page.fill("#guestEmail", "guest@example.com")
    page.fill("#giftCode", code)
    page.check("#payByCard")
    page.fill("#cardNumber", card_number)
    fill_address(page)
    page.click("#pay-button")


def test_gift_card_and_card_pay_an_order(page, shop):
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    guest_pays(page, card.code, "4242 4242 4242 4242")
    confirmation = page.locator("#confirmation")
    expect(confirmation).to_contain_text("Paid £45.00")
    expect(confirmation.locator("#paid-with tr")).to_have_text(["Gift card£20.00", "Visa ending 4242£25.00"])
    screenshot(page, "card-checkout-confirmation.png")
    assert Account.objects.get(pk=card.account.pk).balance == D("0.00")
    assert Order.objects.get().status == "Pending"
    run_tasks()  # the worker captures the card
    assert SandboxCharge.objects.get().captured == D("25.00")
    assert ledger_health().ok


def test_a_declined_card_leaves_the_gift_card_whole(page, shop):
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    guest_pays(page, card.code, sandbox.DECLINED)
    expect(page.locator("#notice")).to_contain_text("Your card was declined. Nothing was taken from your accounts")
    expect(page.locator("#pay-button")).to_be_enabled()
    fresh = Account.objects.get(pk=card.account.pk)
    assert (fresh.balance, fresh.held) == (D("20.00"), D("0.00"))
    assert Order.objects.get().status == "Cancelled"
    # The shopper tries another card from the same page: a new checkout of the same basket.
    page.fill("#cardNumber", "5555 5555 5555 4444")
    page.click("#pay-button")
    expect(page.locator("#paid-with tr")).to_have_text(["Gift card£20.00", "Mastercard ending 4444£25.00"])
    assert Account.objects.get(pk=card.account.pk).balance == D("0.00")
    assert ledger_health().ok


def test_an_abandoned_checkout_releases_its_hold_when_it_expires(page, shop):
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    guest_pays(page, card.code, sandbox.TRY_AGAIN)  # the bank asks to retry; the shopper walks away
    expect(page.locator("#notice")).to_contain_text("Your bank asks you to try again")
    assert Account.objects.get(pk=card.account.pk).held == D("20.00")
    assert Basket.objects.get().status == Basket.FROZEN
    page.close()
    assert sweep_card_checkouts(at=timezone.now() + timedelta(minutes=16))["expired"] == 1
    fresh = Account.objects.get(pk=card.account.pk)
    assert (fresh.balance, fresh.held) == (D("20.00"), D("0.00"))
    assert Hold.objects.get().status == Hold.Status.VOIDED
    assert CardCheckout.objects.get().status == CardCheckout.Status.EXPIRED
    assert Order.objects.get().status == "Cancelled" and Basket.objects.get().status == Basket.OPEN
    assert ledger_health().ok
