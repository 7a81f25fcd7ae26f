"""The demo SPA on a phone (375 px): the header fits, sensible default sources, a live "still to
pay" line, errors next to the account they are about."""
import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from tests.factories import AccountFactory

from .conftest import screenshot
from .test_demo_spa import add_to_basket, alice, fill_address, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_a_phone_checkout(phone, shop, alice):  # noqa: F811
    # Points with nothing in them, a gift card and store credit: the gift card goes first, the
    # empty points account is not ticked, and the store credit covers the rest.
    AccountFactory(name="Loyalty points (GBP)", primary_user=alice, type_code="loyalty_points")
    AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("100.00"))
    AccountFactory(name="Gift card ••••ABCD", primary_user=alice, type_code="gift_cards", funded=D("10.00"))
    sign_in(phone, alice)
    header = phone.locator("header.topbar").bounding_box()
    assert header["width"] <= 375
    expect(phone.locator("#signout")).to_be_visible()
    assert phone.locator("#signout").bounding_box()["x"] + phone.locator("#signout").bounding_box()["width"] <= 375
    add_to_basket(phone, "KETTLE")
    phone.goto("/demo/#/basket")
    boxes = phone.locator("input[name=account]")
    names = phone.locator(".source:not(.option) label.name")
    expect(names.first).to_contain_text("Gift card")
    checked = [names.nth(i).inner_text().split(" ·")[0].strip() for i in range(boxes.count()) if boxes.nth(i).is_checked()]
    assert checked == ["Gift card ••••ABCD", "Store credit (GBP)"]
    expect(phone.locator("#still-to-pay")).to_have_text("Your accounts cover the total.")
    store_credit = phone.locator(".source", has_text="Store credit")
    store_credit.locator("input.amount").fill("20.00")
    expect(phone.locator("#still-to-pay")).to_have_text(re.compile(r"Still to pay: £15\.00"))
    store_credit.locator("input.amount").fill("")
    fill_address(phone)
    screenshot(phone, "mobile-basket.png")
    phone.click("#pay-button")
    expect(phone.locator("#confirmation")).to_contain_text("Paid £45.00")
    expect(phone.locator("#paid-with tr")).to_have_text(["Gift card ••••ABCD£10.00", "Store credit (GBP)£35.00"])
    screenshot(phone, "mobile-confirmation.png")
