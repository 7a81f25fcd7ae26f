"""The demo SPA in a real browser: what the shopper sees, and what the ledger holds afterwards."""
import re
from decimal import Decimal as D

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from headless_store.ledger import core
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.postgres

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
PASSWORD = "correct horse battery"


@pytest.fixture
def alice(chart):
    return UserFactory(username="alice", email="alice@example.com")


def sign_in(page, user):
    page.goto("/demo/#/signin")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#signin-button")
    expect(page.locator("#who")).to_have_text(user.email)
    expect(page).to_have_url(re.compile(r"#/basket$"))  # the app goes to the basket after signing in
    expect(page.locator("h1")).to_have_text("Your basket")


def add_to_basket(page, upc):
    page.goto("/demo/#/")
    page.click(f"[data-testid=add-{upc}]")
    expect(page.locator("#notice")).to_have_text("Added to your basket.")


def fill_address(page, postcode="N1 9GU"):
    """The delivery address starts empty (no one's name in it); the shopper types theirs."""
    page.fill("#firstName", "Ada")
    page.fill("#lastName", "Lovelace")
    page.fill("#line1", "12 Analytical Row")
    page.fill("#line4", "London")
    page.fill("#postcode", postcode)
    page.select_option("#country", "GB")


def test_signed_in_checkout_pays_from_the_wallet(page, shop, alice):
    wallet = AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("100.00"))
    sign_in(page, alice)
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    expect(page.locator("#basket-total")).to_have_text("£45.00")
    expect(page.locator(".source:not(.option)")).to_contain_text("£100.00 available")
    fill_address(page)
    page.click("#pay-button")
    confirmation = page.locator("#confirmation")
    expect(confirmation).to_contain_text("is placed")
    expect(confirmation).to_contain_text("Paid £45.00")
    expect(confirmation.locator("#paid-with tr")).to_have_text(["Store credit (GBP)£45.00"])
    expect(confirmation.locator("#items tr")).to_have_text(["Pour-over kettle × 1£45.00"])
    expect(confirmation.locator("#address")).to_contain_text("Ada Lovelace, 12 Analytical Row, London N1 9GU")
    screenshot(page, "order-confirmation.png")
    order = Order.objects.get()
    assert order.user == alice and order.total_incl_tax == D("45.00")
    assert Account.objects.get(pk=wallet.pk).balance == D("55.00")
    assert core.redemptions_account().balance == D("45.00")
    assert ledger_health().ok
    page.click("text=Your wallet")
    expect(page.locator("#history")).to_contain_text(f"Payment for order {order.number}")


def test_guest_checkout_with_a_gift_card_code(page, shop, settings):
    # The SPA sends only the contract's persisted documents, so it works in the strict mode too.
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": True}
    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    page.fill("#guestEmail", "guest@example.com")
    page.fill("#giftCode", card.code.lower())
    fill_address(page)
    page.click("#pay-button")
    expect(page.locator("#confirmation")).to_contain_text("Paid £45.00")
    expect(page.locator("#confirmation")).to_contain_text("A receipt goes to guest@example.com")
    expect(page.locator("#paid-with tr")).to_have_text(["Gift card£45.00"])
    assert Order.objects.get().guest_email == "guest@example.com"
    assert Account.objects.get(pk=card.account.pk).balance == D("5.00")
    assert ledger_health().ok



def test_a_refusal_that_arrives_after_the_code_was_put_right_is_not_shown_against_it(page, shop):
    """The checkout's answer about a wrong code can land after the shopper has already typed the
    right one (and seen its balance): it is about what was sent, not what the field holds now."""
    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    held = []

    def hold_the_checkout(route):
        if (route.request.post_data_json or {}).get("operationName") == "PayWithAccount" and not held:
            held.append(route)  # answered below, once the code has been put right
        else:
            route.continue_()

    page.route("**/graphql/", hold_the_checkout)
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    page.fill("#guestEmail", "guest@example.com")
    page.fill("#giftCode", "WRONG-CODE-0000-0000")
    fill_address(page)  # leaving the field checks the code: refused
    error = page.locator("#giftCode-error")
    expect(error).to_have_text("Gift card: That gift card code isn't valid. Please check it and try again.")
    page.click("#pay-button")  # sends the wrong code; its answer is held
    expect(page.locator("#pay-button")).to_be_disabled()
    page.fill("#giftCode", card.code)
    expect(error).to_be_hidden()
    page.locator("#giftCode").blur()
    expect(page.locator("#giftCode-ok")).to_have_text("Gift card: £50.00 available")
    assert len(held) == 1
    held[0].continue_()  # the refusal of the wrong code arrives now
    expect(page.locator("#pay-button")).to_be_enabled()
    expect(error).to_be_hidden()
    expect(page.locator("#giftCode")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#giftCode-ok")).to_have_text("Gift card: £50.00 available")
    page.click("#pay-button")
    expect(page.locator("#confirmation")).to_contain_text("Paid £45.00")
    assert Account.objects.get(pk=card.account.pk).balance == D("5.00")

def test_redeeming_a_gift_card_fills_the_wallet(page, shop, alice):
    card = issue_gift_card(amount=D("25.00"), currency="GBP")
    sign_in(page, alice)
    page.goto("/demo/#/wallet")
    page.fill("#redeemCode", card.code)
    page.click("#redeem-button")
    expect(page.locator("#notice")).to_have_text("£25.00 added to your Store credit (GBP).")
    expect(page.locator("[data-testid=account-STORE_CREDIT] .balance")).to_have_text("£25.00")
    expect(page.locator("#history")).to_contain_text("Gift card redeemed")
    assert Account.objects.get(pk=card.account.pk).balance == 0
    assert Account.objects.get(primary_user=alice).balance == D("25.00")
    page.fill("#redeemCode", card.code)
    page.click("#redeem-button")
    expect(page.locator("#notice")).to_have_text("That gift card code isn't valid. Please check it and try again.")


def test_a_payment_without_enough_money_is_refused_in_plain_words(page, shop, alice):
    wallet = AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("10.00"))
    sign_in(page, alice)
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    basket_id = Basket.objects.get(owner=alice, status="Open").pk
    page.fill(f"[name='amount-{page.locator('input[name=account]').first.get_attribute('value')}']", "45.00")
    fill_address(page)
    page.click("#pay-button")
    # next to the account it is about, naming it
    expect(page.locator(".source .field-error")).to_have_text(
        "Store credit (GBP): There isn't enough money in that account for this payment.")
    expect(page.locator("#pay-button")).to_be_enabled()
    page.fill(f"[name='amount-{page.locator('input[name=account]').first.get_attribute('value')}']", "")
    page.click("#pay-button")
    expect(page.locator("#notice")).to_contain_text("£35.00 is still due")
    assert Account.objects.get(pk=wallet.pk).balance == D("10.00")
    assert Order.objects.count() == 0
    assert Basket.objects.get(pk=basket_id).status == "Open"


def _day(moment, today):
    """As the SPA writes a day: "3 March", with the year when it is not this year."""
    return f"{moment.day} {moment:%B}" + (f" {moment.year}" if moment.year != today.year else "")


def test_the_wallet_shows_when_credit_expires(page, shop, alice):
    from datetime import UTC, datetime, time, timedelta

    from headless_store.ledger import facade, lots

    today = datetime.now(UTC)
    soon = datetime.combine((today + timedelta(days=3)).date(), time(12), tzinfo=UTC)  # noon: one day in any zone near UTC
    later = datetime.combine((today + timedelta(days=40)).date(), time(12), tzinfo=UTC)
    starts = datetime.combine((today + timedelta(days=10)).date(), time(12), tzinfo=UTC)
    wallet = AccountFactory(name="Store credit (GBP)", primary_user=alice)
    bank = core.bank_account()
    facade.transfer(bank, wallet, D("5.00"))  # no clock: no line
    facade.transfer(bank, wallet, D("8.00"), lot=lots.Credit(category="paid", expires_at=later))
    facade.transfer(core.promotions_account(), wallet, D("12.00"), lot=lots.Credit(category="promotional", expires_at=soon))
    facade.transfer(bank, wallet, D("6.00"), lot=lots.Credit(category="points", effective_from=starts))
    sign_in(page, alice)
    page.goto("/demo/#/wallet")
    card = page.locator("[data-testid=account-STORE_CREDIT]")
    expect(card.locator(".balance")).to_have_text("£31.00")
    # what is spent first comes first; money that starts later is not available yet
    expect(card.locator("[data-testid=lots] li")).to_have_text([
        f"£12.00 expires on {_day(soon, today)}",
        f"£8.00 expires on {_day(later, today)}",
        f"£6.00 usable from {_day(starts, today)}",
    ])
    expect(card).to_contain_text("£25.00 available")
