"""Refunds never return more than actually paid an order, and one order's refund never spends
another's money: store credit comes from Redemptions for what the order's ledger payments
brought in, from Bank for what its card captured; an order whose card was declined or not
captured yet has nothing to refund (found by a red team: 44.00 of store credit out of nothing,
and a card-paid order's store credit spending other orders' money in Redemptions)."""
import contextlib
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model
from oscar.test.factories import BenefitFactory, ConditionFactory, RangeFactory, create_offer, create_product

from headless_store.checkout import exceptions as checkout_exceptions
from headless_store.checkout.gateways import sandbox
from headless_store.checkout.models import CardCheckout
from headless_store.checkout.refunds import RefundDestination, _units_price, order_money, refund_order, refundable, returned
from headless_store.ledger import core, facade, names
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.models import Account, Lot, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.transfers import reverse_transfer
from tests.concurrency.test_card_checkout_races import _ships_to_gb, pay, start  # noqa: F401 (fixture)
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import country  # noqa: F401 (fixture)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
CARD, ACCOUNTS, STORE_CREDIT = RefundDestination.CARD, RefundDestination.ACCOUNTS, RefundDestination.STORE_CREDIT
REFUSED = (checkout_exceptions.RefundNotPossible, ledger_exceptions.ReversalNotPermitted)



def kettle():
    return create_product(title="Kettle", price=D("45.00"), num_in_stock=100)


def placed(customer, wallet_amount=None, card=sandbox.APPROVED, capture=True):
    """An order of one 45.00 kettle: `wallet_amount` from a wallet, the rest by `card` (None: not paid yet)."""
    wallet = AccountFactory(primary_user=customer, funded=D(wallet_amount)) if wallet_amount else None
    checkout = start(customer, kettle(), wallet=wallet)
    if checkout.card_amount and card is not None:
        with contextlib.suppress(checkout_exceptions.CardDeclined):
            pay(customer, checkout, card)
    if capture:
        run_tasks()  # the card's capture
    return Order.objects.get(pk=checkout.order_id)


@pytest.fixture
def bystander(chart):
    """Another customer's order paid in full from a wallet: its 45.00 sits in Redemptions."""
    return placed(UserFactory(), "45.00")


def store_credit(customer):
    return Account.objects.filter(primary_user=customer, account_type__code=names.STORE_CREDIT,
                                  is_default_wallet=True).first()


def refund(order, staff_user, destination, amount):
    return refund_order(order=Order.objects.get(pk=order.pk), staff=staff_user, destination=destination, amount=amount)


def assert_bystander_whole(bystander):
    """The other order's money is all still there: it refunds in full to the wallet that paid."""
    assert refundable(bystander)[ACCOUNTS] == D("45.00")


class TestNothingPaidNothingRefunded:
    def test_a_declined_card_order_refunds_nothing(self, chart, staff_user, bystander):
        customer = UserFactory()
        order = placed(customer, card=sandbox.DECLINED)
        assert order_money(order).paid == 0
        assert refundable(order) == {CARD: 0, ACCOUNTS: 0, STORE_CREDIT: 0}
        for destination in RefundDestination:
            with pytest.raises(checkout_exceptions.RefundNotPossible, match="nothing was paid"):
                refund(order, staff_user, destination, "45.00")
        assert store_credit(customer) is None or store_credit(customer).balance == 0
        assert_bystander_whole(bystander)
        assert ledger_health().ok

    def test_an_order_waiting_for_its_card_refunds_nothing(self, chart, staff_user, bystander):
        customer = UserFactory()
        order = placed(customer, "20.00", card=None)  # the wallet's 20.00 only held until the card pays
        assert order_money(order).paid == 0
        for destination in RefundDestination:
            with pytest.raises(checkout_exceptions.RefundNotPossible):
                refund(order, staff_user, destination, "0.01")
        assert store_credit(customer) is None or store_credit(customer).balance == 0
        assert_bystander_whole(bystander)

    def test_a_card_not_captured_yet_is_not_paid_yet(self, chart, staff_user):
        order = placed(UserFactory(), capture=False)
        assert order_money(order).paid == 0
        with pytest.raises(checkout_exceptions.RefundNotPossible):
            refund(order, staff_user, STORE_CREDIT, "1.00")
        run_tasks()
        assert order_money(order).paid == D("45.00")
        refund(order, staff_user, STORE_CREDIT, "1.00")


class TestWhereStoreCreditComesFrom:
    def test_a_card_paid_order_is_credited_from_bank_and_its_card_gives_back_that_much(self, chart, staff_user, bystander):
        customer = UserFactory()
        order = placed(customer)
        redemptions = core.redemptions_account().balance
        done = refund(order, staff_user, STORE_CREDIT, "30.00")
        assert [(t.source.name, t.amount) for t in done.transfers] == [("Bank", D("30.00"))]
        assert core.redemptions_account().balance == redemptions  # no other order's money spent
        assert store_credit(customer).balance == D("30.00")
        assert Lot.objects.get(account=store_credit(customer)).category == Lot.Category.REFUND
        assert CardCheckout.objects.get(order=order).card_credited == D("30.00")
        assert refundable(order)[CARD] == D("15.00")
        with pytest.raises(checkout_exceptions.RefundNotPossible):
            refund(order, staff_user, CARD, "15.01")
        refund(order, staff_user, CARD, "15.00")
        assert returned(order) == D("45.00") and refundable(order)[STORE_CREDIT] == 0
        assert_bystander_whole(bystander)
        assert ledger_health().ok

    def test_a_split_order_takes_what_its_payments_left_in_redemptions_first(self, chart, staff_user, bystander):
        customer = UserFactory()
        order = placed(customer, "20.00")  # 20.00 wallet, 25.00 card
        done = refund(order, staff_user, STORE_CREDIT, "30.00")
        assert [(t.source.name, t.amount) for t in done.transfers] == [("Redemptions", D("20.00")), ("Bank", D("10.00"))]
        # The wallet's share went back as store credit: reversing the payment now would take
        # another order's money, so it is refused; the card has 15.00 to give back.
        assert refundable(order) == {CARD: D("15.00"), ACCOUNTS: 0, STORE_CREDIT: D("15.00")}
        with pytest.raises(REFUSED):
            refund(order, staff_user, ACCOUNTS, "0.01")
        payment = Transfer.objects.get(merchant_reference=order.number, destination=core.redemptions_account())
        with pytest.raises(ledger_exceptions.ReversalNotPermitted):
            from headless_store.ledger.services.transfers import reverse_transfer
            reverse_transfer(payment, staff=staff_user, amount=D("0.01"))
        refund(order, staff_user, CARD, "15.00")
        assert returned(order) == D("45.00")
        assert_bystander_whole(bystander)
        assert ledger_health().ok


class TestUndoingStoreCredit:
    def test_reversing_the_bank_part_gives_the_card_its_share_back(self, chart, staff_user):
        customer = UserFactory()
        order = placed(customer, "20.00")  # 20.00 wallet, 25.00 card
        done = refund(order, staff_user, STORE_CREDIT, "45.00")
        assert refundable(order) == {CARD: 0, ACCOUNTS: 0, STORE_CREDIT: 0}
        for part in done.transfers:  # the customer gives the store credit back, both parts
            reverse_transfer(part, staff=staff_user)
        assert store_credit(customer).balance == 0 and CardCheckout.objects.get(order=order).card_credited == 0
        assert refundable(order) == {CARD: D("25.00"), ACCOUNTS: D("20.00"), STORE_CREDIT: D("45.00")}
        refund(order, staff_user, CARD, "25.00")
        refund(order, staff_user, ACCOUNTS, "20.00")
        assert returned(order) == D("45.00") and ledger_health().ok

    def test_a_bank_top_up_naming_the_order_is_not_the_cards_share(self, chart, staff_user):
        customer = UserFactory()
        order = placed(customer)
        refund(order, staff_user, STORE_CREDIT, "45.00")
        top_up = facade.transfer(core.bank_account(), store_credit(customer), D("10.00"), merchant_reference=order.number)
        reverse_transfer(top_up, staff=staff_user)
        assert CardCheckout.objects.get(order=order).card_credited == D("45.00")
        assert refundable(order)[CARD] == 0


class TestLinesAtWhatWasPaid:
    def test_a_discounted_line_refunds_its_price_after_discounts_unit_by_unit(self, chart, staff_user):
        rng = RangeFactory(includes_all_products=True)
        create_offer(name="A third off", condition=ConditionFactory(range=rng, type="Count", value=1),
                     benefit=BenefitFactory(range=rng, type="Percentage", value=D("33.33")))
        customer = UserFactory()
        wallet = AccountFactory(primary_user=customer, funded=D("500.00"))
        checkout = start(customer, kettle(), wallet=wallet, quantity=3)
        order = Order.objects.get(pk=checkout.order_id)
        line = order.lines.get()
        assert line.line_price_incl_tax < line.unit_price_incl_tax * 3  # discounted
        amounts = [refund_order(order=Order.objects.get(pk=order.pk), staff=staff_user, destination=ACCOUNTS,
                                lines=[(line.pk, 1)]).amount for _ in range(3)]
        assert sum(amounts) == line.line_price_incl_tax and max(amounts) - min(amounts) <= D("0.01")
        with pytest.raises(checkout_exceptions.RefundNotPossible):
            refund_order(order=Order.objects.get(pk=order.pk), staff=staff_user, destination=ACCOUNTS, lines=[(line.pk, 1)])


@settings(max_examples=50, deadline=None)
@given(price=st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2),
       parts=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=8))
def test_a_lines_units_refunded_in_any_parts_add_up_to_its_price(price, parts):
    line = SimpleNamespace(line_price_incl_tax=price, quantity=sum(parts))
    done, total = 0, D("0")
    for part in parts:
        total += _units_price(line, done + part, "GBP") - _units_price(line, done, "GBP")
        done += part
    assert total == price


def test_history_naming_a_new_orders_number_is_never_that_orders_money(chart, staff_user):
    """Transfers imported from django-oscar-accounts keep the order numbers of the shop they came
    from, which a new shop's baskets count up to again: the new order gets a number of its own, so
    its refund never sends money to the account that paid the old one (a red team's refund went to
    a stranger's imported gift card)."""
    from headless_store.checkout import card
    from headless_store.checkout.bookkeeping import OrderNumberGenerator
    from tests.concurrency.test_card_checkout_races import (
        ADDRESS,
        Basket,
        CheckoutDetails,
        Default,
        PaymentSourceRequest,
        request_of,
    )

    customer, stranger = UserFactory(), UserFactory()
    old_card = AccountFactory(primary_user=stranger, funded=D("50.00"))
    wallet = AccountFactory(primary_user=customer, funded=D("45.00"))
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Default()
    basket.add_product(kettle(), 1)
    old_number = str(OrderNumberGenerator().order_number(basket))
    facade.transfer(old_card, core.redemptions_account(), D("20.00"), merchant_reference=old_number)  # history
    checkout = card.start_card_checkout(
        request=request_of(customer, basket), basket_id=basket.pk, payments=[PaymentSourceRequest(account_id=wallet.pk)],
        details=CheckoutDetails(shipping_address=ADDRESS, guest_email=None)).checkout
    order = Order.objects.get(pk=checkout.order_id)
    assert order.number == f"{old_number}-2"
    assert order_money(order).paid == D("45.00")
    refund(order, staff_user, ACCOUNTS, "45.00")
    assert Account.objects.get(pk=old_card.pk).balance == D("30.00")  # untouched
    assert Account.objects.get(pk=wallet.pk).balance == D("45.00") and ledger_health().ok


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(list(RefundDestination)),
                                st.decimals(min_value=D("0.01"), max_value=D("50.00"), places=2)),
                      min_size=1, max_size=6),
       wallet_amount=st.sampled_from([None, "10.00", "45.00"]))
def test_any_refunds_stay_within_what_paid_and_leave_other_orders_whole(chart, staff_user, bystander, steps,
                                                                       wallet_amount):
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            order = placed(UserFactory(), wallet_amount)
            for destination, amount in steps:
                before = refundable(order)[destination]
                try:
                    refund(order, staff_user, destination, amount)
                    assert amount <= before  # what refundable() promised
                except REFUSED:
                    assert amount > before
                money = order_money(order)
                assert money.returned <= money.paid == D("45.00")
            assert_bystander_whole(bystander)
            assert ledger_health().ok
            raise Rollback
    except Rollback:
        pass
