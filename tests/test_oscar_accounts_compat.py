"""Coming from django-oscar-accounts: OA-era imports and the article's dashboard snippet work."""
import importlib
import sys
import warnings
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from headless_store.ledger import core as ledger_core
from headless_store.ledger.models import Account as LedgerAccount
from tests.factories import AccountFactory, UserFactory

MODULES = ["oscar_accounts.facade", "oscar_accounts.exceptions", "oscar_accounts.core"]


@pytest.mark.parametrize("module", MODULES)
def test_each_oa_module_warns_once_that_it_is_deprecated(module):
    sys.modules.pop(module, None)
    with pytest.warns(DeprecationWarning, match=module.replace(".", r"\.")):
        importlib.import_module(module)
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        importlib.import_module(module)
    assert again == []


@pytest.mark.django_db
def test_oa_era_code_runs_unchanged(chart):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oscar_accounts import core, exceptions, facade
        from oscar_accounts.models import Account, Transfer
    assert issubclass(Account, LedgerAccount) and Account._meta.proxy  # OA's API on the ledger's rows
    source = AccountFactory(name="Budget", funded=D("50.00"))
    destination = core.redemptions_account()
    assert destination == ledger_core.redemptions_account()
    transfer = facade.transfer(source, destination, D("20.00"), merchant_reference="ORDER-1", description="OA style")
    assert isinstance(transfer, Transfer) and Account.objects.get(pk=source.pk).balance == D("30.00")
    assert source.balance == D("30.00")
    facade.reverse(transfer)
    assert Account.objects.get(pk=source.pk).balance == D("50.00")
    with pytest.raises(exceptions.InsufficientFunds):
        facade.transfer(source, destination, D("50.01"))
    with pytest.raises(exceptions.AccountException):
        facade.transfer(source, destination, D("-1"))
    assert core.lapsed_account() == ledger_core.lapsed_account()


ARTICLE_NAVIGATION = [{
    "label": "Accounts", "icon": "fas fa-globe", "children": [
        {"label": "Accounts", "url_name": "accounts_dashboard:accounts-list"},
        {"label": "Transfers", "url_name": "accounts_dashboard:transfers-list"},
        {"label": "Deferred income report", "url_name": "accounts_dashboard:report-deferred-income"},
        {"label": "Profit/loss report", "url_name": "accounts_dashboard:report-profit-loss"},
    ],
}]


@pytest.mark.django_db
def test_the_articles_navigation_snippet_resolves_to_the_ledgers_pages(chart, settings):
    from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION

    settings.OSCAR_DASHBOARD_NAVIGATION = [*OSCAR_DASHBOARD_NAVIGATION, *ARTICLE_NAVIGATION]
    assert reverse("accounts_dashboard:accounts-list") == reverse("ledger_dashboard:ledger-account-list")
    assert reverse("accounts_dashboard:report-profit-loss") == reverse("ledger_dashboard:ledger-report-profit-loss")
    account = AccountFactory()
    assert reverse("accounts_dashboard:accounts-detail", args=[account.pk]) == f"/dashboard/accounts/{account.pk}/"
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(
        content_type__app_label="ledger", codename__in=["view_account", "view_transfer", "view_reports"]))
    client = Client()
    client.force_login(staff)
    html = client.get("/dashboard/").content.decode()
    for name in ("accounts-list", "transfers-list", "report-deferred-income", "report-profit-loss"):
        assert f'href="{reverse("accounts_dashboard:" + name)}"' in html
    assert client.get(reverse("accounts_dashboard:accounts-list")).status_code == 200
    plain = UserFactory(is_staff=True)
    client.force_login(plain)
    assert client.get(reverse("accounts_dashboard:accounts-list")).status_code in (302, 403)
