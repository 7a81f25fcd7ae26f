"""One error contract: refusals are data with a code and a field; anything unexpected is masked
with a request id and logged once at ERROR with its traceback; refusals are not logged as errors."""
import json
import logging
from decimal import Decimal as D

import pytest
from django.test import Client

from accounts_graphql.ids import global_id
from headless_store.ledger import core, facade
from headless_store.ledger.posting import Posting
from headless_store.ledger.services import giftcards as giftcard_services
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(client, query, variables=None, **headers):
    response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", headers=headers)
    return response, response.json()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def error_records(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def world(chart):
    customer = UserFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    wallet = AccountFactory(primary_user=customer, funded=D("50"))
    payment = facade.transfer(wallet, core.redemptions_account(), D("5"))
    card = giftcard_services.issue_gift_cards(staff=None, count=1, amount=D("10"), currency="GBP").cards[0]
    return {"customer": customer, "staff": staff, "wallet": wallet, "payment": payment, "card": card}


OPERATIONS_THAT_POST = {
    "redeemGiftCard": ("customer", 'mutation($code: String!) { redeemGiftCard(input: {code: $code}) { errors { code } } }',
                       lambda w: {"code": w["card"].code}),
    "topUpAccount": ("staff", 'mutation($id: ID!) { topUpAccount(input: {accountId: $id, amount: "1"}) { errors { code } } }',
                     lambda w: {"id": global_id("Account", w["wallet"].pk)}),
    "reverseTransfer": ("staff", "mutation($id: ID!) { reverseTransfer(input: {transferId: $id}) { errors { code } } }",
                        lambda w: {"id": w["payment"].reference}),
    "createAccount": ("staff", 'mutation { createAccount(input: {name: "N", typeCode: "store_credit", currency: "GBP", '
                               'openingBalance: "5"}) { errors { code } } }', lambda w: {}),
    "issueGiftCards": ("staff", 'mutation { issueGiftCards(input: {count: 2, amount: "5", currency: "GBP"}) { errors { code } } }',
                       lambda w: {}),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS_THAT_POST))
def test_an_unexpected_error_while_posting_is_masked_and_logged_once(world, operation, monkeypatch, caplog):
    def explode(self, **kwargs):
        raise RuntimeError("secret-detail")

    monkeypatch.setattr(Posting, "post", explode)
    who, document, variables = OPERATIONS_THAT_POST[operation]
    caplog.set_level(logging.INFO)
    response, body = post(signed_in(world[who]), document, variables(world), **{"X-Request-ID": "req-123"})
    assert "secret-detail" not in response.content.decode()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"}
    assert error["message"].startswith("Unexpected error.")
    assert response["X-Request-ID"] == "req-123"
    (record,) = error_records(caplog)
    assert record.exc_info and "secret-detail" in str(record.exc_info[1]) and "req-123" in record.getMessage()


def test_an_unexpected_error_in_a_query_is_masked_and_logged_once(world, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("secret-detail")

    monkeypatch.setattr("headless_store.ledger.selectors.accounts.Account.objects.visible_to", explode)
    response, body = post(signed_in(world["customer"]), "{ myAccounts { totalCount } }")
    assert "secret-detail" not in response.content.decode()
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert len(error_records(caplog)) == 1


def test_expected_refusals_are_not_logged_as_errors(world, caplog):
    aliases = " ".join(f'b{i}: balance(code: "WRONG-CODE-{i:04d}") {{ amount }}' for i in range(15))
    _response, body = post(Client(), "{ " + aliases + " }")
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert codes == {"INVALID_CODE", "CODE_ATTEMPTS_BLOCKED"}
    assert error_records(caplog) == []


def test_refusals_name_their_field_and_never_an_internal_id(world):
    client = signed_in(world["customer"])
    pay = """mutation($input: PayWithAccountInput!) { payWithAccount(input: $input) { errors { field code message } } }"""
    _response, body = post(client, pay, {"input": {"basketId": "not-a-basket", "payments": []}})
    assert body["data"]["payWithAccount"]["errors"][0] == {
        "field": "basketId", "code": "NOT_FOUND", "message": "No open basket with this id belongs to you."}
    staff = signed_in(world["staff"])
    move = """mutation($id: ID!) { withdrawFromAccount(input: {accountId: $id, amount: "500"}) { errors { field code message } } }"""
    _response, body = post(staff, move, {"id": global_id("Account", world["wallet"].pk)})
    (error,) = body["data"]["withdrawFromAccount"]["errors"]
    assert (error["field"], error["code"]) == ("amount", "INSUFFICIENT_FUNDS")
    assert "#" not in error["message"] and str(world["wallet"].pk) not in error["message"].replace("45.00", "")


def test_the_facade_no_longer_dresses_bugs_as_refusals(world, monkeypatch):
    from headless_store.ledger import exceptions

    monkeypatch.setattr(Posting, "_move", lambda *args: (_ for _ in ()).throw(RuntimeError("secret-detail")))
    with pytest.raises(RuntimeError) as raised:
        facade.transfer(world["wallet"], core.redemptions_account(), D("1"))
    assert not isinstance(raised.value, exceptions.AccountException)
