"""kernel/compiled.py: a queryset compiled once per database answers, call after call, as the
queryset built with that call's values would; what cannot be compiled once is refused when it
is first compiled, not answered wrongly."""
from datetime import datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import Count
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from headless_store.checkout.bookkeeping import paid_order_lines
from headless_store.kernel.compiled import CompiledCondition, CompiledQuery
from headless_store.ledger import core, facade, lots, names
from headless_store.ledger.models import Account
from headless_store.ledger.services.giftcards import find_by_code, issue_gift_card
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

Line = get_model("order", "Line")


def by_name_and_currency(name, currency):
    return Account.objects.filter(description=name, currency=currency).order_by("pk")


def test_each_call_gets_its_own_values_and_the_querysets_answer(chart, django_assert_num_queries):
    compiled = CompiledQuery(by_name_and_currency, name=str, currency=str)
    made = [AccountFactory(description=name, currency=currency) for name in ("Alpha", "Beta")
            for currency in ("GBP", "EUR")]
    AccountFactory(description="Alpha", currency="GBP")  # two answers for one pair
    for name in ("Alpha", "Beta", "Gamma", "alpha", "Alpha%", "' OR 1=1 --"):
        for currency in ("GBP", "EUR", "USD"):
            with django_assert_num_queries(1):
                found = compiled.all(name=name, currency=currency)
            assert [a.pk for a in found] == [a.pk for a in by_name_and_currency(name, currency)], (name, currency)
            assert all(isinstance(a, Account) for a in found)
    assert compiled.first(name="Beta", currency="EUR").pk == made[3].pk
    assert compiled.first(name="Nobody", currency="EUR") is None


def test_moments_and_annotations_come_through(chart, bank):
    """A moment used twice in the SQL (the lots' window) and an annotation read as an attribute."""
    wallet = AccountFactory(primary_user=UserFactory())
    now = timezone.now()
    facade.transfer(bank, wallet, D("10.00"), lot=lots.Credit(expires_at=now + timedelta(days=1)))
    facade.transfer(bank, wallet, D("5.00"), lot=lots.Credit(effective_from=now + timedelta(days=2)))
    compiled = CompiledQuery(lambda pk, at: Account.objects.filter(pk=pk).with_usable_lot_credit(at=at), pk=int,
                             at=datetime)
    for at, free in ((now, D("10.00")), (now + timedelta(days=3), D("5.00")), (now + timedelta(days=1, seconds=1), D("0"))):
        (found,) = compiled.all(pk=wallet.pk, at=at)
        expected = Account.objects.filter(pk=wallet.pk).with_usable_lot_credit(at=at).get()
        assert D(found.usable_lot_credit) == D(expected.usable_lot_credit) == free, at


@settings(max_examples=40, deadline=None)
@given(user=st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_a_condition_is_the_querysets_where_with_the_value_in_place(user):
    """Whatever the value, the condition's parameters are the compiled ones with it in place
    (nothing else moves), and the SQL is the same every call."""
    from headless_store.ledger.ownership import usable_by

    condition = CompiledCondition(lambda user: Account.objects.filter(usable_by(user)), user=int)
    sql, params = condition.sql(user=user)
    query = Account.objects.filter(usable_by(user)).query
    expected_sql, expected_params = query.where.as_sql(query.get_compiler("default"), None)
    assert params == list(expected_params)
    assert sql == expected_sql


def test_what_cannot_be_compiled_once_is_refused_when_compiled(chart):
    for build, kinds in (
        (lambda name: Account.objects.filter(name__startswith=name), {"name": str}),  # escaped into a LIKE pattern
        (lambda name: Account.objects.filter(name__contains=name), {"name": str}),
        (lambda pk: Account.objects.filter(pk=pk).select_related("account_type"), {"pk": int}),
        (lambda pk: Account.objects.filter(pk=pk).values("name"), {"pk": int}),
        (lambda pk: Account.objects.filter(pk=pk).annotate(n=Count("transactions")).filter(pk=1), {"x": int}),
    ):
        with pytest.raises((ValueError, TypeError)):
            CompiledQuery(build, **kinds).all(**dict.fromkeys(kinds, 1 if int in kinds.values() else "x"))
    with pytest.raises(TypeError):
        CompiledQuery(lambda amount: Account.objects.filter(balance=amount), amount=D)
    compiled = CompiledQuery(by_name_and_currency, name=str, currency=str)
    with pytest.raises(TypeError):
        compiled.all(name="Alpha")  # every value, or none of the call goes out


def test_the_hot_path_reads_agree_with_their_querysets(chart, bank):
    """The checkout's reads built on it: a core account, a gift card by its code, an order's lines
    with their product class (a variant's is its parent's)."""
    assert core.redemptions_account("GBP").pk == Account.objects.get(
        **names.core_lookup(core.settings.ACCOUNTS_REDEMPTIONS_NAME, "GBP")).pk
    issued = issue_gift_card(amount=D("12.00"), currency="GBP")
    found = find_by_code(issued.code, ip="192.0.2.1")
    expected = Account.objects.with_code(issued.code).with_usable_lot_credit().get()
    assert found.pk == expected.pk and found.amount_available == expected.amount_available == D("12.00")


def test_order_lines_carry_their_product_class(chart):
    from oscar.apps.partner.strategy import Default
    from oscar.test.factories import ProductClassFactory, create_order, create_product

    gift_class = ProductClassFactory(slug="gift-card-test", name="Gift card test")
    parent = create_product(title="Parent", product_class=gift_class, structure="parent")
    child = create_product(title="Child", parent=parent, structure="child", price=D("5.00"), num_in_stock=5)
    plain = create_product(title="Plain", price=D("3.00"), num_in_stock=5)
    basket = get_model("basket", "Basket").objects.create()
    basket.strategy = Default()
    basket.add_product(child)
    basket.add_product(plain)
    order = create_order(basket=basket)
    lines = paid_order_lines(order)
    expected = Line.objects.filter(order=order).select_related("product__product_class", "product__parent__product_class")
    assert [(line.pk, line.product_class_slug) for line in lines] == [
        (line.pk, line.product.get_product_class().slug) for line in expected.order_by("pk")]
    assert "gift-card-test" in {line.product_class_slug for line in lines}
    assert all(line.order is order for line in lines)
