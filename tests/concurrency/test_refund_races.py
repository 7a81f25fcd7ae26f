"""Refunds of one order racing on PostgreSQL through different paths (refundOrder to store credit,
to the accounts that paid, and a staff reversal of the payment): together they never return more
than the order's total, and the ledger reconciles."""
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model
from oscar.test.factories import create_product

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

from .test_card_checkout_races import _ships_to_gb, start  # noqa: F401 (fixture)
from .test_races import race

pytestmark = pytest.mark.postgres
Order = get_model("order", "Order")
REFUSED = (checkout_exceptions.RefundNotPossible, ledger_exceptions.ReversalNotPermitted)


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="reverse_transfer"))
    return user


@pytest.mark.parametrize("rounds", range(3))
def test_refund_paths_racing_never_return_more_than_was_paid(chart, staff, rounds):
    customer = UserFactory()
    wallet = AccountFactory(primary_user=customer, funded=D("4.99"))
    checkout = start(customer, create_product(title="Filters", price=D("4.99"), num_in_stock=10), wallet=wallet)
    run_tasks()
    order = Order.objects.get(pk=checkout.order_id)
    payment = Transfer.objects.get(merchant_reference=order.number, destination=core.redemptions_account())

    def act(i):
        fresh = Order.objects.get(pk=order.pk)
        if i % 3 == 0:
            return refund_order(order=fresh, staff=staff, destination=RefundDestination.STORE_CREDIT, amount="3.00")
        if i % 3 == 1:
            return reverse_transfer(Transfer.objects.get(pk=payment.pk), staff=staff, amount=D("3.00"))
        return refund_order(order=fresh, staff=staff, destination=RefundDestination.ACCOUNTS, amount="3.00")

    results = race(6, act)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, REFUSED)]
    assert not unexpected, unexpected
    assert sum(not isinstance(r, Exception) for r in results) == 1  # 3.00 fits once into 4.99
    assert returned(order) == D("3.00")
    assert ledger_health().ok
