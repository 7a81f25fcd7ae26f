"""Staff in a real browser: the Oscar dashboard's ledger pages and the GraphiQL console."""
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from headless_store.ledger import core, facade
from headless_store.ledger.models import Account
from tests.factories import AccountFactory, UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.postgres

PASSWORD = "correct horse battery"


@pytest.fixture
def finance_user(chart):
    user = UserFactory(is_staff=True, email="finance@example.com")
    group = Group.objects.create(name="Finance")
    group.permissions.set(Permission.objects.filter(content_type__app_label="ledger"))
    user.groups.add(group)
    return user


def dashboard_login(page, user):
    page.goto("/dashboard/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_staff_issue_gift_cards_find_them_freeze_one_and_open_both_reports(page, finance_user):
    facade.transfer(core.bank_account(), AccountFactory(name="Old credit", type_code="store_credit"), D("80"))
    dashboard_login(page, finance_user)
    page.goto("/dashboard/accounts/")
    page.click("#issue-gift-cards")
    page.fill("#id_count", "3")
    page.fill("#id_amount", "25.00")
    page.click("#issue")
    expect(page.locator("h1")).to_contain_text("3 gift cards issued")
    codes = page.locator(".gift-code").all_inner_texts()
    assert len(codes) == 3 and all(re.fullmatch(r"([A-Z2-9]{4}-){3}[A-Z2-9]{4}", c) for c in codes)
    expect(page.locator("#download-csv")).to_have_attribute("download", re.compile(r"gift-cards-.*\.csv"))

    page.goto("/dashboard/accounts/?type_code=gift_cards")
    rows = page.locator("#accounts tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("£25.00")
    assert not any(code in page.content() for code in codes)  # only ••••last4 from now on
    rows.first.locator("a").click()
    page.click("#freeze")
    expect(page.locator("#status")).to_have_text("Frozen")
    assert Account.objects.filter(code_hash__isnull=False, status="FROZEN").count() == 1

    page.goto("/dashboard/accounts/reports/deferred-income/")
    expect(page.locator("#deferred-income")).to_contain_text("Gift cards")
    expect(page.locator("#deferred-income")).to_contain_text("£75.00")
    expect(page.locator("#deferred-income")).to_contain_text("£80.00")
    screenshot(page, "report-deferred-income.png")

    page.goto("/dashboard/accounts/reports/profit-loss/")
    expect(page.locator("#profit-loss")).to_contain_text("£80.00")
    expect(page.locator("#profit-loss")).to_contain_text("£75.00")
    expect(page.locator("#net")).to_have_text("£0.00")
    screenshot(page, "report-profit-loss.png")


def test_the_graphiql_console_loads_for_staff_and_runs_a_query(page, finance_user, live_server):
    dashboard_login(page, finance_user)  # (Oscar's own dashboard pages try jQuery from a CDN first)
    blocked = []
    page.on("request", lambda r: blocked.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None)
    page.goto("/graphql/")
    run = page.locator(".graphiql-execute-button")
    expect(run).to_be_visible(timeout=20_000)
    run.click()
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text('"ok": true', timeout=20_000)
    expect(result).to_contain_text('"code": "two_legs"')
    assert blocked == [], f"the console fetched from outside the shop: {blocked}"
    screenshot(page, "graphiql-console.png")
