"""The card checkout over HTTP: accounts held, the order placed awaiting payment, the rest by the
sandbox card processor; declines, retries, expiry and cancellation leave nothing taken."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.card import sweep_card_checkouts
from headless_store.checkout.gateways import sandbox
from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.ledger import core
from headless_store.ledger.models import Account, Hold
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory
from tests.graphql.conftest import ADDRESS, error_codes
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")

CHECKOUT = "checkout { id status order { number status total { amount } } fromAccounts { amount } " \
    "byCard { amount } card failure holds { accountId amount { amount } status } } " \
    "accounts { id balance { amount } held { amount } }"
START = f"""
mutation Start($input: StartCardCheckoutInput!) {{
  startCardCheckout(input: $input) {{ {CHECKOUT} transfers {{ amount {{ amount }} }} errors {{ field code message }} }}
}}"""
PAY = f"""
mutation Pay($input: PayCardCheckoutInput!) {{
  payCardCheckout(input: $input) {{ {CHECKOUT} transfers {{ accountId amount {{ amount }} }} errors {{ field code message }} }}
}}"""
CANCEL = f"""
mutation Cancel($input: CancelCardCheckoutInput!) {{
  cancelCardCheckout(input: $input) {{ {CHECKOUT} errors {{ field code message }} }}
}}"""


def start(api, basket_id, payments=(), **extra):
    variables = {"input": {"basketId": str(basket_id), "payments": list(payments), "shippingAddress": ADDRESS, **extra}}
    return api.data(START, variables)["startCardCheckout"]


def pay(api, checkout_id, card=sandbox.APPROVED):
    return api.data(PAY, {"input": {"checkoutId": checkout_id, "cardToken": card}})["payCardCheckout"]


def cancel(api, checkout_id):
    return api.data(CANCEL, {"input": {"checkoutId": checkout_id}})["cancelCardCheckout"]


def held(account):
    return Account.objects.get(pk=account.pk).held


@pytest.fixture
def wallet(chart, customer):
    return AccountFactory(name="Wallet", primary_user=customer, funded=D("20.00"))


@pytest.fixture
def basket(api, products, country):
    api.add_product(products["kettle"])  # 45.00, free shipping
    return api.basket()["id"]


def test_wallet_and_card_pay_an_order_together(api, wallet, basket):
    started = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])
    assert started["errors"] == []
    checkout = started["checkout"]
    assert checkout["status"] == "PENDING"
    assert checkout["fromAccounts"]["amount"] == "20.00" and checkout["byCard"]["amount"] == "25.00"
    assert checkout["order"]["status"] == "Pending payment"
    assert [h["status"] for h in checkout["holds"]] == ["PENDING"]
    # Held, not taken: the balance is whole, nothing is spendable, the basket is frozen.
    fresh = Account.objects.get(pk=wallet.pk)
    assert (fresh.balance, fresh.held, fresh.amount_available) == (D("20.00"), D("20.00"), D("0.00"))
    assert Basket.objects.get(pk=basket).status == Basket.FROZEN

    paid = pay(api, checkout["id"])
    assert paid["errors"] == []
    assert paid["checkout"]["status"] == "PAID"
    assert paid["checkout"]["card"] == "Visa ending 4242"
    assert paid["checkout"]["order"]["status"] == "Pending"
    assert [t["amount"]["amount"] for t in paid["transfers"]] == ["-20.00"]
    fresh = Account.objects.get(pk=wallet.pk)
    assert (fresh.balance, fresh.held) == (D("0.00"), D("0.00"))
    assert core.redemptions_account().balance == D("20.00")
    order = Order.objects.get()
    sources = {s.source_type.name: s for s in Source.objects.filter(order=order)}
    assert (sources["Accounts"].amount_allocated, sources["Accounts"].amount_debited) == (D("20.00"), D("20.00"))
    card = sources["Card (sandbox)"]
    # Authorised now; a worker captures it right after the commit.
    assert (card.amount_allocated, card.amount_debited, card.label) == (D("25.00"), D("0.00"), "Visa ending 4242")
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.AUTHORISED
    run_tasks()
    card.refresh_from_db()
    assert card.amount_debited == D("25.00") and SandboxCharge.objects.get().status == SandboxCharge.Status.CAPTURED
    assert CardCheckout.objects.get().card_captured == D("25.00")
    assert sorted(PaymentEvent.objects.filter(order=order).values_list("event_type__name", flat=True)) == [
        "Card authorised", "Card captured", "Paid from account"]
    assert Basket.objects.get(pk=basket).status == Basket.SUBMITTED
    assert ledger_health().ok


def test_paying_a_paid_checkout_again_charges_nothing_more(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    first = pay(api, checkout["id"])
    again = pay(api, checkout["id"], card=sandbox.DECLINED)
    assert again["errors"] == [] and again["checkout"]["status"] == "PAID"
    assert again["checkout"]["order"]["number"] == first["checkout"]["order"]["number"]
    assert SandboxCharge.objects.count() == 1 and Account.objects.get(pk=wallet.pk).balance == D("0.00")


@pytest.mark.parametrize("card, code", [
    (sandbox.DECLINED, "CARD_DECLINED"),
    (sandbox.INSUFFICIENT_FUNDS, "CARD_DECLINED"),
    ("4242 4242 4242 4241", "CARD_DECLINED"),  # fails the Luhn check
    ("not a card", "CARD_DECLINED"),
    (sandbox.TIMES_OUT, "PAYMENT_GATEWAY_ERROR"),
])
def test_a_declined_card_leaves_the_accounts_whole_and_the_basket_open(api, wallet, basket, card, code):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    answer = pay(api, checkout["id"], card=card)
    assert error_codes(answer) == [code]
    # the payload says where the checkout and the accounts now are (a cache keyed by id stays true)
    assert answer["checkout"]["id"] == checkout["id"] and answer["checkout"]["status"] == "FAILED"
    assert answer["checkout"]["order"]["status"] == "Cancelled" and answer["checkout"]["failure"]
    assert answer["checkout"]["holds"][0]["status"] == "VOIDED"
    assert answer["accounts"] == [{"id": global_id("Account", wallet.pk), "balance": {"amount": "20.00"},
                                   "held": {"amount": "0.00"}}]
    fresh = Account.objects.get(pk=wallet.pk)
    assert (fresh.balance, fresh.held) == (D("20.00"), D("0.00"))
    assert Hold.objects.get().status == Hold.Status.VOIDED
    order = Order.objects.get()
    assert order.status == "Cancelled"
    assert order.notes.filter(note_type="System").exists()
    assert Basket.objects.get(pk=basket).status == Basket.OPEN
    # No card money stays reserved either: the lost answer's authorisation was voided.
    assert not SandboxCharge.objects.exclude(status=SandboxCharge.Status.VOIDED).exists()
    assert CardCheckout.objects.get().status == CardCheckout.Status.FAILED
    # The ended checkout cannot be paid; the shopper starts again from the same basket.
    assert error_codes(pay(api, checkout["id"])) == ["CHECKOUT_CLOSED"]
    again = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    assert again["order"]["number"] == f"{order.number}-2"
    assert pay(api, again["id"])["checkout"]["status"] == "PAID"
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00")
    assert ledger_health().ok


def test_a_soft_decline_keeps_the_checkout_for_another_card(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    answer = pay(api, checkout["id"], card=sandbox.TRY_AGAIN)
    assert error_codes(answer) == ["CARD_RETRY"] and answer["errors"][0]["field"] == "cardToken"
    assert held(wallet) == D("20.00") and CardCheckout.objects.get().status == CardCheckout.Status.PENDING
    assert pay(api, checkout["id"], card="5555 5555 5555 4444")["checkout"]["card"] == "Mastercard ending 4444"
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00")


def test_a_gift_card_guest_pays_the_rest_by_card(guest_api, chart, products, country):
    card = issue_gift_card(amount=D("10.00"), currency="GBP")
    guest_api.add_product(products["kettle"])
    basket = guest_api.basket()["id"]
    started = start(guest_api, basket, [{"code": card.code}], guestEmail="guest@example.com")
    assert started["checkout"]["byCard"]["amount"] == "35.00"
    paid = pay(guest_api, started["checkout"]["id"])
    assert paid["checkout"]["status"] == "PAID"
    assert Account.objects.get(pk=card.account.pk).balance == D("0.00")
    assert Order.objects.get().guest_email == "guest@example.com"


def test_all_by_card(api, chart, basket):
    started = start(api, basket)
    assert started["errors"] == [], started
    checkout = started["checkout"]
    assert (checkout["fromAccounts"]["amount"], checkout["byCard"]["amount"], checkout["holds"]) == ("0.00", "45.00", [])
    assert pay(api, checkout["id"])["checkout"]["status"] == "PAID"
    assert not Source.objects.filter(source_type__name="Accounts").exists()


def test_when_the_accounts_cover_everything_the_checkout_is_paid_at_once(api, chart, customer, basket):
    wallet = AccountFactory(name="Big wallet", primary_user=customer, funded=D("100.00"))
    started = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])
    assert started["checkout"]["status"] == "PAID" and started["checkout"]["byCard"]["amount"] == "0.00"
    assert [t["amount"]["amount"] for t in started["transfers"]] == ["-45.00"]
    assert Account.objects.get(pk=wallet.pk).balance == D("55.00") and not SandboxCharge.objects.exists()


def test_cancelling_releases_everything(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    cancelled = cancel(api, checkout["id"])
    assert cancelled["checkout"]["status"] == "CANCELLED"
    assert held(wallet) == D("0.00") and Order.objects.get().status == "Cancelled"
    assert cancel(api, checkout["id"])["checkout"]["status"] == "CANCELLED"  # again: no change
    assert error_codes(pay(api, checkout["id"])) == ["CHECKOUT_CLOSED"]


def test_an_abandoned_checkout_expires_and_the_sweep_releases_it(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    later = timezone.now() + timedelta(minutes=16)
    assert sweep_card_checkouts(at=timezone.now()) == {"expired": 0, "captured": 0}
    assert sweep_card_checkouts(at=later) == {"expired": 1, "captured": 0}
    assert held(wallet) == D("0.00") and Order.objects.get().status == "Cancelled"
    assert Basket.objects.get(pk=basket).status == Basket.OPEN
    assert CardCheckout.objects.get().status == CardCheckout.Status.EXPIRED
    assert error_codes(pay(api, checkout["id"])) == ["CHECKOUT_CLOSED"]


def test_paying_after_expiry_is_refused_even_before_the_sweep(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    CardCheckout.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = pay(api, checkout["id"])
    assert error_codes(answer) == ["CHECKOUT_CLOSED"] and "expired" in answer["errors"][0]["message"]
    assert held(wallet) == D("0.00") and not SandboxCharge.objects.exists()


@pytest.mark.parametrize("end", ["freeze_account", "close_account"])
def test_an_account_frozen_or_closed_before_paying_fails_the_checkout_and_says_so(api, wallet, basket, end):
    """Staff froze (or closed) the paying account between start and pay: the answer is the ledger's
    refusal with the checkout as it now is (FAILED, not "expired"), and nothing is taken."""
    from headless_store.ledger.services import accounts as account_services

    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    if end == "close_account":
        Account.objects.filter(pk=wallet.pk).update(status=Account.Status.CLOSED)
    else:
        account_services.freeze_account(Account.objects.get(pk=wallet.pk))
    answer = pay(api, checkout["id"])
    assert error_codes(answer) == ["ACCOUNT_FROZEN" if end == "freeze_account" else "ACCOUNT_CLOSED"]
    assert "Nothing was taken" in answer["errors"][0]["message"]
    assert answer["checkout"]["status"] == "FAILED" and answer["accounts"]
    assert CardCheckout.objects.get().status == CardCheckout.Status.FAILED
    assert held(wallet) == D("0.00") and Account.objects.get(pk=wallet.pk).balance == D("20.00")
    assert SandboxCharge.objects.get().status == "VOIDED" and Order.objects.get().status == "Cancelled"
    assert Basket.objects.get(pk=basket).status == Basket.OPEN and ledger_health().ok


def test_a_failed_card_capture_is_retried_by_the_sweep(api, wallet, basket):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    paid = pay(api, checkout["id"], card=sandbox.CAPTURE_FAILS)
    assert paid["checkout"]["status"] == "PAID"  # authorised: the order is paid, the capture follows
    run_tasks()  # the worker's capture fails at the processor
    assert CardCheckout.objects.get().card_captured == D("0.00")
    assert sweep_card_checkouts() == {"expired": 0, "captured": 1}
    assert CardCheckout.objects.get().card_captured == D("25.00")
    assert Source.objects.get(source_type__name="Card (sandbox)").amount_debited == D("25.00")
    assert sweep_card_checkouts() == {"expired": 0, "captured": 0}


@pytest.mark.parametrize("who", ["other_customer", "guest"])
def test_someone_elses_checkout_is_not_found(api, wallet, basket, client, other_customer, who):
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    from django.test import Client

    from tests.graphql.conftest import Api
    stranger = Client()
    if who == "other_customer":
        stranger.force_login(other_customer)
    for answer in (pay(Api(stranger), checkout["id"]), cancel(Api(stranger), checkout["id"])):
        assert error_codes(answer) == ["NOT_FOUND"]
    assert held(wallet) == D("20.00") and CardCheckout.objects.get().status == CardCheckout.Status.PENDING


@pytest.mark.parametrize("checkout_id", ["", "x" * 5000, "nope", "\u2603"])
def test_malformed_checkout_ids_are_not_found(api, checkout_id):
    assert error_codes(pay(api, checkout_id)) == ["NOT_FOUND"]


def test_bad_starts_hold_nothing(api, wallet, basket):
    answer = start(api, basket, [{"accountId": global_id("Account", wallet.pk), "amount": "25.00"}])
    assert error_codes(answer) == ["INSUFFICIENT_FUNDS"]
    answer = start(api, basket, [{"accountId": global_id("Account", wallet.pk), "amount": "-1"}])
    assert error_codes(answer) == ["INVALID_AMOUNT"]
    answer = start(api, basket, [], total="44.99")
    assert error_codes(answer) == ["BASKET_CHANGED"]
    assert not Hold.objects.exists() and not Order.objects.exists() and not CardCheckout.objects.exists()
    assert Basket.objects.get(pk=basket).status == Basket.OPEN


def test_a_frozen_basket_cannot_be_paid_twice(api, wallet, basket):
    start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])
    assert error_codes(start(api, basket)) == ["NOT_FOUND"]


@pytest.mark.parametrize("mutation", ["start", "payWithAccount"])
@pytest.mark.parametrize("total", ["1E+999999", "-1E-999999", "NaN"])
def test_absurd_totals_with_an_idempotency_key_are_refused_cleanly(api, wallet, basket, mutation, total):
    # Found by the schema fuzzer: fingerprinting an amount that overflows Decimal's context.
    payments = [{"accountId": global_id("Account", wallet.pk)}]
    if mutation == "start":
        answer = start(api, basket, payments, total=total, idempotencyKey="k")
    else:
        from .test_pay import pay as pay_with_account
        answer = pay_with_account(api, basket, payments, total=total, idempotencyKey="k")
    assert error_codes(answer)[0] == "INVALID_AMOUNT" and answer["errors"][0]["field"] == "total"
    # payWithAccount also says the wallet does not cover the basket: all input errors together
    assert error_codes(answer)[1:] == ([] if mutation == "start" else ["PAYMENT_INCOMPLETE"])
    assert not Hold.objects.exists() and not Order.objects.exists()


def test_one_round_trip_start_with_the_card(api, wallet, basket):
    started = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}], cardToken=sandbox.APPROVED)
    assert started["errors"] == [] and started["checkout"]["status"] == "PAID"
    assert [t["amount"]["amount"] for t in started["transfers"]] == ["-20.00"]
    run_tasks()
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.CAPTURED
    assert Account.objects.get(pk=wallet.pk).balance == D("0.00") and ledger_health().ok


def test_one_round_trip_declined_then_retried_with_the_same_key(api, wallet, basket):
    payments = [{"accountId": global_id("Account", wallet.pk)}]
    declined = start(api, basket, payments, cardToken=sandbox.DECLINED, idempotencyKey="k1")
    assert error_codes(declined) == ["CARD_DECLINED"] and declined["errors"][0]["field"] == "cardToken"
    assert held(wallet) == D("0.00") and Basket.objects.get(pk=basket).status == Basket.OPEN
    again = start(api, basket, payments, cardToken=sandbox.APPROVED, idempotencyKey="k1")
    assert error_codes(again) == ["CHECKOUT_CLOSED"]
    fresh = start(api, basket, payments, cardToken=sandbox.APPROVED, idempotencyKey="k2")
    assert fresh["checkout"]["status"] == "PAID" and Account.objects.get(pk=wallet.pk).balance == D("0.00")


def test_one_round_trip_soft_decline_is_retried_with_the_same_key_and_another_card(api, wallet, basket):
    payments = [{"accountId": global_id("Account", wallet.pk)}]
    assert error_codes(start(api, basket, payments, cardToken=sandbox.TRY_AGAIN, idempotencyKey="k")) == ["CARD_RETRY"]
    assert held(wallet) == D("20.00")
    retried = start(api, basket, payments, cardToken="5555555555554444", idempotencyKey="k")
    assert retried["checkout"]["status"] == "PAID" and retried["checkout"]["card"] == "Mastercard ending 4444"
    assert CardCheckout.objects.get().attempt == 2 and SandboxCharge.objects.count() == 1


def _wallet_as_now(wallet):
    fresh = Account.objects.get(pk=wallet.pk)
    return [{"id": global_id("Account", wallet.pk), "balance": {"amount": f"{fresh.balance:.2f}"},
             "held": {"amount": f"{fresh.held:.2f}"}}]


def _expire(api, checkout_id):
    CardCheckout.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    return pay(api, checkout_id)


def _soft_decline_at_start(api, basket, payments):
    return start(api, basket, payments, cardToken=sandbox.TRY_AGAIN)


@pytest.mark.parametrize("outcome, steps, status, held_after, codes", [
    ("pending", [], "PENDING", "20.00", []),
    ("paid", [lambda api, c: pay(api, c)], "PAID", "0.00", []),
    ("declined", [lambda api, c: pay(api, c, card=sandbox.DECLINED)], "FAILED", "0.00", ["CARD_DECLINED"]),
    ("gateway down", [lambda api, c: pay(api, c, card=sandbox.TIMES_OUT)], "FAILED", "0.00",
     ["PAYMENT_GATEWAY_ERROR"]),
    ("soft decline", [lambda api, c: pay(api, c, card=sandbox.TRY_AGAIN)], "PENDING", "20.00", ["CARD_RETRY"]),
    ("expired", [_expire], "EXPIRED", "0.00", ["CHECKOUT_CLOSED"]),
    ("cancelled", [lambda api, c: cancel(api, c)], "CANCELLED", "0.00", []),
    ("paid, then cancelled", [lambda api, c: pay(api, c), lambda api, c: cancel(api, c)], "PAID", "0.00",
     ["CHECKOUT_CLOSED"]),
    ("declined, then paid", [lambda api, c: pay(api, c, card=sandbox.DECLINED), lambda api, c: pay(api, c)],
     "FAILED", "0.00", ["CHECKOUT_CLOSED"]),
])
def test_every_outcome_returns_the_checkout_and_the_accounts_as_they_now_are(
        api, wallet, basket, outcome, steps, status, held_after, codes):
    started = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])
    assert started["errors"] == [] and started["checkout"]["status"] == "PENDING"
    assert started["accounts"] == _wallet_as_now(wallet) and started["accounts"][0]["held"]["amount"] == "20.00"
    answer = started
    for step in steps:
        answer = step(api, started["checkout"]["id"])
    assert error_codes(answer) == codes
    assert answer["checkout"]["id"] == started["checkout"]["id"]
    assert answer["checkout"]["status"] == status == CardCheckout.objects.get().status
    assert answer["checkout"]["order"]["status"] == Order.objects.get().status
    assert answer["accounts"] == _wallet_as_now(wallet) and answer["accounts"][0]["held"]["amount"] == held_after


def test_a_soft_decline_at_start_returns_the_checkout_to_pay_or_cancel(api, wallet, basket):
    answer = _soft_decline_at_start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])
    assert error_codes(answer) == ["CARD_RETRY"]
    assert answer["checkout"]["status"] == "PENDING" and answer["accounts"] == _wallet_as_now(wallet)
    assert answer["accounts"][0]["held"]["amount"] == "20.00"
    paid = pay(api, answer["checkout"]["id"], card=sandbox.APPROVED_MASTERCARD)
    assert paid["checkout"]["status"] == "PAID" and paid["accounts"][0]["balance"]["amount"] == "0.00"


def test_refusals_about_no_checkout_carry_none(api, wallet, basket):
    answer = start(api, basket, [{"accountId": global_id("Account", wallet.pk), "amount": "25.00"}])
    assert error_codes(answer) == ["INSUFFICIENT_FUNDS"] and answer["checkout"] is None and answer["accounts"] == []
    answer = pay(api, "nope")
    assert error_codes(answer) == ["NOT_FOUND"] and answer["checkout"] is None and answer["accounts"] == []


def test_the_basket_endpoint_says_a_pending_checkout_holds_the_basket(api, wallet, basket):
    assert api.client.get("/api/basket/")["X-Basket-Status"] == "open"
    checkout = start(api, basket, [{"accountId": global_id("Account", wallet.pk)}])["checkout"]
    response = api.client.get("/api/basket/")
    body = response.json()
    assert response["X-Basket-Status"] == "checkout-pending" and body["id"] != basket
    assert body["pending_card_checkout"]["id"] == checkout["id"] and body["pending_card_checkout"]["basket"] == basket
    assert pay(api, checkout["id"])["checkout"]["status"] == "PAID"
    after = api.client.get("/api/basket/")
    assert after["X-Basket-Status"] == "open" and after.json()["pending_card_checkout"] is None


def test_a_guests_pending_checkout_is_told_to_that_guest_only(guest_api, products, country, chart):
    from django.test import Client

    from tests.graphql.conftest import Api

    guest_api.add_product(products["kettle"])
    basket_id = guest_api.basket()["id"]
    card = issue_gift_card(amount=D("10.00"), currency="GBP")
    started = start(guest_api, basket_id, [{"code": card.code}], guestEmail="g@example.com")
    assert started["errors"] == []
    told = guest_api.client.get("/api/basket/")
    assert told["X-Basket-Status"] == "checkout-pending"
    assert told.json()["pending_card_checkout"]["id"] == started["checkout"]["id"]
    stranger = Api(Client()).client.get("/api/basket/")
    assert stranger["X-Basket-Status"] == "open" and stranger.json()["pending_card_checkout"] is None
    assert guest_api.client.get("/api/basket/")["X-Basket-Status"] == "checkout-pending"  # asked again
