"""A guest with no cookies builds a basket and pays with a gift card through a header session
(django-oscar-api's `Session-Id`): from Node's fetch (no cookie jar), and from a page on another
origin in Chromium. The same script (guest_checkout.js) runs in both."""
import json
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from headless_store.ledger.models import Account
from headless_store.ledger.services.giftcards import issue_gift_card

pytestmark = pytest.mark.postgres

SCRIPT = (Path(__file__).parent / "guest_checkout.js").read_text()
ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "line1": "12 Analytical Row", "line4": "London",
           "postcode": "N1 9GU", "country": "GB"}


def arguments(live_server, shop, card):
    return {"api": live_server.url, "productUrl": f"{live_server.url}/api/products/{shop['kettle'].pk}/",
            "code": card.code, "email": "guest@example.com", "address": ADDRESS}


def assert_paid(result, card):
    payload = result["paid"]["data"]["payWithAccount"]
    assert payload["errors"] == [], payload
    assert result["added"] == result["basket"] and result["total"] == "45.00"
    assert payload["order"]["guestEmail"] == "guest@example.com" and payload["order"]["total"]["amount"] == "45.00"
    assert result["after"] != result["basket"]  # the paid basket is closed; the session has a new one
    assert all(step["sessionId"] == result["sessionId"] for step in result["seen"]), result["seen"]
    assert all(step["setCookie"] is None for step in result["seen"]), result["seen"]
    assert Account.objects.get(pk=card.account.pk).balance == D("5.00")


def test_a_node_client_without_a_cookie_jar(live_server, shop):
    node = shutil.which("node")
    assert node, "Node.js is needed (make install needs it too)"
    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    program = SCRIPT + "\nconsole.log(JSON.stringify(await guestCheckout(JSON.parse(process.argv[1]))));"
    run = subprocess.run([node, "--input-type=module", "-e", program, json.dumps(arguments(live_server, shop, card))],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert_paid(json.loads(run.stdout), card)


def test_a_page_on_another_origin_in_chromium(browser, live_server, shop, settings):
    # The page is on http://127.0.0.1:<port>, the API on http://localhost:<port>: two origins (and
    # two sites, so no cookie of one reaches the other), both on loopback (Chromium's private
    # network rules stay out of it).
    api = urlsplit(live_server.url)
    assert api.hostname == "localhost"
    shop_origin = f"http://127.0.0.1:{api.port}"
    settings.CORS_ALLOWED_ORIGINS = [shop_origin]
    card = issue_gift_card(amount=D("50.00"), currency="GBP")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{shop_origin}/health/live/")
        page.add_script_tag(content=SCRIPT)
        result = page.evaluate("args => guestCheckout(args)", arguments(live_server, shop, card))
        assert_paid(result, card)
        assert context.cookies() == []
    finally:
        context.close()
