"""The ledger's Oscar dashboard pages: access, forms, money movements, reports and CSV."""
import csv
import io
from decimal import Decimal as D
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headless_store.ledger import codes, core, facade
from headless_store.ledger.models import Account, Transfer
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = ["view_account", "view_transfer", "manage_accounts", "issue_gift_cards", "move_money", "view_reports", "reverse_transfer"]


def staff_client(*perms):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="ledger", codename__in=perms))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def url(name, *args):
    return reverse(f"ledger_dashboard:{name}", args=args)


@pytest.fixture
def finance(chart):
    return staff_client(*ALL)


def test_the_menu_lists_the_ledger_pages_for_permitted_staff(finance):
    html = finance.get("/dashboard/").content.decode()
    for label, name in [("Accounts", "ledger-account-list"), ("Transfers", "ledger-transfer-list"),
                        ("Deferred income report", "ledger-report-deferred-income"),
                        ("Profit/loss report", "ledger-report-profit-loss")]:
        assert label in html and url(name) in html


@pytest.mark.parametrize("name, args, perm", [
    ("ledger-account-list", (), "view_account"),
    ("ledger-transfer-list", (), "view_transfer"),
    ("ledger-report-deferred-income", (), "view_reports"),
    ("ledger-report-profit-loss", (), "view_reports"),
    ("ledger-report-breakage", (), "view_reports"),
    ("ledger-report-dormancy", (), "view_reports"),
    ("ledger-report-expiring-lots", (), "view_reports"),
    ("ledger-gift-cards-issue", (), "issue_gift_cards"),
    ("ledger-account-create", (), "manage_accounts"),
])
def test_each_page_needs_its_permission(chart, name, args, perm):
    assert staff_client(*ALL).get(url(name, *args)).status_code == 200
    refused = staff_client(*[p for p in ALL if p != perm]).get(url(name, *args))
    assert refused.status_code in (302, 403)
    customer = Client()
    customer.force_login(UserFactory())
    assert customer.get(url(name, *args)).status_code in (302, 403)


def test_account_list_search_and_detail_with_running_balance(finance, redemptions):
    owner = UserFactory(email="pat@example.com")
    account = AccountFactory(name="Pat's wallet", primary_user=owner, funded=D("40"))
    AccountFactory(name="Someone else")
    facade.transfer(account, redemptions, D("15"))
    listing = finance.get(url("ledger-account-list"), {"q": "pat@example"}).content.decode()
    assert "Pat&#x27;s wallet" in listing and "Someone else" not in listing
    detail = finance.get(url("ledger-account-detail", account.pk)).content.decode()
    assert "£25.00" in detail and "£40.00" in detail and "-£15.00" in detail


def test_open_an_account_with_opening_balance(finance):
    response = finance.post(url("ledger-account-create"), {
        "name": "ACME", "type_code": "b2b_prepaid", "currency": "GBP", "credit_limit": "250",
        "can_be_used_for_non_products": "on", "opening_balance": "100", "source_account": core.bank_account().pk,
    })
    account = Account.objects.get(name="ACME")
    assert response.status_code == 302 and response.url == url("ledger-account-detail", account.pk)
    assert (account.balance, account.credit_limit) == (D("100"), D("250"))
    assert Transfer.objects.get(destination=account).user == finance.user


def test_edit_changes_the_credit_limit(finance, redemptions):
    account = AccountFactory(credit_limit=D("100"))
    facade.transfer(account, redemptions, D("50"))
    response = finance.post(url("ledger-account-update", account.pk), {"name": "Renamed", "credit_limit": "60", "can_be_used_for_non_products": "on"})
    assert response.status_code == 302
    assert Account.objects.get(pk=account.pk).credit_limit == D("60")
    refused = finance.post(url("ledger-account-update", account.pk), {"name": "Renamed", "credit_limit": "40"})
    assert refused.status_code == 200 and "owes 50.00" in refused.content.decode()


def test_top_up_and_withdraw(finance):
    account = AccountFactory()
    finance.post(url("ledger-account-top-up", account.pk), {"amount": "30", "description": "Goodwill",
                                                            "idempotency_key": "t1"})
    assert Account.objects.get(pk=account.pk).balance == D("30")
    too_much = finance.post(url("ledger-account-withdraw", account.pk), {"amount": "31", "idempotency_key": "w1"})
    assert too_much.status_code == 200 and "holds only 30.00 GBP" in too_much.content.decode()
    finance.post(url("ledger-account-withdraw", account.pk), {"amount": "30", "idempotency_key": "w2"})
    assert Account.objects.get(pk=account.pk).balance == 0


def test_a_money_form_submitted_twice_moves_the_money_once(finance):
    account = AccountFactory()
    form = finance.get(url("ledger-account-top-up", account.pk))
    key = form.context["form"].initial["idempotency_key"]
    assert key and f'value="{key}"' in form.content.decode()
    for _ in range(2):
        assert finance.post(url("ledger-account-top-up", account.pk), {"amount": "30", "idempotency_key": key}).status_code == 302
    assert Account.objects.get(pk=account.pk).balance == D("30")
    other = finance.post(url("ledger-account-top-up", account.pk), {"amount": "31", "idempotency_key": key})
    assert other.status_code == 200 and "already used" in other.content.decode()
    assert Account.objects.get(pk=account.pk).balance == D("30")


def test_a_money_form_without_its_key_moves_nothing(finance):
    account = AccountFactory()
    response = finance.post(url("ledger-account-top-up", account.pk), {"amount": "30"})
    assert response.status_code == 200 and Account.objects.get(pk=account.pk).balance == 0


def test_amounts_in_forms_have_the_currencys_decimal_places(finance):
    yen = AccountFactory(currency="JPY")
    refused = finance.post(url("ledger-account-top-up", yen.pk), {"amount": "30.5", "idempotency_key": "y1"})
    assert refused.status_code == 200 and "at most 0 decimal places" in refused.content.decode()
    finance.post(url("ledger-account-top-up", yen.pk), {"amount": "30", "idempotency_key": "y2"})
    assert Account.objects.get(pk=yen.pk).balance == D("30")


def test_freeze_thaw_close_follow_the_state_rules(finance):
    funded, empty = AccountFactory(funded=D("5")), AccountFactory()
    finance.post(url("ledger-account-state", funded.pk, "freeze"))
    assert Account.objects.get(pk=funded.pk).is_frozen()
    finance.post(url("ledger-account-state", funded.pk, "thaw"))
    response = finance.post(url("ledger-account-state", funded.pk, "close"), follow=True)
    assert "still holds 5.00" in response.content.decode() and Account.objects.get(pk=funded.pk).is_open()
    finance.post(url("ledger-account-state", empty.pk, "close"))
    finance.post(url("ledger-account-state", empty.pk, "thaw"))
    assert Account.objects.get(pk=empty.pk).is_closed()
    assert finance.post(url("ledger-account-state", empty.pk, "delete")).status_code == 404
    assert finance.get(url("ledger-account-state", empty.pk, "freeze")).status_code == 405


def test_issued_codes_are_shown_once_with_a_csv_and_never_again(finance):
    response = finance.post(url("ledger-gift-cards-issue"), {"count": "3", "amount": "20", "currency": "GBP"}, follow=True)
    html = response.content.decode()
    shown = [c for c in html.split('class="gift-code">')[1:]]
    codes_shown = [c.split("<")[0] for c in shown]
    assert len(codes_shown) == 3
    for code in codes_shown:
        assert Account.objects.get(code_hash=codes.code_hash(code)).balance == D("20")
    csv_data = unquote(html.split('href="data:text/csv;charset=utf-8,')[1].split('"')[0])
    rows = list(csv.reader(io.StringIO(csv_data)))
    assert rows[0] == ["code", "amount", "currency", "expires", "account_id"] and sorted(r[0] for r in rows[1:]) == sorted(codes_shown)
    again = finance.get(url("ledger-gift-cards-issued"), follow=True).content.decode()
    assert "shown only once" in again and not any(code in again for code in codes_shown)
    assert not any(code in str(dict(finance.session)) for code in codes_shown)


def test_transfer_list_detail_and_partial_reverse(finance, redemptions):
    wallet = AccountFactory(funded=D("50"))
    payment = facade.transfer(wallet, redemptions, D("20"), merchant_reference="100123")
    listing = finance.get(url("ledger-transfer-list"), {"merchant_reference": "100123"}).content.decode()
    assert payment.reference[:10] in listing
    detail = finance.get(url("ledger-transfer-detail", payment.reference)).content.decode()
    assert "£20.00" in detail and 'id="reverse-form"' in detail
    for _ in range(2):  # the same form twice: one reversal
        finance.post(url("ledger-transfer-reverse", payment.reference),
                     {"amount": "5", "reason": "Damaged item", "idempotency_key": "r1"})
    assert payment.max_refund() == D("15")
    response = finance.post(url("ledger-transfer-reverse", payment.reference), {"amount": "16", "idempotency_key": "r2"},
                            follow=True)
    assert "At most 15.00 GBP" in response.content.decode() and payment.max_refund() == D("15")


def test_reverse_needs_its_permission(chart, redemptions):
    payment = facade.transfer(AccountFactory(funded=D("10")), redemptions, D("10"))
    clerk = staff_client(*[p for p in ALL if p != "reverse_transfer"])
    assert 'id="reverse-form"' not in clerk.get(url("ledger-transfer-detail", payment.reference)).content.decode()
    assert clerk.post(url("ledger-transfer-reverse", payment.reference), {}).status_code in (302, 403)
    assert payment.max_refund() == D("10")


def test_reports_and_their_csv_agree_with_the_selectors(finance):
    facade.transfer(core.bank_account(), AccountFactory(type_code="gift_cards"), D("70"))
    today = timezone.localdate().isoformat()
    page = finance.get(url("ledger-report-deferred-income"), {"date": today}).content.decode()
    assert "Gift cards" in page and "£70.00" in page
    rows = list(csv.reader(io.StringIO(finance.get(url("ledger-report-deferred-income"), {"date": today, "format": "csv"}).content.decode())))
    assert rows[1][0] == "Gift cards" and rows[1][-1] == "70.00"
    pl = finance.get(url("ledger-report-profit-loss"), {"start_date": today, "end_date": today, "currency": "GBP"}).content.decode()
    assert "Money in: loaded from the bank" in pl and "£70.00" in pl
    pl_csv = list(csv.reader(io.StringIO(finance.get(url("ledger-report-profit-loss"), {"start_date": today, "end_date": today, "currency": "GBP", "format": "csv"}).content.decode())))
    assert ["loaded_from_bank", "Money in: loaded from the bank (sales, top-ups)", "70.00", "GBP"] in pl_csv
    assert pl_csv[-1][0] == "net"
