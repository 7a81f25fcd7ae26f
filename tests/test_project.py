"""The project: its URLs answer, and the demo data loads once and reconciles."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url, status", [("/api/", 200), ("/api/products/", 200), ("/api/basket/", 200),
                                          ("/dashboard/", 302), ("/catalogue/", 200)])
def test_shop_api_and_dashboard_are_mounted(client, url, status):
    assert client.get(url).status_code == status


def test_demo_data_loads_once_prints_codes_once_and_reconciles(chart):
    first, second = StringIO(), StringIO()
    call_command("load_demo_data", stdout=first)
    call_command("load_demo_data", stdout=second)
    assert "Demo data loaded." in first.getvalue()
    assert "already loaded; nothing changed" in second.getvalue()
    assert first.getvalue().count(" GBP\n") == 3 and " GBP\n" not in second.getvalue()
    assert get_user_model().objects.filter(is_staff=True).count() == 1
    alice = get_user_model().objects.get(email="alice@example.com")
    assert {a.balance for a in Account.objects.filter(primary_user=alice)} == {50, 7.5}
    b2b = Account.objects.get(account_type__code="b2b_prepaid")
    assert b2b.credit_limit == 500
    assert Account.objects.filter(code_hash__isnull=False).count() == 3
    assert ledger_health().ok
