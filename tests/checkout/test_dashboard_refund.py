"""Refunding an order from Oscar's dashboard: the order page says what is refundable and links
to the refund page, which uses the staff API's service and permission."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.models import SandboxCharge
from headless_store.ledger.models import Account
from tests.checkout.test_card_checkout import pay, start
from tests.factories import AccountFactory
from tests.graphql.conftest import Api, country, customer, products  # noqa: F401 (fixtures)
from tests.ledger.test_dashboard import staff_client
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


@pytest.fixture
def paid_order(client, chart, customer, products, country):  # noqa: F811
    client.force_login(customer)
    api = Api(client)
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("20.00"))
    api.add_product(products["kettle"])
    checkout = start(api, api.basket()["id"], [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    pay(api, checkout["id"])
    run_tasks()  # the card's capture
    return Order.objects.get(), wallet


def test_the_order_page_links_to_the_refund_page(paid_order):
    order, _wallet = paid_order
    finance = staff_client("reverse_transfer")
    finance.user.user_permissions.add(Permission.objects.get(codename="view_order"))  # Oscar's order pages
    html = finance.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert 'id="order-refunds"' in html and f"/dashboard/store/orders/{order.number}/refund/" in html
    assert "£25.00 to the card" in html and "£20.00 to the accounts that paid" in html


def test_refunding_to_the_card_and_to_the_wallet(paid_order):
    order, wallet = paid_order
    finance = staff_client("reverse_transfer")
    page = f"/dashboard/store/orders/{order.number}/refund/"
    form = finance.get(page)
    assert form.status_code == 200
    key = form.context["form"].initial["idempotency_key"]
    data = {"amount": "5.00", "destination": "CARD", "reason": "Late", "idempotency_key": key}
    assert finance.post(page, data).status_code == 302
    assert finance.post(page, data).status_code == 302  # submitted twice: refunded once
    assert SandboxCharge.objects.get().refunded == D("5.00")
    response = finance.post(page, {"amount": "30.00", "destination": "ACCOUNTS", "idempotency_key": "k2"}, follow=True)
    assert "At most £20.00" in response.content.decode().replace("20.00 GBP", "£20.00") or \
        "At most 20.00 GBP" in response.content.decode()
    finance.post(page, {"amount": "20.00", "destination": "ACCOUNTS", "idempotency_key": "k3"})
    assert Account.objects.get(pk=wallet.pk).balance == D("20.00")


@pytest.mark.parametrize("perms", [(), ("view_account", "view_transfer", "move_money")])
def test_staff_without_the_permission_cannot_refund(paid_order, perms):
    order, wallet = paid_order
    client = staff_client(*perms)
    page = f"/dashboard/store/orders/{order.number}/refund/"
    assert client.get(page).status_code == 403
    assert client.post(page, {"amount": "5.00", "destination": "ACCOUNTS", "idempotency_key": "x"}).status_code == 403
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00")


@pytest.mark.parametrize("currency, good, bad", [("JPY", "1200", "1200.5"), ("BHD", "1.250", "1.2505"),
                                                 ("GBP", "12.50", "12.505")])
def test_the_refund_forms_amount_has_the_order_currencys_decimal_places(paid_order, currency, good, bad):
    from headless_store.checkout.dashboard.views import RefundForm

    order, _wallet = paid_order
    order.currency = currency  # not saved: the form reads the order's currency and lines
    data = {"destination": "CARD", "idempotency_key": "k"}
    accepted = RefundForm({**data, "amount": good}, order=order)
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["amount"] == D(good)
    refused = RefundForm({**data, "amount": bad}, order=order)
    assert not refused.is_valid() and "decimal places" in str(refused.errors["amount"])
