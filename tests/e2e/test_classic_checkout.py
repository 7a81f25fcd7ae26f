"""Oscar's own server-rendered checkout, paid from the ledger, in a real browser: a gift card plus
store credit pay an order; when placement fails after the preview, nothing is taken."""
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model
from playwright.sync_api import expect

from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.postgres

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


@pytest.fixture
def customer(db):
    return UserFactory(first_name="Ada", last_name="Lovelace")


def signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def to_payment_step(page, product):
    page.goto(product.get_absolute_url())
    page.click("#add_to_basket_form button[type=submit]")
    page.goto("/checkout/")
    form = page.locator("#new_shipping_address")
    form.locator("#id_first_name").fill("Ada")
    form.locator("#id_last_name").fill("Lovelace")
    form.locator("#id_line1").fill("12 Analytical Row")
    form.locator("#id_line4").fill("London")
    form.locator("#id_postcode").fill("N1 9GU")
    if form.locator("select#id_country").count():  # one shipping country: Oscar hides the field
        form.locator("select#id_country").select_option("GB")
    form.locator("button[type=submit]").click()
    expect(page.locator("#ledger-payment-form")).to_be_visible()  # one shipping method: chosen for us


def test_a_gift_card_and_store_credit_pay_through_oscars_checkout(page, live_server, shop, customer):
    wallet = AccountFactory(name="Store credit", primary_user=customer, funded=D("30.00"))
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    signed_in(page, live_server, customer)
    to_payment_step(page, shop["kettle"])
    expect(page.locator("#pay-from-accounts")).to_contain_text("Store credit (30.00 GBP available)")
    page.check(f"#pay-from-accounts input[value='{wallet.pk}']")
    page.fill("#id_codes", card.code)
    screenshot(page, "classic-checkout-payment.png")
    page.click("#view_preview")
    summary = page.locator("#payment-summary")
    expect(summary).to_contain_text("Store credit: £30.00 (held)")
    expect(summary).to_contain_text("£15.00 (held)")
    assert Account.objects.get(pk=wallet.pk).held == D("30.00") and not Order.objects.exists()
    page.click("#place-order")
    expect(page.locator("p.lead")).to_contain_text("your order number is")
    screenshot(page, "classic-checkout-thank-you.png")
    order = Order.objects.get()
    assert (Account.objects.get(pk=wallet.pk).balance, Account.objects.get(pk=card.account.pk).balance) == (
        D("0.00"), D("5.00"))
    assert sum(t.amount for t in Transfer.objects.filter(merchant_reference=order.number)) == D("45.00")
    assert not Hold.objects.filter(status=Hold.Status.PENDING).exists() and ledger_health().ok


def test_placement_failing_after_the_preview_takes_nothing(page, live_server, shop, customer):
    wallet = AccountFactory(name="Store credit", primary_user=customer, funded=D("30.00"))
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    signed_in(page, live_server, customer)
    to_payment_step(page, shop["kettle"])
    page.check(f"#pay-from-accounts input[value='{wallet.pk}']")
    page.fill("#id_codes", card.code)
    page.click("#view_preview")
    expect(page.locator("#payment-summary")).to_contain_text("(held)")
    Account.objects.filter(pk=wallet.pk).update(status=Account.FROZEN)  # staff freeze it meanwhile
    page.click("#place-order")
    expect(page.locator(".alert-danger")).to_be_visible()
    screenshot(page, "classic-checkout-placement-failed.png")
    assert not Order.objects.exists()
    for account, balance in ((wallet, D("30.00")), (card.account, D("20.00"))):
        fresh = Account.objects.get(pk=account.pk)
        assert (fresh.balance, fresh.held) == (balance, D("0.00"))
    assert Basket.objects.get(owner=customer).status == Basket.OPEN and ledger_health().ok
