"""The demo SPA sells a gift card: a customer buys one for a friend, the friend gets the e-mail (Django's
test mail outbox) and redeems the code in the same SPA; the ledger shows the sale as a liability."""
import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from headless_store.giftcard_sales.catalogue import create_gift_card_product
from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.selectors.reports import deferred_income_report
from tests.factories import AccountFactory, UserFactory
from tests.giftcard_sales.helpers import code_in
from tests.tasks import run_tasks

from .test_demo_spa import fill_address, sign_in

pytestmark = pytest.mark.postgres

Partner = get_model("partner", "Partner")


def test_a_customer_buys_a_gift_card_for_a_friend_who_redeems_it(page, browser, live_server, shop, chart):
    create_gift_card_product(title="Gift card", amounts=(D("25.00"),), partner=Partner.objects.create(name="Shop"),
                             currency="GBP", sku_prefix="GIFT")
    alice = UserFactory(username="alice", email="alice@example.com")
    bob = UserFactory(username="bob", email="bob@example.com")
    AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("100.00"))
    sign_in(page, alice)
    page.goto("/demo/#/")
    gift = page.locator('[data-testid="gift-GIFT-25.00"]')
    gift.locator("summary").click()
    gift.locator("[name=gift_card_recipient_email]").fill("not-an-address")
    page.click('[data-testid="add-GIFT-25.00"]')
    expect(page.locator("#notice")).to_contain_text("Recipient's e-mail: Enter a valid e-mail address")
    gift.locator("[name=gift_card_recipient_name]").fill("Bob")
    gift.locator("[name=gift_card_recipient_email]").fill("bob@example.com")
    gift.locator("[name=gift_card_message]").fill("Happy birthday, Bob!")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    gift.locator("[name=gift_card_deliver_on]").fill(tomorrow.isoformat())
    page.click('[data-testid="add-GIFT-25.00"]')
    expect(page.locator("#notice")).to_have_text("Added to your basket.")
    page.goto("/demo/#/basket")
    expect(page.locator("#basket-total")).to_have_text("£25.00")
    fill_address(page)
    page.click("#pay-button")
    expect(page.locator("#confirmation")).to_contain_text("is placed")

    sale = GiftCardSale.objects.get()
    run_tasks()
    assert mail.outbox == []  # not before its day
    from freezegun import freeze_time

    with freeze_time(timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(0, 5)))):
        run_tasks()
    card_mail = next(m for m in mail.outbox if m.to == ["bob@example.com"])
    assert "Happy birthday, Bob!" in card_mail.body
    code = code_in(card_mail)
    assert any(m.to == ["alice@example.com"] and code not in m.body for m in mail.outbox)  # alice told, no code

    gift_cards = next(r for r in deferred_income_report(timezone.localdate()).rows if r.account_type == "Gift cards")
    assert gift_cards.total == D("25.00")  # the sale is a liability until the card is spent

    friends = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})  # Bob's own browser
    friends.set_default_timeout(15_000)
    bobs = friends.new_page()
    sign_in(bobs, bob)
    bobs.goto("/demo/#/wallet")
    bobs.fill("#redeemCode", code)
    bobs.click("#redeem-button")
    expect(bobs.locator("#notice")).to_have_text("£25.00 added to your Store credit (GBP).")
    friends.close()
    assert Account.objects.get(pk=sale.account_id).balance == 0
    assert Account.objects.get(primary_user=bob).balance == D("25.00")
    assert ledger_health().ok
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
