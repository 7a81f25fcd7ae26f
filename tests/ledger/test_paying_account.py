"""The checkout's account lookup (selectors.accounts.paying_account), compiled once with stand-in
values, answers as the queryset it was compiled from: viewer_accounts(user).filter(pk=...)."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from headless_store.ledger import facade, lots
from headless_store.ledger.selectors.accounts import paying_account, viewer_accounts
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def reference(user, pk):
    return viewer_accounts(user).filter(pk=pk).first()


def test_it_finds_what_the_queryset_finds_with_the_same_amount_available(chart, bank, django_assert_num_queries):
    owner, second, stranger = UserFactory(), UserFactory(), UserFactory()
    wallet = AccountFactory(primary_user=owner, funded=D("30.00"))
    wallet.secondary_users.add(second)
    later = timezone.now() + timedelta(days=2)
    facade.transfer(bank, wallet, D("12.50"), lot=lots.Credit(effective_from=later))  # not usable yet
    facade.hold(wallet, bank, D("4.00"), user=owner)
    others = AccountFactory(primary_user=stranger, funded=D("5.00"))
    for user, pk in ((owner, wallet.pk), (second, wallet.pk), (stranger, wallet.pk), (owner, others.pk),
                     (stranger, others.pk), (owner, 10**9)):
        expected = reference(user, pk)
        with django_assert_num_queries(1):
            found = paying_account(user, pk)
        assert (found is None) == (expected is None), (user, pk)
        if found is not None:
            assert found.pk == expected.pk and found.balance == expected.balance and found.held == expected.held
            with django_assert_num_queries(0):  # what its lots have free came with it
                assert found.amount_available == expected.amount_available
    assert paying_account(owner, wallet.pk).amount_available == D("26.00")  # 42.50 - 12.50 not yet - 4.00 held


def test_nobody_signed_in_has_no_account_to_pay_from(chart):
    wallet = AccountFactory(primary_user=UserFactory(), funded=D("1.00"))
    assert paying_account(None, wallet.pk) is None
    assert paying_account(AnonymousUser(), wallet.pk) is None
