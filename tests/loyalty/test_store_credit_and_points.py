"""Refunds to store credit, and loyalty points earned per order, pending until spendable, taken
back pro rata on refunds and in full on cancellation."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from oscar.core.loading import get_model

from headless_store.events.models import Event
from headless_store.ledger import core, facade, names
from headless_store.ledger.holds import expire_holds
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from headless_store.loyalty.models import LoyaltyAccrual, LoyaltyRule
from headless_store.loyalty.services import points_for, pro_rata
from tests.checkout.test_card_checkout import pay as pay_card
from tests.checkout.test_card_checkout import start
from tests.checkout.test_pay import pay, source
from tests.checkout.test_refund_order import refund, staff  # noqa: F401 (fixture)
from tests.factories import AccountFactory
from tests.graphql.conftest import error_codes
from tests.tasks import lose, make_due, run_tasks, task_state

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def points(customer):
    return Account.objects.filter(primary_user=customer, account_type__code=names.LOYALTY_POINTS).first()


def credit_wallet(customer):
    """The customer's default store-credit wallet: where refunds to store credit go."""
    return Account.objects.get(primary_user=customer, is_default_wallet=True, account_type__code=names.STORE_CREDIT)


def set_rule(**fields):
    rule = LoyaltyRule.current()
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@pytest.fixture
def wallet(chart, customer):
    return AccountFactory(name="Store credit", primary_user=customer, funded=D("100.00"))


@pytest.fixture
def order(api, wallet, products, country):
    """45.00 paid from the store-credit wallet; points credited by the worker (5%: 2.25)."""
    api.add_product(products["kettle"])
    assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
    run_tasks()
    return Order.objects.get()


class TestEarning:
    def test_a_paid_order_earns_points_on_what_the_shopper_paid(self, order, customer):
        account = points(customer)
        assert (account.balance, account.held, account.amount_available) == (D("2.25"), D("0.00"), D("2.25"))
        assert core.promotions_account().balance == D("-2.25")
        accrual = LoyaltyAccrual.objects.get()
        assert (accrual.basis, accrual.earned) == (D("45.00"), D("2.25"))
        assert Event.objects.filter(type="points.earned").count() == 1
        run_tasks()  # nothing twice
        assert points(customer).balance == D("2.25") and ledger_health().ok

    def test_gift_cards_and_points_do_not_earn(self, api, chart, customer, products, country):
        card = issue_gift_card(amount=D("10.00"), currency="GBP")
        wallet = AccountFactory(name="Store credit", primary_user=customer, funded=D("100.00"))
        api.add_product(products["kettle"])
        answer = pay(api, api.basket()["id"], [{"code": card.code}, source(wallet)])
        assert answer["errors"] == []
        run_tasks()
        assert LoyaltyAccrual.objects.get().basis == D("35.00") and points(customer).balance == D("1.75")

    def test_card_payments_earn_once_the_card_is_authorised(self, api, chart, customer, products, country):
        api.add_product(products["kettle"])
        checkout = start(api, api.basket()["id"])["checkout"]
        run_tasks()
        assert points(customer) is None  # not paid yet
        pay_card(api, checkout["id"])
        run_tasks()
        assert points(customer).balance == D("2.25")

    def test_guests_and_an_inactive_rule_earn_nothing(self, guest_api, chart, products, country):
        card_wallet = issue_gift_card(amount=D("50.00"), currency="GBP")
        guest_api.add_product(products["kettle"])
        assert pay(guest_api, guest_api.basket()["id"], [{"code": card_wallet.code}], guestEmail="g@example.com")["errors"] == []
        run_tasks()
        assert not LoyaltyAccrual.objects.exists()

    def test_points_pending_for_days_become_spendable_when_their_hold_expires(self, api, wallet, customer, products,
                                                                            country):
        set_rule(spendable=LoyaltyRule.Spendable.DAYS, days=14)
        api.add_product(products["kettle"])
        pay(api, api.basket()["id"], [source(wallet)])
        run_tasks()
        account = points(customer)
        assert (account.balance, account.held, account.amount_available) == (D("2.25"), D("2.25"), D("0.00"))
        mine = api.data("{ myAccounts { edges { node { kind balance { amount } held { amount } amountAvailable { amount } } } } }")
        loyalty = [e["node"] for e in mine["myAccounts"]["edges"] if e["node"]["kind"] == "LOYALTY_POINTS"]
        assert loyalty == [{"kind": "LOYALTY_POINTS", "balance": {"amount": "2.25"}, "held": {"amount": "2.25"},
                            "amountAvailable": {"amount": "0.00"}}]
        assert expire_holds(at=timezone.now() + timedelta(days=13)) == 0
        assert expire_holds(at=timezone.now() + timedelta(days=15)) == 1
        assert points(customer).amount_available == D("2.25")

    def test_points_pending_until_dispatch(self, api, wallet, customer, products, country):
        set_rule(spendable=LoyaltyRule.Spendable.DISPATCH)
        api.add_product(products["kettle"])
        pay(api, api.basket()["id"], [source(wallet)])
        run_tasks()
        assert points(customer).held == D("2.25")
        order = Order.objects.get()
        order.set_status("Being processed")
        assert points(customer).held == D("2.25")
        order.set_status("Complete")
        assert (points(customer).held, points(customer).amount_available) == (D("0.00"), D("2.25"))


class TestTakingBack:
    def test_placed_refunded_in_part_then_cancelled(self, order, customer, staff):  # noqa: F811
        assert refund(staff, order, "15.00", "STORE_CREDIT")["errors"] == []
        assert points(customer).balance == D("1.50")  # 2.25 x 15/45 = 0.75 taken back
        order.refresh_from_db()
        order.set_status("Cancelled")
        assert points(customer).balance == D("0.00")
        accrual = LoyaltyAccrual.objects.get()
        assert (accrual.taken_back, accrual.shortfall) == (D("2.25"), D("0.00"))
        assert [e.data["points"] for e in Event.objects.filter(type="points.reversed").order_by("created_at")] == [
            "0.75", "1.50"]
        assert ledger_health().ok

    def test_spent_points_are_not_taken_below_zero_and_the_shortfall_is_recorded(self, order, customer):
        facade.transfer(points(customer), core.redemptions_account(), D("2.00"))  # spent on another order
        order.set_status("Cancelled")
        accrual = LoyaltyAccrual.objects.get()
        assert (accrual.taken_back, accrual.shortfall) == (D("0.25"), D("2.00"))
        assert points(customer).balance == D("0.00")
        assert Event.objects.get(type="points.reversed").data["shortfall"] == "2.00"

    def test_pending_points_go_back_first_and_the_rest_stays_pending(self, api, wallet, customer, products, country,
                                                                     staff):  # noqa: F811
        set_rule(spendable=LoyaltyRule.Spendable.DAYS, days=14)
        api.add_product(products["kettle"])
        pay(api, api.basket()["id"], [source(wallet)])
        run_tasks()
        refund(staff, Order.objects.get(), "15.00", "ACCOUNTS")
        account = points(customer)
        assert (account.balance, account.held, account.amount_available) == (D("1.50"), D("1.50"), D("0.00"))
        assert ledger_health().ok


class TestStoreCreditRefunds:
    def test_an_amount_to_store_credit_capped_by_what_is_left(self, order, customer, wallet, staff):  # noqa: F811
        answer = refund(staff, order, "20.00", "STORE_CREDIT", idempotencyKey="c-1")
        assert answer["errors"] == [] and answer["transfers"][0]["amount"]["amount"] == "20.00"
        assert refund(staff, order, "20.00", "STORE_CREDIT", idempotencyKey="c-1")["errors"] == []  # a retry
        assert credit_wallet(customer).balance == D("20.00")
        assert error_codes(refund(staff, order, "25.01", "STORE_CREDIT")) == ["REFUND_NOT_POSSIBLE"]
        assert error_codes(refund(staff, order, "25.01", "ACCOUNTS")) == ["REFUND_NOT_POSSIBLE"]  # 25 left in all
        assert refund(staff, order, "25.00", "ACCOUNTS")["errors"] == []
        assert error_codes(refund(staff, order, "0.01", "STORE_CREDIT")) == ["REFUND_NOT_POSSIBLE"]
        assert Event.objects.filter(type="order.refunded").count() == 2
        assert ledger_health().ok

    def test_lines_at_their_unit_price_each_at_most_once(self, api, chart, customer, products, country, staff):  # noqa: F811
        wallet = AccountFactory(name="Store credit", primary_user=customer, funded=D("100.00"))
        api.add_product(products["filters"], quantity=3)  # 3 x 4.99
        pay(api, api.basket()["id"], [source(wallet)])
        order = Order.objects.get()
        line = order.lines.get()
        document = """mutation R($input: RefundOrderInput!) { refundOrder(input: $input) {
            refunded { amount } errors { field code } } }"""

        def by_lines(quantity, **extra):
            variables = {"input": {"orderNumber": order.number, "destination": "STORE_CREDIT",
                                   "lines": [{"lineId": line.pk, "quantity": quantity}], **extra}}
            return staff.data(document, variables)["refundOrder"]

        assert by_lines(2)["refunded"] == {"amount": "9.98"}
        assert [(e["code"], e["field"]) for e in by_lines(2)["errors"]] == [("REFUND_NOT_POSSIBLE", "lines.0.quantity")]
        assert by_lines(1)["refunded"] == {"amount": "4.99"}
        assert [e["code"] for e in by_lines(1, amount="1.00")["errors"]] == ["INVALID"]  # an amount or lines
        assert [e["code"] for e in by_lines(0)["errors"]] == ["REFUND_NOT_POSSIBLE"]
        assert credit_wallet(customer).balance == D("14.97")

    def test_a_guest_order_cannot_go_to_store_credit(self, guest_api, chart, products, country, staff):  # noqa: F811
        card = issue_gift_card(amount=D("50.00"), currency="GBP")
        guest_api.add_product(products["kettle"])
        pay(guest_api, guest_api.basket()["id"], [{"code": card.code}], guestEmail="g@example.com")
        answer = refund(staff, Order.objects.get(), "5.00", "STORE_CREDIT")
        assert [(e["code"], e["field"]) for e in answer["errors"]] == [("REFUND_NOT_POSSIBLE", "destination")]


@given(basis=st.decimals(min_value=D("0"), max_value=D("100000"), places=2),
       rate=st.decimals(min_value=D("0"), max_value=D("10"), places=4))
def test_points_are_the_rate_times_the_basis_rounded_down_to_a_penny(basis, rate):
    earned = points_for(basis, rate, "GBP")
    exact = basis * rate
    assert D("0") <= earned <= exact < earned + D("0.01")
    assert earned == earned.quantize(D("0.01"))


@given(earned=st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2),
       shares=st.lists(st.decimals(min_value=D("0"), max_value=D("1"), places=4), max_size=8))
def test_pro_rata_take_backs_never_exceed_what_was_earned(earned, shares):
    remaining = earned
    for share in shares:
        due = min(pro_rata(earned, share * D("100"), D("100"), "GBP"), remaining)
        assert due >= 0
        remaining -= due
    assert D("0") <= remaining <= earned


class TestAccrualSurvivesFaults:
    def test_points_wait_while_promotions_is_frozen_and_are_credited_after_the_thaw(
            self, api, wallet, customer, products, country):
        from headless_store.ledger.services.accounts import freeze_account, thaw_account

        freeze_account(core.promotions_account())
        api.add_product(products["kettle"])
        assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
        run_tasks()
        assert task_state("accrue_points") == ("READY", 1, 0, "FrozenAccount")  # waiting, not failing
        assert not LoyaltyAccrual.objects.exists()
        thaw_account(core.promotions_account())
        make_due("accrue_points")  # its wait is over
        run_tasks()
        assert task_state("accrue_points")[0] == "SUCCESSFUL" and points(customer).balance == D("2.25")

    def test_the_healing_sweep_credits_an_order_whose_task_was_lost(self, api, wallet, customer, products, country):
        from headless_store.events.tasks import heal

        api.add_product(products["kettle"])
        assert pay(api, api.basket()["id"], [source(wallet)])["errors"] == []
        lose("accrue_points")
        run_tasks()
        assert not LoyaltyAccrual.objects.exists()
        later = timezone.now() + timedelta(hours=1)
        assert heal(at=later)["points_repaired"] == 1
        assert heal(at=later)["points_repaired"] == 0  # proven, nothing more to repair
        assert points(customer).balance == D("2.25") and ledger_health().ok
