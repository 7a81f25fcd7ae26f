"""Refunds of one order racing on PostgreSQL through different paths (refundOrder to store credit,
to the accounts that paid, and a staff reversal of the payment): together they never return more
than the order's total, and the ledger reconciles."""
from decimal import Decimal as D

import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from headless_store.checkout import card
from headless_store.checkout import exceptions as checkout_exceptions
from headless_store.checkout.refunds import RefundDestination, refund_order, returned
from headless_store.ledger import core
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.models import Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.transfers import reverse_transfer
from tests.factories import AccountFactory, UserFactory
from tests.graphql.conftest import country  # noqa: F401 (fixture)
from tests.tasks import run_tasks

from .test_card_checkout_races import ADDRESS, CheckoutDetails, PaymentSourceRequest, _ships_to_gb, request_of, start  # noqa: F401 (fixture)
from .test_races import race

pytestmark = pytest.mark.postgres
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
REFUSED = (checkout_exceptions.RefundNotPossible, ledger_exceptions.ReversalNotPermitted)


@pytest.mark.parametrize("rounds", range(3))
def test_refund_paths_racing_never_return_more_than_was_paid(chart, staff_user, rounds):
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("4.99"))
    checkout = start(customer, create_product(title="Filters", price=D("4.99"), num_in_stock=10), wallet=wallet)
    run_tasks()
    order = Order.objects.get(pk=checkout.order_id)
    payment = Transfer.objects.get(merchant_reference=order.number, destination=core.redemptions_account())

    def act(i):
        fresh = Order.objects.get(pk=order.pk)
        if i % 3 == 0:
            return refund_order(order=fresh, staff=staff_user, destination=RefundDestination.STORE_CREDIT, amount="3.00")
        if i % 3 == 1:
            return reverse_transfer(Transfer.objects.get(pk=payment.pk), staff=staff_user, amount=D("3.00"))
        return refund_order(order=fresh, staff=staff_user, destination=RefundDestination.ACCOUNTS, amount="3.00")

    results = race(6, act)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, REFUSED)]
    assert not unexpected, unexpected
    assert sum(not isinstance(r, Exception) for r in results) == 1  # 3.00 fits once into 4.99
    assert returned(order) == D("3.00")
    assert ledger_health().ok


def test_one_line_is_refunded_once_by_refunds_racing_for_it(chart, staff_user):
    """The lines' quantities left are read again under the order's lock: four refunds of a line of
    one, started together, refund it once (a red team refunded a 4.99 line four times)."""
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("49.99"))
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Default()
    basket.add_product(create_product(title="Filters", price=D("4.99"), num_in_stock=10), 1)
    basket.add_product(create_product(title="Kettle", price=D("45.00"), num_in_stock=10), 1)
    checkout = card.start_card_checkout(
        request=request_of(customer, basket), basket_id=basket.pk, payments=[PaymentSourceRequest(account_id=wallet.pk)],
        details=CheckoutDetails(shipping_address=ADDRESS, guest_email=None)).checkout
    run_tasks()
    order = Order.objects.get(pk=checkout.order_id)
    filters = order.lines.get(title="Filters")

    results = race(4, lambda i: refund_order(order=Order.objects.get(pk=order.pk), staff=staff_user,
                                             destination=RefundDestination.ACCOUNTS, lines=[(filters.pk, 1)]))

    assert len([r for r in results if not isinstance(r, Exception)]) == 1, results
    assert all(isinstance(r, checkout_exceptions.RefundNotPossible) for r in results if isinstance(r, Exception))
    assert returned(order) == D("4.99") and ledger_health().ok
