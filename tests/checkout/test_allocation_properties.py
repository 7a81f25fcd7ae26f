"""Splitting an order over payment sources, for random baskets, accounts and amounts (hypothesis).

Whatever the input, a split either covers the total exactly, with no source over what it may
spend and no product range paying for lines outside it, or is refused with a typed error.
"""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from oscar.test.factories.offer import RangeFactory

from headless_store.checkout import exceptions as checkout
from headless_store.checkout.allocation import PaymentSourceRequest, allocate
from headless_store.ledger import exceptions as ledger
from headless_store.ledger.models import Account

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")

SOURCE = st.fixed_dictionaries({
    "balance": st.integers(0, 8000).map(lambda n: D(n).scaleb(-2)),
    "credit": st.sampled_from([D("0"), D("0"), D("25.00"), None]),
    "range": st.sampled_from([None, None, "kettles", "filters"]),
    "non_products": st.booleans(),
    "amount": st.one_of(st.none(), st.none(), st.integers(1, 8000).map(lambda n: str(D(n).scaleb(-2)))),
})


@pytest.fixture
def shop(db):
    kettle = create_product(title="Kettle", price=D("45.00"), num_in_stock=100)
    filters = create_product(title="Filters", price=D("4.99"), num_in_stock=100)
    return {"products": [kettle, filters],
            "ranges": {"kettles": RangeFactory(products=[kettle]), "filters": RangeFactory(products=[filters])}}


@given(quantities=st.tuples(st.integers(0, 3), st.integers(0, 3)), shipping=st.sampled_from([D("0"), D("3.50")]),
       sources=st.lists(SOURCE, min_size=1, max_size=4))
@hsettings(max_examples=60)
def test_a_split_covers_the_total_within_every_limit_or_is_refused(shop, quantities, shipping, sources):
    basket = Basket.objects.create()
    basket.strategy = Default()
    for product, quantity in zip(shop["products"], quantities, strict=True):
        if quantity:
            basket.add_product(product, quantity)
    lines_total = basket.total_incl_tax
    total = lines_total + shipping
    accounts = [
        Account(pk=i + 1, name=f"A{i}", currency="GBP", balance=s["balance"], credit_limit=s["credit"],
                product_range=shop["ranges"][s["range"]] if s["range"] else None,
                can_be_used_for_non_products=s["non_products"])
        for i, s in enumerate(sources)
    ]
    requests = [PaymentSourceRequest(account_id=a.pk, amount=s["amount"]) for a, s in zip(accounts, sources, strict=True)]
    # With no explicit amounts and no restrictions, the split must succeed exactly when the
    # accounts can spend the total between them.
    unrestricted = all(s["amount"] is None and s["range"] is None and s["non_products"] for s in sources)
    can_afford = any(a.amount_available is None for a in accounts) or sum(a.amount_available for a in accounts) >= total
    try:
        allocations = allocate(requests, accounts, basket, shipping, total, "GBP")
    except (checkout.PaymentIncomplete, ledger.InsufficientFunds, ledger.InvalidAmount) as refused:
        if isinstance(refused, checkout.PaymentIncomplete):
            assert 0 < refused.amount_due <= total
        assert not (unrestricted and can_afford and total > 0), refused
        return
    if unrestricted:
        assert can_afford
    assert sum(amount for _, amount in allocations) == total
    for account, amount in allocations:
        assert amount > 0
        assert account.amount_available is None or amount <= account.amount_available
    for name, product in (("kettles", shop["products"][0]), ("filters", shop["products"][1])):
        in_range = sum(line.line_price_incl_tax_incl_discounts for line in basket.all_lines() if line.product == product)
        limited = [(a, amount) for a, amount in allocations if a.product_range_id == shop["ranges"][name].pk]
        non_product_room = shipping if any(a.can_be_used_for_non_products for a, _ in limited) else 0
        assert sum(amount for _, amount in limited) <= in_range + non_product_room
