"""The gift-card sales dashboard: figures, the delivery log, resend; access by the permission table."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from headless_store.giftcard_sales import selectors
from headless_store.giftcard_sales.dashboard.apps import PAGE_OPERATIONS, GiftCardSalesDashboardConfig
from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger.permissions import OPERATIONS
from tests.checkout.test_pay import pay, source
from tests.factories import AccountFactory, UserFactory
from tests.tasks import run_tasks

from .conftest import add_gift_card
from .helpers import code_in, redeem

pytestmark = pytest.mark.django_db

DOWN = "tests.giftcard_sales.failing_mail.DownBackend"


@pytest.fixture
def sold(api, chart, customer, gift_cards, country):
    """Two cards sold: 50.00 to bob@example.com (sent) and 25.00 to carol@example.com (its e-mail failed)."""
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("200.00"))
    add_gift_card(api, gift_cards["50"], recipient_email="bob@example.com")
    pay(api, api.basket()["id"], [source(wallet)])
    run_tasks()
    add_gift_card(api, gift_cards["25"], recipient_email="carol@example.com")
    pay(api, api.basket()["id"], [source(wallet)])
    return GiftCardSale.objects.order_by("pk")


@pytest.fixture
def staff_client(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="issue_gift_cards"))
    client.force_login(user)
    return client


def test_the_pages_read_the_permission_table():
    for page, operation in PAGE_OPERATIONS.items():
        assert GiftCardSalesDashboardConfig.permissions_map[page] == ["is_staff", OPERATIONS[operation].permission]


def test_figures_sold_outstanding_and_failed(sold, staff_client, settings, other_customer):
    settings.EMAIL_BACKEND, settings.TASK_MAX_ATTEMPTS = DOWN, 1
    run_tasks()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    redeem(other_customer, code_in(mail.outbox[0]))  # bob spends all of his
    [row] = selectors.sold_per_period(period="day")
    assert (row.cards, row.amount) == (2, D("75.00"))
    [owed] = selectors.outstanding_liability()
    assert (owed.cards, owed.liability) == (1, D("25.00"))
    page = staff_client.get(reverse("giftcard_sales_dashboard:gift-card-sales"))
    assert page.status_code == 200
    assert "75.00" in page.text and "25.00" in page.text
    assert 'id="failed-deliveries" href="?status=FAILED"><strong>1</strong>' in page.text
    failed = staff_client.get(reverse("giftcard_sales_dashboard:gift-card-sales") + "?status=FAILED")
    assert "carol@example.com" in failed.text and "bob@example.com" not in failed.text


def test_the_sale_page_shows_the_log_and_resends(sold, staff_client):
    sale = sold[0]
    url = reverse("giftcard_sales_dashboard:gift-card-sale", kwargs={"pk": sale.pk})
    assert "bob@example.com" in staff_client.get(url).text
    response = staff_client.post(reverse("giftcard_sales_dashboard:gift-card-resend", kwargs={"pk": sale.pk}),
                                 {"email": "robert@example.com"}, follow=True)
    assert "sent to robert@example.com with a new code" in response.text
    assert sale.deliveries.count() == 2 and mail.outbox[-1].to[0] in ("robert@example.com", sale.order.email)
    bad = staff_client.post(reverse("giftcard_sales_dashboard:gift-card-resend", kwargs={"pk": sale.pk}),
                            {"email": "not an address"})
    assert bad.status_code == 200 and "Enter a valid email address" in bad.text


def test_staff_without_the_permission_get_nothing(sold, client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("giftcard_sales_dashboard:gift-card-sales"))
    assert response.status_code in (302, 403)
