"""payWithAccount over HTTP, next to django-oscar-api's REST basket, placing real Oscar orders."""
import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories.offer import RangeFactory

from accounts_graphql.ids import global_id
from headless_store.ledger import core
from headless_store.ledger.models import Account, Transaction, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, device_token
from tests.graphql.conftest import ADDRESS, Api, Country, error_codes

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")

PAY = """
mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) {
    order { number status total { amount currency } shipping { amount } guestEmail }
    transfers { accountId amount { amount } balanceAfter { amount } counterparty merchantReference reference }
    amountDue { amount currency }
    errors { field code message }
  }
}"""


def pay(api, basket_id, payments, **extra):
    variables = {"input": {"basketId": str(basket_id), "payments": payments, "shippingAddress": ADDRESS, **extra}}
    return api.data(PAY, variables)["payWithAccount"]


def source(account, amount=None):
    entry = {"accountId": global_id("Account", account.pk)}
    if amount is not None:
        entry["amount"] = amount
    return entry


def ledger_state():
    return (Transfer.objects.count(), Transaction.objects.count(),
            dict(Account.objects.values_list("pk", "balance")), Order.objects.count())


@pytest.fixture
def wallet(chart, customer):
    return AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))


@pytest.fixture
def basket(api, products, country):
    api.add_product(products["kettle"])  # 45.00
    api.add_product(products["filters"], 2)  # 9.98
    return api.basket()


class TestTheHeadlessFlow:
    def test_rest_basket_then_pay_then_order_in_rest(self, api, wallet, basket):
        assert basket["total_incl_tax"] == "54.98"
        payload = pay(api, basket["id"], [source(wallet)], total="54.98")
        assert payload["errors"] == []
        order = payload["order"]
        assert order["total"] == {"amount": "54.98", "currency": "GBP"}
        assert [t["amount"]["amount"] for t in payload["transfers"]] == ["-54.98"]
        assert payload["transfers"][0]["merchantReference"] == order["number"]
        assert payload["transfers"][0]["balanceAfter"]["amount"] == "45.02"
        orders = api.client.get("/api/orders/").json()
        assert [o["number"] for o in orders] == [order["number"]]
        placed = Order.objects.get(number=order["number"])
        assert placed.sources.get().source_type.name == "Accounts"
        assert placed.sources.get().amount_debited == D("54.98")
        events = PaymentEvent.objects.filter(order=placed)
        assert [(e.amount, e.reference) for e in events] == [(D("54.98"), payload["transfers"][0]["reference"])]
        assert Basket.objects.get(pk=basket["id"]).status == "Submitted"
        assert core.redemptions_account().balance == D("54.98")
        assert ledger_health().ok
        assert api.basket()["id"] != basket["id"]  # the next REST call starts a new basket

    def test_pays_from_several_accounts_in_order(self, api, customer, wallet, basket, chart):
        points = AccountFactory(primary_user=customer, type_code="loyalty_points", funded=D("10.00"))
        payload = pay(api, basket["id"], [source(points), source(wallet)])
        assert payload["errors"] == []
        assert [t["amount"]["amount"] for t in payload["transfers"]] == ["-10.00", "-44.98"]
        assert Account.objects.get(pk=points.pk).balance == 0

    def test_explicit_amounts_split_the_payment(self, api, customer, wallet, basket, chart):
        points = AccountFactory(primary_user=customer, type_code="loyalty_points", funded=D("10.00"))
        payload = pay(api, basket["id"], [source(wallet, "50.00"), source(points)])
        assert [t["amount"]["amount"] for t in payload["transfers"]] == ["-50.00", "-4.98"]

    def test_with_a_token_instead_of_a_session(self, customer, wallet, products, country):
        token = device_token(customer)
        mobile = Api(Client(enforce_csrf_checks=True), headers={"Authorization": f"Token {token}"})
        mobile.add_product(products["kettle"])
        basket = mobile.basket()
        payload = pay(mobile, basket["id"], [source(wallet)])
        assert payload["errors"] == [] and payload["order"]["total"]["amount"] == "45.00"
        assert [o["number"] for o in mobile.client.get("/api/orders/", headers=mobile.headers).json()] == [payload["order"]["number"]]

    def test_a_token_can_be_obtained_with_email_and_password(self, customer):
        response = Client().post("/api/token/", {"username": customer.email, "password": "correct horse battery"})
        assert response.status_code == 200 and len(response.json()["token"]) == 64

    def test_a_bad_token_is_refused(self, wallet):
        response = Client().post("/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}),
                                 content_type="application/json", headers={"Authorization": "Token nope"})
        assert response.status_code == 401

    def test_as_a_guest_with_a_gift_card_code(self, guest_api, products, country, chart):
        card = issue_gift_card(amount=D("50.00"), currency="GBP")
        guest_api.add_product(products["kettle"])
        basket = guest_api.basket()
        payload = pay(guest_api, basket["id"], [{"code": card.code}], guestEmail="guest@example.com")
        assert payload["errors"] == []
        assert payload["order"]["guestEmail"] == "guest@example.com"
        assert Account.objects.get(pk=card.account.pk).balance == D("5.00")
        assert payload["transfers"][0]["counterparty"] == "Payment"
        assert ledger_health().ok

    def test_a_guest_must_give_an_email(self, guest_api, products, country, chart):
        card = issue_gift_card(amount=D("50.00"), currency="GBP")
        guest_api.add_product(products["kettle"])
        payload = pay(guest_api, guest_api.basket()["id"], [{"code": card.code}])
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", "guestEmail")]
        assert Account.objects.get(pk=card.account.pk).balance == D("50.00")

    def test_a_guest_cannot_pay_from_an_account_id(self, guest_api, wallet, products, country):
        guest_api.add_product(products["kettle"])
        payload = pay(guest_api, guest_api.basket()["id"], [source(wallet)], guestEmail="g@example.com")
        assert error_codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "payments.0.accountId"


class TestRefusals:
    def test_sources_that_do_not_cover_the_total_say_what_is_due(self, api, customer, basket, chart):
        small = AccountFactory(primary_user=customer, funded=D("20.00"))
        before = ledger_state()
        payload = pay(api, basket["id"], [source(small)])
        assert error_codes(payload) == ["PAYMENT_INCOMPLETE"]
        assert payload["amountDue"] == {"amount": "34.98", "currency": "GBP"}
        assert ledger_state() == before
        assert Basket.objects.get(pk=basket["id"]).status == "Open"

    def test_a_changed_total_answers_basket_changed(self, api, wallet, basket, products):
        before = ledger_state()
        payload = pay(api, basket["id"], [source(wallet)], total="50.00")
        assert error_codes(payload) == ["BASKET_CHANGED"] and payload["errors"][0]["field"] == "total"
        assert "54.98" in payload["errors"][0]["message"]
        assert ledger_state() == before

    def test_an_empty_basket(self, api, wallet, country):
        assert error_codes(pay(api, api.basket()["id"], [source(wallet)])) == ["BASKET_EMPTY"]

    @pytest.mark.parametrize("basket_id", ["999999", "abc", "-1"])
    def test_unknown_baskets(self, api, wallet, basket_id, country):
        payload = pay(api, basket_id, [source(wallet)])
        assert error_codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "basketId"

    def test_another_sessions_basket_is_not_found(self, api, wallet, products, country):
        stranger = Api(Client())
        stranger.add_product(products["kettle"])
        theirs = stranger.basket()["id"]
        before = ledger_state()
        assert error_codes(pay(api, theirs, [source(wallet)])) == ["NOT_FOUND"]
        assert ledger_state() == before and Basket.objects.get(pk=theirs).status == "Open"

    @pytest.mark.parametrize("amount", ["0", "-5.00", "NaN", "Infinity", "1e40", "10.001", "abc", "", 12.345])
    def test_bad_amounts(self, api, wallet, basket, amount):
        before = ledger_state()
        payload = pay(api, basket["id"], [source(wallet, amount)])
        assert error_codes(payload) == ["INVALID_AMOUNT"], payload
        assert payload["errors"][0]["field"] == "payments.0.amount"
        assert ledger_state() == before

    def test_an_amount_above_the_balance(self, api, customer, basket, chart):
        small = AccountFactory(primary_user=customer, funded=D("20.00"))
        payload = pay(api, basket["id"], [source(small, "30.00")])
        assert error_codes(payload) == ["INSUFFICIENT_FUNDS"]

    def test_amounts_above_the_total(self, api, wallet, basket):
        assert error_codes(pay(api, basket["id"], [source(wallet, "60.00")])) == ["INVALID_AMOUNT"]

    def test_another_customers_account_is_not_found(self, api, basket, other_customer, chart):
        theirs = AccountFactory(primary_user=other_customer, funded=D("500"))
        before = ledger_state()
        payload = pay(api, basket["id"], [source(theirs)])
        assert error_codes(payload) == ["NOT_FOUND"]
        assert theirs.name not in str(payload) and ledger_state() == before

    @pytest.mark.parametrize("account_id", ["bogus", global_id("Transfer", 1), ""])
    def test_malformed_account_ids(self, api, basket, account_id):
        payload = pay(api, basket["id"], [{"accountId": account_id}])
        assert error_codes(payload) == ["INVALID"] and payload["errors"][0]["field"] == "payments.0.accountId"

    def test_both_or_neither_of_account_and_code(self, api, wallet, basket):
        assert error_codes(pay(api, basket["id"], [{}])) == ["INVALID"]
        assert error_codes(pay(api, basket["id"], [{**source(wallet), "code": "X"}])) == ["INVALID"]
        assert error_codes(pay(api, basket["id"], [])) == ["INVALID"]

    def test_the_same_account_twice(self, api, wallet, basket):
        assert error_codes(pay(api, basket["id"], [source(wallet, "10.00"), source(wallet)])) == ["INVALID"]

    def test_wrong_currency(self, api, customer, basket, chart):
        euros = AccountFactory(primary_user=customer, currency="EUR", type_code="refund_wallets")
        assert error_codes(pay(api, basket["id"], [source(euros)])) == ["CURRENCY_MISMATCH"]

    @pytest.mark.parametrize("state, code", [("frozen", "ACCOUNT_FROZEN"), ("closed", "ACCOUNT_CLOSED"),
                                             ("expired", "ACCOUNT_INACTIVE"), ("not started", "ACCOUNT_INACTIVE")])
    def test_frozen_closed_and_inactive_accounts(self, api, customer, basket, chart, state, code):
        account = AccountFactory(primary_user=customer, funded=D("100") if state != "closed" else None)
        if state == "frozen":
            account.freeze()
        elif state == "closed":
            account.close()
        elif state == "expired":
            account.end_date = timezone.now() - timedelta(seconds=1)
            account.save()
        else:
            account.start_date = timezone.now() + timedelta(days=1)
            account.save()
        before = ledger_state()
        assert error_codes(pay(api, basket["id"], [source(account)])) == [code]
        assert ledger_state() == before

    def test_an_invalid_gift_card_code(self, api, basket):
        payload = pay(api, basket["id"], [{"code": "NOPE-NOPE-NOPE-NOPE"}])
        assert error_codes(payload) == ["INVALID_CODE"] and payload["errors"][0]["field"] == "payments.0.code"

    def test_product_range_limits_what_an_account_pays(self, api, customer, basket, products, chart):
        kettles_only = RangeFactory(products=[products["kettle"]])
        voucher = AccountFactory(primary_user=customer, funded=D("100"), product_range=kettles_only,
                                 can_be_used_for_non_products=False)
        payload = pay(api, basket["id"], [source(voucher)])
        assert error_codes(payload) == ["PAYMENT_INCOMPLETE"] and payload["amountDue"]["amount"] == "9.98"
        assert error_codes(pay(api, basket["id"], [source(voucher, "50.00")])) == ["INVALID_AMOUNT"]
        wallet = AccountFactory(primary_user=customer, funded=D("20"), type_code="refund_wallets")
        payload = pay(api, basket["id"], [source(voucher), source(wallet)])
        assert [t["amount"]["amount"] for t in payload["transfers"]] == ["-45.00", "-9.98"]

    def test_an_invalid_address_field(self, api, wallet, basket):
        payload = api.data(PAY, {"input": {"basketId": str(basket["id"]), "payments": [source(wallet)],
                                           "shippingAddress": {**ADDRESS, "country": "XX"}}})["payWithAccount"]
        assert error_codes(payload) == ["INVALID"] and payload["errors"][0]["field"].startswith("shippingAddress")

    def test_oscar_refusing_the_order_leaves_everything_as_it_was(self, api, wallet, basket, monkeypatch):
        from oscar.apps.order.exceptions import UnableToPlaceOrder
        from oscar.apps.order.utils import OrderCreator

        def refuse(*args, **kwargs):
            raise UnableToPlaceOrder("warehouse on fire")

        monkeypatch.setattr(OrderCreator, "place_order", refuse)
        before = ledger_state()
        payload = pay(api, basket["id"], [source(wallet)])
        assert error_codes(payload) == ["ORDER_PLACEMENT_FAILED"]
        assert "warehouse" not in payload["errors"][0]["message"]
        assert ledger_state() == before
        assert Basket.objects.get(pk=basket["id"]).status == "Open"
        assert PaymentEvent.objects.count() == 0 and Source.objects.count() == 0

    def test_a_bug_in_order_placement_is_masked_and_leaves_everything_as_it_was(self, api, wallet, basket, monkeypatch):
        from oscar.apps.order.utils import OrderCreator

        def broken(*args, **kwargs):
            raise RuntimeError("warehouse on fire")

        monkeypatch.setattr(OrderCreator, "place_order", broken)
        before = ledger_state()
        body = api.gql(PAY, {"input": {"basketId": str(basket["id"]), "payments": [source(wallet)],
                                       "shippingAddress": ADDRESS}})
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "warehouse" not in json.dumps(body)
        assert ledger_state() == before
        assert Basket.objects.get(pk=basket["id"]).status == "Open"
        assert PaymentEvent.objects.count() == 0 and Source.objects.count() == 0

    def test_a_session_post_without_csrf_token_is_refused(self, customer, wallet):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(customer)
        response = browser.post("/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}),
                                content_type="application/json")
        assert response.status_code == 403
        browser.get("/api/basket/")  # any page that sets the cookie would do; fetch one explicitly:
        from django.middleware.csrf import get_token
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        token = get_token(request)
        browser.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
        response = browser.post("/graphql/", data=json.dumps({"query": "{ myAccounts { totalCount } }"}),
                                content_type="application/json", headers={"X-CSRFToken": token})
        assert response.status_code == 200 and response.json()["data"]["myAccounts"]["totalCount"] == 1


class TestIdempotency:
    def test_a_retry_returns_the_first_order_and_pays_once(self, api, wallet, basket):
        first = pay(api, basket["id"], [source(wallet)], idempotencyKey="checkout-1")
        again = pay(api, basket["id"], [source(wallet)], idempotencyKey="checkout-1")
        assert again == first and first["errors"] == []
        assert Order.objects.count() == 1
        assert Account.objects.get(pk=wallet.pk).balance == D("45.02")

    def test_the_same_amount_written_otherwise_is_the_same_request(self, api, wallet, basket):
        total = D(basket["total_incl_tax"])
        first = pay(api, basket["id"], [source(wallet, f"{total:.2f}")], idempotencyKey="checkout-4", total=f"{total:.3f}")
        again = pay(api, basket["id"], [source(wallet, f"{total:.4f}")], idempotencyKey="checkout-4", total=f"{total:.2f}")
        assert first["errors"] == [] and again == first
        assert Order.objects.count() == 1

    def test_the_same_key_with_other_input_is_a_conflict(self, api, wallet, basket):
        pay(api, basket["id"], [source(wallet)], idempotencyKey="checkout-2")
        payload = pay(api, basket["id"], [source(wallet, "10.00")], idempotencyKey="checkout-2")
        assert error_codes(payload) == ["IDEMPOTENCY_CONFLICT"]

    def test_a_failed_attempt_does_not_use_up_the_key(self, api, customer, basket, chart):
        wallet = AccountFactory(primary_user=customer, funded=D("20.00"))
        assert error_codes(pay(api, basket["id"], [source(wallet)], idempotencyKey="checkout-3")) == ["PAYMENT_INCOMPLETE"]
        from headless_store.ledger import facade

        facade.transfer(core.bank_account(), wallet, D("40"))
        assert pay(api, basket["id"], [source(wallet)], idempotencyKey="checkout-3")["errors"] == []


class TestRestrictionsAcrossSources:
    def test_two_accounts_limited_to_one_range_cannot_both_pay_its_lines(self, api, customer, basket, products, chart):
        kettles = RangeFactory(products=[products["kettle"]])
        first = AccountFactory(primary_user=customer, funded=D("100"), product_range=kettles, can_be_used_for_non_products=False)
        second = AccountFactory(primary_user=customer, funded=D("100"), product_range=kettles, can_be_used_for_non_products=False,
                                type_code="loyalty_points")
        payload = pay(api, basket["id"], [source(first), source(second)])
        assert error_codes(payload) == ["PAYMENT_INCOMPLETE"] and payload["amountDue"]["amount"] == "9.98"
        assert error_codes(pay(api, basket["id"], [source(first, "45.00"), source(second, "1.00")])) == ["INVALID_AMOUNT"]

    def test_a_range_account_then_an_open_wallet_split_the_lines(self, api, customer, basket, products, chart):
        filters_only = RangeFactory(products=[products["filters"]])
        voucher = AccountFactory(primary_user=customer, funded=D("100"), product_range=filters_only)
        wallet = AccountFactory(primary_user=customer, funded=D("100"), type_code="refund_wallets")
        payload = pay(api, basket["id"], [source(voucher), source(wallet)])
        assert [t["amount"]["amount"] for t in payload["transfers"]] == ["-9.98", "-45.00"]


class TestAddresses:
    """Addresses are checked as Oscar's checkout does; every refusal names its field and moves nothing."""

    def pay_to(self, api, basket, wallet, address):
        before = ledger_state()
        variables = {"input": {"basketId": str(basket["id"]), "payments": [source(wallet)]}}
        if address is not None:
            variables["input"]["shippingAddress"] = address
        payload = api.data(PAY, variables)["payWithAccount"]
        assert ledger_state() == before and Basket.objects.get(pk=basket["id"]).status == "Open"
        return [(e["field"], e["code"]) for e in payload["errors"]], [e["message"] for e in payload["errors"]]

    def test_goods_that_need_shipping_need_an_address(self, api, wallet, basket):
        assert self.pay_to(api, basket, wallet, None)[0] == [("shippingAddress", "INVALID")]

    @pytest.mark.parametrize("postcode", ["", "   ", "NOT A POSTCODE"])
    def test_the_countrys_postcode_rule_applies(self, api, wallet, basket, postcode):
        fields, messages = self.pay_to(api, basket, wallet, {**ADDRESS, "postcode": postcode})
        assert fields == [("shippingAddress.postcode", "INVALID")], messages

    def test_an_unknown_country_is_refused_in_words(self, api, wallet, basket):
        fields, messages = self.pay_to(api, basket, wallet, {**ADDRESS, "country": "FR"})
        assert fields == [("shippingAddress.country", "INVALID")]
        assert "hyperlink" not in messages[0].lower() and "country" in messages[0].lower()

    def test_every_missing_field_is_reported_together(self, api, wallet, basket):
        address = {**ADDRESS, "firstName": " ", "line1": "", "line4": ""}
        fields, _messages = self.pay_to(api, basket, wallet, address)
        assert sorted(fields) == [("shippingAddress.firstName", "INVALID"), ("shippingAddress.line1", "INVALID"),
                                  ("shippingAddress.line4", "INVALID")]

    def test_a_country_that_exists_but_is_not_shipped_to(self, api, wallet, basket, country):
        Country.objects.create(iso_3166_1_a2="FR", name="France", printable_name="France", is_shipping_country=False)
        fields, messages = self.pay_to(api, basket, wallet, {**ADDRESS, "country": "fr", "postcode": "75001"})
        assert fields == [("shippingAddress.country", "INVALID")] and "deliver" in messages[0]


def test_the_payment_answers_with_the_accounts_and_gift_cards_as_they_now_are(api, wallet, basket):
    card = issue_gift_card(amount=D("30.00"), currency="GBP")
    document = """mutation Pay($input: PayWithAccountInput!) { payWithAccount(input: $input) {
      accounts { id kind balance { amount } amountAvailable { amount } }
      appliedGiftCards { lastCharacters amountUsed { amount currency } balance { amount } }
      errors { code } } }"""
    variables = {"input": {"basketId": str(basket["id"]), "shippingAddress": ADDRESS,
                           "payments": [{"code": card.code, "amount": "12.00"}, source(wallet)]}}
    payload = api.data(document, variables)["payWithAccount"]
    assert payload["errors"] == []
    left = str(D("100.00") - (Order.objects.get().total_incl_tax - D("12.00")))  # the wallet paid the rest
    assert payload["accounts"] == [
        {"id": global_id("Account", card.account.pk), "kind": "GIFT_CARD", "balance": {"amount": "18.00"},
         "amountAvailable": {"amount": "18.00"}},
        {"id": global_id("Account", wallet.pk), "kind": "STORE_CREDIT", "balance": {"amount": left},
         "amountAvailable": {"amount": left}},
    ]
    assert payload["appliedGiftCards"] == [{"lastCharacters": card.account.code_last4,
                                            "amountUsed": {"amount": "12.00", "currency": "GBP"},
                                            "balance": {"amount": "18.00"}}]


def test_every_input_error_of_a_payment_comes_back_together(api, chart, customer, products, country):
    small = AccountFactory(name="Small wallet", primary_user=customer, funded=D("10.00"))
    frozen = AccountFactory(name="Frozen wallet", primary_user=customer, funded=D("10.00"))
    frozen.freeze()
    api.add_product(products["kettle"])
    before = ledger_state()
    variables = {"input": {"basketId": str(api.basket()["id"]),
                           "payments": [source(small), source(frozen)],
                           "shippingAddress": {**ADDRESS, "postcode": "", "country": "ZZ"}}}
    payload = api.data(PAY, variables)["payWithAccount"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("INVALID", "shippingAddress.country"),
        ("INVALID", "shippingAddress.postcode"),
        ("ACCOUNT_FROZEN", "payments.1"),
    ]
    assert ledger_state() == before
    # No address at all and too little money: both, with what is still due.
    variables["input"]["payments"] = [source(small)]
    del variables["input"]["shippingAddress"]
    payload = api.data(PAY, variables)["payWithAccount"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", "shippingAddress"),
                                                                   ("PAYMENT_INCOMPLETE", "payments")]
    assert payload["amountDue"] == {"amount": "35.00", "currency": "GBP"}
    assert ledger_state() == before


def test_a_malformed_account_id_an_over_precise_amount_and_address_errors_come_back_together(
        api, chart, customer, products, country):
    """Issue 20: a malformed id hid every other error; with address errors the 4.999 amount was
    not reported; an omitted postcode was a validation failure quoting a Python dict."""
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    api.add_product(products["kettle"])
    before = ledger_state()
    address = {key: value for key, value in ADDRESS.items() if key != "postcode"}
    variables = {"input": {"basketId": str(api.basket()["id"]),
                           "payments": [{"accountId": "not-an-id"}, {**source(wallet), "amount": "4.999"}],
                           "shippingAddress": {**address, "line1": ""}}}
    payload = api.data(PAY, variables)["payWithAccount"]
    assert sorted((e["code"], e["field"]) for e in payload["errors"]) == sorted([
        ("INVALID", "shippingAddress.line1"),
        ("INVALID", "shippingAddress.postcode"),
        ("INVALID", "payments.0.accountId"),
        ("INVALID_AMOUNT", "payments.1.amount"),
    ])
    assert not any("{" in e["message"] for e in payload["errors"])
    assert ledger_state() == before


def test_an_unknown_shipping_method_is_refused(api, chart, customer, products, country):
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("100.00"))
    api.add_product(products["kettle"])
    payload = pay(api, api.basket()["id"], [source(wallet)], shippingMethodCode="teleport")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", "shippingMethodCode")]
    assert payload["order"] is None


@pytest.mark.parametrize("mutation", ["payWithAccount", "startCardCheckout"])
def test_an_account_emptied_while_the_order_is_placed_is_refused_on_its_payment(api, customer, products, country,
                                                                               chart, monkeypatch, mutation):
    """A gift card spent elsewhere between the checks and the money moving (a concurrent checkout):
    INSUFFICIENT_FUNDS names the payment (`payments.1`), not null, and nothing is taken."""
    from headless_store.checkout.accounts import AccountsCheckoutSerializer
    from headless_store.ledger import facade

    wallet = AccountFactory(primary_user=customer, funded=D("10.00"))
    card = issue_gift_card(amount=D("35.00"), currency="GBP")
    placed = AccountsCheckoutSerializer.place_for_ledger

    def spent_meanwhile(self, *args, **kwargs):
        result = placed(self, *args, **kwargs)
        facade.transfer(Account.objects.get(pk=card.account.pk), core.redemptions_account(), D("30.00"))
        return result

    monkeypatch.setattr(AccountsCheckoutSerializer, "place_for_ledger", spent_meanwhile)
    api.add_product(products["kettle"])
    if mutation == "payWithAccount":
        payload = pay(api, api.basket()["id"], [source(wallet), {"code": card.code}])
    else:
        from tests.checkout.test_card_checkout import start
        payload = start(api, api.basket()["id"], [source(wallet), {"code": card.code}])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INSUFFICIENT_FUNDS", "payments.1")]
    assert Account.objects.get(pk=wallet.pk).balance == D("10.00") and ledger_health().ok
