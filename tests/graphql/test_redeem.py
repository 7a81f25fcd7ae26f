"""redeemGiftCard over HTTP."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone

from headless_store.ledger import facade
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import UserFactory

from .conftest import Api, error_codes

pytestmark = pytest.mark.django_db

REDEEM = """
mutation Redeem($input: RedeemGiftCardInput!) {
  redeemGiftCard(input: $input) {
    account { id name kind balance { amount currency } }
    transfer { amount { amount } balanceAfter { amount } counterparty }
    amount { amount currency }
    errors { field code message retryAfter }
  }
}"""


def redeem(api, code, key=None):
    return api.data(REDEEM, {"input": {"code": code, "idempotencyKey": key}})["redeemGiftCard"]


@pytest.fixture
def card(chart):
    return issue_gift_card(amount=D("25.00"), currency="GBP")


def test_moves_the_whole_balance_into_a_new_store_credit_wallet(api, customer, card):
    payload = redeem(api, card.code.lower().replace("-", " "))
    assert payload["errors"] == []
    assert payload["amount"] == {"amount": "25.00", "currency": "GBP"}
    assert payload["account"]["kind"] == "STORE_CREDIT" and payload["account"]["balance"]["amount"] == "25.00"
    assert payload["transfer"]["balanceAfter"]["amount"] == "25.00"
    assert payload["transfer"]["counterparty"] == f"Gift card ••••{card.code[-4:]}"
    assert Account.objects.get(pk=card.account.pk).balance == 0
    assert ledger_health().ok


def test_a_second_redeem_adds_to_the_same_wallet(api, customer, chart):
    first, second = (issue_gift_card(amount=D(a), currency="GBP") for a in ("10", "15"))
    redeem(api, first.code)
    payload = redeem(api, second.code)
    assert payload["account"]["balance"]["amount"] == "25.00"
    assert Account.objects.filter(primary_user=customer).count() == 1


def test_a_second_redeem_of_the_same_code_is_refused(api, card):
    redeem(api, card.code)
    payload = redeem(api, card.code)
    assert error_codes(payload) == ["INVALID_CODE"] and payload["errors"][0]["field"] == "code"
    assert payload["account"] is None


@pytest.mark.parametrize("spoil", ["unknown", "expired", "closed", "empty", "frozen", "someone else's"])
def test_unusable_codes_all_answer_invalid_code(api, card, redemptions, other_customer, spoil):
    code = card.code
    account = card.account
    if spoil == "unknown":
        code = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    elif spoil == "expired":
        account.end_date = timezone.now() - timedelta(minutes=1)
        account.save()
    elif spoil in ("closed", "empty"):
        facade.transfer(account, redemptions, D("25"))
        if spoil == "closed":
            account.close()
    elif spoil == "frozen":
        account.freeze()
    else:
        account.primary_user = other_customer
        account.save()
    payload = redeem(api, code)
    assert payload["errors"] == [{"field": "code", "code": "INVALID_CODE", "message": "This code is not valid.", "retryAfter": None}]


def test_too_many_failures_block_with_retry_after(api, card, settings):
    settings.ACCOUNTS_CODE_MAX_FAILURES = 3
    settings.ACCOUNTS_CODE_COOLING_OFF = 600
    for _ in range(3):
        redeem(api, "WRONG-WRONG-WRONG")
    payload = redeem(api, card.code)
    assert error_codes(payload) == ["CODE_ATTEMPTS_BLOCKED"]
    assert 0 < payload["errors"][0]["retryAfter"] <= 600
    assert Account.objects.get(pk=card.account.pk).balance == D("25")


def test_accounts_registered_from_one_ip_share_its_allowance_of_guesses(card, settings):
    """Self-registration does not buy fresh guesses: each new account's failures count against the IP too."""
    settings.ACCOUNTS_CODE_MAX_FAILURES = 3
    settings.ACCOUNTS_CODE_MAX_FAILURES_PER_IP = 7
    outcomes = []
    for n in range(4):
        browser = Client(REMOTE_ADDR="203.0.113.20")
        registered = browser.post("/accounts/login/", {
            "registration-email": f"farm{n}@example.com", "registration-password1": "a long new password 9",
            "registration-password2": "a long new password 9", "registration_submit": "Register"})
        assert registered.status_code == 302
        for _ in range(3):
            outcomes += error_codes(redeem(Api(browser), "WRONG-WRONG-WRONG"))
    assert outcomes.count("INVALID_CODE") == 7 and outcomes.count("CODE_ATTEMPTS_BLOCKED") == 5
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    elsewhere.force_login(UserFactory())
    assert redeem(Api(elsewhere), card.code)["errors"] == []


def test_a_frozen_wallet_refuses_and_the_card_keeps_its_money(api, customer, card):
    get_or_create_wallet(user=customer, currency="GBP").freeze()
    payload = redeem(api, card.code)
    assert error_codes(payload) == ["ACCOUNT_FROZEN"] and payload["errors"][0]["field"] is None
    assert Account.objects.get(pk=card.account.pk).balance == D("25")


def test_a_card_paying_for_an_unfinished_checkout_is_not_redeemed_until_it_ends(api, customer, card, redemptions):
    """Part of the card is held by someone's checkout: redeeming it says so on `code` and moves
    nothing; once the hold is released, the whole card redeems."""
    hold = facade.hold(Account.objects.get(pk=card.account.pk), redemptions, D("10.00"),
                       expires_at=timezone.now() + timedelta(minutes=15))
    payload = redeem(api, card.code)
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INSUFFICIENT_FUNDS", "code")]
    assert "checkout that has not finished" in payload["errors"][0]["message"]
    assert Account.objects.get(pk=card.account.pk).balance == D("25.00")
    facade.void(hold)
    assert redeem(api, card.code)["amount"]["amount"] == "25.00"


def test_retry_with_the_same_key_returns_the_first_result(api, card):
    first = redeem(api, card.code, key="redeem-1")
    again = redeem(api, card.code, key="redeem-1")
    assert again == first
    assert Transfer.objects.count() == 2  # the issue and one redemption


def test_same_key_with_another_code_is_a_conflict(api, card, chart):
    other = issue_gift_card(amount=D("5"), currency="GBP")
    redeem(api, card.code, key="redeem-2")
    payload = redeem(api, other.code, key="redeem-2")
    assert error_codes(payload) == ["IDEMPOTENCY_CONFLICT"]
    assert Account.objects.get(pk=other.account.pk).balance == D("5")


def test_keys_are_per_customer(api, card, chart, client, other_customer):
    other = issue_gift_card(amount=D("5"), currency="GBP")
    redeem(api, card.code, key="same-key")
    other_client = Client()
    other_client.force_login(other_customer)
    payload = redeem(Api(other_client), other.code, key="same-key")
    assert payload["errors"] == [] and payload["amount"]["amount"] == "5.00"


def test_anonymous_callers_get_an_authentication_error(anonymous_api, card):
    body = anonymous_api.gql(REDEEM, {"input": {"code": card.code}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert Account.objects.get(pk=card.account.pk).balance == D("25")
