"""The shop's dashboard pages for webhooks and the loyalty rule."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from headless_store.events.models import WebhookDelivery, WebhookEndpoint
from headless_store.ledger import core, facade
from headless_store.loyalty.models import LoyaltyRule
from tests.factories import AccountFactory, UserFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def staff_with(*perms):
    user = UserFactory(is_staff=True)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    client = Client()
    client.force_login(user)
    return client


def test_registering_an_endpoint_shows_its_secret_once_and_logs_deliveries(chart, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    client = staff_with("events.manage_webhooks")
    response = client.post("/dashboard/store/webhooks/", {"url": "https://erp.example.com/hook", "description": "ERP",
                                                          "event_types": ["transfer.posted"], "is_active": "on"},
                           follow=True)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["transfer.posted"] and endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(f"/dashboard/store/webhooks/{endpoint.pk}/").content.decode()
    facade.transfer(AccountFactory(funded=D("5")), core.redemptions_account(), D("1"))
    run_tasks()
    page = client.get(f"/dashboard/store/webhooks/{endpoint.pk}/").content.decode()
    assert "transfer.posted" in page and "Failed" in page  # nothing listens on port 9
    assert WebhookDelivery.objects.filter(status="FAILED").exists()
    listing = client.get("/dashboard/store/webhooks/").content.decode()
    assert "https://erp.example.com/hook" in listing
    client.post(f"/dashboard/store/webhooks/{endpoint.pk}/", {"delete": "1"})
    assert not WebhookEndpoint.objects.exists()


def test_bad_urls_and_event_types_are_refused(chart):
    client = staff_with("events.manage_webhooks")
    response = client.post("/dashboard/store/webhooks/", {"url": "ftp://example.com/x"})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    response = client.post("/dashboard/store/webhooks/", {"url": "https://example.com/x", "event_types": ["nope"]})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_editing_the_loyalty_rule(chart):
    client = staff_with("loyalty.manage_loyalty")
    assert client.get("/dashboard/store/loyalty/").status_code == 200
    client.post("/dashboard/store/loyalty/", {"is_active": "on", "rate": "0.1000", "spendable": "DAYS", "days": "30",
                                              "account_type_code": "loyalty_points"})
    rule = LoyaltyRule.current()
    assert (rule.rate, rule.spendable, rule.days) == (D("0.1"), "DAYS", 30)


@pytest.mark.parametrize("page", ["/dashboard/store/webhooks/", "/dashboard/store/loyalty/"])
def test_staff_without_the_permission_are_refused(chart, page):
    client = staff_with("ledger.view_account", "ledger.reverse_transfer")
    response = client.get(page)
    assert response.status_code in (302, 403)
    assert client.post(page, {"url": "https://example.com/x", "rate": "9"}).status_code in (302, 403)
    assert not WebhookEndpoint.objects.exists() and LoyaltyRule.current().rate == D("0.05")


def test_the_menu_lists_the_pages_for_permitted_staff(chart):
    html = staff_with("events.manage_webhooks", "loyalty.manage_loyalty").get("/dashboard/").content.decode()
    assert "/dashboard/store/webhooks/" in html and "/dashboard/store/loyalty/" in html


@pytest.mark.parametrize("page", ["/dashboard/login/", "/dashboard/"])
def test_oscar_pages_load_jquery_from_the_shop_not_a_cdn(chart, page):
    client = staff_with("ledger.view_account")
    html = client.get(page, follow=True).content.decode()
    assert "googleapis" not in html and "/static/oscar/js/jquery/jquery.min.js" in html


def test_given_up_tasks_are_listed_and_staff_with_the_permission_retry_them(chart, settings):
    from django_tasks_db.models import DBTaskResult

    from headless_store.events.models import Event
    from headless_store.events.tasks import dispatch_event
    from tests.tasks import run_tasks

    settings.TASK_MAX_ATTEMPTS, settings.TASK_RETRY_BASE_SECONDS = 2, 0
    dispatch_event.enqueue("00000000-0000-0000-0000-000000000000")  # no such event: fails every time
    run_tasks()
    row = DBTaskResult.objects.get(task_path__endswith="dispatch_event")
    assert (row.status, row.retry.failures, row.retry.last_error) == ("FAILED", 2, "DoesNotExist")
    assert staff_with("events.manage_webhooks").get("/dashboard/store/tasks/").status_code in (302, 403)
    client = staff_with("events.manage_tasks")
    page = client.get("/dashboard/store/tasks/").content.decode()
    assert "dispatch_event" in page and "DoesNotExist" in page and "Traceback" not in page
    Event.objects.create(pk="00000000-0000-0000-0000-000000000000", type="transfer.posted", data={})  # the cause fixed
    client.post("/dashboard/store/tasks/", {"task_id": str(row.pk)})
    run_tasks()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert "Nothing was given up." in client.get("/dashboard/store/tasks/").content.decode()
    assert client.post("/dashboard/store/tasks/", {"task_id": "١"}).status_code == 302  # refused, nothing changes
