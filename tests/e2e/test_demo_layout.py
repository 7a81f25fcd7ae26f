"""The demo SPA at a phone's width (375 px) and a desktop's (1280 px): no page scrolls sideways,
messages are in the viewport below the sticky header, address errors sit next to their fields, a
gift-card error goes once the code is put right, and the address starts empty with a country."""
from decimal import Decimal as D

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from headless_store.checkout.gateways import sandbox
from headless_store.ledger import core, facade
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory

from .test_demo_spa import add_to_basket, alice, fill_address, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres

WIDTHS = {375: 740, 1280: 900}


@pytest.fixture(params=sorted(WIDTHS), ids=lambda width: f"{width}px")
def view(request, browser, live_server):
    width = request.param
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": WIDTHS[width]},
                                  is_mobile=width < 600, has_touch=width < 600)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def assert_no_sideways_scroll(page, where):
    widths = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"{where}: the page is {widths[0]} px wide in a {widths[1]} px viewport"


IN_VIEW = """selector => {
  const element = document.querySelector(selector);
  if (!element || element.hidden) return false;
  const box = element.getBoundingClientRect(), header = document.querySelector("header.topbar").getBoundingClientRect();
  return box.top >= header.bottom - 0.5 && box.bottom <= innerHeight + 0.5 && box.left >= 0 && box.right <= innerWidth + 0.5;
}"""


def assert_in_view_below_the_header(page, selector, where):
    """The element's box is inside the viewport and below the sticky header (once the page has
    finished scrolling it there)."""
    expect(page.locator(selector)).to_be_visible()
    try:
        page.wait_for_function(IN_VIEW, arg=selector, timeout=5_000)
    except PlaywrightTimeout:
        box, header = page.locator(selector).bounding_box(), page.locator("header.topbar").bounding_box()
        pytest.fail(f"{where}: {selector} at {box} is not in the {page.evaluate('[innerWidth, innerHeight]')} "
                    f"viewport below the header {header}")


def test_no_page_scrolls_sideways(view, shop, alice):  # noqa: F811
    wallet = AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("100.00"))
    AccountFactory(name="Gift card ••••ABCD", primary_user=alice, type_code="gift_cards", funded=D("10.00"))
    for amount in ("12.34", "1234.56", "7.00"):
        facade.transfer(core.bank_account(), wallet, D(amount), description="A rather long description of a top-up")
    sign_in(view, alice)
    assert_no_sideways_scroll(view, "basket (empty)")
    add_to_basket(view, "KETTLE")
    assert_no_sideways_scroll(view, "shop")
    view.goto("/demo/#/wallet")
    expect(view.locator("#history tbody tr")).to_have_count(5)
    assert_no_sideways_scroll(view, "wallet")
    view.goto("/demo/#/basket")
    expect(view.locator("#pay-button")).to_be_visible()
    assert_no_sideways_scroll(view, "basket")
    fill_address(view)
    view.click("#pay-button")
    expect(view.locator("#confirmation")).to_contain_text("Paid £45.00")
    assert_no_sideways_scroll(view, "confirmation")


def test_a_declined_card_is_said_in_view_below_the_header(view, shop):
    card = issue_gift_card(amount=D("20.00"), currency="GBP")
    add_to_basket(view, "KETTLE")
    view.goto("/demo/#/basket")
    view.fill("#guestEmail", "guest@example.com")
    view.fill("#giftCode", card.code)
    view.check("#payByCard")
    view.fill("#cardNumber", sandbox.DECLINED)
    fill_address(view)
    view.click("#pay-button")  # at the bottom of a long form: the page is scrolled down
    notice = view.locator("#notice")
    expect(notice).to_contain_text("Your card was declined")
    assert_in_view_below_the_header(view, "#notice", "declined card")
    assert_no_sideways_scroll(view, "declined card")


def test_a_bad_postcode_is_shown_next_to_the_postcode_in_view(view, shop, alice):  # noqa: F811
    AccountFactory(name="Store credit (GBP)", primary_user=alice, funded=D("100.00"))
    sign_in(view, alice)
    add_to_basket(view, "KETTLE")
    view.goto("/demo/#/basket")
    fill_address(view, postcode="NOT A POSTCODE")
    view.fill("#line4", "")
    view.evaluate("document.getElementById('line4').required = false")  # what a server check would see
    view.click("#pay-button")
    error = view.locator("#postcode-error")
    expect(error).to_contain_text("postcode")
    # next to its field: in the field's own block, just below it
    assert view.locator("#postcode").locator("xpath=..").locator("#postcode-error").count() == 1
    field, message = view.locator("#postcode").bounding_box(), error.bounding_box()
    assert 0 <= message["y"] - (field["y"] + field["height"]) <= 40
    assert_in_view_below_the_header(view, "#line4-error", "town error")
    assert_in_view_below_the_header(view, "#postcode-error", "postcode error")
    expect(view.locator("#line4-error")).to_have_text("This field is required.")
    expect(view.locator("#postcode")).to_have_attribute("aria-invalid", "true")
    expect(view.locator("#notice")).to_be_hidden()  # not in the banner
    view.fill("#postcode", "N1 9GU")  # put right: that error goes, the other stays
    expect(error).to_be_hidden()
    expect(view.locator("#line4-error")).to_be_visible()
    assert_no_sideways_scroll(view, "address errors")


def test_a_gift_card_error_goes_once_the_code_is_put_right(view, shop):
    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    add_to_basket(view, "KETTLE")
    view.goto("/demo/#/basket")
    view.fill("#guestEmail", "guest@example.com")
    view.fill("#giftCode", "WRONG-CODE-0000-0000")
    fill_address(view)  # leaving the code field checks it: the same words come from that check
    view.click("#pay-button")
    # The checkout's own refusal: the button is busy until it is answered (an answer landing after the
    # code is put right is tests/e2e/test_demo_spa.py's late-refusal test).
    expect(view.locator("#pay-button")).to_be_enabled()
    error = view.locator("#giftCode-error")
    expect(error).to_have_text("Gift card: That gift card code isn't valid. Please check it and try again.")
    assert_in_view_below_the_header(view, "#giftCode-error", "gift card error")
    view.fill("#giftCode", card.code)
    expect(error).to_be_hidden()
    view.locator("#giftCode").blur()  # the code is checked when the shopper leaves the field
    expect(view.locator("#giftCode-ok")).to_have_text("Gift card: £50.00 available")
    expect(error).to_be_hidden()
    view.click("#pay-button")
    expect(view.locator("#confirmation")).to_contain_text("Paid £45.00")


def test_the_address_starts_empty_with_a_country(page, shop):
    add_to_basket(page, "KETTLE")
    page.goto("/demo/#/basket")
    for name in ("firstName", "lastName", "line1", "line4", "postcode"):
        expect(page.locator(f"#{name}")).to_have_value("")
    expect(page.locator("#country option")).to_have_text(["United Kingdom"])
    expect(page.locator("#country")).to_have_value("GB")
