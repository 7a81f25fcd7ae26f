"""Coming from django-oscar-accounts: OA-era imports and the article's dashboard snippet work."""
import importlib
import io
import sys
import warnings
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import resolve, reverse

from headless_store.ledger import codes, exceptions
from headless_store.ledger import core as ledger_core
from headless_store.ledger.models import Account as LedgerAccount
from headless_store.ledger.models import AccountType, Transaction
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


# -- OA's public API on the ledger (beyond what OA's own suite, `make oa-suite`, checks) ---------

OA_DASHBOARD_NAMES = ["accounts-list", "accounts-create", "accounts-update", "accounts-detail", "accounts-freeze",
                      "accounts-thaw", "accounts-top-up", "accounts-withdraw", "transfers-list", "transfers-detail",
                      "report-deferred-income", "report-profit-loss"]
NEEDS_ARGS = {"accounts-update": [1], "accounts-detail": [1], "accounts-freeze": [1], "accounts-thaw": [1],
              "accounts-top-up": [1], "accounts-withdraw": [1], "transfers-detail": ["A" * 32]}


@pytest.mark.parametrize("name", OA_DASHBOARD_NAMES)
def test_every_oa_dashboard_url_name_resolves_with_and_without_the_namespace(name):
    args = NEEDS_ARGS.get(name, [])
    url = reverse(f"accounts_dashboard:{name}", args=args)
    assert reverse(name, args=args) == url
    assert resolve(url).namespace == "ledger_dashboard"  # requests reach the ledger's pages


@pytest.mark.django_db
def test_the_articles_unnamespaced_navigation_snippet_renders_the_dashboard(chart, settings):
    from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION

    settings.OSCAR_DASHBOARD_NAVIGATION = [*OSCAR_DASHBOARD_NAVIGATION, {
        "label": "Accounts", "icon": "icon-globe", "children": [
            {"label": "Accounts", "url_name": "accounts-list"},
            {"label": "Transfers", "url_name": "transfers-list"},
            {"label": "Deferred income report", "url_name": "report-deferred-income"},
            {"label": "Profit/loss report", "url_name": "report-profit-loss"},
        ],
    }]
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(
        content_type__app_label="ledger", codename__in=["view_account", "view_transfer", "view_reports"]))
    client = Client()
    client.force_login(staff)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("accounts-list", "transfers-list", "report-deferred-income", "report-profit-loss"):
        assert f'href="{reverse(name)}"' in html


@pytest.fixture
def oa():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oscar_accounts import core, facade, models
    return SimpleNamespace(core=core, facade=facade, models=models)


@pytest.mark.django_db
def test_an_account_made_with_oas_arguments_gets_the_default_type_and_currency_and_a_hashed_code(chart, oa, settings):
    account = oa.models.Account(code="abcd-efgh-jkmn")
    account.save()
    row = LedgerAccount.objects.get(pk=account.pk)
    assert (row.account_type.code, row.currency) == ("store_credit", settings.OSCAR_DEFAULT_CURRENCY)  # the defaults
    assert row.code_hash == codes.code_hash("ABCDEFGHJKMN") and row.code_last4 == "JKMN"
    assert not LedgerAccount.objects.filter(code_last4="ABCDEFGHJKMN").exists()
    assert oa.models.Account.objects.get(code="abcdefghjkmn").pk == account.pk  # matched by the hash
    found = oa.models.Account.objects.get(pk=account.pk)
    found.code = "NEWC-ODE2"
    found.save()
    assert LedgerAccount.objects.get(pk=account.pk).code_hash == codes.code_hash("NEWCODE2")
    assert not oa.models.Account.objects.filter(code="ABCDEFGHJKMN").exists()


@pytest.mark.django_db
def test_oa_transfers_from_stale_instances_cannot_overdraw(chart, oa):
    """OA checked the limit on the in-memory balance: two stale copies could both spend it."""
    source = AccountFactory(funded=D("100.00"))
    first, second = (oa.models.Account.objects.get(pk=source.pk) for _ in range(2))
    destination = oa.core.redemptions_account()
    oa.models.Transfer.objects.create(first, destination, D("80.00"))
    assert second.balance == D("100.00")  # stale
    legs = Transaction.objects.count()
    with pytest.raises(exceptions.InsufficientFunds):
        oa.facade.transfer(second, destination, D("80.00"))
    assert LedgerAccount.objects.get(pk=source.pk).balance == D("20.00") and Transaction.objects.count() == legs


@pytest.mark.django_db
def test_oa_reverse_links_to_the_original_and_cannot_run_twice(chart, oa):
    source = AccountFactory(funded=D("50.00"))
    posted = oa.facade.transfer(source, oa.core.redemptions_account(), D("30.00"))
    reversal = oa.facade.reverse(posted)
    assert isinstance(reversal, oa.models.Transfer) and reversal.parent_id == posted.pk
    with pytest.raises(exceptions.ReversalNotPermitted):
        oa.facade.reverse(posted)
    assert LedgerAccount.objects.get(pk=source.pk).balance == D("50.00")


@pytest.mark.django_db
def test_permitted_allocation_with_oas_signature_counts_only_lines_in_the_accounts_range(chart, oa):
    from oscar.test.factories import BasketFactory, RangeFactory, create_product

    inside, outside = create_product(price=D("30.00")), create_product(price=D("50.00"))
    product_range = RangeFactory(includes_all_products=False)
    product_range.add_product(inside)
    basket = BasketFactory()
    basket.add_product(inside)
    basket.add_product(outside)
    account = oa.models.Account.objects.get(pk=AccountFactory(funded=D("100.00")).pk)
    account.product_range = product_range
    assert account.permitted_allocation(basket, D("5.00"), D("85.00")) == D("35.00")  # the line and shipping
    account.can_be_used_for_non_products = False
    assert account.permitted_allocation(basket, D("5.00"), D("85.00")) == D("30.00")
    assert account.permitted_allocation(D("12.00")) == D("12.00")  # the ledger's form still works
    poor = oa.models.Account.objects.get(pk=AccountFactory(funded=D("10.00")).pk)
    assert poor.permitted_allocation(basket, D("5.00"), D("85.00")) == D("10.00")


@pytest.mark.django_db
def test_the_checkout_gateway_redeems_all_allocations_or_none(chart, oa):
    from oscar.apps.payment.exceptions import UnableToTakePayment

    from oscar_accounts.checkout import gateway
    from oscar_accounts.checkout.allocation import Allocations

    rich = oa.models.Account(code="RICH-CARD")
    rich.save()
    oa.facade.transfer(oa.core.bank_account(), rich, D("40.00"))
    poor = oa.models.Account(code="POOR-CARD")
    poor.save()
    oa.facade.transfer(oa.core.bank_account(), poor, D("5.00"))
    allocations = Allocations()
    allocations.add("RICHCARD", D("30.00"))
    allocations.add("POORCARD", D("10.00"))
    with pytest.raises(UnableToTakePayment):
        gateway.redeem("100042", None, allocations)
    assert [LedgerAccount.objects.get(pk=a.pk).balance for a in (rich, poor)] == [D("40.00"), D("5.00")]
    allocations.remove("POORCARD")
    allocations.add("POORCARD", D("5.00"))
    gateway.redeem("100042", None, allocations)
    assert [LedgerAccount.objects.get(pk=a.pk).balance for a in (rich, poor)] == [D("10.00"), D("0.00")]
    card = gateway.create_giftcard("100043", None, D("25.00"))
    assert LedgerAccount.objects.get(pk=card.pk).balance == D("25.00")
    assert oa.models.Account.objects.get(code=card.code).pk == card.pk


def test_security_keeps_oas_consecutive_rule_and_the_throttles_window(settings):
    from django.test import RequestFactory

    from oscar_accounts import security

    settings.ACCOUNTS_CODE_MAX_FAILURES = 5
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    for _ in range(2):
        security.record_failed_request(request)
    security.record_successful_request(request)  # ends OA's run of consecutive failures...
    for _ in range(2):
        security.record_failed_request(request)
    assert not security.is_blocked(request)
    security.record_successful_request(request)
    security.record_failed_request(request)  # ...but the 5th failure in the window blocks all the same
    assert security.is_blocked(request)
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.8")
    assert not security.is_blocked(other)


@pytest.mark.django_db
def test_create_default_accounts_can_run_again_and_adds_oas_types(chart, oa, settings):
    from oscar_accounts.setup import create_default_accounts

    settings.ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES = ("Dashboard created accounts",)
    import oscar_accounts.names

    importlib.reload(oscar_accounts.names)
    try:
        create_default_accounts()
        counts = (AccountType.objects.count(), LedgerAccount.objects.count())
        assert create_default_accounts() == []
        assert (AccountType.objects.count(), LedgerAccount.objects.count()) == counts
        kind = AccountType.objects.get(name="Dashboard created accounts")
        assert kind.get_parent().code == "deferred_income"
    finally:
        importlib.reload(oscar_accounts.names)


@pytest.mark.django_db
def test_close_expired_accounts_is_a_command_too(chart):
    from django.core.management import call_command
    from django.utils import timezone

    account = AccountFactory(funded=D("7.00"))
    LedgerAccount.objects.filter(pk=account.pk).update(end_date=timezone.now() - timezone.timedelta(days=1))
    call_command("close_expired_accounts", stdout=io.StringIO())
    account.refresh_from_db()
    assert account.is_closed() and account.balance == D("0.00")
