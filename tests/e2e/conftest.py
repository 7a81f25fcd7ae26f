"""Browser tests: Debian's Chromium driven by Playwright (PyPI) against a live server.

No browser is downloaded: Playwright launches the system Chromium (`/usr/bin/chromium`, or
CHROMIUM_PATH). These tests run on PostgreSQL (marked `postgres`), where they may not skip.
"""
import os
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make in
# between browser steps are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does this).")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shop(chart):
    Country = get_model("address", "Country")
    Country.objects.get_or_create(
        iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "printable_name": "United Kingdom",
                                      "is_shipping_country": True},
    )
    return {
        "kettle": create_product(title="Pour-over kettle", upc="KETTLE", price=D("45.00"), num_in_stock=20),
        "filters": create_product(title="Paper filters", upc="FILTERS", price=D("4.99"), num_in_stock=200),
    }


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
