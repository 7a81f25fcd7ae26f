"""OA's REST API (oscar_accounts.api) where it differs from OA on purpose: who may call it, and
answers instead of OA's 500s. OA's own API tests run in `make oa-suite`."""
import base64
import json
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.services.accounts import freeze_account
from tests.factories import UserFactory

pytestmark = [pytest.mark.urls("tests.oa_suite.urls"), pytest.mark.django_db]
PASSWORD = "correct horse battery"
CREATE = {"start_date": "2024-01-01T09:00:00+03:00", "end_date": "2099-06-01T09:00:00+03:00", "amount": "40.00",
          "account_type": "Gift cards"}


@pytest.fixture
def api_user(settings, chart):
    user = UserFactory(username="till")
    settings.ACCOUNTS_API_USERS = ["till"]
    settings.ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES = ("Gift cards",)
    return user


def auth(username, password=PASSWORD):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def post(url, payload, headers):
    return Client().post(url, json.dumps(payload), content_type="application/json", **headers)


def created_card(api_user):
    response = post(reverse("oscar_accounts_api:accounts"), CREATE, auth("till"))
    assert response.status_code == 201, response.content
    return response.json()


def test_only_the_users_named_in_accounts_api_users_may_call_it(api_user):
    customer = UserFactory()
    before = Account.objects.count()
    refused = post(reverse("oscar_accounts_api:accounts"), CREATE, auth(customer.username))
    assert refused.status_code == 403 and "ACCOUNTS_API_USERS" in refused.json()["message"]
    wrong = post(reverse("oscar_accounts_api:accounts"), CREATE, auth("till", "wrong"))
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Basic realm=")
    assert Account.objects.count() == before


def test_failed_sign_ins_are_throttled(api_user, settings):
    settings.ACCOUNTS_CODE_MAX_FAILURES = 3
    url = reverse("oscar_accounts_api:accounts")
    assert [post(url, CREATE, auth("till", "wrong")).status_code for _ in range(3)] == [401, 401, 401]
    blocked = post(url, CREATE, auth("till"))  # even with the right password, until the cooling-off ends
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0


def test_a_refused_load_creates_no_account(api_user, settings):
    settings.ACCOUNTS_MIN_LOAD_VALUE = "0"
    before = Account.objects.count()
    response = post(reverse("oscar_accounts_api:accounts"), {**CREATE, "amount": "0"}, auth("till"))
    assert response.status_code == 403 and response.json()["code"] == "C100"  # OA: 500 and a half-made account
    assert Account.objects.count() == before


@pytest.mark.parametrize("date", ["not a date", "2024-13-45T00:00:00+00:00", 7])
def test_an_unreadable_date_is_a_bad_request(api_user, date):
    response = post(reverse("oscar_accounts_api:accounts"), {**CREATE, "start_date": date}, auth("till"))
    assert response.status_code == 400 and response.json()["message"]


def test_redemptions_are_refused_with_oas_codes_and_move_nothing(api_user):
    card = created_card(api_user)
    too_much = post(card["redemptions_url"], {"amount": "40.01"}, auth("till"))
    assert too_much.status_code == 403 and too_much.json()["code"] == "T101"
    account = Account.objects.get(code_last4=card["code"][-4:])
    freeze_account(account)
    frozen = post(card["redemptions_url"], {"amount": "1.00"}, auth("till"))
    assert frozen.status_code == 403 and frozen.json()["code"] == "T102"  # OA: 500
    assert Account.objects.get(pk=account.pk).balance == D("40.00")


def test_a_transfer_is_reversed_once_and_refunds_never_exceed_it(api_user):
    card = created_card(api_user)
    redeemed = post(card["redemptions_url"], {"amount": "30.00"}, auth("till"))
    transfer = Client().get(redeemed["Location"], **auth("till")).json()
    assert transfer["available_to_refund"] == "30.00"
    # codes are stored hashed: a transfer read back names the card by its last 4 characters only
    assert transfer["source_code"] is None and transfer["source_code_last4"] == card["code"][-4:]
    assert post(transfer["refunds_url"], {"amount": "10.00"}, auth("till")).status_code == 201
    assert post(transfer["reverse_url"], {}, auth("till")).status_code == 201  # what is left: 20.00
    again = post(transfer["reverse_url"], {}, auth("till"))
    assert again.status_code == 403 and again.json()["code"] == "T100"  # OA reversed in full again
    assert Account.objects.get(code_last4=card["code"][-4:]).balance == D("40.00")
    assert Transfer.objects.filter(parent__reference=transfer["reference"]).count() == 2


def test_unknown_codes_count_in_the_code_throttle(api_user, settings):
    settings.ACCOUNTS_CODE_MAX_FAILURES = 3
    urls = [reverse("oscar_accounts_api:account", kwargs={"code": f"NOPE{n}"}) for n in range(4)]
    statuses = [Client().get(url, **auth("till")).status_code for url in urls]
    assert statuses == [404, 404, 404, 429]
