"""Browser tests: Chromium driven by Playwright (PyPI) against a live server.

The browser is found or installed by `find_or_install_chromium()`: CHROMIUM_PATH, a system
Chromium or Chrome, Playwright's own download; failing those, Debian's `chromium` package when
the tests run as root with apt-get, else `playwright install chromium`. When none works, the
tests fail saying what to run. They run on PostgreSQL (marked `postgres`), where they may not skip.
"""
import os
import shutil
import subprocess
import sys
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


SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTRUCTIONS = (
    "No Chromium for the browser tests. Install one and run again: `sudo apt-get install chromium` "
    "(Debian/Ubuntu), or `.venv/bin/python -m playwright install chromium`, or set CHROMIUM_PATH."
)


def _found() -> str | None:
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"] if Path(os.environ["CHROMIUM_PATH"]).exists() else None
    for name in SYSTEM_BROWSERS:
        if shutil.which(name):
            return shutil.which(name)
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.executable_path
        return own if Path(own).exists() else None
    except Exception:  # no Playwright browser registry here: keep looking
        return None


def _install() -> str | None:
    """Try the installs this machine allows, loudly; each may fail (offline, not root)."""
    attempts = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        attempts.append(["sh", "-c", "apt-get update -q && apt-get install -y -q chromium"])
    attempts.append([sys.executable, "-m", "playwright", "install", "chromium"])
    for command in attempts:
        print(f"\nbrowser tests: no Chromium found, trying: {' '.join(command)}", file=sys.stderr)
        if subprocess.run(command, timeout=900).returncode == 0 and (path := _found()):
            return path
    return None


def find_or_install_chromium() -> str:
    path = _found() or _install()
    if path is None:
        pytest.fail(INSTRUCTIONS)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=find_or_install_chromium(), args=CHROMIUM_ARGS,
                                              headless=True)
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
