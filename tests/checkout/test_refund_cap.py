"""One refund cap per order, whatever path returns the money: refundOrder to any destination,
reverseTransfer of the order's payment, the dashboard's reversal, facade.reverse (a shop's own
code, the django-oscar-accounts facade); held under concurrency; ledger_reconcile flags an order
that got back more than its total."""
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.refunds import RefundDestination, refund_order, returned
from headless_store.events.models import Event
from headless_store.ledger import core, exceptions, facade
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.transfers import reverse_transfer
from tests.checkout.test_card_checkout import start
from tests.factories import AccountFactory
from tests.graphql.conftest import Api, error_codes
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

REFUND = """mutation Refund($input: RefundOrderInput!) {
  refundOrder(input: $input) { refunded { amount } errors { field code message } } }"""
REVERSE = """mutation Reverse($input: ReverseTransferInput!) {
  reverseTransfer(input: $input) { transfer { amount { amount } } errors { field code message } } }"""


@pytest.fixture
def staff(staff_user):
    """The staff member above, signed in to the API."""
    return Api(signed_in(staff_user))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def order(api, chart, customer, products, country):
    """4.99 (+ free shipping), paid from the customer's wallet alone."""
    wallet = AccountFactory(name="Wallet", primary_user=customer, funded=D("4.99"))
    api.add_product(products["filters"])
    started = start(api, api.basket()["id"], [{"accountId": global_id("Account", wallet.pk)}])
    assert started["checkout"]["status"] == "PAID", started
    run_tasks()
    order = Order.objects.get()
    assert order.total_incl_tax == D("4.99")
    return order


def payment_of(order):
    return Transfer.objects.get(merchant_reference=order.number, parent__isnull=True,
                                destination=core.redemptions_account())


def refund(staff, order, amount, destination):
    return staff.data(REFUND, {"input": {"orderNumber": order.number, "amount": amount,
                                         "destination": destination}})["refundOrder"]


def reverse(staff, transfer, amount=None):
    variables = {"input": {"transferId": transfer.reference, **({"amount": amount} if amount else {})}}
    return staff.data(REVERSE, variables)["reverseTransfer"]


class TestEveryPathCountsAgainstOneCap:
    def test_store_credit_first_then_reversing_the_payment_is_refused(self, staff, order):
        assert refund(staff, order, "4.99", "STORE_CREDIT")["errors"] == []
        refused = reverse(staff, payment_of(order))
        assert error_codes(refused) == ["REVERSAL_NOT_PERMITTED"] and refused["errors"][0]["field"] == "amount"
        assert "0.00 GBP of order" in refused["errors"][0]["message"]
        assert returned(order) == D("4.99") and ledger_health().ok

    def test_reversing_the_payment_first_then_store_credit_is_refused(self, staff, order):
        assert reverse(staff, payment_of(order))["errors"] == []
        refused = refund(staff, order, "4.99", "STORE_CREDIT")
        assert error_codes(refused) == ["REFUND_NOT_POSSIBLE"]
        assert returned(order) == D("4.99") and ledger_health().ok

    def test_partial_amounts_add_up_across_paths(self, staff, order):
        assert reverse(staff, payment_of(order), "2.00")["errors"] == []
        assert error_codes(refund(staff, order, "3.00", "STORE_CREDIT")) == ["REFUND_NOT_POSSIBLE"]
        assert refund(staff, order, "2.99", "STORE_CREDIT")["errors"] == []
        assert error_codes(reverse(staff, payment_of(order), "0.01")) == ["REVERSAL_NOT_PERMITTED"]
        assert returned(order) == D("4.99")

    def test_the_dashboard_reversal_is_capped_too(self, staff_user, staff, order):
        assert refund(staff, order, "4.99", "STORE_CREDIT")["errors"] == []
        client = signed_in(staff_user)
        payment = payment_of(order)
        client.post(f"/dashboard/accounts/transfers/{payment.reference}/reverse/", {"amount": "4.99"})
        assert returned(order) == D("4.99") and Transfer.objects.filter(parent=payment).count() == 0

    def test_facade_reverse_from_a_shops_own_code_is_capped(self, staff, order):
        assert refund(staff, order, "4.99", "STORE_CREDIT")["errors"] == []
        with pytest.raises(exceptions.ReversalNotPermitted):
            facade.reverse(payment_of(order))
        import oscar_accounts.facade as oa_facade

        with pytest.raises(exceptions.ReversalNotPermitted):
            oa_facade.reverse(payment_of(order))
        assert returned(order) == D("4.99")

    def test_undoing_a_refund_makes_room_for_another(self, staff, order, staff_user):
        refund(staff, order, "4.99", "STORE_CREDIT")
        store_credit = Transfer.objects.get(merchant_reference=order.number, source=core.redemptions_account(),
                                            parent__isnull=True)
        reverse_transfer(store_credit, staff=staff_user)  # taken back from the wallet
        assert returned(order) == D("0.00")
        assert reverse(staff, payment_of(order))["errors"] == []
        assert returned(order) == D("4.99") and ledger_health().ok

    def test_a_reversal_outside_refund_order_is_booked_on_the_order(self, staff, order):
        assert reverse(staff, payment_of(order), "1.50")["errors"] == []
        (event,) = PaymentEvent.objects.filter(order=order, event_type__name="Refunded to account")
        assert event.amount == D("1.50") and not event.line_quantities.exists()
        refunded = Event.objects.get(type="order.refunded").data
        assert refunded["order_number"] == order.number and refunded["amount"] == "1.50"

    def test_reversing_a_transfer_of_no_order_is_not_capped(self, chart, staff):
        wallet = AccountFactory(funded=D("10"))
        moved = facade.transfer(wallet, core.redemptions_account(), D("10"), merchant_reference="not-an-order")
        assert reverse(staff, moved)["errors"] == []


def test_refund_order_uses_the_same_cap_as_the_api(order, staff_user):
    refund_order(order=order, staff=staff_user, destination=RefundDestination.ACCOUNTS, amount="4.00")
    from headless_store.checkout.exceptions import RefundNotPossible

    with pytest.raises(RefundNotPossible):
        refund_order(order=order, staff=staff_user, destination=RefundDestination.STORE_CREDIT, amount="1.00")
    refund_order(order=order, staff=staff_user, destination=RefundDestination.STORE_CREDIT, amount="0.99")
    assert returned(order) == D("4.99")


def test_reconcile_flags_an_order_that_got_back_more_than_it_paid(order, customer):
    """Money moved by hand, around every refund path: reconciliation says which order."""
    wallet = Account.objects.get(primary_user=customer, name="Wallet")
    facade.transfer(core.bank_account(), core.redemptions_account(), D("1"))  # other income, no order
    facade.transfer(core.redemptions_account(), wallet, D("4.99"), merchant_reference=order.number)
    assert ledger_health().ok
    facade.transfer(core.redemptions_account(), wallet, D("0.01"), merchant_reference=order.number)
    (check,) = [c for c in ledger_health().checks if c.code == "orders_within_paid"]
    assert check.violations == 1 and check.examples[0].startswith(f"{order.number} got back 5.0")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("ledger_reconcile", stdout=out, stderr=StringIO())
    assert "No order got back more than its total" in out.getvalue()
