"""What an account may pay: Account.can_pay_for() per order line, Account.permitted_allocation()
of what is due, and the checkout applying both to a real Oscar 4.2 basket."""
from decimal import Decimal as D

import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from oscar.test.factories.offer import RangeFactory

from headless_store.checkout.allocation import OrderShares
from headless_store.ledger import facade
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")


@pytest.fixture
def products(db):
    return {
        "book": create_product(title="Book", price=D("30.00"), num_in_stock=10),
        "pen": create_product(title="Pen", price=D("5.00"), num_in_stock=10),
    }


@pytest.fixture
def basket(products):
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(products["book"], 1)
    basket.add_product(products["pen"], 2)
    return basket  # 40.00 of products


@pytest.mark.parametrize(
    "balance, due, expected",
    [(None, D("12.00"), D("0.00")), (D("100"), D("12.00"), D("12.00")), (D("100"), D("120.00"), D("100.00"))],
)
def test_balance_caps_the_allocation(chart, balance, due, expected):
    assert AccountFactory(funded=balance).permitted_allocation(due) == expected


def test_credit_limit_counts_towards_the_allocation(chart, redemptions):
    account = AccountFactory(funded=D("10"), credit_limit=D("25"))
    assert account.permitted_allocation(D("100")) == D("35.00")
    facade.transfer(account, redemptions, D("30"))
    assert account.permitted_allocation(D("100")) == D("5.00")


def test_unlimited_account_pays_all_that_is_due(chart):
    assert AccountFactory(credit_limit=None).permitted_allocation(D("45")) == D("45.00")


def test_products_only_account_cannot_pay_shipping(chart, basket):
    account = AccountFactory(funded=D("100"), can_be_used_for_non_products=False)
    assert not account.can_pay_for(None)
    assert OrderShares(basket, D("20.00"), D("60.00")).capacity(account) == D("40.00")


def test_product_range_limits_to_lines_in_the_range_plus_shipping(chart, basket, products):
    pens_only = RangeFactory(products=[products["pen"]])
    account = AccountFactory(funded=D("100"), product_range=pens_only)
    assert account.can_pay_for(products["pen"]) and not account.can_pay_for(products["book"])
    assert basket.total_incl_tax == D("40.00")
    assert OrderShares(basket, D("4.00"), D("44.00")).capacity(account) == D("14.00")


def test_product_range_without_non_product_use_excludes_shipping(chart, basket, products):
    pens_only = RangeFactory(products=[products["pen"]])
    account = AccountFactory(funded=D("100"), product_range=pens_only, can_be_used_for_non_products=False)
    assert OrderShares(basket, D("4.00"), D("44.00")).capacity(account) == D("10.00")


def test_product_range_with_nothing_in_the_basket_allows_nothing_but_shipping(chart, basket):
    account = AccountFactory(funded=D("100"), product_range=RangeFactory())
    assert OrderShares(basket, D("4.00"), D("44.00")).capacity(account) == D("4.00")
    account.can_be_used_for_non_products = False
    assert OrderShares(basket, D("4.00"), D("44.00")).capacity(account) == D("0.00")
